package io.github.callbacks4j.runtime;

/**
 * Where a run of steps (an epoch, a validation) starts in data it may use only part of (Keras's
 * {@code steps_per_epoch} and {@code validation_steps}): each run continues where the previous one
 * stopped; one that reaches the end of a pass first ends there, and the next run starts a new pass.
 * Its position depends only on how many runs finished, so a resumed fit recomputes it.
 */
final class PassCursor {
  private final int passSteps;
  private final int stepsPerRun;
  private int pass;
  private int position;

  /** Every run a whole pass. */
  static PassCursor wholePasses(int passSteps) {
    return new PassCursor(passSteps, passSteps);
  }

  PassCursor(int passSteps, int stepsPerRun) {
    this.passSteps = passSteps;
    this.stepsPerRun = stepsPerRun;
  }

  /** Passes begun before the current one. */
  int pass() {
    return pass;
  }

  /** Steps of the current pass that earlier runs used. */
  int position() {
    return position;
  }

  /** Steps the next run takes: stepsPerRun, or what is left of the pass when that is fewer. */
  int nextRunSteps() {
    return Math.min(stepsPerRun, passSteps - position);
  }

  /** Whether the next run ends early because the pass runs out first. */
  boolean nextRunCutShort() {
    return passSteps - position < stepsPerRun;
  }

  /** Moves past a finished run of {@link #nextRunSteps()} steps. */
  void finishRun() {
    position += nextRunSteps();
    if (position >= passSteps) {
      pass++;
      position = 0;
    }
  }
}
