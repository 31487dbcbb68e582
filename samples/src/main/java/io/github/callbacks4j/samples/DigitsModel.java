package io.github.callbacks4j.samples;

import io.github.callbacks4j.runtime.Dense;
import io.github.callbacks4j.runtime.Sequential;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** The small MLP the samples train on {@code Datasets.digits()}, as Keras's guides' {@code get_model()}. */
final class DigitsModel {
  private DigitsModel() {}

  /** 64 pixels -> 64 ReLU -> 10 softmax, Adam 3e-3, seeded so that runs repeat. */
  static Sequential create() {
    return new Sequential().seed(42)
        .add(new Dense(64).inputSize(64).activation(Activation.RELU))
        .add(new Dense(10).activation(Activation.SOFTMAX))
        .compile(LossFunction.MCXENT, new Adam(3e-3), "accuracy");
  }
}
