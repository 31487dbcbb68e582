package io.github.callbacks4j.benchmarks;

import io.github.callbacks4j.runtime.FitOptions;
import io.github.callbacks4j.runtime.Sequential;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.profiler.OpProfiler;
import org.nd4j.linalg.profiler.ProfilerConfig;

/**
 * Where a training step's time goes, op by op: the reference MLP of {@link EngineBenchmark}
 * (784-256-128-10, Adam, batch 128) trains on random data of Fashion-MNIST's shape (op costs depend
 * on shapes, not values): 15 unprofiled epochs of 200 steps as warm-up (the JIT compiles the step
 * after about 2,800 of them), one timed epoch, then one under ND4J's op profiler, which times every
 * ND4J op and prints its dashboard (calls per op; each op's calls over 100 µs with their times). The step's matrix
 * products go to OpenBLAS directly and are invisible to it: their share is the step's time less the
 * profiled ops. Run with {@code OMP_NUM_THREADS=1} and {@code -Dnd4j.generic} for the other rows.
 */
public final class EngineProfile {
  private static final int BATCH = 128;

  private EngineProfile() {}

  public static void main(String[] args) {
    int steps = Smoke.ON ? 5 : 200;
    Nd4j.getRandom().setSeed(1);
    INDArray x = Nd4j.rand(DataType.FLOAT, (long) BATCH * steps, 784);
    INDArray y = Nd4j.zeros(DataType.FLOAT, (long) BATCH * steps, 10);
    for (int row = 0; row < BATCH * steps; row++) {
      y.putScalar(row, row % 10, 1);
    }
    Sequential model = ReferenceModel.build(1, "accuracy");
    FitOptions options = FitOptions.builder().epochs(1).batchSize(BATCH).shuffle(false)
        .verbose(0).build();
    for (int epoch = 0; epoch < (Smoke.ON ? 1 : 15); epoch++) {
      model.fit(x, y, options);
    }
    long plain = timeEpoch(model, x, y, options);

    Nd4j.getExecutioner().setProfilingConfig(
        ProfilerConfig.builder().checkElapsedTime(true).build());
    Nd4j.getExecutioner().setProfilingMode(OpExecutioner.ProfilingMode.OPERATIONS);
    OpProfiler.getInstance().reset();
    long profiled = timeEpoch(model, x, y, options);
    Nd4j.getExecutioner().setProfilingMode(OpExecutioner.ProfilingMode.DISABLED);
    OpProfiler.getInstance().printOutDashboard();
    System.out.printf("%n%d steps: %.0f µs a step unprofiled, %.0f µs profiled; OMP_NUM_THREADS=%s%n",
        steps, plain / 1e3 / steps, profiled / 1e3 / steps, System.getenv("OMP_NUM_THREADS"));
  }

  private static long timeEpoch(Sequential model, INDArray x, INDArray y, FitOptions options) {
    long start = System.nanoTime();
    model.fit(x, y, options);
    return System.nanoTime() - start;
  }
}
