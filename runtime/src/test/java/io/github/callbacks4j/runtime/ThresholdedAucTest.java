package io.github.callbacks4j.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Keras's AUC algorithm: keras/src/metrics/confusion_metrics_test.py AUCTest. */
class ThresholdedAucTest {
  /** AUCTest's setUp: num_thresholds 3, y_pred [0, 0.5, 0.3, 0.9], y_true [0, 0, 1, 1]. */
  private static final float[] OUTPUTS = {0, 0.5f, 0.3f, 0.9f};
  private static final float[] LABELS = {0, 0, 1, 1};

  /**
   * AUCTest.test_unweighted: tp [2, 1, 0], fp [2, 0, 0], recall [1, 0.5, 0], fp_rate [1, 0, 0],
   * heights [0.75, 0.25], widths [1, 0]: 0.75. The output 0.5 equals the middle threshold, so it
   * is not above it: counted as above, the curve would be the diagonal, 0.5.
   */
  @Test
  void unweighted() {
    ThresholdedAuc auc = new ThresholdedAuc(3);
    auc.add(OUTPUTS, LABELS);
    assertEquals(0.75, auc.result(), 1e-12);
  }

  /** AUCTest.test_unweighted_all_correct (with setUp's 3 thresholds): y_pred = y_true gives 1. */
  @Test
  void unweightedAllCorrect() {
    ThresholdedAuc auc = new ThresholdedAuc(3);
    auc.add(LABELS, LABELS);
    assertEquals(1.0, auc.result(), 1e-12);
  }

  /**
   * Keras's default 200 thresholds are 1/199 apart: two outputs between the same pair of them
   * tie (half a pair), where the exact ranking would give 1; farther apart they are ranked.
   */
  @Test
  void outputsWithinOneThresholdStepTie() {
    ThresholdedAuc auc = new ThresholdedAuc(ThresholdedAuc.KERAS_THRESHOLDS);
    auc.add(new float[] {0.502f, 0.5005f}, new float[] {1, 0});
    assertEquals(0.5, auc.result(), 1e-12);
    auc.reset();
    auc.add(new float[] {0.51f, 0.5005f}, new float[] {1, 0});
    assertEquals(1.0, auc.result(), 1e-12);
  }

  /** Batches add up: the result over all of them, not a mean of each batch's. */
  @Test
  void batchesAccumulateUntilReset() {
    ThresholdedAuc auc = new ThresholdedAuc(3);
    auc.add(new float[] {0, 0.5f}, new float[] {0, 0});
    assertEquals(0.0, auc.result(), "no positive yet: Keras's recall is 0 at every threshold");
    auc.add(new float[] {0.3f, 0.9f}, new float[] {1, 1});
    assertEquals(0.75, auc.result(), 1e-12);
    auc.reset();
    auc.add(new float[] {0.9f, 0.3f}, new float[] {0, 1});
    assertEquals(0.0, auc.result(), 1e-12, "the only pair is ranked wrong");
  }

  /** Keras's first and last thresholds hold every output and none: 0 and 1 land in range. */
  @Test
  void outputsOfExactlyZeroAndOneAreCounted() {
    ThresholdedAuc auc = new ThresholdedAuc(ThresholdedAuc.KERAS_THRESHOLDS);
    auc.add(new float[] {1, 0, 1, 0}, new float[] {1, 0, 0, 1});
    assertEquals(0.5, auc.result(), 1e-12);
  }

  @Test
  void aNotANumberOutputMakesTheResultNotANumberUntilReset() {
    ThresholdedAuc auc = new ThresholdedAuc(3);
    auc.add(new float[] {Float.NaN, 0.9f, 0.1f}, new float[] {1, 1, 0});
    assertEquals(Double.NaN, auc.result());
    auc.reset();
    auc.add(OUTPUTS, LABELS);
    assertEquals(0.75, auc.result(), 1e-12);
  }

  /**
   * Random outputs fed in batches and read part-way agree with Keras's definition taken
   * literally: at each threshold (-epsilon, i/199, 1 + epsilon, in float32), the true and false
   * positive rates of the outputs strictly above it, and the trapezoids between thresholds.
   */
  @Test
  void agreesWithKerasThresholdsTakenOneByOne() {
    Random random = new Random(11);
    float[] outputs = new float[1000];
    float[] labels = new float[outputs.length];
    for (int i = 0; i < outputs.length; i++) {
      labels[i] = random.nextInt(3) == 0 ? 1 : 0;
      // Positives lean high; some outputs repeat, some sit on the ends.
      outputs[i] = i % 50 == 0 ? (i % 100 == 0 ? 0f : 1f)
          : Math.min(1f, random.nextFloat() * 0.8f + labels[i] * 0.3f);
    }
    ThresholdedAuc auc = new ThresholdedAuc(ThresholdedAuc.KERAS_THRESHOLDS);
    for (int from = 0; from < outputs.length; from += 300) {
      int to = Math.min(from + 300, outputs.length);
      auc.add(Arrays.copyOfRange(outputs, from, to), Arrays.copyOfRange(labels, from, to));
      assertEquals(thresholdByThreshold(Arrays.copyOf(outputs, to), Arrays.copyOf(labels, to)),
          auc.result(), 1e-12, "after " + to + " entries");
    }
  }

  private static double thresholdByThreshold(float[] outputs, float[] labels) {
    int n = ThresholdedAuc.KERAS_THRESHOLDS;
    double[] truePositiveRate = new double[n];
    double[] falsePositiveRate = new double[n];
    double positives = 0;
    for (float label : labels) {
      positives += label;
    }
    double negatives = labels.length - positives;
    for (int t = 0; t < n; t++) {
      float threshold = t == 0 ? -1e-7f : t == n - 1 ? 1 + 1e-7f : (float) ((double) t / (n - 1));
      for (int i = 0; i < outputs.length; i++) {
        if (outputs[i] > threshold) {
          truePositiveRate[t] += labels[i] / positives;
          falsePositiveRate[t] += (1 - labels[i]) / negatives;
        }
      }
    }
    double area = 0;
    for (int t = 0; t < n - 1; t++) {
      area += (falsePositiveRate[t] - falsePositiveRate[t + 1])
          * (truePositiveRate[t] + truePositiveRate[t + 1]) / 2;
    }
    return area;
  }

  @Test
  void fewerThanTwoThresholdsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new ThresholdedAuc(1));
  }
}
