package io.github.callbacks4j.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The stateful metrics against the values of Keras's own metric tests. */
class StatefulMetricsTest {
  private static final List<String> ALL = List.of("loss_like", "auc", "precision", "recall",
      "f1_score");

  @Test
  void onlyTheKerasStatefulNamesAreStateful() {
    StatefulMetrics metrics = StatefulMetrics.of(List.of("accuracy", "auc", "mse", "f1_score"), 1,
        true, "Dense(1, SIGMOID)");
    assertFalse(metrics.isStateful(0));
    assertTrue(metrics.isStateful(1));
    assertFalse(metrics.isStateful(2));
    assertTrue(metrics.isStateful(3));
    assertSame(StatefulMetrics.NONE,
        StatefulMetrics.of(List.of("accuracy"), 1, false, "Dense(1, IDENTITY)"));
  }

  /** keras/src/metrics/confusion_metrics_test.py AUCTest.test_unweighted: 0.75. */
  @Test
  void aucOfKerasAucTest() {
    StatefulMetrics metrics = binary();
    metrics.update(column(0, 0, 1, 1), column(0, 0.5f, 0.3f, 0.9f));
    assertEquals(0.75, metrics.result(1), 1e-9);
  }

  /**
   * Tied outputs share Keras's threshold bucket, so each tied positive-negative pair counts half,
   * in whichever order they come.
   */
  @Test
  void tiedOutputsCountHalf() {
    StatefulMetrics metrics = binary();
    metrics.update(column(0, 1), column(0.5f, 0.5f));
    assertEquals(0.5, metrics.result(1), 1e-9);
    metrics.reset();
    metrics.update(column(1, 0, 0, 1), column(0.5f, 0.5f, 0.2f, 0.7f));
    assertEquals(0.875, metrics.result(1), 1e-9, "(0.5 + 1 + 1 + 1) / 4 pairs");
  }

  /** AUCTest.test_unweighted_all_correct: 1; and Keras's 0 while one class is missing. */
  @Test
  void aucIsOneWhenAllCorrectAndZeroWithOneClass() {
    StatefulMetrics metrics = binary();
    metrics.update(column(0, 1, 1, 0), column(0, 1, 1, 0));
    assertEquals(1.0, metrics.result(1), 1e-9);
    metrics.reset();
    metrics.update(column(1, 1), column(0.2f, 0.9f));
    assertEquals(0.0, metrics.result(1), "no negatives: Keras's false-positive rate stays 0");
  }

  /**
   * TruePositiveTest/FalsePositiveTest/FalseNegativeTest.test_unweighted's arrays (tp 7, fp 7,
   * fn 3), as Keras's Precision and Recall see them: every entry a decision. Fed in two unequal
   * batches, the results are those of all four rows, not a mean of the batches'.
   */
  @Test
  void precisionAndRecallCountEveryEntryOverAllBatches() {
    INDArray labels = Nd4j.createFromArray(new float[][] {
        {0, 1, 0, 1, 0}, {0, 0, 1, 1, 1}, {1, 1, 1, 1, 0}, {0, 0, 0, 0, 1}});
    INDArray predictions = Nd4j.createFromArray(new float[][] {
        {0, 0, 1, 1, 0}, {1, 1, 1, 1, 1}, {0, 1, 0, 1, 0}, {1, 1, 1, 1, 1}});
    StatefulMetrics metrics = StatefulMetrics.of(ALL, 5, true, "Dense(5, SIGMOID)");
    metrics.update(rows(labels, 0, 1), rows(predictions, 0, 1));
    assertEquals(0.5, metrics.result(3), 1e-9, "row 0 alone: recall 1/2");
    metrics.update(rows(labels, 1, 4), rows(predictions, 1, 4));

    assertEquals(0.5, metrics.result(2), 1e-9, "precision 7 / (7 + 7)");
    assertEquals(0.7, metrics.result(3), 1e-9, "recall 7 / (7 + 3), where the sample-weighted"
        + " mean of the batches' recalls (1/2 and 6/8) is 0.6875");
  }

  /** Keras's decision is "above the threshold": 0.5 is a negative. */
  @Test
  void anOutputOfExactlyOneHalfIsNotAPositive() {
    StatefulMetrics metrics = binary();
    metrics.update(column(1, 0, 1), column(0.5f, 0.5f, 0.7f));
    assertEquals(1.0, metrics.result(2), 1e-9, "precision: only 0.7 is a positive");
    assertEquals(0.5, metrics.result(3), 1e-9);
  }

