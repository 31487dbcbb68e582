package io.github.callbacks4j.runtime;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The value checks made on training data before any hook runs, so that NaN, infinities and labels
 * a loss cannot use fail with the array and row named instead of training into garbage. Each
 * check is one or a few ND4J reductions over the whole array; where the first bad row is, is
 * worked out only once a check has failed.
 */
final class DataChecks {
  /** How many values of a bad label row a message shows. */
  private static final int SHOWN = 10;

  private DataChecks() {}

  /**
   * Every value of {@code array} is finite.
   *
   * @param firstRow the row number of {@code array}'s first row in the data it came from
   */
  static void requireFinite(String name, INDArray array, long firstRow) {
    // A NaN or an infinity makes the sum NaN or infinite, so a finite sum clears the array in one
    // reduction: 24 ms for Fashion-MNIST's 47 million values, where the index search below took
    // 350-480 ms at every fit. A sum can also overflow from finite values; the search settles it.
    if (array.isEmpty() || Double.isFinite(array.sumNumber().doubleValue())) {
      return;
    }
    long index = BooleanIndexing.firstIndex(array, Conditions.notFinite()).getLong(0);
    if (index < 0) {
      return;
    }
    // A fresh C-order copy makes the linear index row-major whatever the array's layout; a row
    // is a sample, of any rank (a CNN's image too).
    long row = BooleanIndexing.firstIndex(array.dup('c'), Conditions.notFinite()).getLong(0)
        / (array.length() / array.size(0));
    throw new IllegalArgumentException(name + " holds a non-finite value (NaN or infinite) in row "
        + (firstRow + row) + ": " + show(array.slice(row).ravel())
        + "; remove or repair that sample before training");
  }

  /**
   * Labels the loss can use: one-hot rows for MCXENT and NEGATIVELOGLIKELIHOOD, values in [0, 1]
   * for XENT; other losses take any finite label. {@code labels} are already known to be finite.
   */
  static void requireLabelsFor(LossFunction loss, String name, INDArray labels, long firstRow) {
    switch (loss) {
      case MCXENT, NEGATIVELOGLIKELIHOOD -> requireOneHot(loss, name, labels, firstRow);
      case XENT -> requireProbabilities(loss, name, labels, firstRow);
      default -> { }
    }
  }

  /** One 1 and zeros elsewhere: with no value below 0, a row maximum and sum of 1 say exactly that. */
  private static void requireOneHot(LossFunction loss, String name, INDArray labels,
      long firstRow) {
    float[] minimums = labels.min(1).toFloatVector();
    float[] maximums = labels.max(1).toFloatVector();
    float[] sums = labels.sum(1).toFloatVector();
    for (int row = 0; row < sums.length; row++) {
      if (minimums[row] < 0 || maximums[row] != 1 || sums[row] != 1) {
        throw new IllegalArgumentException(name + " row " + (firstRow + row) + " is not one-hot: "
            + show(labels.getRow(row)) + "; " + loss + " needs every label row to hold a single 1"
            + " (the class) and 0 elsewhere");
      }
    }
  }

  private static void requireProbabilities(LossFunction loss, String name, INDArray labels,
      long firstRow) {
    if (labels.minNumber().doubleValue() >= 0 && labels.maxNumber().doubleValue() <= 1) {
      return;
    }
    float[] minimums = labels.min(1).toFloatVector();
    float[] maximums = labels.max(1).toFloatVector();
    int row = 0;
    while (minimums[row] >= 0 && maximums[row] <= 1) {
      row++;
    }
    throw new IllegalArgumentException(name + " row " + (firstRow + row) + " holds a value outside"
        + " [0, 1]: " + show(labels.getRow(row)) + "; " + loss + " needs every label in [0, 1]");
  }

  /** {@code [0.0, 0.5, NaN, ...]}: the first few values of a row. */
  private static String show(INDArray row) {
    float[] values = row.toFloatVector();
    StringBuilder text = new StringBuilder("[");
    for (int i = 0; i < Math.min(values.length, SHOWN); i++) {
      text.append(i > 0 ? ", " : "").append(values[i]);
    }
    return text.append(values.length > SHOWN ? ", ...]" : "]").toString();
  }
}
