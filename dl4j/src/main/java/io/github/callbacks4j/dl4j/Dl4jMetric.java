package io.github.callbacks4j.dl4j;

import io.github.callbacks4j.MetricDirection;
import io.github.callbacks4j.runtime.StatefulMetrics;
import java.util.List;
import java.util.Optional;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A metric the DL4J engine logs: per batch, the sum over samples of its per-sample value, so that
 * epoch values are sample-weighted means as in Keras. The same names and meanings as the runtime's
 * metrics for {@code Sequential}. Not thread-safe: it reuses buffers.
 */
final class Dl4jMetric {
  static final List<String> SUPPORTED = List.of("accuracy", "acc", "categorical_accuracy",
      "binary_accuracy", "mse", "mean_squared_error", "mae", "mean_absolute_error");

  private enum Kind { CATEGORICAL_ACCURACY, BINARY_ACCURACY, MEAN_SQUARED_ERROR, MEAN_ABSOLUTE_ERROR }

  /**
   * Which way a supported metric improves: accuracies and the stateful metrics up, errors down;
   * empty for other names.
   */
  static Optional<MetricDirection> direction(String name) {
    if (StatefulMetrics.isStateful(name)) {
      return Optional.of(MetricDirection.UP);
    }
    return switch (name) {
      case "accuracy", "acc", "categorical_accuracy", "binary_accuracy" ->
          Optional.of(MetricDirection.UP);
      case "mse", "mean_squared_error", "mae", "mean_absolute_error" ->
          Optional.of(MetricDirection.DOWN);
      default -> Optional.empty();
    };
  }

  private final Kind kind;
  private float[] predicted = new float[0];
  private float[] actual = new float[0];

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
          "unknown metric '" + name + "'; supported: " + String.join(", ", SUPPORTED) + ", "
              + String.join(", ", StatefulMetrics.NAMES));
    };
    return new Dl4jMetric(kind);
  }

  /**
   * How many rows have their largest value in the same column (the first on ties, as Keras's
   * argmax). A batch's outputs are a few hundred values: reading them out once and comparing in
   * Java costs less than ND4J's argMax, eq and sum ops, whose dispatch outweighs their work.
   */
  private double argMaxMatches(INDArray predictions, INDArray labels) {
    int size = Math.toIntExact(predictions.length());
    if (predicted.length < size) {
      predicted = new float[size];
      actual = new float[size];
    }
    copy(predictions, predicted, size);
    copy(labels, actual, size);
    int columns = Math.toIntExact(size / predictions.size(0));
    int same = 0;
    for (int row = 0; row < size; row += columns) {
      if (argMax(predicted, row, columns) == argMax(actual, row, columns)) {
        same++;
      }
    }
    return same;
  }

  /** Copies the values in row order: one bulk read when they already lie so, as a batch's do. */
  private static void copy(INDArray array, float[] into, int size) {
    INDArray rowMajor = array.dataType() == DataType.FLOAT && array.ordering() == 'c'
        && array.elementWiseStride() == 1 ? array : array.castTo(DataType.FLOAT).dup('c');
    // addressPointer() is where this array's first value lies, views included.
    new FloatPointer(rowMajor.data().addressPointer()).get(into, 0, size);
  }

  private static int argMax(float[] values, int from, int count) {
    int best = 0;
    for (int i = 1; i < count; i++) {
      if (values[from + i] > values[from + best]) {
        best = i;
      }
    }
    return best;
  }

  /** The sum over the batch's samples (rows) of this metric's per-sample value. */
  double sum(INDArray labels, INDArray predictions) {
    double outputs = labels.length() / labels.size(0);
    return switch (kind) {
      case CATEGORICAL_ACCURACY -> argMaxMatches(predictions, labels);
      case BINARY_ACCURACY -> predictions.gt(0.5).eq(labels.gt(0.5))
          .castTo(DataType.FLOAT).sumNumber().doubleValue() / outputs;
      case MEAN_SQUARED_ERROR -> predictions.squaredDistance(labels) / outputs;
      case MEAN_ABSOLUTE_ERROR -> Transforms.abs(predictions.sub(labels), false)
          .sumNumber().doubleValue() / outputs;
    };
  }
}
