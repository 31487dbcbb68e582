package io.github.callbacks4j.runtime;

import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.evaluation.classification.EvaluationBinary;
import org.nd4j.evaluation.classification.ROC;
import org.nd4j.evaluation.curves.RocCurve;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One of Keras's stateful classification metrics, kept in an ND4J evaluation over every batch since
 * the last reset, so its result is exact over the epoch rather than a mean of batch values.
 *
 * <ul>
 *   <li>{@code auc}: Keras's {@code AUC()} (ROC curve, {@code multi_label=False}: every output
 *       entry is one binary decision), exact over all entries from ND4J's exact ROC curve instead
 *       of Keras's 200 thresholds. Tied outputs count half, as Keras's shared threshold bucket
 *       does (ND4J's own calculateAUC credits them in whatever order they sort); 0 while one
 *       class is absent, as Keras.
 *   <li>{@code precision}, {@code recall}: Keras's {@code Precision()}, {@code Recall()}: every
 *       output entry above 0.5 is a positive (micro over all entries), 0 when undefined.
 *   <li>{@code f1_score}: Keras's {@code F1Score()} marks each row's largest output positive and
 *       returns one score per class; logs hold one number, so one-hot outputs log the mean of those
 *       per-class scores ({@code F1Score(average="macro")}). A single output unit uses the 0.5
 *       threshold of precision and recall, where Keras's argmax would mark every sample positive.
 * </ul>
 *
 * <p>Keras divides by {@code x + 1e-7} in F1; here the quotients are exact, so values agree with
 * Keras's to about 1e-7. Not thread-safe.
 */
final class StatefulMetric {
  private static final double THRESHOLD = 0.5;

  enum Kind {
    AUC,
    PRECISION,
    RECALL,
    F1_SCORE
  }

  private final Kind kind;
  private final int outputUnits;
  private final ROC roc;
  private final EvaluationBinary decisions;
  private final Evaluation classes;

  StatefulMetric(Kind kind, int outputUnits) {
    this.kind = kind;
    this.outputUnits = outputUnits;
    // Every point kept (no redundant-point removal), so the point after each run of ties exists.
    this.roc = kind == Kind.AUC ? new ROC(0, false) : null;
    boolean argMax = kind == Kind.F1_SCORE && outputUnits > 1;
    this.classes = argMax ? new Evaluation(outputUnits) : null;
    this.decisions = kind != Kind.AUC && !argMax ? new EvaluationBinary() : null;
  }

  void reset() {
    if (roc != null) {
      roc.reset();
    } else if (classes != null) {
      classes.reset();
    } else {
      decisions.reset();
    }
  }

  /**
   * Adds a batch. {@code labelColumn} and {@code predictionColumn} are the batch's labels and
   * outputs flattened into one column (every entry a binary decision); {@code labels} and {@code
   * predictions} are the batch's rows. All live outside any workspace: the evaluations keep them.
   */
  void update(INDArray labels, INDArray predictions, INDArray labelColumn,
      INDArray predictionColumn) {
    if (roc != null) {
      roc.eval(labelColumn, predictionColumn);
    } else if (classes != null) {
      classes.eval(labels, predictions);
    } else {
      // Thresholded here because Keras's positive is "above 0.5" and ND4J rounds 0.5 up.
      decisions.eval(labelColumn, predictionColumn.gt(THRESHOLD).castTo(DataType.FLOAT));
    }
  }

  /** The result over every batch since the last reset. */
  double result() {
    return switch (kind) {
      case AUC -> roc.getCountActualPositive() == 0 || roc.getCountActualNegative() == 0
          ? 0 : areaCountingTiesHalf(roc.getRocCurve());
      case PRECISION -> ratio(decisions.truePositives(0),
          decisions.truePositives(0) + decisions.falsePositives(0));
      case RECALL -> ratio(decisions.truePositives(0),
          decisions.truePositives(0) + decisions.falseNegatives(0));
      case F1_SCORE -> classes == null
          ? f1(decisions.truePositives(0), decisions.falsePositives(0),
              decisions.falseNegatives(0))
          : macroF1();
    };
  }

  /**
   * The trapezoid area under the exact curve, which has one point per output in descending order:
   * of outputs that tie, only the point after the last is a point of the curve, so the step over
   * them becomes a diagonal, half a pair for each tied positive and negative.
   */
  private static double areaCountingTiesHalf(RocCurve curve) {
    double area = 0;
    double falsePositiveRate = 0;
    double truePositiveRate = 0;
    int points = curve.numPoints();
    for (int i = 0; i < points; i++) {
      if (i + 1 < points && curve.getThreshold(i + 1) == curve.getThreshold(i)) {
        continue;
      }
      double x = curve.getFalsePositiveRate(i);
      double y = curve.getTruePositiveRate(i);
      area += (x - falsePositiveRate) * (y + truePositiveRate) / 2;
      falsePositiveRate = x;
      truePositiveRate = y;
    }
    return area;
  }

  private double macroF1() {
    double sum = 0;
    for (int c = 0; c < outputUnits; c++) {
      sum += f1(classes.getTruePositives().getCount(c), classes.getFalsePositives().getCount(c),
          classes.getFalseNegatives().getCount(c));
    }
    return sum / outputUnits;
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
