package io.github.callbacks4j.callbacks;

import io.github.callbacks4j.DenseLayerDescription;
import java.util.List;
import java.util.Locale;

/**
 * A stack of Dense layers as a {@code tensorflow.GraphDef}, the graph a TensorFlow Keras model
 * of the same layers would show in TensorBoard's Graphs tab: a float {@code input} placeholder of
 * shape {@code [-1, inputs]}, then per layer its {@code kernel} and {@code bias} variables, its
 * {@code MatMul}, {@code BiasAdd} and activation op, under the layer's name as scope. Every node
 * carries its dtype and {@code _output_shapes} ({@code -1} is the unknown batch size). Encoded
 * field by field: {@code GraphDef{node=1}}, {@code NodeDef{name=1, op=2, input=3, attr=5}},
 * {@code AttrValue{list=1, b=5, type=6, shape=7}}, {@code ListValue{shape=7}} and
 * {@code TensorShapeProto{dim=2}}, {@code Dim{size=1}}.
 */
final class DenseGraph {
  private static final int DT_FLOAT = 1;
  private static final long UNKNOWN = -1;

  private DenseGraph() {}

  static byte[] graphDef(List<DenseLayerDescription> layers) {
    Proto graph = new Proto();
    String previous = "input";
    graph.message(1, new Node(previous, "Placeholder").attr("dtype", type())
        .attr("shape", shape(UNKNOWN, layers.get(0).inputSize()))
        .outputShape(UNKNOWN, layers.get(0).inputSize()).proto);
    for (DenseLayerDescription layer : layers) {
      String scope = layer.name() + "/";
      long inputs = layer.inputSize();
      long units = layer.units();
      graph.message(1, new Node(scope + "kernel", "VariableV2").attr("dtype", type())
          .attr("shape", shape(inputs, units)).outputShape(inputs, units).proto);
      graph.message(1, new Node(scope + "bias", "VariableV2").attr("dtype", type())
          .attr("shape", shape(units)).outputShape(units).proto);
      graph.message(1, new Node(scope + "MatMul", "MatMul").input(previous).input(scope + "kernel")
          .attr("T", type()).attr("transpose_a", bool(false)).attr("transpose_b", bool(false))
          .outputShape(UNKNOWN, units).proto);
      graph.message(1, new Node(scope + "BiasAdd", "BiasAdd").input(scope + "MatMul")
          .input(scope + "bias").attr("T", type()).outputShape(UNKNOWN, units).proto);
      String op = activationOp(layer.activation());
      graph.message(1, new Node(scope + op, op).input(scope + "BiasAdd").attr("T", type())
          .outputShape(UNKNOWN, units).proto);
      previous = scope + op;
    }
    return graph.toByteArray();
  }

  /**
   * TensorFlow's op for a Keras activation name: {@code Identity} for {@code linear}, otherwise
   * the name in CamelCase ({@code relu} is {@code Relu}, {@code leaky_relu} is {@code LeakyRelu}).
   */
  static String activationOp(String activation) {
    if (activation.equals("linear")) {
      return "Identity";
    }
    StringBuilder op = new StringBuilder();
    for (String word : activation.split("_")) {
      if (!word.isEmpty()) {
        op.append(word.substring(0, 1).toUpperCase(Locale.ROOT)).append(word.substring(1));
      }
    }
    return op.toString();
  }

  private static Proto type() {
    return new Proto().varint(6, DT_FLOAT);
  }

  private static Proto bool(boolean value) {
    return new Proto().varint(5, value ? 1 : 0);
  }

  private static Proto shape(long... dims) {
    return new Proto().message(7, tensorShape(dims));
  }

  private static Proto tensorShape(long... dims) {
    Proto shape = new Proto();
    for (long size : dims) {
      shape.message(2, new Proto().varint(1, size));
    }
    return shape;
  }

  /** A NodeDef being built; attribute entries are the map's key/value messages. */
  private static final class Node {
    final Proto proto = new Proto();

    Node(String name, String op) {
      proto.string(1, name).string(2, op);
    }

    Node input(String name) {
      proto.string(3, name);
      return this;
    }

    Node attr(String key, Proto value) {
      proto.message(5, new Proto().string(1, key).message(2, value));
      return this;
    }

    Node outputShape(long... dims) {
      return attr("_output_shapes", new Proto().message(1, new Proto().message(7, tensorShape(dims))));
    }
  }
}