  /** Keras's divide_no_nan: no positive predicted and none labelled is 0, not NaN. */
  @Test
  void undefinedRatiosAreZero() {
    StatefulMetrics metrics = binary();
    metrics.update(column(0, 0), column(0.1f, 0.2f));
    assertEquals(0.0, metrics.result(2));
    assertEquals(0.0, metrics.result(3));
    assertEquals(0.0, metrics.result(4));
  }

  /**
   * keras/src/metrics/f_score_metrics_test.py test_fbeta_random_score_none (threshold None, beta
   * 1): per class [0.8, 0.6666667, 1.0]; "f1_score" logs their mean, the ("macro", 1.0) case's
   * 0.822222.
   */
  @Test
  void f1ScoreOfOneHotOutputsIsTheMeanOfKerasPerClassScores() {
    INDArray labels = Nd4j.createFromArray(new float[][] {
        {1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 0, 0}, {1, 0, 0}, {0, 0, 1}});
    INDArray predictions = Nd4j.createFromArray(new float[][] {
        {0.9f, 0.1f, 0}, {0.2f, 0.6f, 0.2f}, {0, 0, 1}, {0.4f, 0.3f, 0.3f}, {0, 0.9f, 0.1f},
        {0, 0, 1}});
    StatefulMetrics metrics = StatefulMetrics.of(ALL, 3, true, "Dense(3, SOFTMAX)");
    metrics.update(rows(labels, 0, 4), rows(predictions, 0, 4));
    metrics.update(rows(labels, 4, 6), rows(predictions, 4, 6));

    assertEquals((0.8 + 2.0 / 3 + 1.0) / 3, metrics.result(4), 1e-9);
    assertEquals(0.822222, metrics.result(4), 1e-6);
  }

  /**
   * Keras's threshold None marks every output equal to the row's largest: a tie gives both classes
   * a positive (class 0 a true one, class 1 a false one), and an all-zero row none.
   */
  @Test
  void f1ScoreMarksEveryTiedMaximumAsKerasDoes() {
    StatefulMetrics metrics = StatefulMetrics.of(ALL, 3, true, "Dense(3, SOFTMAX)");
    metrics.update(Nd4j.createFromArray(new float[][] {{1, 0, 0}, {0, 0, 1}}),
        Nd4j.createFromArray(new float[][] {{0.4f, 0.4f, 0.2f}, {0, 0, 0}}));
    // class 0: tp 1 -> 1; class 1: fp 1 -> 0; class 2: fn 1 -> 0.
    assertEquals(1.0 / 3, metrics.result(4), 1e-9);
  }

  /**
   * Keras's F1Score decides on every entry of a row, so a multi-label row with two 1s and two
   * outputs at the row's largest counts two true positives (an argmax would count one).
   */
  @Test
  void f1ScoreOfSeveralUnitsCountsEveryLabelledEntry() {
    StatefulMetrics metrics = StatefulMetrics.of(ALL, 3, true, "Dense(3, SIGMOID)");
    metrics.update(Nd4j.createFromArray(new float[][] {{1, 1, 0}}),
        Nd4j.createFromArray(new float[][] {{0.8f, 0.8f, 0.1f}}));
    // class 0: tp 1 -> 1; class 1: tp 1 -> 1; class 2: nothing -> 0.
    assertEquals(2.0 / 3, metrics.result(4), 1e-9);
  }

