package io.github.callbacks4j.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.callbacks4j.Logs;
import io.github.callbacks4j.MetricDirection;
import io.github.callbacks4j.callbacks.History;
import io.github.callbacks4j.callbacks.LambdaCallback;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * Keras's stateful metrics through the loop: exact over each epoch, each validation run and each
 * evaluation, with running values at batch ends. The models have fixed weights (a NoOp updater)
 * so every output is known: {@code sigmoid(x)} for one unit, {@code softmax(x)} for three.
 */
class StatefulMetricsInFitTest {
  private static final String[] METRICS = {"auc", "precision", "recall", "f1_score"};
  /** Keras's AUCTest arrays in order of x: sigmoid keeps the order, so AUC is its 0.75. */
  private static final INDArray X = column(-4, 1, -1, 3);
  private static final INDArray Y = column(0, 0, 1, 1);

  @Test
  void epochValuesAreExactOverTheEpochNotMeansOfBatchValues() {
    Sequential model = sigmoidUnit();
    List<Double> batchEndAuc = new ArrayList<>();
    History history = model.fit(X, Y, FitOptions.builder().epochs(2).batchSize(2)
        .shuffle(false).verbose(0).validationData(X, Y)
        .callbacks(LambdaCallback.builder()
            .onTrainBatchEnd((batch, logs) -> batchEndAuc.add(logs.get("auc"))).build())
        .build());

    // Each batch holds one class only, where Keras's AUC is 0: a mean of batch values would be 0.
    assertEquals(0.0, model.testOnBatch(X.get(rowsOf(0, 2)), Y.get(rowsOf(0, 2))).get("auc"));
    assertEquals(0.0, model.testOnBatch(X.get(rowsOf(2, 4)), Y.get(rowsOf(2, 4))).get("auc"));
    assertEquals(List.of(0.75, 0.75), history.history().get("auc"));
    assertEquals(List.of(0.75, 0.75), history.history().get("val_auc"));
    assertEquals(List.of(0.0, 0.75, 0.0, 0.75), round(batchEndAuc),
        "batch ends log the running value over the epoch so far, from scratch each epoch");
    // x > 0 is a positive: x = 1 (label 0) and x = 3 (label 1); x = -1 (label 1) is missed.
    assertEquals(0.5, history.history().get("precision").get(0), 1e-9);
    assertEquals(0.5, history.history().get("val_recall").get(1), 1e-9);
    assertEquals(0.5, history.history().get("f1_score").get(0), 1e-9);
    assertEquals(Set.of("loss", "auc", "precision", "recall", "f1_score", "val_loss", "val_auc",
        "val_precision", "val_recall", "val_f1_score"), history.history().keySet());
  }

  @Test
  void eachEvaluationStartsFresh() {
    Sequential model = sigmoidUnit();
    EvaluateOptions options = EvaluateOptions.builder().batchSize(1).verbose(0).build();
    assertEquals(0.75, model.evaluate(X, Y, options).get("auc"), 1e-9);
    // Alone, these two give 1; after the four above, without a reset, they would not.
    Logs second = model.evaluate(column(-2, 2), column(0, 1), options);
    assertEquals(1.0, second.get("auc"), 1e-9);
    assertEquals(1.0, second.get("precision"), 1e-9);
  }

  /**
   * One-hot outputs: precision and recall count every entry above 0.5 (Keras's flattening),
   * f1_score is the mean of the per-class F1 of each row's largest output, auc ranks every entry.
   */
  @Test
  void oneHotOutputs() {
    Sequential model = new Sequential()
        .add(new Dense(3).inputSize(3).activation(Activation.SOFTMAX))
        .compile(LossFunction.MCXENT, new NoOp(), METRICS);
    model.setParameters(Nd4j.concat(1, Nd4j.eye(3).reshape(1, 9), Nd4j.zeros(1, 3))
        .castTo(DataType.FLOAT));
    INDArray x = Nd4j.createFromArray(new float[][] {
        {3, 0, 0}, {0, 3, 0}, {0, 0, 1}, {1, 0, 0}});
    INDArray y = Nd4j.createFromArray(new float[][] {
        {1, 0, 0}, {0, 1, 0}, {0, 1, 0}, {0, 0, 1}});
    Logs logs = model.evaluate(x, y, EvaluateOptions.builder().batchSize(3).verbose(0).build());

    // Each row's largest output is its only one above 0.5: rows 0 and 1 right, 2 and 3 wrong.
    assertEquals(0.5, logs.get("precision"), 1e-9);
    assertEquals(0.5, logs.get("recall"), 1e-9);
    // Per class: 0 (tp 1, fp 1) 2/3; 1 (tp 1, fn 1) 2/3; 2 (fp 1, fn 1) 0.
    assertEquals((2.0 / 3 + 2.0 / 3 + 0) / 3, logs.get("f1_score"), 1e-9);
    float[] outputs = model.predict(x, PredictOptions.builder().verbose(0).build())
        .reshape(12).toFloatVector();
    // The four distinct outputs (0.045, 0.212, 0.576, 0.909) lie between different pairs of
    // Keras's 200 thresholds, so its AUC is the exact one here.
    assertEquals(pairwiseAuc(outputs, y.reshape(12).toFloatVector()), logs.get("auc"), 1e-6);
  }

