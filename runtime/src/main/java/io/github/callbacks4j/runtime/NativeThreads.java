package io.github.callbacks4j.runtime;

import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets ND4J's BLAS thread count once, before the engine's first operation. Override with
 * {@code -Dcallbacks4j.threads=N}; an explicit {@code OMP_NUM_THREADS} is left alone. Element-wise
 * ops keep ND4J's own OpenMP pool: {@code Environment.setMaxThreads} does not change it at run
 * time, and one OpenMP thread (via {@code OMP_NUM_THREADS=1}) sped the small ops but slowed the
 * optimizer's update by as much.
 */
final class NativeThreads {
  private static final Logger LOG = LoggerFactory.getLogger(NativeThreads.class);
  /**
   * One thread: on the small matrices of MLP training, OpenBLAS's worker threads contend with the
   * element-wise ops and a step runs 2-4x slower with two (see the benchmarks module's figures).
   */
  static final int DEFAULT = 1;

  private static boolean configured;

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
}
