package io.github.callbacks4j.spark;

import io.github.callbacks4j.runtime.FlatStateEngine;
import io.github.callbacks4j.runtime.Sequential;
import java.io.Serializable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * What the driver broadcasts each round: the whole training state, so executors keep nothing
 * between rounds and a retried or moved task starts from the same place. The optimizer's
 * configuration travels too, so a learning rate a callback set applies from the next round on.
 * Vectors travel as {@code float[]}: Java serialization copies those in bulk, several times faster
 * than an INDArray's own.
 *
 * @param updaterState null for a stateless optimizer
 * @param epochSeed the epoch's shuffle seed, null for the stored order
 */
record RoundState(float[] parameters, float[] updaterState, int iteration, IUpdater updater,
    int epoch, int round, Long epochSeed) implements Serializable {

  /** The state of {@code model} now. */
  static RoundState of(FlatStateEngine model, int round, Long epochSeed) {
    return new RoundState(model.parameters().toFloatVector(), floats(model.updaterState()),
        model.iteration(), model.updater(), model.epoch(), round, epochSeed);
  }

  static float[] floats(INDArray vector) {
    return vector == null ? null : vector.toFloatVector();
  }

  static INDArray array(float[] vector) {
    return vector == null ? null : Nd4j.createFromArray(vector);
  }

  /** A worker's copy of the model in this state. */
  Sequential model(ModelBlueprint blueprint) {
    Sequential model = blueprint.build(updater);
    model.setParameters(array(parameters));
    model.setUpdaterState(array(updaterState));
    model.setIteration(iteration);
    model.startEpoch(epoch);
    return model;
  }
}
