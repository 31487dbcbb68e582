package io.github.callbacks4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class Dl4jMetricTest {
  private static final INDArray LABELS = Nd4j.createFromArray(new float[][] {
      {0, 1, 0}, {1, 0, 0}, {0, 0, 1}, {0, 1, 0}});
  /** Rows 0 and 2 right; row 1 wrong; row 3 ties between 0 and 1, so argmax is 0: wrong. */
  private static final INDArray PREDICTIONS = Nd4j.createFromArray(new float[][] {
      {0.1f, 0.8f, 0.1f}, {0.2f, 0.7f, 0.1f}, {0.3f, 0.3f, 0.4f}, {0.4f, 0.4f, 0.2f}});

  @Test
  void categoricalAccuracyCountsRowsWhoseLargestValueMatchesFirstOnTies() {
    Dl4jMetric accuracy = Dl4jMetric.resolve("accuracy", false, 3);
    assertEquals(2, accuracy.sum(LABELS, PREDICTIONS));
    // A view of rows 1..3, as an iterator's batches can be.
    INDArray rows = PREDICTIONS.get(NDArrayIndex.interval(1, 4), NDArrayIndex.all());
    assertEquals(1, accuracy.sum(LABELS.get(NDArrayIndex.interval(1, 4), NDArrayIndex.all()),
        rows));
  }

  @Test
  void accuracyIsBinaryForSigmoidOrOneUnit() {
    INDArray labels = Nd4j.createFromArray(new float[][] {{1, 0}, {0, 0}});
    INDArray predictions = Nd4j.createFromArray(new float[][] {{0.9f, 0.6f}, {0.2f, 0.1f}});
    // 3 of 4 outputs right: per sample 0.5 and 1.
    assertEquals(1.5, Dl4jMetric.resolve("accuracy", true, 2).sum(labels, predictions), 1e-9);
    assertEquals(1.5, Dl4jMetric.resolve("binary_accuracy", false, 2).sum(labels, predictions),
        1e-9);
  }

  @Test
  void errorsAreSummedPerSampleMeans() {
    INDArray labels = Nd4j.createFromArray(new float[][] {{1, 0}, {0, 0}});
    INDArray predictions = Nd4j.createFromArray(new float[][] {{0.5f, 0.5f}, {0, 1}});
    assertEquals(0.25 + 0.5, Dl4jMetric.resolve("mse", false, 2).sum(labels, predictions), 1e-6);
    assertEquals(0.5 + 0.5, Dl4jMetric.resolve("mae", false, 2).sum(labels, predictions), 1e-6);
  }

  @Test
  void anUnknownNameIsRefusedNamingTheSupportedOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Dl4jMetric.resolve("f1", false, 3));
    assertTrue(e.getMessage().contains("'f1'") && e.getMessage().contains("categorical_accuracy"),
        e.getMessage());
  }
}
