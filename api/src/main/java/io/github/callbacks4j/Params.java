package io.github.callbacks4j;

import java.util.List;
import java.util.OptionalInt;

/** The run's parameters, as Keras's {@code callback.params}: what a progress bar or scheduler needs. */
public interface Params {
  /** The epoch to stop before (Keras's {@code epochs}), counting from 0. */
  int epochs();

  /** Batches per epoch (Keras's {@code steps}). */
  int steps();

  /** 0 silent, 1 progress bar, 2 one line per epoch. */
  int verbose();

  /** Samples per batch (Keras 2's {@code batch_size}), when the engine knows it. */
  default OptionalInt batchSize() {
    return OptionalInt.empty();
  }

  /** Training samples per epoch (Keras 2's {@code samples}), when the engine knows it. */
  default OptionalInt samples() {
    return OptionalInt.empty();
  }

  /**
   * The metric keys the run logs, in the engine's order (Keras 2's {@code metrics}): {@code loss},
   * the compiled metrics, then {@code val_loss} and the {@code val_} metrics when validating. A
   * progress bar prints them in this order; empty when the engine does not say.
   */
  default List<String> metrics() {
    return List.of();
  }

  static Params of(int epochs, int steps, int verbose) {
    return new SimpleParams(epochs, steps, verbose, OptionalInt.empty(), OptionalInt.empty(),
        List.of());
  }

  static Params of(int epochs, int steps, int verbose, int batchSize, int samples) {
    return of(epochs, steps, verbose, batchSize, samples, List.of());
  }

  static Params of(int epochs, int steps, int verbose, int batchSize, int samples,
      List<String> metrics) {
    return new SimpleParams(epochs, steps, verbose, OptionalInt.of(batchSize),
        OptionalInt.of(samples), List.copyOf(metrics));
  }
}
