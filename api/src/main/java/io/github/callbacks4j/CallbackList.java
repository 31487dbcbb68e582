package io.github.callbacks4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Calls a list of callbacks in order, as Keras's {@code CallbackList}; for custom training loops and
 * used by the engine.
 *
 * <p>Each hook call forwards the same {@link Logs} to every callback, so what one adds (say
 * {@code learning_rate}) the ones after it see. For every hook the list keeps the array of callbacks
 * that {@linkplain Callback#implementedHooks() implement} it, worked out when a callback is added:
 * a hook nobody implements costs one empty loop and no allocation, and {@link #implementsHook} lets a
 * loop skip building that hook's logs at all. A {@code null} logs argument is passed on as an empty
 * {@link Logs}.
 */
public class CallbackList implements Callback {
  private static final Callback[] NONE = {};
  private static final Hook[] HOOKS = Hook.values();

  private final List<Callback> callbacks = new ArrayList<>();
  private final Callback[][] byHook = new Callback[HOOKS.length][];
  private final EnumSet<Hook> implemented = EnumSet.noneOf(Hook.class);

  public CallbackList() {
    Arrays.fill(byHook, NONE);
  }

  /** A list of the given callbacks, each passed through {@link Callbacks#adapt}. */
  public static CallbackList of(Object... callbacksOrAnnotatedObjects) {
    CallbackList list = new CallbackList();
    for (Object callback : callbacksOrAnnotatedObjects) {
      list.append(callback);
    }
    return list;
  }

  /** Adds a callback, or an annotated object through its adapter, at the end; returns this. */
  public CallbackList append(Object callbackOrAnnotatedObject) {
    Callback callback = Callbacks.adapt(callbackOrAnnotatedObject);
    if (callback == this) {
      throw new IllegalArgumentException("a CallbackList cannot contain itself");
    }
    callbacks.add(callback);
    for (Hook hook : callback.implementedHooks()) {
      Callback[] current = byHook[hook.ordinal()];
      Callback[] grown = Arrays.copyOf(current, current.length + 1);
      grown[current.length] = callback;
      byHook[hook.ordinal()] = grown;
      implemented.add(hook);
    }
    return this;
  }

  /** The callbacks in call order (annotated objects appear as their adapters); unmodifiable. */
  public List<Callback> callbacks() {
    return Collections.unmodifiableList(callbacks);
  }

  /** Whether any callback in the list implements {@code hook}. */
  public boolean implementsHook(Hook hook) {
    return byHook[hook.ordinal()].length > 0;
  }

  @Override
  public Set<Hook> implementedHooks() {
    return Collections.unmodifiableSet(EnumSet.copyOf(implemented));
  }

  private static Logs orEmpty(Logs logs) {
    return logs == null ? new Logs() : logs;
  }

  @Override
  public void setParams(Params params) {
    for (Callback c : callbacks) {
      c.setParams(params);
    }
  }

  @Override
  public void setModel(Model model) {
    for (Callback c : callbacks) {
      c.setModel(model);
    }
  }

  @Override
  public void onTrainBegin(Logs logs) {
    logs = orEmpty(logs);
    for (Callback c : byHook[Hook.TRAIN_BEGIN.ordinal()]) {
      c.onTrainBegin(logs);
    }
  }

  @Override
  public void onTrainEnd(Logs logs) {
    logs = orEmpty(logs);
    for (Callback c : byHook[Hook.TRAIN_END.ordinal()]) {
      c.onTrainEnd(logs);
    }
  }

  @Override
  public void onEpochBegin(int epoch, Logs logs) {
    logs = orEmpty(logs);
    for (Callback c : byHook[Hook.EPOCH_BEGIN.ordinal()]) {
      c.onEpochBegin(epoch, logs);
    }
  }

  @Override
  public void onEpochEnd(int epoch, Logs logs) {
    logs = orEmpty(logs);
    for (Callback c : byHook[Hook.EPOCH_END.ordinal()]) {
      c.onEpochEnd(epoch, logs);
    }
  }

  @Override
  public void onTrainBatchBegin(int batch, Logs logs) {
    Callback[] targets = byHook[Hook.TRAIN_BATCH_BEGIN.ordinal()];
    if (targets.length > 0) {
      logs = orEmpty(logs);
      for (Callback c : targets) {
        c.onTrainBatchBegin(batch, logs);
      }
    }
  }

  @Override
  public void onTrainBatchEnd(int batch, Logs logs) {
    Callback[] targets = byHook[Hook.TRAIN_BATCH_END.ordinal()];
    if (targets.length > 0) {
      logs = orEmpty(logs);
      for (Callback c : targets) {
        c.onTrainBatchEnd(batch, logs);
      }
    }
  }

  @Override
  public void onTestBegin(Logs logs) {
    logs = orEmpty(logs);
    for (Callback c : byHook[Hook.TEST_BEGIN.ordinal()]) {
      c.onTestBegin(logs);
    }
  }

  @Override
  public void onTestEnd(Logs logs) {
    logs = orEmpty(logs);
    for (Callback c : byHook[Hook.TEST_END.ordinal()]) {
      c.onTestEnd(logs);
    }
  }

  @Override
  public void onTestBatchBegin(int batch, Logs logs) {
    Callback[] targets = byHook[Hook.TEST_BATCH_BEGIN.ordinal()];
    if (targets.length > 0) {
      logs = orEmpty(logs);
      for (Callback c : targets) {
        c.onTestBatchBegin(batch, logs);
      }
    }
  }

  @Override
  public void onTestBatchEnd(int batch, Logs logs) {
    Callback[] targets = byHook[Hook.TEST_BATCH_END.ordinal()];
    if (targets.length > 0) {
      logs = orEmpty(logs);
      for (Callback c : targets) {
        c.onTestBatchEnd(batch, logs);
      }
    }
  }

  @Override
  public void onPredictBegin(Logs logs) {
    logs = orEmpty(logs);
    for (Callback c : byHook[Hook.PREDICT_BEGIN.ordinal()]) {
      c.onPredictBegin(logs);
    }
  }

  @Override
  public void onPredictEnd(Logs logs) {
    logs = orEmpty(logs);
    for (Callback c : byHook[Hook.PREDICT_END.ordinal()]) {
      c.onPredictEnd(logs);
    }
  }

  @Override
  public void onPredictBatchBegin(int batch, Logs logs) {
    Callback[] targets = byHook[Hook.PREDICT_BATCH_BEGIN.ordinal()];
    if (targets.length > 0) {
      logs = orEmpty(logs);
      for (Callback c : targets) {
        c.onPredictBatchBegin(batch, logs);
      }
    }
  }

  @Override
  public void onPredictBatchEnd(int batch, Logs logs) {
    Callback[] targets = byHook[Hook.PREDICT_BATCH_END.ordinal()];
    if (targets.length > 0) {
      logs = orEmpty(logs);
      for (Callback c : targets) {
        c.onPredictBatchEnd(batch, logs);
      }
    }
  }

  @Override
  public String toString() {
    return "CallbackList" + callbacks;
  }
}
