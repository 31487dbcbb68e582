package io.github.callbacks4j.samples;

import io.github.callbacks4j.runtime.Datasets;
import io.github.callbacks4j.runtime.Datasets.LabeledData;
import io.github.callbacks4j.runtime.Dense;
import io.github.callbacks4j.runtime.Sequential;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** The bundled 8x8 digits, shuffled once and split 80/20 into training and test sets. */
record SampleData(LabeledData train, LabeledData test) {

  static SampleData digits() {
    LabeledData all = Datasets.digits().shuffled(42); // the file is ordered by writer
    long split = (long) (all.samples() * 0.8);
    return new SampleData(all.rows(0, split), all.rows(split, all.samples()));
  }

  /** The small MLP the samples train: 64 -> 64 ReLU -> 10 softmax, Adam. */
  static Sequential digitsModel() {
    return new Sequential().seed(42)
        .add(new Dense(64).inputSize(64).activation(Activation.RELU))
        .add(new Dense(10).activation(Activation.SOFTMAX))
        .compile(LossFunction.MCXENT, new Adam(3e-3), "accuracy");
  }
}
