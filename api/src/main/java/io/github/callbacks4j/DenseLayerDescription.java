package io.github.callbacks4j;

import java.util.Objects;

/**
 * One fully connected layer, {@code activation(input · kernel + bias)}, as a model describes its
 * structure to callbacks (TensorBoard draws its graph from these).
 *
 * @param name the layer's name, such as {@code dense_0}; its weights are {@code <name>/kernel} and
 *     {@code <name>/bias} in {@link Model#weights()}
 * @param inputSize the number of inputs
 * @param units the number of outputs
 * @param activation Keras's name for the activation, such as {@code "relu"}, {@code "softmax"} or
 *     {@code "linear"}
 */
public record DenseLayerDescription(String name, int inputSize, int units, String activation) {
  public DenseLayerDescription {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(activation, "activation");
    if (inputSize < 1 || units < 1) {
      throw new IllegalArgumentException("layer " + name + " needs inputSize and units >= 1, got "
          + inputSize + " and " + units);
    }
  }
}
