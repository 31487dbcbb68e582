package io.github.callbacks4j;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** What a callback may do to the model being trained. Any method added later is a default. */
public interface Model {
  /** Asks the loop to stop after the current batch's hooks (Keras: {@code model.stop_training = True}). */
  void stopTraining();

  boolean stopTrainingRequested();

  double learningRate();

  /**
   * Takes effect from the next batch.
   *
   * @throws IllegalStateException when the rate follows a schedule ({@link
   *     #hasLearningRateSchedule()}), which a fixed rate would silently replace
   */
  void setLearningRate(double learningRate);

  /**
   * The optimizer steps taken so far (Keras's {@code optimizer.iterations}): it goes on across
   * fits and comes back with a restored state. Empty when the model does not count them.
   */
  default OptionalLong iterations() {
    return OptionalLong.empty();
  }

  /**
   * Whether the learning rate follows a schedule; callbacks that set the rate (ReduceLROnPlateau,
   * LearningRateScheduler) then refuse to start, as Keras refuses a {@code LearningRateSchedule}.
   */
  default boolean hasLearningRateSchedule() {
    return false;
  }

  /** A copy of the weights and optimizer state that later training does not change. */
  ModelState snapshot();

  /** Puts back what {@link #snapshot()} returned for this model. */
  void restore(ModelState state);

  /** Writes the whole model (architecture, weights, optimizer state), loadable again. */
  void save(Path file) throws IOException;

  /** Writes the weights only. */
  void saveWeights(Path file) throws IOException;

  /**
   * Replaces this model's weights and optimizer state with those of a file {@link #save} wrote for
   * a model of the same architecture (used to resume training from a backup).
   *
   * @throws UnsupportedOperationException when the model cannot load its state from a file
   */
  default void loadState(Path file) throws IOException {
    throw new UnsupportedOperationException(getClass().getName() + " cannot load its state from "
        + file + "; implement Model.loadState to resume from backups");
  }

  /**
   * A copy of each weight array, flattened, by name (e.g. {@code dense_0/kernel}), in layer order;
   * for weight histograms. Empty when the model does not expose its weights.
   */
  default Map<String, float[]> weights() {
    return Map.of();
  }

  /**
   * The shape of each array in {@link #weights()}, by the same names (a Dense kernel is
   * {@code [inputs, units]}); TensorBoard needs it to draw a weight as an image. Empty when the
   * model does not expose its weights.
   */
  default Map<String, int[]> weightShapes() {
    return Map.of();
  }

  /**
   * The layers from input to output when the model is a stack of fully connected layers, for
   * TensorBoard's graph; empty when it is not (or does not say), and then no graph is written.
   */
  default List<DenseLayerDescription> denseLayers() {
    return List.of();
  }

  /**
   * Which way {@code metric} improves (a logged name without {@code val_}, such as
   * {@code "accuracy"}), when this model's engine computes it and so knows; empty otherwise.
   * Monitors in mode AUTO ask this before falling back to guessing from the name, as Keras 3 asks
   * the compiled metric.
   */
  default Optional<MetricDirection> metricDirection(String metric) {
    return Optional.empty();
  }

  /**
   * Whether the model keeps an exponential moving average (EMA) of its weights, as a Keras
   * optimizer with {@code use_ema=True} does; {@link #swapEmaWeights} needs one.
   */
  default boolean hasEma() {
    return false;
  }

  /**
   * Puts the EMA weights into the model ({@code true}) or its own training weights back
   * ({@code false}), in place: the EMA and the weights trade values, as Keras's
   * {@code SwapEMAWeights} swaps them. Nothing happens when the model already holds the ones asked
   * for, so a callback may call it at every hook without keeping count.
   *
   * @throws UnsupportedOperationException when the model keeps no EMA ({@link #hasEma()})
   */
  default void swapEmaWeights(boolean emaInModel) {
    throw new UnsupportedOperationException(getClass().getName() + " keeps no exponential moving"
        + " average of its weights to swap in; implement Model.hasEma and Model.swapEmaWeights");
  }
}
