package io.github.callbacks4j.spark;

import io.github.callbacks4j.runtime.Dense;
import io.github.callbacks4j.runtime.Sequential;
import io.github.callbacks4j.runtime.WeightInit;
import java.io.Serializable;
import java.util.List;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * What an executor needs to build its own copy of the driver's {@link Sequential}: layers, loss
 * and metrics. Weights, optimizer state and the optimizer's configuration come with each round.
 */
final class ModelBlueprint implements Serializable {
  private static final long serialVersionUID = 1L;

  private record Layer(int units, int inputSize, Activation activation, WeightInit weightInit)
      implements Serializable {}

  private final List<Layer> layers;
  private final LossFunction loss;
  private final List<String> metrics;

  ModelBlueprint(Sequential model) {
    this.layers = model.layers().stream()
        .map(l -> new Layer(l.units(), l.inputSize(), l.activation(), l.weightInit()))
        .toList();
    this.loss = model.loss();
    this.metrics = List.copyOf(model.metricNames());
  }

  /** A compiled copy with {@code updater}; its weights are whatever the caller sets next. */
  Sequential build(IUpdater updater) {
    Sequential model = new Sequential();
    for (Layer layer : layers) {
      model.add(new Dense(layer.units()).inputSize(layer.inputSize())
          .activation(layer.activation()).weightInit(layer.weightInit()));
    }
    return model.compile(loss, updater, metrics.toArray(String[]::new));
  }

  /** A copy to check data with: shapes, finite values, labels the loss can use. */
  Sequential checker() {
    return build(new Sgd());
  }

  int inputSize() {
    return layers.get(0).inputSize();
  }

  int metricCount() {
    return metrics.size();
  }

  int outputUnits() {
    return layers.get(layers.size() - 1).units();
  }
}
