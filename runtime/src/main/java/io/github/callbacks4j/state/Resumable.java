package io.github.callbacks4j.state;

import io.github.callbacks4j.Callback;
import io.github.callbacks4j.Model;
import java.io.IOException;
import java.util.List;

/**
 * A callback that can resume an interrupted {@code fit} ({@code BackupAndRestore}). Before
 * {@code onTrainBegin}, {@code fit} hands it a live view of the loop's progress and asks where to
 * resume; it may load the model's state and the other callbacks' state then.
 */
public interface Resumable extends Callback {
  /** Where an interrupted run stopped: the loop restarts exactly there. */
  record ResumePoint(int epoch, int batchesDone, long shuffleSeed, long samples, double[] sums) {}

  /** The loop's position, read by the callback when it saves a backup. */
  interface Progress {
    /** The current 0-based epoch. */
    int epoch();

    /** Training batches finished in the current epoch. */
    int batchesDone();

    /** The seed every epoch's shuffle order derives from. */
    long shuffleSeed();

    /** Samples seen in the current epoch. */
    long samples();

    /** Running sums of the loss and the metrics over the current epoch. */
    double[] sums();
  }

  /**
   * Called once per fit before training starts.
   *
   * @return where to resume, or null to train from {@code initialEpoch} as usual
   */
  ResumePoint resume(Model model, List<Callback> callbacks, Progress progress) throws IOException;
}
