package io.github.callbacks4j.benchmarks;

import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.floating.Sqrt;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.DivOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The optimizer step's parts alone, on the reference MLP's 235,146 parameters: ND4J's Adam update
 * (one op over the flat buffers, as the engine calls it), and for scale ND4J's element-wise
 * {@code sqrt} and {@code div} over as many values, and the update subtracted by ND4J's
 * {@code subi} and by BLAS's {@code axpy}. Adam computes a square root per parameter; the {@code
 * sqrt} op alone shows what that costs in ND4J's native code.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
public class UpdaterBenchmark {
  private static final long PARAMETERS = 784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10;

  private INDArray parameters;
  private INDArray update;
  private INDArray other;
  private INDArray result;
  private GradientUpdater<?> adam;

  @Setup
  public void setUp() {
    Nd4j.getRandom().setSeed(1);
    parameters = Nd4j.rand(DataType.FLOAT, 1, PARAMETERS);
    update = Nd4j.rand(DataType.FLOAT, 1, PARAMETERS).muli(1e-3);
    other = Nd4j.rand(DataType.FLOAT, 1, PARAMETERS).addi(1);
    result = Nd4j.create(DataType.FLOAT, 1, PARAMETERS);
    Adam config = new Adam(1e-3);
    adam = config.instantiate(Nd4j.create(DataType.FLOAT, 1, config.stateSize(PARAMETERS)), true);
  }

  /** The update of each step feeds the next: Adam's output stays near the learning rate. */
  @Benchmark
  public INDArray adamUpdate() {
    adam.applyUpdater(update, 10, 0);
    return update;
  }

  @Benchmark
  public INDArray sqrt() {
    return Nd4j.exec(new Sqrt(other, result));
  }

  @Benchmark
  public INDArray divide() {
    return Nd4j.exec(new DivOp(update, other, result))[0];
  }

  /** Alternating signs keep the parameters where they started. */
  @Benchmark
  public INDArray subtractBySubi() {
    return parameters.subi(update).addi(update);
  }

  @Benchmark
  public INDArray subtractByBlasAxpy() {
    Nd4j.getBlasWrapper().level1().axpy(PARAMETERS, -1, update, parameters);
    Nd4j.getBlasWrapper().level1().axpy(PARAMETERS, 1, update, parameters);
    return parameters;
  }
}
