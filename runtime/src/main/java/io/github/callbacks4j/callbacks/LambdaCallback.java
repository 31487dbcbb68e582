package io.github.callbacks4j.callbacks;

import io.github.callbacks4j.Callback;
import io.github.callbacks4j.Hook;
import io.github.callbacks4j.Logs;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A callback made of lambdas, one per hook, as Keras's {@code LambdaCallback}. Only the hooks given
 * are called. {@code onBatchBegin}/{@code onBatchEnd} are Keras 2's names for the training batch
 * hooks.
 *
 * <pre>{@code
 * LambdaCallback.builder()
 *     .onEpochEnd((epoch, logs) -> System.out.println(epoch + " " + logs))
 *     .onTrainEnd(logs -> System.out.println("done"))
 *     .build();
 * }</pre>
 */
public class LambdaCallback implements Callback {
  /** A hook without an index. */
  @FunctionalInterface
  public interface LogsHook {
    void call(Logs logs);
  }

  /** A hook with an epoch or batch index. */
  @FunctionalInterface
  public interface IndexedHook {
    void call(int index, Logs logs);
  }

  private final Map<Hook, Object> hooks;

  private LambdaCallback(Map<Hook, Object> hooks) {
    this.hooks = new EnumMap<>(hooks);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Set<Hook> implementedHooks() {
    return Collections.unmodifiableSet(hooks.keySet());
  }

  private void call(Hook hook, Logs logs) {
    LogsHook function = (LogsHook) hooks.get(hook);
    if (function != null) {
      function.call(logs);
    }
  }

  private void call(Hook hook, int index, Logs logs) {
    IndexedHook function = (IndexedHook) hooks.get(hook);
    if (function != null) {
      function.call(index, logs);
    }
  }

  @Override public void onTrainBegin(Logs logs) { call(Hook.TRAIN_BEGIN, logs); }
  @Override public void onTrainEnd(Logs logs) { call(Hook.TRAIN_END, logs); }
  @Override public void onEpochBegin(int epoch, Logs logs) { call(Hook.EPOCH_BEGIN, epoch, logs); }
  @Override public void onEpochEnd(int epoch, Logs logs) { call(Hook.EPOCH_END, epoch, logs); }
  @Override public void onTrainBatchBegin(int b, Logs logs) { call(Hook.TRAIN_BATCH_BEGIN, b, logs); }
  @Override public void onTrainBatchEnd(int b, Logs logs) { call(Hook.TRAIN_BATCH_END, b, logs); }
  @Override public void onTestBegin(Logs logs) { call(Hook.TEST_BEGIN, logs); }
  @Override public void onTestEnd(Logs logs) { call(Hook.TEST_END, logs); }
  @Override public void onTestBatchBegin(int b, Logs logs) { call(Hook.TEST_BATCH_BEGIN, b, logs); }
  @Override public void onTestBatchEnd(int b, Logs logs) { call(Hook.TEST_BATCH_END, b, logs); }
  @Override public void onPredictBegin(Logs logs) { call(Hook.PREDICT_BEGIN, logs); }
  @Override public void onPredictEnd(Logs logs) { call(Hook.PREDICT_END, logs); }
  @Override public void onPredictBatchBegin(int b, Logs logs) { call(Hook.PREDICT_BATCH_BEGIN, b, logs); }
  @Override public void onPredictBatchEnd(int b, Logs logs) { call(Hook.PREDICT_BATCH_END, b, logs); }

  /** One setter per hook; each may be given once. */
  public static final class Builder {
    private final Map<Hook, Object> hooks = new EnumMap<>(Hook.class);

    private Builder() {}

    private Builder set(Hook hook, Object function) {
      Objects.requireNonNull(function, hook.methodName());
      if (hooks.putIfAbsent(hook, function) != null) {
        throw new IllegalStateException(hook.methodName() + " is already set"
            + (hook == Hook.TRAIN_BATCH_BEGIN || hook == Hook.TRAIN_BATCH_END
                ? " (onBatchBegin/onBatchEnd are the same hooks as onTrainBatchBegin/End)" : ""));
      }
      return this;
    }

    public Builder onTrainBegin(LogsHook f) { return set(Hook.TRAIN_BEGIN, f); }
    public Builder onTrainEnd(LogsHook f) { return set(Hook.TRAIN_END, f); }
    public Builder onEpochBegin(IndexedHook f) { return set(Hook.EPOCH_BEGIN, f); }
    public Builder onEpochEnd(IndexedHook f) { return set(Hook.EPOCH_END, f); }
    public Builder onTrainBatchBegin(IndexedHook f) { return set(Hook.TRAIN_BATCH_BEGIN, f); }
    public Builder onTrainBatchEnd(IndexedHook f) { return set(Hook.TRAIN_BATCH_END, f); }
    /** Keras 2's name for {@link #onTrainBatchBegin}. */
    public Builder onBatchBegin(IndexedHook f) { return set(Hook.TRAIN_BATCH_BEGIN, f); }
    /** Keras 2's name for {@link #onTrainBatchEnd}. */
    public Builder onBatchEnd(IndexedHook f) { return set(Hook.TRAIN_BATCH_END, f); }
    public Builder onTestBegin(LogsHook f) { return set(Hook.TEST_BEGIN, f); }
    public Builder onTestEnd(LogsHook f) { return set(Hook.TEST_END, f); }
    public Builder onTestBatchBegin(IndexedHook f) { return set(Hook.TEST_BATCH_BEGIN, f); }
    public Builder onTestBatchEnd(IndexedHook f) { return set(Hook.TEST_BATCH_END, f); }
    public Builder onPredictBegin(LogsHook f) { return set(Hook.PREDICT_BEGIN, f); }
    public Builder onPredictEnd(LogsHook f) { return set(Hook.PREDICT_END, f); }
    public Builder onPredictBatchBegin(IndexedHook f) { return set(Hook.PREDICT_BATCH_BEGIN, f); }
    public Builder onPredictBatchEnd(IndexedHook f) { return set(Hook.PREDICT_BATCH_END, f); }

    public LambdaCallback build() {
      return new LambdaCallback(hooks);
    }
  }
}
