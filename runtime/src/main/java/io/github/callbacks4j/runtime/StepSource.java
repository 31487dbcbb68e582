package io.github.callbacks4j.runtime;

import java.util.Random;

/**
 * The steps of one pass as the shared loop runs them: batches of arrays on this machine, or, in
 * another module, rounds of distributed work (Spark's averaging rounds). The loop fires one batch
 * hook pair per step and weights each step's loss by its samples in the epoch's running means.
 *
 * <p>Pass one to {@link Trainer#fit(TrainingEngine, StepSource, StepSource, FitOptions)}. The loop
 * runs each step inside a workspace that is reset after it: a source that keeps arrays across
 * steps creates them outside workspaces.
 */
public interface StepSource {
  /** Steps per pass. */
  int steps();

  /** Samples per pass. */
  int samples();

  /** Samples in step {@code step} of a pass, known before it runs (for batch-begin logs). */
  int batchSize(int step);

  /**
   * Starts a pass; {@code shuffle} is null for the stored order. The loop calls it before the
   * first step of every pass, the first one included.
   */
  void startPass(Random shuffle);

  /** Passes over the next {@code steps} steps without running them (to resume a pass). */
  void skip(int steps);

  /**
   * Runs the next step as training of {@code engine}: writes {@code metricSums[i]} = metric i
   * summed over the step's samples (order of the engine's metricNames) and returns the step's mean
   * loss.
   */
  double trainNext(TrainingEngine engine, double[] metricSums);

  /** The same, without training. */
  double testNext(TrainingEngine engine, double[] metricSums);

  /** The samples of the step run last, which weight its loss and metrics. */
  int lastStepSamples();
}
