package io.github.callbacks4j;

/**
 * Which way a metric improves, as the engine that computes it declares (Keras's metric
 * {@code _direction}); monitors in mode AUTO follow it.
 */
public enum MetricDirection {
  /** Larger is better: accuracy, AUC, precision, recall, F1. */
  UP,
  /** Smaller is better: losses and errors. */
  DOWN
}
