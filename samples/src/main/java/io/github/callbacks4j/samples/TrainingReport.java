package io.github.callbacks4j.samples;

import io.github.callbacks4j.Metric;
import io.github.callbacks4j.OnEpochEnd;
import io.github.callbacks4j.OnTrainBegin;
import io.github.callbacks4j.OnTrainEnd;
import io.github.callbacks4j.Params;
import java.util.Locale;

/**
 * A callback as a plain class: the processor checks these methods and generates the adapter. It
 * follows the epoch with the lowest {@code val_loss}, the key QuickStart's built-ins monitor, and
 * reports that epoch's {@code val_accuracy} with it.
 */
public class TrainingReport {
  private double bestValLoss = Double.POSITIVE_INFINITY;
  private double valAccuracyAtBest = Double.NaN;
  private int bestEpoch = -1;
  private long start;

  @OnTrainBegin
  void start(Params params) {
    start = System.nanoTime();
    System.out.printf(Locale.ROOT, "Training up to %d epochs of %d batches (%d samples)%n",
        params.epochs(), params.steps(), params.samples().orElse(0));
  }

  @OnEpochEnd
  void epochEnd(int epoch, @Metric("val_loss") double valLoss,
      @Metric("val_accuracy") double valAccuracy) {
    if (valLoss < bestValLoss) {
      bestValLoss = valLoss;
      valAccuracyAtBest = valAccuracy;
      bestEpoch = epoch;
    }
  }

  @OnTrainEnd
  void end() {
    System.out.printf(Locale.ROOT, "Lowest val_loss %.4f at epoch %d (val_accuracy %.4f), in %.1f s%n",
        bestValLoss, bestEpoch + 1, valAccuracyAtBest, (System.nanoTime() - start) / 1e9);
  }

  /** The 0-based epoch with the lowest {@code val_loss}, or -1 before any. */
  public int bestEpoch() {
    return bestEpoch;
  }
}
