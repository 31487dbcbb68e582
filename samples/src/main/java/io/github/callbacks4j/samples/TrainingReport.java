package io.github.callbacks4j.samples;

import io.github.callbacks4j.Metric;
import io.github.callbacks4j.OnEpochEnd;
import io.github.callbacks4j.OnTrainBegin;
import io.github.callbacks4j.OnTrainEnd;
import io.github.callbacks4j.Params;
import java.util.Locale;

/** A callback as a plain class: the processor checks these methods and generates the adapter. */
public class TrainingReport {
  private double bestValAccuracy = Double.NEGATIVE_INFINITY;
  private int bestEpoch = -1;
  private long start;

  @OnTrainBegin
  void start(Params params) {
    start = System.nanoTime();
    System.out.printf(Locale.ROOT, "Training up to %d epochs of %d batches (%d samples)%n",
        params.epochs(), params.steps(), params.samples().orElse(0));
  }

  @OnEpochEnd
  void epochEnd(int epoch, @Metric("val_accuracy") double valAccuracy) {
    if (valAccuracy > bestValAccuracy) {
      bestValAccuracy = valAccuracy;
      bestEpoch = epoch;
    }
  }

  @OnTrainEnd
  void end() {
    System.out.printf(Locale.ROOT, "Best validation accuracy %.4f at epoch %d, in %.1f s%n",
        bestValAccuracy, bestEpoch + 1, (System.nanoTime() - start) / 1e9);
  }

  public int bestEpoch() {
    return bestEpoch;
  }
}