  @Test
  void theModelDeclaresTheStatefulMetricsAsImprovingUpwards() {
    Sequential model = sigmoidUnit();
    for (String metric : METRICS) {
      assertEquals(Optional.of(MetricDirection.UP), model.metricDirection(metric), metric);
    }
  }

  @Test
  void aRegressionOutputIsRefusedAtCompile() {
    Sequential model = new Sequential().add(new Dense(1).inputSize(1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> model.compile(LossFunction.MSE, new Adam(1e-3), "mae", "auc"));
    assertTrue(e.getMessage().contains("'auc'") && e.getMessage().contains("IDENTITY"),
        e.getMessage());
  }

  @Test
  void regressionTargetsAreRefusedWithTheLabel() {
    Sequential model = new Sequential().add(new Dense(1).inputSize(1).activation(Activation.SIGMOID))
        .compile(LossFunction.MSE, new Adam(1e-3), "precision");
    List<String> hooks = new ArrayList<>();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> model.fit(column(1, 2), column(1, 0.75f), FitOptions.builder().shuffle(false)
            .verbose(0).callbacks(LambdaCallback.builder()
                .onTrainBegin(logs -> hooks.add("train begin")).build())
            .build()));
    assertTrue(e.getMessage().contains("y row 1") && e.getMessage().contains("0.75")
        && e.getMessage().contains("neither 0 nor 1"), e.getMessage());
    assertEquals(List.of(), hooks, "refused before any hook runs");
  }

  /** An iterator's batches are checked as they are counted, before any hook runs. */
  @Test
  void regressionTargetsInAnIteratorAreRefusedWithTheRow() {
    Sequential model = new Sequential().add(new Dense(1).inputSize(1).activation(Activation.SIGMOID))
        .compile(LossFunction.MSE, new Adam(1e-3), "precision");
    List<String> hooks = new ArrayList<>();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> model.fit(new ViewIterator(new DataSet(column(1, 2, 3), column(1, 0, 0.75f)), 2),
            FitOptions.builder().verbose(0).callbacks(LambdaCallback.builder()
                .onTrainBegin(logs -> hooks.add("train begin")).build())
            .build()));
    assertEquals("the training iterator's labels row 2 holds the label 0.75, neither 0 nor 1: auc,"
        + " precision, recall and f1_score need binary or one-hot class labels; drop them for"
        + " regression targets", e.getMessage());
    assertEquals(List.of(), hooks, "refused before any hook runs");
  }

  @Test
  void anUnknownNameListsTheStatefulOnes() {
    Sequential model = new Sequential().add(new Dense(1).inputSize(1).activation(Activation.SIGMOID));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> model.compile(LossFunction.XENT, new Adam(1e-3), "f1"));
    assertTrue(e.getMessage().contains("f1_score"), e.getMessage());
  }

  /** sigmoid(x): kernel 1, bias 0, never updated. */
  private static Sequential sigmoidUnit() {
    Sequential model = new Sequential()
        .add(new Dense(1).inputSize(1).activation(Activation.SIGMOID))
        .compile(LossFunction.XENT, new NoOp(), METRICS);
    model.setParameters(Nd4j.createFromArray(new float[] {1, 0}).reshape(1, 2));
    return model;
  }

  /** The probability that a positive outranks a negative, ties counting half: the exact ROC AUC. */
  private static double pairwiseAuc(float[] outputs, float[] labels) {
    double wins = 0;
    int pairs = 0;
    for (int p = 0; p < outputs.length; p++) {
      for (int n = 0; n < outputs.length; n++) {
        if (labels[p] == 1 && labels[n] == 0) {
          pairs++;
          wins += outputs[p] > outputs[n] ? 1 : outputs[p] == outputs[n] ? 0.5 : 0;
        }
      }
    }
    return wins / pairs;
  }

  private static List<Double> round(List<Double> values) {
    return values.stream().map(v -> Math.round(v * 1e9) / 1e9).toList();
  }

  private static INDArrayIndex[] rowsOf(long from, long to) {
    return new INDArrayIndex[] {NDArrayIndex.interval(from, to), NDArrayIndex.all()};
  }

  private static INDArray column(float... values) {
    return Nd4j.createFromArray(values).reshape(values.length, 1);
  }
}
