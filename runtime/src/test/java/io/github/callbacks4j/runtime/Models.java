package io.github.callbacks4j.runtime;

import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** The small digits classifier the tests train: 64-32-10, ReLU then softmax. */
public final class Models {
  private Models() {}

  public static Sequential digits(long seed) {
    return digits(seed, new Adam(1e-2));
  }

  static Sequential digits(long seed, IUpdater updater) {
    return new Sequential().seed(seed)
        .add(new Dense(32).inputSize(64).activation(Activation.RELU))
        .add(new Dense(10).activation(Activation.SOFTMAX))
        .compile(LossFunction.MCXENT, updater, "accuracy");
  }
}
