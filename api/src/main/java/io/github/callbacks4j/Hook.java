package io.github.callbacks4j;

import java.lang.annotation.Annotation;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/** The fourteen Keras callback hooks, each with its annotation and its {@link Callback} method. */
public enum Hook {
  TRAIN_BEGIN(OnTrainBegin.class, "onTrainBegin", Index.NONE),
  TRAIN_END(OnTrainEnd.class, "onTrainEnd", Index.NONE),
  EPOCH_BEGIN(OnEpochBegin.class, "onEpochBegin", Index.EPOCH),
  EPOCH_END(OnEpochEnd.class, "onEpochEnd", Index.EPOCH),
  TRAIN_BATCH_BEGIN(OnTrainBatchBegin.class, "onTrainBatchBegin", Index.BATCH),
  TRAIN_BATCH_END(OnTrainBatchEnd.class, "onTrainBatchEnd", Index.BATCH),
  TEST_BEGIN(OnTestBegin.class, "onTestBegin", Index.NONE),
  TEST_END(OnTestEnd.class, "onTestEnd", Index.NONE),
  TEST_BATCH_BEGIN(OnTestBatchBegin.class, "onTestBatchBegin", Index.BATCH),
  TEST_BATCH_END(OnTestBatchEnd.class, "onTestBatchEnd", Index.BATCH),
  PREDICT_BEGIN(OnPredictBegin.class, "onPredictBegin", Index.NONE),
  PREDICT_END(OnPredictEnd.class, "onPredictEnd", Index.NONE),
  PREDICT_BATCH_BEGIN(OnPredictBatchBegin.class, "onPredictBatchBegin", Index.BATCH),
  PREDICT_BATCH_END(OnPredictBatchEnd.class, "onPredictBatchEnd", Index.BATCH);

  /** What the {@code int} argument of a hook counts, if it has one. */
  public enum Index {
    /** The hook takes no index: only {@code Logs}. */
    NONE,
    /** The 0-based epoch. */
    EPOCH,
    /** The 0-based batch within the epoch (or within evaluate/predict). */
    BATCH
  }

  private final Class<? extends Annotation> annotation;
  private final String methodName;
  private final Index index;

  Hook(Class<? extends Annotation> annotation, String methodName, Index index) {
    this.annotation = annotation;
    this.methodName = methodName;
    this.index = index;
  }

  /** The annotation that marks a method for this hook, e.g. {@link OnEpochEnd}. */
  public Class<? extends Annotation> annotation() {
    return annotation;
  }

  /** The {@link Callback} method of this hook, e.g. {@code "onEpochEnd"}. */
  public String methodName() {
    return methodName;
  }

  /** What this hook's {@code int} argument counts; {@link Index#NONE} when it has none. */
  public Index index() {
    return index;
  }

  /** True for the six per-batch hooks, which run on the hot path. */
  public boolean isBatchHook() {
    return index == Index.BATCH;
  }

  /**
   * An unmodifiable set of hooks, for {@link Callback#implementedHooks()}. Generated adapters use
   * it: a plain varargs method is cheaper for javac than inferring EnumSet's generics each time.
   */
  public static Set<Hook> setOf(Hook... hooks) {
    EnumSet<Hook> set = EnumSet.noneOf(Hook.class);
    Collections.addAll(set, hooks);
    return Collections.unmodifiableSet(set);
  }

  /** Calls this hook's method on {@code callback}; {@code index} is ignored by hooks without one. */
  void call(Callback callback, int index, Logs logs) {
    switch (this) {
      case TRAIN_BEGIN -> callback.onTrainBegin(logs);
      case TRAIN_END -> callback.onTrainEnd(logs);
      case EPOCH_BEGIN -> callback.onEpochBegin(index, logs);
      case EPOCH_END -> callback.onEpochEnd(index, logs);
      case TRAIN_BATCH_BEGIN -> callback.onTrainBatchBegin(index, logs);
      case TRAIN_BATCH_END -> callback.onTrainBatchEnd(index, logs);
      case TEST_BEGIN -> callback.onTestBegin(logs);
      case TEST_END -> callback.onTestEnd(logs);
      case TEST_BATCH_BEGIN -> callback.onTestBatchBegin(index, logs);
      case TEST_BATCH_END -> callback.onTestBatchEnd(index, logs);
      case PREDICT_BEGIN -> callback.onPredictBegin(logs);
      case PREDICT_END -> callback.onPredictEnd(logs);
      case PREDICT_BATCH_BEGIN -> callback.onPredictBatchBegin(index, logs);
      case PREDICT_BATCH_END -> callback.onPredictBatchEnd(index, logs);
    }
  }

  /** The {@link Callback} method's parameter types: {@code (int, Logs)} or {@code (Logs)}. */
  Class<?>[] parameterTypes() {
    return index == Index.NONE ? new Class<?>[] {Logs.class} : new Class<?>[] {int.class, Logs.class};
  }
}
