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
 *
 * <p>The list also checks the {@linkplain Callback#logKeys() log keys} its callbacks read: a key a
 * hook's logs do not hold is reported once per run, at the end of the first epoch in which the hook
 * ran, naming who reads it and the closest key there ({@code val_acc}: did you mean
 * {@code val_accuracy}?).
 */
public class CallbackList implements Callback {
  private static final Callback[] NONE = {};
  private static final Hook[] HOOKS = Hook.values();
  private static final Set<Hook> ALL_HOOKS = Collections.unmodifiableSet(EnumSet.allOf(Hook.class));
  private static final Set<Hook> TEST_HOOKS = Collections.unmodifiableSet(EnumSet.of(
      Hook.TEST_BEGIN, Hook.TEST_END, Hook.TEST_BATCH_BEGIN, Hook.TEST_BATCH_END));
  private static final Set<Hook> PREDICT_HOOKS = Collections.unmodifiableSet(EnumSet.of(
      Hook.PREDICT_BEGIN, Hook.PREDICT_END, Hook.PREDICT_BATCH_BEGIN, Hook.PREDICT_BATCH_END));

  private final List<Callback> callbacks = new ArrayList<>();
  private final Callback[][] byHook = new Callback[HOOKS.length][];
  private final EnumSet<Hook> implemented = EnumSet.noneOf(Hook.class);
  private final LogKeyCheck keyCheck = new LogKeyCheck();
  /** Between onEpochBegin and onEpochEnd: test hooks then are validation, part of the fit. */
  private boolean epochOpen;

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
    keyCheck.add(callback);
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
    keyCheck.declare(params.metrics());
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
    epochOpen = false;
    keyCheck.runBegins(ALL_HOOKS);
    dispatch(Hook.TRAIN_BEGIN, 0, logs);
  }

  @Override
  public void onTrainEnd(Logs logs) {
    dispatch(Hook.TRAIN_END, 0, logs);
    keyCheck.settle(ALL_HOOKS);
  }

  @Override
  public void onEpochBegin(int epoch, Logs logs) {
    epochOpen = true;
    dispatch(Hook.EPOCH_BEGIN, epoch, logs);
  }

  @Override
  public void onEpochEnd(int epoch, Logs logs) {
    dispatch(Hook.EPOCH_END, epoch, logs);
    epochOpen = false;
    keyCheck.settle(ALL_HOOKS);
  }

  @Override
  public void onTrainBatchBegin(int batch, Logs logs) {
    Callback[] targets = byHook[Hook.TRAIN_BATCH_BEGIN.ordinal()];
    if (targets.length > 0) {
      if (keyCheck.pending(Hook.TRAIN_BATCH_BEGIN)) {
        dispatch(Hook.TRAIN_BATCH_BEGIN, batch, logs);
        return;
      }
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
      if (keyCheck.pending(Hook.TRAIN_BATCH_END)) {
        dispatch(Hook.TRAIN_BATCH_END, batch, logs);
        return;
      }
      logs = orEmpty(logs);
      for (Callback c : targets) {
        c.onTrainBatchEnd(batch, logs);
      }
    }
  }

  @Override
  public void onTestBegin(Logs logs) {
    if (!epochOpen) { // an evaluate of its own, not validation inside an epoch
      keyCheck.runBegins(TEST_HOOKS);
    }
    dispatch(Hook.TEST_BEGIN, 0, logs);
  }

  @Override
  public void onTestEnd(Logs logs) {
    dispatch(Hook.TEST_END, 0, logs);
    if (!epochOpen) {
      keyCheck.settle(TEST_HOOKS);
    }
  }

  @Override
  public void onTestBatchBegin(int batch, Logs logs) {
    Callback[] targets = byHook[Hook.TEST_BATCH_BEGIN.ordinal()];
    if (targets.length > 0) {
      if (keyCheck.pending(Hook.TEST_BATCH_BEGIN)) {
        dispatch(Hook.TEST_BATCH_BEGIN, batch, logs);
        return;
      }
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
      if (keyCheck.pending(Hook.TEST_BATCH_END)) {
        dispatch(Hook.TEST_BATCH_END, batch, logs);
        return;
      }
      logs = orEmpty(logs);
      for (Callback c : targets) {
        c.onTestBatchEnd(batch, logs);
      }
    }
  }

  @Override
  public void onPredictBegin(Logs logs) {
    if (!epochOpen) {
      keyCheck.runBegins(PREDICT_HOOKS);
    }
    dispatch(Hook.PREDICT_BEGIN, 0, logs);
  }

  @Override
  public void onPredictEnd(Logs logs) {
    dispatch(Hook.PREDICT_END, 0, logs);
    if (!epochOpen) {
      keyCheck.settle(PREDICT_HOOKS);
    }
  }

  @Override
  public void onPredictBatchBegin(int batch, Logs logs) {
    Callback[] targets = byHook[Hook.PREDICT_BATCH_BEGIN.ordinal()];
    if (targets.length > 0) {
      if (keyCheck.pending(Hook.PREDICT_BATCH_BEGIN)) {
        dispatch(Hook.PREDICT_BATCH_BEGIN, batch, logs);
        return;
      }
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
      if (keyCheck.pending(Hook.PREDICT_BATCH_END)) {
        dispatch(Hook.PREDICT_BATCH_END, batch, logs);
        return;
      }
      logs = orEmpty(logs);
      for (Callback c : targets) {
        c.onPredictBatchEnd(batch, logs);
      }
    }
  }

  /**
   * The general path: every hook outside the batch loop, and batch hooks while their log keys are
   * still being checked.
   */
  private void dispatch(Hook hook, int index, Logs logs) {
    logs = orEmpty(logs);
    boolean checking = keyCheck.pending(hook);
    for (Callback c : byHook[hook.ordinal()]) {
      if (checking) {
        keyCheck.before(hook, c, logs);
      }
      hook.call(c, index, logs);
    }
  }

  @Override
  public String toString() {
    return "CallbackList" + callbacks;
  }
}
