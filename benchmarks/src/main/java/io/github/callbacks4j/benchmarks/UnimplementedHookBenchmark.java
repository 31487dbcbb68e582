package io.github.callbacks4j.benchmarks;

import io.github.callbacks4j.Callback;
import io.github.callbacks4j.CallbackList;
import io.github.callbacks4j.Hook;
import io.github.callbacks4j.Logs;
import java.util.concurrent.TimeUnit;
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
 * Both training-batch hooks of a batch, when no callback implements them (they only watch epochs):
 * the loop's way (ask the list, skip building logs and calling) against a Keras-style list that
 * builds the logs and calls every hook on every callback.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class UnimplementedHookBenchmark {
  @Param({"8", "32"})
  int callbacks;

  private CallbackList list;
  private Hooks.CallEveryone everyone;
  private int batch;

  @Setup
  public void setUp() {
    list = new CallbackList();
    for (int i = 0; i < callbacks; i++) {
      list.append(new Hooks.EpochOnly());
    }
    everyone = new Hooks.CallEveryone(list.callbacks().toArray(Callback[]::new));
  }

  @Benchmark
  public void skippedByCallbackList() {
    int b = batch++;
    if (list.implementsHook(Hook.TRAIN_BATCH_BEGIN)) {
      list.onTrainBatchBegin(b, new Logs().put("size", 128));
    }
    if (list.implementsHook(Hook.TRAIN_BATCH_END)) {
      list.onTrainBatchEnd(b, Logs.of("loss", 0.4, "size", 128));
    }
  }

  @Benchmark
  public void kerasStyleCallEveryone() {
    int b = batch++;
    everyone.onTrainBatchBegin(b, new Logs().put("size", 128));
    everyone.onTrainBatchEnd(b, Logs.of("loss", 0.4, "size", 128));
  }
}
