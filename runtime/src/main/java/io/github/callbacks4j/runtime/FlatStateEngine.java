package io.github.callbacks4j.runtime;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * An engine whose whole training state is two flat vectors and a counter, so data-parallel
 * training can ship it to workers each round and set back the average of what they return
 * (parameter averaging, as Deeplearning4j's ParameterAveragingTrainingMaster does). {@link
 * Sequential} is one.
 *
 * <p>Getters return copies that live outside any workspace; setters copy the values in. Layouts
 * are the engine's own, the same for every engine of one architecture and optimizer.
 */
public interface FlatStateEngine extends TrainingEngine {
  /** A copy of every parameter as one row vector. */
  INDArray parameters();

  /** Replaces every parameter with {@code values}, laid out as {@link #parameters()}. */
  void setParameters(INDArray values);

  /** A copy of the optimizer's state (Adam's moments, ...) as one row vector; null if it has none. */
  INDArray updaterState();

  /** Replaces the optimizer's state, laid out as {@link #updaterState()}; null if it has none. */
  void setUpdaterState(INDArray state);

  /** Optimizer steps taken so far (the iteration learning-rate schedules and Adam read). */
  int iteration();

  void setIteration(int iteration);

  /** The epoch given to the last {@link #startEpoch} (the epoch learning-rate schedules read). */
  int epoch();

  /** A copy of the optimizer's configuration as it stands, learning-rate changes included. */
  IUpdater updater();
}
