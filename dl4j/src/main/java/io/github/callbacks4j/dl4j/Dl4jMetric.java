package io.github.callbacks4j.dl4j;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A metric the DL4J engine logs: per batch, the sum over samples of its per-sample value, so that
 * epoch values are sample-weighted means as in Keras. The same names and meanings as the runtime's
 * metrics for {@code Sequential}.
 */
final class Dl4jMetric {
  static final List<String> SUPPORTED = List.of("accuracy", "acc", "categorical_accuracy",
      "binary_accuracy", "mse", "mean_squared_error", "mae", "mean_absolute_error");

  private enum Kind { CATEGORICAL_ACCURACY, BINARY_ACCURACY, MEAN_SQUARED_ERROR, MEAN_ABSOLUTE_ERROR }

  private final Kind kind;

  private Dl4jMetric(Kind kind) {
    this.kind = kind;
  }

  /**
   * Resolves a Keras metric name; {@code "accuracy"} is binary for a sigmoid output or a single
   * output unit and categorical otherwise, as Keras chooses.
   */
  static Dl4jMetric resolve(String name, boolean sigmoidOutput, long outputUnits) {
    Kind kind = switch (name) {
      case "accuracy", "acc" -> sigmoidOutput || outputUnits == 1
          ? Kind.BINARY_ACCURACY : Kind.CATEGORICAL_ACCURACY;
      case "categorical_accuracy" -> Kind.CATEGORICAL_ACCURACY;
      case "binary_accuracy" -> Kind.BINARY_ACCURACY;
      case "mse", "mean_squared_error" -> Kind.MEAN_SQUARED_ERROR;
      case "mae", "mean_absolute_error" -> Kind.MEAN_ABSOLUTE_ERROR;
      default -> throw new IllegalArgumentException(
          "unknown metric '" + name + "'; supported: " + String.join(", ", SUPPORTED));
    };
    return new Dl4jMetric(kind);
  }

  /** The sum over the batch's samples (rows) of this metric's per-sample value. */
  double sum(INDArray labels, INDArray predictions) {
    double outputs = labels.length() / labels.size(0);
    return switch (kind) {
      case CATEGORICAL_ACCURACY -> predictions.argMax(1).eq(labels.argMax(1))
          .castTo(DataType.FLOAT).sumNumber().doubleValue();
      case BINARY_ACCURACY -> predictions.gt(0.5).eq(labels.gt(0.5))
          .castTo(DataType.FLOAT).sumNumber().doubleValue() / outputs;
      case MEAN_SQUARED_ERROR -> predictions.squaredDistance(labels) / outputs;
      case MEAN_ABSOLUTE_ERROR -> Transforms.abs(predictions.sub(labels), false)
          .sumNumber().doubleValue() / outputs;
    };
  }
}
