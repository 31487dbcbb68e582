package io.github.callbacks4j.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Keras's AUC algorithm: keras/src/metrics/confusion_metrics_test.py AUCTest. */
class ThresholdedAucTest {
  /** AUCTest's setUp: num_thresholds 3, y_pred [0, 0.5, 0.3, 0.9], y_true [0, 0, 1, 1]. */
  private static final float[] OUTPUTS = {0, 0.5f, 0.3f, 0.9f};
  private static final float[] LABELS = {0, 0, 1, 1};

  /**
   * AUCTest.test_unweighted: tp [2, 1, 0], fp [2, 0, 0], recall [1, 0.5, 0], fp_rate [1, 0, 0],
   * heights [0.75, 0.25], widths [1, 0]: 0.75. The output 0.5 equals the middle threshold, so it
   * is not above it: counted as above, it would give 1.
   */
  @Test
  void unweighted() {
    ThresholdedAuc auc = new ThresholdedAuc(3);
    auc.add(OUTPUTS, LABELS);
    assertEquals(0.75, auc.result(), 1e-12);
  }

  /** AUCTest.test_unweighted_all_correct: y_pred = y_true gives 1. */
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

  @Test
  void fewerThanTwoThresholdsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new ThresholdedAuc(1));
  }
}
