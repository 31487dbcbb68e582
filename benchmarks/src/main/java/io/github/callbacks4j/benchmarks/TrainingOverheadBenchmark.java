package io.github.callbacks4j.benchmarks;

import io.github.callbacks4j.callbacks.CSVLogger;
import io.github.callbacks4j.callbacks.EarlyStopping;
import io.github.callbacks4j.callbacks.LambdaCallback;
import io.github.callbacks4j.callbacks.LearningRateScheduler;
import io.github.callbacks4j.callbacks.ReduceLROnPlateau;
import io.github.callbacks4j.callbacks.TensorBoard;
import io.github.callbacks4j.callbacks.TerminateOnNaN;
import io.github.callbacks4j.callbacks.Timer;
import io.github.callbacks4j.runtime.Datasets;
import io.github.callbacks4j.runtime.FitOptions;
import io.github.callbacks4j.runtime.Sequential;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A {@code fit} epoch of 50 batches of the reference MLP (784-256-128-10, Adam, batch 128, on
 * Fashion-MNIST) alone and with 16 callbacks: 8 annotated objects (two with a batch hook) and 8
 * built-ins (one with a batch hook). Per-batch overhead = the difference / 50.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 8, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
public class TrainingOverheadBenchmark {
  static final int BATCH = 128;
  static final int STEPS = 50;

  @Param({"0", "16"})
  int callbacks;

  private Sequential model;
  private INDArray x;
  private INDArray y;
  private FitOptions options;

  @Setup
  public void setUp() throws IOException {
    Datasets.LabeledData data = Datasets.mnist(
        Path.of(System.getProperty("callbacks4j.data", "../shared/datasets/fashion-mnist")), true)
        .rows(0, (long) BATCH * STEPS);
    x = data.x().dup();
    y = data.y().dup();
    model = ReferenceModel.build(1, "accuracy");
    options = FitOptions.builder().epochs(1).batchSize(BATCH).shuffle(false).verbose(0)
        .callbacks(callbacks == 16 ? sixteenCallbacks().toArray() : new Object[0]).build();
  }

  /** 8 annotated objects (two with a batch hook) and 8 built-ins (one with a batch hook). */
  static List<Object> sixteenCallbacks() throws IOException {
    List<Object> list = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      list.add(new Hooks.EpochOnly());
    }
    list.add(new Hooks.Counting());
    list.add(new Hooks.WithMetric());
    Path dir = Files.createTempDirectory("callbacks4j-bench");
    list.add(EarlyStopping.builder().monitor("loss").patience(1_000).build());
    list.add(ReduceLROnPlateau.builder().monitor("loss").patience(1_000).build());
    list.add(CSVLogger.builder(dir.resolve("log.csv")).build());
    list.add(new TerminateOnNaN());
    list.add(LearningRateScheduler.builder((epoch, lr) -> lr).build());
    list.add(LambdaCallback.builder().onEpochEnd((epoch, logs) -> { }).build());
    list.add(Timer.builder(Duration.ofDays(1)).interval(Timer.Interval.EPOCH).build());
    list.add(TensorBoard.builder(dir.resolve("tb")).build());
    return list;
  }

  @Benchmark
  public double fitEpoch() {
    return model.fit(x, y, options).history().get("loss").get(0);
  }
}
