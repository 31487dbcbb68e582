package io.github.callbacks4j.benchmarks;

import io.github.callbacks4j.runtime.Datasets;
import io.github.callbacks4j.runtime.FitOptions;
import io.github.callbacks4j.runtime.Sequential;
import java.io.IOException;
import java.nio.file.Path;
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
 * What Keras's stateful metrics cost in place: a {@code fit} epoch of the reference MLP (as
 * {@link TrainingOverheadBenchmark}) compiled with {@code accuracy} alone and with stateful
 * metrics added. Every run has {@code accuracy}, so the output pass is paid in all of them and
 * the difference / 50 is the stateful metrics' own cost per batch.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
public class StatefulMetricsBenchmark {
  @Param({"accuracy", "accuracy,auc", "accuracy,precision,recall", "accuracy,f1_score",
      "accuracy,auc,precision,recall,f1_score"})
  String metrics;

  private Sequential model;
  private INDArray x;
  private INDArray y;
  private FitOptions options;

  @Setup
  public void setUp() throws IOException {
    int batch = TrainingOverheadBenchmark.BATCH;
    Datasets.LabeledData data = Datasets.mnist(
        Path.of(System.getProperty("callbacks4j.data", "../shared/datasets/fashion-mnist")), true)
        .rows(0, (long) batch * TrainingOverheadBenchmark.STEPS);
    x = data.x().dup();
    y = data.y().dup();
    model = ReferenceModel.build(1, metrics.split(","));
    options = FitOptions.builder().epochs(1).batchSize(batch).shuffle(false).verbose(0).build();
  }

  @Benchmark
  public double fitEpoch() {
    return model.fit(x, y, options).history().get("loss").get(0);
  }
}
