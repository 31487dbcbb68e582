package io.github.callbacks4j.callbacks;

/** Whether a monitored metric improves by going down or up. */
public enum Mode {
  /**
   * MAX for names ending in accuracy, acc, auc, precision, recall or f1 (with or without
   * {@code val_}), MIN otherwise: one rule for every built-in (Keras had three, issue #21118).
   */
  AUTO,
  MIN,
  MAX
}