  /**
   * Many random rows, with ties, all-zero rows and multi-label rows, fed in batches: the F1 of
   * each class's decisions taken literally (Keras's y_pred >= row max and abs(y_pred) > 1e-9).
   */
  @Test
  void f1ScoreAgreesWithKerasDecisionsTakenEntryByEntry() {
    Random random = new Random(5);
    int rows = 300;
    int classes = 4;
    float[][] outputs = new float[rows][classes];
    float[][] labels = new float[rows][classes];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < classes; c++) {
        outputs[r][c] = r % 17 == 0 ? 0 : random.nextInt(5) / 4f; // ties are common
        labels[r][c] = random.nextInt(3) == 0 ? 1 : 0;
      }
    }
    StatefulMetrics metrics = StatefulMetrics.of(ALL, classes, true, "Dense(4, SIGMOID)");
    INDArray allOutputs = Nd4j.createFromArray(outputs);
    INDArray allLabels = Nd4j.createFromArray(labels);
    for (int from = 0; from < rows; from += 64) {
      long to = Math.min(from + 64, rows);
      metrics.update(rows(allLabels, from, to), rows(allOutputs, from, to));
    }

    double f1Sum = 0;
    for (int c = 0; c < classes; c++) {
      double truePositives = 0;
      double falsePositives = 0;
      double falseNegatives = 0;
      for (int r = 0; r < rows; r++) {
        float largest = Math.max(Math.max(outputs[r][0], outputs[r][1]),
            Math.max(outputs[r][2], outputs[r][3]));
        boolean decided = outputs[r][c] >= largest && Math.abs(outputs[r][c]) > 1e-9;
        boolean positive = labels[r][c] == 1;
        truePositives += decided && positive ? 1 : 0;
        falsePositives += decided && !positive ? 1 : 0;
        falseNegatives += !decided && positive ? 1 : 0;
      }
      f1Sum += 2 * truePositives / (2 * truePositives + falsePositives + falseNegatives);
    }
    assertEquals(f1Sum / classes, metrics.result(4), 1e-12);
  }

  /** A NaN output is no positive decision (Keras's comparisons are false), and auc is NaN. */
  @Test
  void aNotANumberOutputIsNoDecisionAndMakesAucNotANumber() {
    StatefulMetrics metrics = binary();
    metrics.update(column(1, 1, 0), column(Float.NaN, 0.9f, 0.2f));
    assertEquals(1.0, metrics.result(2), 1e-9, "precision: 0.9 is the only positive");
    assertEquals(0.5, metrics.result(3), 1e-9, "recall: the NaN output missed its positive");
    assertEquals(Double.NaN, metrics.result(1));
  }

  /** A single sigmoid unit: F1 of the 0.5 decisions, 2PR / (P + R). */
  @Test
  void f1ScoreOfABinaryOutputUsesTheHalfThreshold() {
    StatefulMetrics metrics = binary();
    metrics.update(column(0, 0, 1, 1, 1), column(0.2f, 0.8f, 0.4f, 0.6f, 0.9f));
    double precision = 2.0 / 3;
    double recall = 2.0 / 3;
    assertEquals(2 * precision * recall / (precision + recall), metrics.result(4), 1e-9);
  }

  @Test
  void resetForgetsEveryBatch() {
    StatefulMetrics metrics = binary();
    metrics.update(column(1, 0), column(0.9f, 0.1f));
    metrics.reset();
    metrics.update(column(1, 0), column(0.1f, 0.9f));
    assertEquals(0.0, metrics.result(1), 1e-9);
    assertEquals(0.0, metrics.result(2), 1e-9);
  }

  @Test
  void aRegressionOutputIsRefusedNamingTheMetricAndTheLayer() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> StatefulMetrics.of(List.of("mse", "auc"), 1, false, "Dense(1, IDENTITY)"));
    assertTrue(e.getMessage().contains("'auc'") && e.getMessage().contains("Dense(1, IDENTITY)")
        && e.getMessage().contains("sigmoid"), e.getMessage());
  }

  @Test
  void aLabelOtherThanZeroOrOneIsRefusedNamingItsRow() {
    StatefulMetrics metrics = binary();
    metrics.requireLabels("y", column(0, 1, 1), 0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> metrics.requireLabels("y", column(0, 1, 0.3f), 40));
    assertTrue(e.getMessage().contains("y row 42") && e.getMessage().contains("0.3"),
        e.getMessage());
    StatefulMetrics.NONE.requireLabels("y", column(0.3f), 0);
  }

  /** Labels are read as floats, as the metrics read them: a double that rounds to 1 is a 1. */
  @Test
  void doubleLabelsAreCheckedAsTheMetricsReadThem() {
    StatefulMetrics metrics = binary();
    metrics.requireLabels("y", Nd4j.createFromArray(0.0, 1 + 1e-12).reshape(2, 1), 0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> metrics.requireLabels("y", Nd4j.createFromArray(1.0, 0.5).reshape(2, 1), 0));
    assertTrue(e.getMessage().contains("y row 1") && e.getMessage().contains("0.5"),
        e.getMessage());
  }

  @Test
  void labelsOfAnotherShapeThanSamplesByClassesAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> binary().requireLabels("y", Nd4j.zeros(DataType.FLOAT, 2, 1, 3), 0));
    assertTrue(e.getMessage().contains("[2, 1, 3]"), e.getMessage());
  }

  private static StatefulMetrics binary() {
    return StatefulMetrics.of(ALL, 1, true, "Dense(1, SIGMOID)");
  }

  private static INDArray column(float... values) {
    return Nd4j.createFromArray(values).reshape(values.length, 1);
  }

  private static INDArray rows(INDArray array, long from, long to) {
    return array.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
  }
}
