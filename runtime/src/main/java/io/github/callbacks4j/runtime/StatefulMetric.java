package io.github.callbacks4j.runtime;

/**
 * One of Keras's stateful classification metrics, over every batch since the last reset, so its
 * result is exact over the epoch rather than a mean of batch values.
 *
 * <ul>
 *   <li>{@code auc}: Keras's {@code AUC()} (ROC curve, {@code multi_label=False}: every output
 *       entry is one binary decision), exact over all entries ({@link ExactAuc}) instead of
 *       Keras's 200 thresholds; 0 while one class is absent, as Keras.
 *   <li>{@code precision}, {@code recall}: Keras's {@code Precision()}, {@code Recall()}: every
 *       output entry above 0.5 is a positive (micro over all entries), 0 when undefined.
 *   <li>{@code f1_score}: Keras's {@code F1Score()} marks each row's largest output positive and
 *       returns one score per class; logs hold one number, so one-hot outputs log the mean of those
 *       per-class scores ({@code F1Score(average="macro")}). A single output unit uses the 0.5
 *       threshold of precision and recall, where Keras's row maximum would mark every sample
 *       positive.
 * </ul>
 *
 * <p>Keras divides by {@code x + 1e-7} in F1; here the quotients are exact, so values agree with
 * Keras's to about 1e-7. Not thread-safe.
 */
final class StatefulMetric {
  enum Kind {
    AUC,
    PRECISION,
    RECALL,
    F1_SCORE
  }

  private final Kind kind;
  private final ExactAuc auc;
  private final RowMaxDecisions classes;
  /** Shared with the model's other threshold metrics, which count each batch once for all. */
  private final ThresholdDecisions decisions;

  /** True when the metric reads the 0.5-threshold counts (precision, recall, F1 of one unit). */
  static boolean readsDecisions(Kind kind, int outputUnits) {
    return kind == Kind.PRECISION || kind == Kind.RECALL
        || kind == Kind.F1_SCORE && outputUnits == 1;
  }

  /**
   * @param decisions the model's shared counts, when {@link #readsDecisions} is true; the owner
   *     resets and updates them
   */
  StatefulMetric(Kind kind, int outputUnits, ThresholdDecisions decisions) {
    this.kind = kind;
    this.auc = kind == Kind.AUC ? new ExactAuc() : null;
    this.classes = kind == Kind.F1_SCORE && outputUnits > 1
        ? new RowMaxDecisions(outputUnits) : null;
    this.decisions = decisions;
  }

  /** Forgets its own state (the shared decisions are the owner's to reset). */
  void reset() {
    if (auc != null) {
      auc.reset();
    } else if (classes != null) {
      classes.reset();
    }
  }

  /**
   * Adds a batch to its own state (the shared decisions are the owner's to update): its labels and
   * outputs in row order.
   */
  void update(float[] labels, float[] outputs) {
    if (auc != null) {
      auc.add(outputs, labels);
    } else if (classes != null) {
      classes.update(labels, outputs);
    }
  }

  /** The result over every batch since the last reset. */
  double result() {
    return switch (kind) {
      case AUC -> auc.result();
      case PRECISION -> ratio(decisions.truePositives(),
          decisions.truePositives() + decisions.falsePositives());
      case RECALL -> ratio(decisions.truePositives(),
          decisions.truePositives() + decisions.falseNegatives());
      case F1_SCORE -> classes == null
          ? f1(decisions.truePositives(), decisions.falsePositives(), decisions.falseNegatives())
          : macroF1();
    };
  }

  private double macroF1() {
    double sum = 0;
    for (int c = 0; c < classes.classes(); c++) {
      sum += f1(classes.truePositives(c), classes.falsePositives(c), classes.falseNegatives(c));
    }
    return sum / classes.classes();
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
