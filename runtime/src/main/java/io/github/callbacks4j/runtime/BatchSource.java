package io.github.callbacks4j.runtime;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Steps that are batches of arrays on this machine, from memory or a {@code DataSetIterator}: each
 * is loaded, then computed by the engine's batch methods.
 */
interface BatchSource extends StepSource {
  /** Loads the next batch; its arrays live in the caller's current workspace. */
  void next();

  INDArray features();

  INDArray labels();

  @Override
  default double trainNext(TrainingEngine engine, double[] metricSums) {
    next();
    return engine.trainBatch(features(), labels(), metricSums);
  }

  @Override
  default double testNext(TrainingEngine engine, double[] metricSums) {
    next();
    return engine.testBatch(features(), labels(), metricSums);
  }

  @Override
  default int lastStepSamples() {
    return (int) features().size(0);
  }
}
