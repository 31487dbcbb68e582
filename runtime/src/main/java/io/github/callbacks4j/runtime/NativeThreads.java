package io.github.callbacks4j.runtime;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets ND4J's BLAS thread count once, before the engine's first operation. Override with
 * {@code -Dcallbacks4j.threads=N}; an explicit {@code OMP_NUM_THREADS} is left alone, for BLAS and
 * for ND4J's own ops. Without one, ND4J's ops keep its OpenMP thread count, except that a step's
 * small ops run on one thread ({@link #smallOps}).
 */
final class NativeThreads {
  private static final Logger LOG = LoggerFactory.getLogger(NativeThreads.class);
  /**
   * One thread: on the small matrices of MLP training, OpenBLAS's worker threads contend with the
   * element-wise ops and a step runs 2-4x slower with two (see the benchmarks module's figures).
   */
  static final int DEFAULT = 1;

  private static boolean configured;
  /** An explicit {@code OMP_NUM_THREADS} is the user's choice for every op: then no switching. */
  private static final boolean SWITCH_FOR_SMALL_OPS = System.getenv("OMP_NUM_THREADS") == null;

  private NativeThreads() {}

  static synchronized void configure() {
    if (configured) {
      return;
    }
    configured = true;
    String property = System.getProperty("callbacks4j.threads");
    if (property == null && System.getenv("OMP_NUM_THREADS") != null) {
      return;
    }
    int threads;
    try {
      threads = property == null ? DEFAULT : Integer.parseInt(property.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "-Dcallbacks4j.threads must be a whole number, got '" + property + "'", e);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("-Dcallbacks4j.threads must be >= 1, got " + threads);
    }
    Nd4j.factory().blas().setMaxThreads(threads);
    LOG.debug("ND4J BLAS threads set to {}", threads);
  }

  /**
   * Runs ND4J's ops from this thread on one OpenMP thread until {@link #restore}, and returns the
   * count to restore: a step's element-wise ops over a few thousand values then run without
   * waiting on a second thread, which on a 2-core machine stalled them for 0.1-12 ms now and then,
   * while the optimizer's update over every parameter, restored first, keeps ND4J's count (see
   * benchmarks/README). OpenMP keeps this setting per thread, so models training on other threads
   * (Spark's local executors) are untouched. With {@code OMP_NUM_THREADS} set, nothing changes.
   */
  static int smallOps() {
    if (!SWITCH_FOR_SMALL_OPS) {
      return 0;
    }
    NativeOps nativeOps = NativeOpsHolder.getInstance().getDeviceNativeOps();
    int before = nativeOps.ompGetMaxThreads();
    nativeOps.setOmpNumThreads(1);
    return before;
  }

  /** Undoes {@link #smallOps}, given what it returned. */
  static void restore(int threads) {
    if (SWITCH_FOR_SMALL_OPS) {
      NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
    }
  }
}
