package io.github.callbacks4j.callbacks;

/**
 * Training batches counted from the indices batch-end hooks receive. With {@code stepsPerExecution}
 * above 1 a hook runs once per group of batches and gets the group's last index (Keras's rule), so
 * counting calls would fall short; an index not above the last one seen starts a new epoch.
 */
final class BatchCount {
  /** The last index seen before any batch ends: the first hook then counts its whole group. */
  static final int NONE_SEEN = -1;

  private BatchCount() {}

  /** How many batches ended from the one after {@code lastBatchSeen} up to {@code batch}. */
  static int endedSince(int lastBatchSeen, int batch) {
    return batch <= lastBatchSeen ? batch + 1 : batch - lastBatchSeen;
  }
}
