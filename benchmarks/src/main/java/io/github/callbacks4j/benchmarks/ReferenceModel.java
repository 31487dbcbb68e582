package io.github.callbacks4j.benchmarks;

import io.github.callbacks4j.runtime.Dense;
import io.github.callbacks4j.runtime.Sequential;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** The network every engine benchmark trains, so their figures compare. */
final class ReferenceModel {
  private ReferenceModel() {}

  /** MLP 784-256-128-10 (ReLU, ReLU, softmax), MCXENT, Adam 1e-3, compiled with {@code metrics}. */
  static Sequential build(long seed, String... metrics) {
    return new Sequential().seed(seed)
        .add(new Dense(256).inputSize(784).activation(Activation.RELU))
        .add(new Dense(128).activation(Activation.RELU))
        .add(new Dense(10).activation(Activation.SOFTMAX))
        .compile(LossFunction.MCXENT, new Adam(1e-3), metrics);
  }
}
