package io.github.callbacks4j.runtime;

import io.github.callbacks4j.Logs;
import java.util.Arrays;
import java.util.List;

/**
 * Keras's metric state over an epoch: sample-weighted running means of the loss and each metric,
 * and the engine's stateful metrics, whose own result over the epoch is logged instead of a mean.
 */
final class RunningMeans {
  private final String[] metricKeys;
  private final StatefulMetrics stateful;
  private final double[] metricSums;
  private final double[] batchMetricSums;
  private double lossSum;
  private long samples;

  RunningMeans(List<String> metricKeys, StatefulMetrics stateful) {
    this.metricKeys = metricKeys.toArray(String[]::new);
    this.stateful = stateful;
    this.metricSums = new double[metricKeys.size()];
    this.batchMetricSums = new double[metricKeys.size()];
  }

  /** Starts an epoch or evaluation: no samples, and the stateful metrics forget theirs. */
  void reset() {
    stateful.reset();
    Arrays.fill(metricSums, 0);
    lossSum = 0;
    samples = 0;
  }

  /** Where a batch writes its metric sums before {@link #add}. */
  double[] batchMetricSums() {
    return batchMetricSums;
  }

  void add(double meanLoss, int batchSamples) {
    lossSum += meanLoss * batchSamples;
    samples += batchSamples;
    for (int i = 0; i < metricSums.length; i++) {
      metricSums[i] += batchMetricSums[i];
    }
  }

  long samples() {
    return samples;
  }

  /** The sums behind the means: the loss's first, then each metric's (for a backup). */
  double[] sums() {
    double[] sums = new double[metricSums.length + 1];
    sums[0] = lossSum;
    System.arraycopy(metricSums, 0, sums, 1, metricSums.length);
    return sums;
  }

  /**
   * Puts back what {@link #sums()} and {@link #samples()} returned. Stateful metrics have no sums:
   * theirs cover the batches from here on.
   */
  void restore(double[] sums, long samples) {
    if (sums.length != metricSums.length + 1) {
      throw new IllegalArgumentException("a backup with " + (sums.length - 1) + " metrics cannot"
          + " resume a model compiled with " + metricSums.length);
    }
    lossSum = sums[0];
    System.arraycopy(sums, 1, metricSums, 0, metricSums.length);
    this.samples = samples;
  }

  /** A fresh Logs with {@code loss} and every metric's mean so far. */
  Logs logs() {
    Logs logs = new Logs().put("loss", lossSum / samples);
    for (int i = 0; i < metricSums.length; i++) {
      double value = stateful.isStateful(i) ? stateful.result(i) : metricSums[i] / samples;
      logs.put(metricKeys[i], value);
    }
    return logs;
  }
}
