package io.github.callbacks4j.runtime;

import io.github.callbacks4j.Model;
import java.util.List;
import java.util.function.Supplier;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the shared Keras loop needs of a model it trains (Keras's trainer / epoch-iterator split):
 * the loop in {@link Trainer} owns the hooks, step groups, validation, running means, stop checks
 * and resume; an engine only computes batches. {@link Sequential} is one engine; a Deeplearning4j
 * network wrapped in one is another.
 *
 * <p>The loop calls the batch methods inside a workspace that is reset after each batch, so what
 * they return and allocate is valid only until the next batch: keep nothing from them.
 */
public interface TrainingEngine {
  /** The model the callbacks see; its stopTrainingRequested() ends the loop. */
  Model model();

  /** Forgets a stop request left by an earlier call; the loop calls it before onTrainBegin. */
  void clearStopRequest();

  /** The metrics logged after "loss", in log order (e.g. "accuracy"). */
  List<String> metricNames();

  /**
   * Called once a fit's epochs are done (stopped early too), just before its train-end hooks, as
   * Keras calls the optimizer's {@code finalize_variable_values}: {@link Sequential} puts its EMA
   * into the weights there. Not called when the fit fails. The default does nothing.
   */
  default void finishFit() {}

  /**
   * Which of {@link #metricNames} are stateful (Keras's AUC, Precision, Recall, F1Score): the
   * engine feeds each batch's labels and outputs to them, and the loop logs their result over the
   * batches since it last reset them instead of a mean of sums. The default: none.
   */
  default StatefulMetrics statefulMetrics() {
    return StatefulMetrics.NONE;
  }

  /** Called as each epoch starts, before its hooks (optimizer and epoch counters). */
  void startEpoch(int epoch);

  /**
   * One optimizer step: writes metricSums[i] = metric i summed over the batch's rows (order of
   * metricNames; 0 for a stateful metric, which the batch updates instead) and returns the
   * batch's mean loss before the update.
   */
  double trainBatch(INDArray features, INDArray labels, double[] metricSums);

  /** The same, without training. */
  double testBatch(INDArray features, INDArray labels, double[] metricSums);

  /** The network's output for a batch of features. */
  INDArray predictBatch(INDArray features);

  /**
   * Runs a whole {@code fit} of {@link Trainer}, inside its one-call-at-a-time guard: an engine that
   * must change its network for the run (attach a listener, say) does it here and undoes it
   * however the fit ends. The default just runs it.
   */
  default <T> T duringFit(Supplier<T> fit) {
    return fit.get();
  }

  /**
   * Checks one batch of data before any hook runs (each batch of an iterator during the pass that
   * counts it, validation arrays whole), so bad data fails naming where it is rather than training
   * into garbage. Throws an {@link IllegalArgumentException} that names {@code source} and the row.
   * The default requires finite features and labels, and labels its stateful metrics can read;
   * an engine adds its shape and label checks.
   *
   * @param source what the data is, for messages, such as "training iterator"
   * @param labels null when predicting
   * @param firstRow the row number of the batch's first row in {@code source}
   */
  default void checkBatch(String source, INDArray features, INDArray labels, long firstRow) {
    DataChecks.requireFinite(source + "'s features", features, firstRow);
    if (labels != null) {
      DataChecks.requireFinite(source + "'s labels", labels, firstRow);
      statefulMetrics().requireLabels(source + "'s labels", labels, firstRow);
    }
  }
}
