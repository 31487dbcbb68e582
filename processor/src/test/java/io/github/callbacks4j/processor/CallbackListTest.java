package io.github.callbacks4j.processor;

import static com.google.common.truth.Truth.assertThat;
import static io.github.callbacks4j.processor.Compiled.load;
import static io.github.callbacks4j.processor.Compiled.newInstance;
import static io.github.callbacks4j.processor.Compiled.source;

import io.github.callbacks4j.Callback;
import io.github.callbacks4j.CallbackList;
import io.github.callbacks4j.Hook;
import io.github.callbacks4j.Logs;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** CallbackList with annotated objects and hand-written callbacks mixed. */
class CallbackListTest {
  private ClassLoader loader;

  @BeforeEach
  void compile() {
    Recorder.CALLS.clear();
    loader = load(source("test.EpochHooks",
        "package test;",
        "import io.github.callbacks4j.*;",
        "import static io.github.callbacks4j.processor.Recorder.record;",
        "public class EpochHooks {",
        "  private final String name;",
        "  public EpochHooks(String name) { this.name = name; }",
        "  @OnEpochEnd void end(int epoch, Logs logs, @Metric(\"learning_rate\") double lr) {",
        "    record(name + \" \" + epoch + \" lr=\" + lr);",
        "  }",
        "}"));
  }

  /** A hand-written callback that records epoch ends and may add a log entry. */
  static final class Handwritten implements Callback {
    private final String name;

    Handwritten(String name) {
      this.name = name;
    }

    @Override
    public void onEpochEnd(int epoch, Logs logs) {
      Recorder.record(name + " " + epoch + " lr=" + logs.get("learning_rate", Double.NaN));
      logs.put("learning_rate", 0.5);
    }
  }

  @Test
  void keepsOrderAndSharesOneLogsPerHookCall() {
    CallbackList list = CallbackList.of(
        newInstance(loader, "test.EpochHooks", "first"),
        new Handwritten("second"),
        newInstance(loader, "test.EpochHooks", "third"));
    list.append(new Handwritten("fourth"));

    list.onEpochEnd(7, new Logs());
    assertThat(Recorder.CALLS)
        .containsExactly("first 7 lr=NaN", "second 7 lr=NaN", "third 7 lr=0.5", "fourth 7 lr=0.5")
        .inOrder();
    assertThat(list.callbacks()).hasSize(4);
    assertThat(list.callbacks().get(0).getClass().getName()).isEqualTo("test.EpochHooks_Callback");
  }

  /** Declares only epoch hooks; its batch hook fails the test if it is ever called. */
  static final class EpochOnlyProbe implements Callback {
    int epochEnds;

    @Override
    public java.util.Set<Hook> implementedHooks() {
      return java.util.EnumSet.of(Hook.EPOCH_END);
    }

    @Override
    public void onEpochEnd(int epoch, Logs logs) {
      epochEnds++;
    }

    @Override
    public void onTrainBatchEnd(int batch, Logs logs) {
      throw new AssertionError("a batch hook this callback does not declare was called");
    }
  }

  @Test
  void skipsBatchHooksThatNoCallbackImplementsWithoutAllocating() {
    EpochOnlyProbe probe = new EpochOnlyProbe();
    CallbackList list = CallbackList.of(newInstance(loader, "test.EpochHooks", "annotated"),
        new Handwritten("handwritten"), probe);
    assertThat(list.implementsHook(Hook.TRAIN_BATCH_END)).isFalse();
    assertThat(list.implementsHook(Hook.EPOCH_END)).isTrue();
    assertThat(list.implementedHooks()).containsExactly(Hook.EPOCH_END);

    Logs logs = new Logs();
    for (int i = 0; i < 20_000; i++) { // warm up past the JIT thresholds
      list.onTrainBatchBegin(i, logs);
      list.onTrainBatchEnd(i, logs);
    }
    long before = allocatedBytes();
    for (int i = 0; i < 1_000_000; i++) {
      list.onTrainBatchBegin(i, logs);
      list.onTrainBatchEnd(i, logs);
    }
    long allocated = allocatedBytes() - before;
    // Two million skipped hook calls: a single allocation per call would be >= 32 MB.
    assertThat(allocated).isLessThan(4096L);

    list.onEpochEnd(0, logs);
    assertThat(probe.epochEnds).isEqualTo(1);
  }

  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getThreadAllocatedBytes(Thread.currentThread().getId());
  }
}
