package io.github.callbacks4j.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.callbacks4j.MetricDirection;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

class BatchMetricTest {
  private static final float[][] PREDICTIONS = {
      {0.1f, 0.7f, 0.2f}, // 1
      {0.5f, 0.3f, 0.2f}, // 0
      {0.3f, 0.3f, 0.4f}, // 2
      {0.4f, 0.4f, 0.2f}, // tie: the first, 0
      {0.2f, 0.2f, 0.6f}, // 2
  };
  private static final float[][] LABELS = {
      {0, 1, 0},
      {0, 0, 1},
      {0, 0, 1},
      {1, 0, 0},
      {1, 0, 0},
  };

  private final BatchMetric accuracy = BatchMetric.resolve("accuracy", LossFunction.MCXENT, 3);

  @Test
  void categoricalAccuracyCountsRowsWhoseArgMaxAgrees() {
    INDArray predictions = Nd4j.createFromArray(PREDICTIONS);
    INDArray labels = Nd4j.createFromArray(LABELS);

    assertEquals(3.0, accuracy.sum(labels, predictions));
    assertEquals(3.0, ndArgMaxMatches(labels, predictions), "agrees with ND4J's argMax");
  }

  @Test
  void readsViewsDoublesAndFortranOrderAsTheirValues() {
    INDArray predictions = Nd4j.createFromArray(PREDICTIONS);
    INDArray labels = Nd4j.createFromArray(LABELS);
    INDArray predictionRows = predictions.get(NDArrayIndex.interval(2, 5), NDArrayIndex.all());
    INDArray labelRows = labels.get(NDArrayIndex.interval(2, 5), NDArrayIndex.all());
    assertEquals(2.0, accuracy.sum(labelRows, predictionRows), "rows 2-4 of a larger array");
    INDArray twoPredictionRows = predictions.get(NDArrayIndex.interval(2, 4), NDArrayIndex.all());
    INDArray twoLabelRows = labels.get(NDArrayIndex.interval(2, 4), NDArrayIndex.all());
    assertEquals(2.0, accuracy.sum(twoLabelRows, twoPredictionRows), "rows 2-3, where rows 0-1 "
        + "would give 1");

    assertEquals(3.0, accuracy.sum(labels.castTo(DataType.DOUBLE), predictions.dup('f')));
  }

  @Test
  void reusesItsBuffersAcrossBatchesOfDifferentSizes() {
    INDArray predictions = Nd4j.createFromArray(PREDICTIONS);
    INDArray labels = Nd4j.createFromArray(LABELS);
    INDArray one = Nd4j.createFromArray(new float[][] {{0.9f, 0.05f, 0.05f}});
    INDArray oneLabel = Nd4j.createFromArray(new float[][] {{0, 0, 1}});

    assertEquals(3.0, accuracy.sum(labels, predictions));
    assertEquals(0.0, accuracy.sum(oneLabel, one), "no stale values from the larger batch");
    assertEquals(3.0, accuracy.sum(labels, predictions));
  }

  private static double ndArgMaxMatches(INDArray labels, INDArray predictions) {
    return predictions.argMax(1).eq(labels.argMax(1)).castTo(DataType.FLOAT).sumNumber()
        .doubleValue();
  }

  /** What a Sequential declares to monitors in mode AUTO: its loss and its compiled metrics. */
  @Test
  void aSequentialDeclaresTheDirectionOfItsLossAndCompiledMetrics() {
    Sequential model = new Sequential().seed(1)
        .add(new Dense(10).inputSize(4).activation(Activation.SOFTMAX))
        .compile(LossFunction.MCXENT, new Adam(1e-2), "acc", "mse", "mae");
    assertEquals(Optional.of(MetricDirection.DOWN), model.metricDirection("loss"));
    assertEquals(Optional.of(MetricDirection.UP), model.metricDirection("acc"));
    assertEquals(Optional.of(MetricDirection.DOWN), model.metricDirection("mse"));
    assertEquals(Optional.of(MetricDirection.DOWN), model.metricDirection("mae"));
    assertEquals(Optional.empty(), model.metricDirection("accuracy"), "not compiled");
    assertEquals(Optional.empty(), model.metricDirection("val_acc"), "a log key, not a metric");
  }
}
