package io.github.callbacks4j.runtime;

import io.github.callbacks4j.MetricDirection;
import java.util.List;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A compiled metric: per batch, the sum over samples of its per-sample value, so
 * that epoch values are sample-weighted means as in Keras. Not thread-safe: it reuses buffers.
 */
final class BatchMetric {
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
          "unknown metric '" + name + "'; supported: " + String.join(", ", SUPPORTED) + ", "
              + String.join(", ", StatefulMetrics.NAMES));
    };
    return new BatchMetric(kind);
  }

  /** Which way a compiled metric improves: accuracies up, errors down. */
  MetricDirection direction() {
    return switch (kind) {
      case CATEGORICAL_ACCURACY, BINARY_ACCURACY -> MetricDirection.UP;
      case MEAN_SQUARED_ERROR, MEAN_ABSOLUTE_ERROR -> MetricDirection.DOWN;
    };
  }

  private final Kind kind;
  private float[] predicted = new float[0];
  private float[] actual = new float[0];

  private BatchMetric(Kind kind) {
    this.kind = kind;
  }

  /**
   * How many rows have their largest value in the same column, first one on ties as Keras's
   * argmax. A batch's outputs are a few thousand values: copying them out and comparing in Java
   * measured faster than ND4J's two argMax ops, which cost more in dispatch than in work.
   */
  private double argMaxMatches(INDArray predictions, INDArray labels) {
    int size = Math.toIntExact(predictions.length());
    if (predicted.length < size) {
      predicted = new float[size];
      actual = new float[size];
    }
    copy(predictions, predicted, size);
    copy(labels, actual, size);
    int columns = Math.toIntExact(predictions.columns());
    int same = 0;
    for (int row = 0; row < size; row += columns) {
      if (argMax(predicted, row, columns) == argMax(actual, row, columns)) {
        same++;
      }
    }
    return same;
  }

  /** Copies the values in row order; one bulk read when they already lie so, as a batch's do. */
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

  /** The sum over the batch's samples of this metric's per-sample value. */
  double sum(INDArray labels, INDArray predictions) {
    double outputs = labels.columns();
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
