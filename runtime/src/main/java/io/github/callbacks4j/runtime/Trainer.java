package io.github.callbacks4j.runtime;

import io.github.callbacks4j.Logs;
import io.github.callbacks4j.Model;
import io.github.callbacks4j.callbacks.History;
import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * The shared loop's public entry for engines in other modules: Keras's fit, evaluate and predict,
 * with every hook, step group, validation pass, running mean, stop check and resume, over any
 * {@link TrainingEngine}. {@link Sequential}'s own fit, evaluate and predict run the same loop.
 *
 * <p>Each method checks its arguments and every batch of its data ({@link
 * TrainingEngine#checkBatch}) before any hook runs, and runs one call per model at a time: a
 * second one, from a callback or another thread, fails at once with an {@link
 * IllegalStateException}.
 */
public final class Trainer {
  private Trainer() {}

  /**
   * Trains {@code engine} on the batches of {@code train}, which decides their order (Keras ignores
   * {@code shuffle} for generators too). Validation comes from {@code options}' validationData;
   * validationSplit needs in-memory arrays, which only an engine's own fit can split.
   */
  public static History fit(TrainingEngine engine, DataSetIterator train, FitOptions options) {
    Model model = modelOf(engine);
    Objects.requireNonNull(options, "options");
    return OneCallAtATime.run(model, "fit", () -> {
      if (options.validationSplit() > 0) {
        throw new IllegalArgumentException("validationSplit needs in-memory arrays; with an"
            + " iterator pass validationData(...) instead");
      }
      BatchSource batches = IteratorBatches.checked(engine, "training iterator", train, true);
      BatchSource validation = validation(engine, options);
      return engine.duringFit(() -> TrainingLoop.fit(engine, batches, validation, options));
    });
  }

  /**
   * Trains {@code engine} on steps that are not this machine's batches, such as the averaging
   * rounds of data-parallel training: the same hooks, running means, stop checks and resume, with
   * one batch hook pair per step and {@code Params.steps()} the steps per epoch. {@code
   * validation} (null for none) is run as the test pass after each epoch; {@code options}'
   * validationData and validationSplit are the caller's to turn into it and are not read here.
   * The caller checks its data.
   */
  public static History fit(TrainingEngine engine, StepSource train, StepSource validation,
      FitOptions options) {
    Model model = modelOf(engine);
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(options, "options");
    if (train.steps() == 0) {
      throw new IllegalArgumentException("the training steps are empty: " + train
          + " has no steps per epoch");
    }
    return OneCallAtATime.run(model, "fit",
        () -> engine.duringFit(() -> TrainingLoop.fit(engine, train, validation, options)));
  }

  /** Loss and metrics over {@code data}, through the test hooks. */
  public static Logs evaluate(TrainingEngine engine, DataSetIterator data,
      EvaluateOptions options) {
    Model model = modelOf(engine);
    Objects.requireNonNull(options, "options");
    return OneCallAtATime.run(model, "evaluate", () -> TrainingLoop.evaluate(engine,
        IteratorBatches.checked(engine, "iterator", data, true), options));
  }

  /**
   * The engine's output for every sample of {@code features} (labels, if any, are ignored),
   * through the predict hooks; shaped as the first batch's output, with one row per sample.
   */
  public static INDArray predict(TrainingEngine engine, DataSetIterator features,
      PredictOptions options) {
    Model model = modelOf(engine);
    Objects.requireNonNull(options, "options");
    return OneCallAtATime.run(model, "predict", () -> TrainingLoop.predict(engine,
        IteratorBatches.checked(engine, "iterator", features, false), options));
  }

  private static Model modelOf(TrainingEngine engine) {
    Objects.requireNonNull(engine, "engine");
    return Objects.requireNonNull(engine.model(),
        () -> engine.getClass().getName() + ".model() returned null; an engine needs a Model");
  }

  private static BatchSource validation(TrainingEngine engine, FitOptions options) {
    if (options.validationIterator() != null) {
      return IteratorBatches.checked(engine, "validation iterator", options.validationIterator(),
          true);
    }
    INDArray x = options.validationX();
    if (x == null) {
      return null;
    }
    INDArray y = options.validationY();
    if (x.rank() < 2 || y.rank() < 2) {
      throw new IllegalArgumentException("validation data needs one sample per row (rank 2 or"
          + " more), got features of shape " + Arrays.toString(x.shape()) + " and labels of shape "
          + Arrays.toString(y.shape()));
    }
    if (x.size(0) == 0) {
      throw new IllegalArgumentException("the validation data is empty: it has no samples");
    }
    if (x.size(0) != y.size(0)) {
      throw new IllegalArgumentException("the validation labels have " + y.size(0) + " rows but"
          + " the features have " + x.size(0) + ": every sample needs one label row");
    }
    engine.checkBatch("the validation data", x, y, 0);
    return new ArrayBatches(x, y, options.validationBatchSize());
  }
}
