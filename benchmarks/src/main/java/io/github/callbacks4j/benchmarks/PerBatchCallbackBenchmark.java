package io.github.callbacks4j.benchmarks;

import io.github.callbacks4j.CallbackList;
import io.github.callbacks4j.Hook;
import io.github.callbacks4j.Logs;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
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
 * The callback work the training loop does per batch with the 16 callbacks of
 * {@link TrainingOverheadBenchmark}: the same statements as {@code TrainingLoop.trainEpoch} around
 * one step (ask the list, build the logs a hook needs, call). A fit epoch's noise is larger than
 * this, so it is measured alone and compared with the step time.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
public class PerBatchCallbackBenchmark {
  private CallbackList callbacks;
  private int batch;

  @Setup
  public void setUp() throws IOException {
    callbacks = CallbackList.of(TrainingOverheadBenchmark.sixteenCallbacks().toArray());
  }

  @Benchmark
  public void sixteenCallbacks() {
    int b = batch++ % 50;
    if (callbacks.implementsHook(Hook.TRAIN_BATCH_BEGIN)) {
      callbacks.onTrainBatchBegin(b, new Logs().put("size", 128));
    }
    // as RunningMeans.logs() builds them: a fresh Logs of the running means, plus size
    if (callbacks.implementsHook(Hook.TRAIN_BATCH_END)) {
      callbacks.onTrainBatchEnd(b, new Logs().put("loss", 0.4).put("accuracy", 0.8).put("size", 128));
    }
  }
}
