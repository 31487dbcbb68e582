package io.github.callbacks4j.runtime;

import java.util.Arrays;

/**
 * Keras's {@code AUC()} computed as Keras computes it, over every output entry added since the
 * last reset: the ROC curve at {@code thresholds} evenly spaced thresholds ({@code -epsilon},
 * {@code 1/(n-1)}, ..., {@code (n-2)/(n-1)}, {@code 1 + epsilon}; Keras's default n is 200), an
 * entry being a positive decision at each threshold its output lies strictly above, and the area
 * by the trapezoid rule (Keras's {@code summation_method="interpolation"} for ROC). An entry is
 * counted once into the bucket of thresholds it clears, as Keras's evenly-distributed path does,
 * so memory does not grow with the epoch and a read costs one pass over the buckets. Outputs
 * closer together than a threshold step tie, as in Keras. Not thread-safe.
 *
 * <p>ND4J's {@code ROC} is not used: measured on this project's 2-core machine, its thresholded
 * mode runs several native ops per threshold (2.5 to 3.7 ms per batch of 320 to 1,280 outputs
 * with 20 steps, and Keras has 200) and counts an output equal to a threshold as positive
 * where Keras does not; its exact mode copies its whole store as it grows (30 ms per 128 x 10
 * batch after a thousand batches), took 3.4 s to build the curve of 60,000 outputs and credits
 * tied outputs by their order.
 */
final class ThresholdedAuc {
  /** Keras's {@code num_thresholds} default. */
  static final int KERAS_THRESHOLDS = 200;

  /** Entries of label 1 (and 0) whose output clears thresholds 0 to b, by bucket b. */
  private final long[] positives;
  private final long[] negatives;
  /** {@code n - 1} as a float: Keras computes the bucket in float32. */
  private final float steps;
  private boolean notANumber;

  ThresholdedAuc(int thresholds) {
    if (thresholds < 2) {
      throw new IllegalArgumentException("an AUC needs at least 2 thresholds, got " + thresholds);
    }
    positives = new long[thresholds];
    negatives = new long[thresholds];
    steps = thresholds - 1;
  }

  void reset() {
    Arrays.fill(positives, 0);
    Arrays.fill(negatives, 0);
    notANumber = false;
  }

  /** One (output, label) pair per entry; labels are 0 or 1, outputs probabilities. */
  void add(float[] outputs, float[] labels) {
    int last = positives.length - 1;
    for (int i = 0; i < outputs.length; i++) {
      float output = outputs[i];
      if (Float.isNaN(output)) {
        notANumber = true;
        continue;
      }
      // Keras: ceil(y_pred * (n - 1)) - 1 with y_pred clipped to [0, 1], raised to 0 (every
      // probability clears -epsilon); no output clears 1 + epsilon, the last threshold.
      int bucket = (int) Math.ceil(output * steps) - 1;
      bucket = Math.max(0, Math.min(bucket, last - 1));
      if (labels[i] == 1) {
        positives[bucket]++;
      } else {
        negatives[bucket]++;
      }
    }
  }

  /**
   * The area under the curve; 0 while one class is absent (Keras's divide_no_nan makes that
   * rate 0 at every threshold), NaN once an output was NaN, as the loss's mean then is.
   */
  double result() {
    if (notANumber) {
      return Double.NaN;
    }
    long allPositives = 0;
    long allNegatives = 0;
    for (int b = 0; b < positives.length; b++) {
      allPositives += positives[b];
      allNegatives += negatives[b];
    }
    if (allPositives == 0 || allNegatives == 0) {
      return 0;
    }
    // From the highest threshold down: the true and false positives there are the entries in
    // its bucket and every bucket above.
    int last = positives.length - 1;
    long truePositivesAbove = positives[last];
    long falsePositivesAbove = negatives[last];
    double area = 0;
    for (int t = last - 1; t >= 0; t--) {
      long truePositives = truePositivesAbove + positives[t];
      long falsePositives = falsePositivesAbove + negatives[t];
      area += (double) (falsePositives - falsePositivesAbove) / allNegatives
          * (truePositives + truePositivesAbove) / (2.0 * allPositives);
      truePositivesAbove = truePositives;
      falsePositivesAbove = falsePositives;
    }
    return area;
  }
}
