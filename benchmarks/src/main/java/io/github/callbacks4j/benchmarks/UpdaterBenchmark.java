package io.github.callbacks4j.benchmarks;

import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.floating.Sqrt;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.DivOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.AdaMax;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.RmsProp;
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
 * (one op over the flat buffers, as the engine calls it); as controls, ND4J's AdaMax, which keeps
 * the same two moments but takes no square root, and RmsProp, one moment and a square root; ND4J's
 * element-wise {@code sqrt} and {@code div} over as many values; and the update subtracted by
 * ND4J's {@code subi} and by BLAS's {@code axpy} (through ND4J's BLAS wrapper).
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
  private INDArray divisor;
  private INDArray result;
  private GradientUpdater<?> adam;
  private GradientUpdater<?> adaMax;
  private GradientUpdater<?> rmsProp;

  @Setup
  public void setUp() {
    Nd4j.getRandom().setSeed(1);
    parameters = Nd4j.rand(DataType.FLOAT, 1, PARAMETERS);
    update = Nd4j.rand(DataType.FLOAT, 1, PARAMETERS).muli(1e-3);
    divisor = Nd4j.rand(DataType.FLOAT, 1, PARAMETERS).addi(1);
    result = Nd4j.create(DataType.FLOAT, 1, PARAMETERS);
    adam = updater(new Adam(1e-3));
    adaMax = updater(new AdaMax(1e-3));
    rmsProp = updater(new RmsProp(1e-3));
  }

  private static GradientUpdater<?> updater(IUpdater config) {
    return config.instantiate(Nd4j.create(DataType.FLOAT, 1, config.stateSize(PARAMETERS)), true);
  }

  /** The update of each call feeds the next: the output stays near the learning rate. */
  @Benchmark
  public INDArray adamUpdate() {
    adam.applyUpdater(update, 10, 0);
    return update;
  }

  @Benchmark
  public INDArray adaMaxUpdate() {
    adaMax.applyUpdater(update, 10, 0);
    return update;
  }

  @Benchmark
  public INDArray rmsPropUpdate() {
    rmsProp.applyUpdater(update, 10, 0);
    return update;
  }

  @Benchmark
  public INDArray sqrt() {
    return Nd4j.exec(new Sqrt(divisor, result));
  }

  @Benchmark
  public INDArray divide() {
    return Nd4j.exec(new DivOp(update, divisor, result))[0];
  }

  /** The parameters drift by about 1e-3 a call: far from overflow in any run's calls. */
  @Benchmark
  public INDArray subtractBySubi() {
    return parameters.subi(update);
  }

  @Benchmark
  public INDArray subtractByBlasAxpy() {
    Nd4j.getBlasWrapper().level1().axpy(PARAMETERS, -1, update, parameters);
    return parameters;
  }
}
