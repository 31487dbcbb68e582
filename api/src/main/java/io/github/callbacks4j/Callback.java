package io.github.callbacks4j;

import java.util.List;
import java.util.Set;

/**
 * A training callback, as Keras's {@code keras.callbacks.Callback}. Every method has a no-op default,
 * so an implementation overrides only the hooks it needs.
 *
 * <p>Epochs and batches are 0-based. Each hook call receives a {@link Logs} that is shared by every
 * callback of that call (what one adds, later ones see) and fresh for the next call, so a callback
 * may keep a reference to it.
 */
public interface Callback {
  default void setParams(Params params) {}

  default void setModel(Model model) {}

  default void onTrainBegin(Logs logs) {}

  default void onTrainEnd(Logs logs) {}

  default void onEpochBegin(int epoch, Logs logs) {}

  default void onEpochEnd(int epoch, Logs logs) {}

  default void onTrainBatchBegin(int batch, Logs logs) {}

  default void onTrainBatchEnd(int batch, Logs logs) {}

  default void onTestBegin(Logs logs) {}

  default void onTestEnd(Logs logs) {}

  default void onTestBatchBegin(int batch, Logs logs) {}

  default void onTestBatchEnd(int batch, Logs logs) {}

  default void onPredictBegin(Logs logs) {}

  default void onPredictEnd(Logs logs) {}

  default void onPredictBatchBegin(int batch, Logs logs) {}

  default void onPredictBatchEnd(int batch, Logs logs) {}

  /**
   * The hooks this callback needs to be called on; {@link CallbackList} and the training loop skip
   * the others entirely (Keras 2's {@code _implements_train_batch_hooks}).
   *
   * <p>The default answers once per class which hook methods the class overrides. Generated adapters
   * return the hooks their annotations declare; a callback whose needs depend on its configuration
   * (a checkpoint saving every N batches, say) may narrow the set. The answer must not change once
   * the callback is in a {@link CallbackList}.
   */
  default Set<Hook> implementedHooks() {
    return OverriddenHooks.of(getClass());
  }

  /**
   * The log keys this callback reads and on which hooks, so that {@link CallbackList} can report a
   * key that is never logged (a misspelt {@code @Metric("val_acc")}, say) instead of passing NaN in
   * silence. Generated adapters list their {@code @Metric} parameters; built-ins their monitor.
   */
  default List<LogKey> logKeys() {
    return List.of();
  }
}
