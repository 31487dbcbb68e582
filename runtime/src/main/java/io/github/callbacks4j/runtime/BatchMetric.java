package io.github.callbacks4j.runtime;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A compiled metric: its log key and, per batch, the sum over samples of its per-sample value, so
 * that epoch values are sample-weighted means as in Keras.
 */
record BatchMetric(String key, Kind kind) {
  static final List<String> SUPPORTED = List.of("accuracy", "acc", "categorical_accuracy",
      "binary_accuracy", "mse", "mean_squared_error", "mae", "mean_absolute_error");

  enum Kind {
    CATEGORICAL_ACCURACY,
    BINARY_ACCURACY,
    MEAN_SQUARED_ERROR,
    MEAN_ABSOLUTE_ERROR
  }

  /** Resolves a Keras metric name; {@code "accuracy"} follows the loss and output size as Keras does. */
  static BatchMetric resolve(String name, LossFunction loss, int outputUnits) {
    Kind kind = switch (name) {
      case "accuracy", "acc" -> loss == LossFunction.XENT || outputUnits == 1
          ? Kind.BINARY_ACCURACY
          : Kind.CATEGORICAL_ACCURACY;
      case "categorical_accuracy" -> Kind.CATEGORICAL_ACCURACY;
      case "binary_accuracy" -> Kind.BINARY_ACCURACY;
      case "mse", "mean_squared_error" -> Kind.MEAN_SQUARED_ERROR;
      case "mae", "mean_absolute_error" -> Kind.MEAN_ABSOLUTE_ERROR;
      default -> throw new IllegalArgumentException(
          "unknown metric '" + name + "'; supported: " + String.join(", ", SUPPORTED));
    };
    return new BatchMetric(name, kind);
  }

  /** How many of two small index vectors agree: two copies out beat three more native ops. */
  private static double matches(INDArray predicted, INDArray actual) {
    long[] p = predicted.toLongVector();
    long[] a = actual.toLongVector();
    int same = 0;
    for (int i = 0; i < p.length; i++) {
      if (p[i] == a[i]) {
        same++;
      }
    }
    return same;
  }

  /** The sum over the batch's samples of this metric's per-sample value. */
  double sum(INDArray labels, INDArray predictions) {
    double outputs = labels.columns();
    return switch (kind) {
      case CATEGORICAL_ACCURACY -> matches(predictions.argMax(1), labels.argMax(1));
      case BINARY_ACCURACY -> predictions.gt(0.5).eq(labels.gt(0.5))
          .castTo(DataType.FLOAT).sumNumber().doubleValue() / outputs;
      case MEAN_SQUARED_ERROR -> predictions.squaredDistance(labels) / outputs;
      case MEAN_ABSOLUTE_ERROR -> Transforms.abs(predictions.sub(labels), false)
          .sumNumber().doubleValue() / outputs;
    };
  }
}
