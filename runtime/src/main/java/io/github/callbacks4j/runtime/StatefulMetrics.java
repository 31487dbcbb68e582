package io.github.callbacks4j.runtime;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An engine's stateful metrics, Keras's {@code "auc"}, {@code "precision"}, {@code "recall"} and
 * {@code "f1_score"}: each accumulates the predictions and labels of every batch since the last
 * {@link #reset} and logs its result over all of them, exact over the epoch, where the other
 * metrics log a sample-weighted mean of per-batch sums. The shared loop resets them as each epoch
 * and each evaluation begins, and reads {@link #result} for their logs; an engine feeds every batch
 * to {@link #update}. Indexed as the engine's metric names. Not thread-safe.
 *
 * <p>The counts and the AUC are computed here from the batch's values, not by ND4J's evaluation
 * classes: those cost 1.3 to 1.8 ms per batch of 32 x 10 (more than a training step of a small
 * MLP), and ND4J's exact ROC credits tied outputs by their order and took 26 s to build the curve
 * of 320,000 outputs. The tests check these counts against ND4J's {@code EvaluationBinary} and
 * {@code Evaluation}.
 */
public final class StatefulMetrics {
  private static final Map<String, StatefulMetric.Kind> KINDS = Map.of(
      "auc", StatefulMetric.Kind.AUC,
      "precision", StatefulMetric.Kind.PRECISION,
      "recall", StatefulMetric.Kind.RECALL,
      "f1_score", StatefulMetric.Kind.F1_SCORE);

  /** The names this class computes, in the order the README lists them. */
  public static final List<String> NAMES = List.of("auc", "precision", "recall", "f1_score");

  /** An engine without stateful metrics. */
  public static final StatefulMetrics NONE =
      new StatefulMetrics(new StatefulMetric[0], false, null);

  private final StatefulMetric[] metrics;
  private final boolean any;
  /** The 0.5-threshold counts precision, recall and a single unit's F1 share; null if none. */
  private final ThresholdDecisions decisions;

  private StatefulMetrics(StatefulMetric[] metrics, boolean any, ThresholdDecisions decisions) {
    this.metrics = metrics;
    this.any = any;
    this.decisions = decisions;
  }

  /** Whether {@code name} is one of {@link #NAMES}; all of them improve upwards. */
  public static boolean isStateful(String name) {
    return KINDS.containsKey(name);
  }

  /**
   * The stateful ones among {@code metricNames}, for a model whose output layer has {@code
   * outputUnits} units: one unit is a binary output, more are one-hot classes.
   *
   * @param probabilities whether the output layer gives probabilities (sigmoid or softmax): the
   *     metrics threshold and rank them, so any other output is refused
   * @param output the output layer, for the message that refuses it
   */
  public static StatefulMetrics of(List<String> metricNames, long outputUnits,
      boolean probabilities, String output) {
    StatefulMetric[] metrics = new StatefulMetric[metricNames.size()];
    int units = Math.toIntExact(outputUnits);
    ThresholdDecisions decisions = null;
    boolean any = false;
    for (int i = 0; i < metrics.length; i++) {
      StatefulMetric.Kind kind = KINDS.get(metricNames.get(i));
      if (kind == null) {
        continue;
      }
      if (!probabilities) {
        throw new IllegalArgumentException("metric '" + metricNames.get(i) + "' needs class"
            + " probabilities, but the output layer is " + output + ": give it a sigmoid"
            + " activation (binary or multi-label outputs) or softmax (one-hot classes), or drop"
            + " the metric for a regression output");
      }
      if (StatefulMetric.readsDecisions(kind, units) && decisions == null) {
        decisions = new ThresholdDecisions();
      }
      metrics[i] = new StatefulMetric(kind, units, decisions);
      any = true;
    }
    return any ? new StatefulMetrics(metrics, true, decisions) : NONE;
  }

  /** Whether metric {@code index} (of the engine's metric names) is stateful. */
  public boolean isStateful(int index) {
    return any && metrics[index] != null;
  }

  /** Forgets every batch: the loop calls it as an epoch or an evaluation begins. */
  public void reset() {
    if (decisions != null) {
      decisions.reset();
    }
    for (StatefulMetric metric : metrics) {
      if (metric != null) {
        metric.reset();
      }
    }
  }

  /**
   * Adds a batch's labels and outputs (samples x outputs) to every stateful metric, which keep
   * counts or copies of the values, nothing of the arrays.
   *
   * @throws IllegalArgumentException when a label is neither 0 nor 1, or the outputs are not 2-d
   */
  public void update(INDArray labels, INDArray predictions) {
    if (!any) {
      return;
    }
    if (labels.rank() != 2) {
      throw new IllegalArgumentException("auc, precision, recall and f1_score need outputs of"
          + " samples x classes, got labels of shape " + Arrays.toString(labels.shape())
          + "; drop them for sequence or image outputs");
    }
    float[] labelValues = rowOrder(labels);
    float[] outputValues = rowOrder(predictions);
    requireBinary(labelValues, labels.columns());
    if (decisions != null) {
      decisions.update(labelValues, outputValues);
    }
    for (StatefulMetric metric : metrics) {
      if (metric != null) {
        metric.update(labelValues, outputValues);
      }
    }
  }

  /** The values in row order, whatever the array's layout and type. */
  private static float[] rowOrder(INDArray array) {
    return array.castTo(DataType.FLOAT).dup('c').reshape(array.length()).toFloatVector();
  }

  /** Keras's confusion metrics read a label as a class; anything but 0 and 1 is a misuse here. */
  private static void requireBinary(float[] values, long columns) {
    for (int i = 0; i < values.length; i++) {
      if (values[i] != 0 && values[i] != 1) {
        throw new IllegalArgumentException("label " + values[i] + " in row " + (i / columns)
            + " of the batch is neither 0 nor 1: auc, precision, recall and f1_score need binary"
            + " or one-hot class labels; drop them for regression targets");
      }
    }
  }

  /** Metric {@code index}'s result over every batch since the last {@link #reset}. */
  public double result(int index) {
    return metrics[index].result();
  }
}
