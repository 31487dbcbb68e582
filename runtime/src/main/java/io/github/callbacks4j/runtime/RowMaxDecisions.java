package io.github.callbacks4j.runtime;

import java.util.Arrays;

/**
 * The per-class counts behind Keras's {@code F1Score()} (threshold {@code None}), over every batch
 * since the last reset: in each row, the outputs equal to the row's largest (and not 0) are
 * positive decisions, so tied maxima are all positive, as Keras's {@code y_pred >= max} makes them.
 */
final class RowMaxDecisions {
  /** Keras's test that an output is not 0: {@code abs(y_pred) > 1e-9}. */
  private static final float ZERO = 1e-9f;

  private final long[] truePositives;
  private final long[] falsePositives;
  private final long[] falseNegatives;

  RowMaxDecisions(int classes) {
    truePositives = new long[classes];
    falsePositives = new long[classes];
    falseNegatives = new long[classes];
  }

  void reset() {
    Arrays.fill(truePositives, 0);
    Arrays.fill(falsePositives, 0);
    Arrays.fill(falseNegatives, 0);
  }

  /** {@code labels} and {@code outputs} in row order, one row of {@code classes} per sample. */
  void update(float[] labels, float[] outputs) {
    int classes = truePositives.length;
    for (int row = 0; row < outputs.length; row += classes) {
      float largest = outputs[row];
      for (int c = 1; c < classes; c++) {
        largest = Math.max(largest, outputs[row + c]);
      }
      for (int c = 0; c < classes; c++) {
        float output = outputs[row + c];
        boolean decided = output >= largest && Math.abs(output) > ZERO;
        boolean positive = labels[row + c] == 1;
        if (decided && positive) {
          truePositives[c]++;
        } else if (decided) {
          falsePositives[c]++;
        } else if (positive) {
          falseNegatives[c]++;
        }
      }
    }
  }

  long truePositives(int c) {
    return truePositives[c];
  }

  long falsePositives(int c) {
    return falsePositives[c];
  }

  long falseNegatives(int c) {
    return falseNegatives[c];
  }

  int classes() {
    return truePositives.length;
  }
}
