package io.github.callbacks4j.runtime;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nd4j.evaluation.classification.EvaluationBinary;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.comparison.CompareAndSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.factory.ops.NDBase;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * An engine's stateful metrics, Keras's {@code "auc"}, {@code "precision"}, {@code "recall"} and
 * {@code "f1_score"}: each accumulates every batch since the last {@link #reset} and logs its
 * result over all of them (over every batch of the epoch, not a mean of batch values), where the
 * other metrics log a sample-weighted mean of per-batch sums. The shared loop resets them as each epoch and each evaluation begins,
 * and reads {@link #result} for their logs; an engine checks labels with {@link #requireLabels}
 * before any hook and feeds every batch to {@link #update}. Indexed as the engine's metric names.
 * Not thread-safe.
 *
 * <ul>
 *   <li>{@code precision}, {@code recall}: Keras's {@code Precision()}, {@code Recall()}: every
 *       output entry above 0.5 is a positive decision (micro over all entries, as Keras flattens
 *       them), counted by ND4J's {@link EvaluationBinary}; 0 when undefined (divide_no_nan).
 *   <li>{@code f1_score}: Keras's {@code F1Score()} (threshold {@code None}) marks every output
 *       equal to its row's largest (and not 0) positive, ties included, and returns one score per
 *       class, from ND4J's {@link EvaluationBinary} per-class counts of those decisions; logs hold
 *       one number, so several units log the mean of the per-class scores ({@code
 *       average="macro"}). A single unit uses the 0.5 decisions of precision and recall, where
 *       Keras's row maximum would mark every sample positive.
 *   <li>{@code auc}: Keras's {@code AUC()} with its 200 thresholds ({@link ThresholdedAuc}, which
 *       says why ND4J's {@code ROC} is not used).
 * </ul>
 *
 * <p>Keras divides by {@code x + 1e-7} in F1; here the quotients are exact, so values agree with
 * Keras's to about 1e-7. ND4J's evaluation runs about 15 native ops per batch and kind of
 * decision; benchmarks/README.md has what that costs in training ({@code StatefulMetricsBenchmark}).
 */
public final class StatefulMetrics {
  private enum Kind {
    AUC,
    PRECISION,
    RECALL,
    F1_SCORE
  }

  private static final Map<String, Kind> KINDS = Map.of(
      "auc", Kind.AUC,
      "precision", Kind.PRECISION,
      "recall", Kind.RECALL,
      "f1_score", Kind.F1_SCORE);

  /** The names this class computes, in the order the README lists them. */
  public static final List<String> NAMES = List.of("auc", "precision", "recall", "f1_score");

  /** Keras's threshold for precision and recall: an output above it is a positive. */
  private static final double THRESHOLD = 0.5;
  /** Keras's F1Score takes an output as 0 unless {@code abs(y_pred) > 1e-9}. */
  private static final double ZERO = 1e-9;

  /** An engine without stateful metrics. */
  public static final StatefulMetrics NONE = new StatefulMetrics(new Kind[0], false);

  /** By metric index; null where the metric is not stateful. */
  private final Kind[] kinds;
  private final boolean any;
  /** Every entry's 0.5 decision: precision, recall and a single unit's F1; null if unused. */
  private final EvaluationBinary aboveThreshold;
  /** Each row's largest outputs as its decisions: F1 of several units; null if unused. */
  private final EvaluationBinary rowMaximum;
  private final ThresholdedAuc auc;

  private StatefulMetrics(Kind[] kinds, boolean severalUnits) {
    this.kinds = kinds;
    List<Kind> used = Arrays.asList(kinds);
    this.any = used.stream().anyMatch(Objects::nonNull);
    boolean f1OfRows = severalUnits && used.contains(Kind.F1_SCORE);
    this.aboveThreshold = used.contains(Kind.PRECISION) || used.contains(Kind.RECALL)
        || used.contains(Kind.F1_SCORE) && !severalUnits ? new EvaluationBinary() : null;
    this.rowMaximum = f1OfRows ? new EvaluationBinary() : null;
    this.auc = used.contains(Kind.AUC) ? new ThresholdedAuc(ThresholdedAuc.KERAS_THRESHOLDS)
        : null;
  }

  /** Whether {@code name} is one of {@link #NAMES}; all of them improve upwards. */
  public static boolean isStateful(String name) {
    return KINDS.containsKey(name);
  }

  /**
   * The stateful ones among {@code metricNames}, for a model whose output layer has {@code
   * outputUnits} units: one unit is a binary output, more are one-hot classes (or labels).
   *
   * @param probabilities whether the output layer gives probabilities (sigmoid or softmax): the
   *     metrics threshold and rank them, so any other output is refused
   * @param output the output layer, for the message that refuses it
   */
  public static StatefulMetrics of(List<String> metricNames, long outputUnits,
      boolean probabilities, String output) {
    Kind[] kinds = new Kind[metricNames.size()];
    boolean any = false;
    for (int i = 0; i < kinds.length; i++) {
      kinds[i] = KINDS.get(metricNames.get(i));
      if (kinds[i] != null && !probabilities) {
        throw new IllegalArgumentException("metric '" + metricNames.get(i) + "' needs class"
            + " probabilities, but the output layer is " + output + ": give it a sigmoid"
            + " activation (binary or multi-label outputs) or softmax (one-hot classes), or drop"
            + " the metric for a regression output");
      }
      any |= kinds[i] != null;
    }
    return any ? new StatefulMetrics(kinds, outputUnits > 1) : NONE;
  }

  /** Whether metric {@code index} (of the engine's metric names) is stateful. */
  public boolean isStateful(int index) {
    return any && kinds[index] != null;
  }

  /**
   * Checks labels before any hook runs (an array whole, an iterator's batches as they are
   * counted): Keras's confusion metrics read a label as a class, so with stateful metrics every
   * label must be 0 or 1 in a samples x outputs array. Labels are already known to be finite.
   *
   * @param name what the labels are, for the message, such as "y"
   * @param firstRow the row number of {@code labels}' first row in the data it came from
   * @throws IllegalArgumentException naming the row and value, and what to do
   */
  public void requireLabels(String name, INDArray labels, long firstRow) {
    if (!any) {
      return;
    }
    requireRows(labels);
    // As the metrics read them: a double label that rounds to 0 or 1 in float is that class.
    INDArray classes = labels.castTo(DataType.FLOAT);
    if (!Transforms.and(classes.neq(0), classes.neq(1)).any()) {
      return;
    }
    float[] values = rowOrder(classes);
    int i = 0;
    while (i < values.length - 1 && (values[i] == 0 || values[i] == 1)) {
      i++;
    }
    throw new IllegalArgumentException(name + " row " + (firstRow + i / labels.columns())
        + " holds the label " + values[i] + ", neither 0 nor 1: auc, precision, recall and"
        + " f1_score need binary or one-hot class labels; drop them for regression targets");
  }

  private static void requireRows(INDArray labels) {
    if (labels.rank() != 2) {
      throw new IllegalArgumentException("auc, precision, recall and f1_score need outputs of"
          + " samples x classes, got labels of shape " + Arrays.toString(labels.shape())
          + "; drop them for sequence or image outputs");
    }
  }

  /** Forgets every batch: the loop calls it as an epoch or an evaluation begins. */
  public void reset() {
    if (aboveThreshold != null) {
      aboveThreshold.reset();
    }
    if (rowMaximum != null) {
      rowMaximum.reset();
    }
    if (auc != null) {
      auc.reset();
    }
  }

  /**
   * Adds a batch's labels and outputs (samples x outputs). The labels must have passed {@link
   * #requireLabels} (the loop's data checks do that before any hook; a caller feeding batches of
   * its own checks them itself): this per-batch path does not repeat the check. The evaluations
   * keep counts, nothing of the arrays.
   */
  public void update(INDArray labels, INDArray predictions) {
    if (!any) {
      return;
    }
    requireRows(labels);
    INDArray outputs = predictions.castTo(DataType.FLOAT);
    INDArray classes = labels.castTo(DataType.FLOAT);
    if (aboveThreshold != null) {
      // Decided here so a NaN output is a negative, as Keras's comparison makes it, where
      // EvaluationBinary would refuse the batch.
      aboveThreshold.eval(classes, outputs.gt(THRESHOLD).castTo(DataType.FLOAT));
    }
    if (rowMaximum != null) {
      rowMaximum.eval(classes, rowMaximumDecisions(outputs));
    }
    if (auc != null) {
      auc.add(rowOrder(outputs), rowOrder(classes));
    }
  }

  /**
   * Keras's {@code y_pred >= max(y_pred, axis=-1)} and {@code abs(y_pred) > 1e-9}, as 1 and 0: a
   * row whose largest output is 0 has no decision, so its largest is made infinite first.
   */
  private static INDArray rowMaximumDecisions(INDArray outputs) {
    INDArray largest = outputs.max(true, 1);
    Nd4j.getExecutioner().exec(new CompareAndSet(largest, Double.POSITIVE_INFINITY,
        Conditions.lessThanOrEqual(ZERO)));
    return new NDBase().gte(outputs, largest).castTo(DataType.FLOAT);
  }

  /** The values in row order, whatever the array's layout (copied once more only if needed). */
  private static float[] rowOrder(INDArray array) {
    return array.reshape('c', new long[] {array.length()}).toFloatVector();
  }

  /** Metric {@code index}'s result over every batch since the last {@link #reset}. */
  public double result(int index) {
    return switch (kinds[index]) {
      case AUC -> auc.result();
      case PRECISION -> {
        long truePositives = total(aboveThreshold, EvaluationBinary::truePositives);
        yield ratio(truePositives,
            truePositives + total(aboveThreshold, EvaluationBinary::falsePositives));
      }
      case RECALL -> {
        long truePositives = total(aboveThreshold, EvaluationBinary::truePositives);
        yield ratio(truePositives,
            truePositives + total(aboveThreshold, EvaluationBinary::falseNegatives));
      }
      case F1_SCORE -> rowMaximum == null
          ? f1(total(aboveThreshold, EvaluationBinary::truePositives),
              total(aboveThreshold, EvaluationBinary::falsePositives),
              total(aboveThreshold, EvaluationBinary::falseNegatives))
          : macroF1(rowMaximum);
    };
  }

  /** The mean over classes of each class's F1; 0 before any batch. */
  private static double macroF1(EvaluationBinary counts) {
    int classes = counts.numLabels();
    double sum = 0;
    for (int c = 0; c < classes; c++) {
      sum += f1(counts.truePositives(c), counts.falsePositives(c), counts.falseNegatives(c));
    }
    return classes > 0 ? sum / classes : 0;
  }

  /** One of EvaluationBinary's counts for an output column. */
  private interface Count {
    int of(EvaluationBinary counts, int column);
  }

  /** {@code count} summed over every output column (micro); 0 before any batch. */
  private static long total(EvaluationBinary counts, Count count) {
    long sum = 0;
    for (int c = 0; c < counts.numLabels(); c++) {
      sum += count.of(counts, c);
    }
    return sum;
  }

  /** 2PR/(P+R) written in counts, so no intermediate quotient is undefined; 0 when it is. */
  private static double f1(double truePositives, double falsePositives, double falseNegatives) {
    return ratio(2 * truePositives, 2 * truePositives + falsePositives + falseNegatives);
  }

  /** Keras's divide_no_nan. */
  private static double ratio(double numerator, double denominator) {
    return denominator == 0 ? 0 : numerator / denominator;
  }
}
