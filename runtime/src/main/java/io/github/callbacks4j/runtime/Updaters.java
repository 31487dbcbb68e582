package io.github.callbacks4j.runtime;

import org.nd4j.linalg.learning.config.IUpdater;

/** Facts about ND4J updater configurations that their interface does not offer directly. */
public final class Updaters {
  private Updaters() {}

  /**
   * Whether {@code updater} follows a learning-rate schedule ({@code ISchedule}), which setting a
   * fixed rate would silently drop.
   */
  public static boolean hasSchedule(IUpdater updater) {
    if (updater == null || !updater.hasLearningRate()) {
      return false;
    }
    // IUpdater requires equals by value: the same updater with a fixed rate and no schedule
    // equals it exactly when it had no schedule.
    IUpdater fixed = updater.clone();
    fixed.setLrAndSchedule(updater.getLearningRate(0, 0), null);
    return !fixed.equals(updater);
  }
}
