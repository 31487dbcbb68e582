package io.github.callbacks4j.spark;

import java.io.Serializable;

/** Loss and metric sums over some samples, as a worker returns them and the driver adds them up. */
record StepSums(long samples, double lossSum, double[] metricSums) implements Serializable {
  static StepSums none(int metrics) {
    return new StepSums(0, 0, new double[metrics]);
  }

  StepSums plus(StepSums other) {
    double[] sums = metricSums.clone();
    for (int i = 0; i < sums.length; i++) {
      sums[i] += other.metricSums[i];
    }
    return new StepSums(samples + other.samples, lossSum + other.lossSum, sums);
  }

  /** The mean loss, after writing the metric sums into {@code target} (the loop's step output). */
  double meanLossWritingSums(double[] target) {
    System.arraycopy(metricSums, 0, target, 0, target.length);
    return lossSum / samples;
  }
}
