package io.github.callbacks4j.runtime;

/**
 * The counts behind Keras's Precision and Recall (and the F1 of a single unit), over every batch
 * since the last reset: every output entry above 0.5 is a positive decision and every label entry
 * of 1 a positive, all entries of all rows alike, as Keras flattens them. One instance serves all
 * the metrics of a model that read these counts, so a batch is counted once.
 */
final class ThresholdDecisions {
  private static final float THRESHOLD = 0.5f;

  private long truePositives;
  private long falsePositives;
  private long falseNegatives;

  void reset() {
    truePositives = 0;
    falsePositives = 0;
    falseNegatives = 0;
  }

  void update(float[] labels, float[] outputs) {
    for (int i = 0; i < outputs.length; i++) {
      boolean decided = outputs[i] > THRESHOLD;
      boolean positive = labels[i] == 1;
      if (decided && positive) {
        truePositives++;
      } else if (decided) {
        falsePositives++;
      } else if (positive) {
        falseNegatives++;
      }
    }
  }

  long truePositives() {
    return truePositives;
  }

  long falsePositives() {
    return falsePositives;
  }

  long falseNegatives() {
    return falseNegatives;
  }
}
