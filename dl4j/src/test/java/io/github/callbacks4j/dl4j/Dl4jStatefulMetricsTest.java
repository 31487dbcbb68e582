package io.github.callbacks4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.callbacks4j.Logs;
import io.github.callbacks4j.MetricDirection;
import io.github.callbacks4j.callbacks.History;
import io.github.callbacks4j.callbacks.LambdaCallback;
import io.github.callbacks4j.runtime.EvaluateOptions;
import io.github.callbacks4j.runtime.FitOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * Keras's stateful metrics on a DL4J network: one sigmoid unit with weight 1 and bias 0 that a
 * NoOp updater never changes, so its outputs are sigmoid(x) and the values are known.
 */
class Dl4jStatefulMetricsTest {
  private static final String[] METRICS = {"auc", "precision", "recall", "f1_score"};
  /** Keras's AUCTest arrays (confusion_metrics_test.py) in order of x: AUC 0.75. */
  private static final INDArray X = column(-4, 1, -1, 3);
  private static final INDArray Y = column(0, 0, 1, 1);

  @Test
  void epochAndValidationValuesAreExactOverTheirBatches() {
    MultiLayerNetwork network = sigmoidUnit();
    List<Double> batchEndAuc = new ArrayList<>();
    History history = Dl4jTraining.fit(network, batches(), FitOptions.builder().epochs(2)
        .verbose(0).validationData(batches())
        .callbacks(LambdaCallback.builder()
            .onTrainBatchEnd((batch, logs) -> batchEndAuc.add(logs.get("auc"))).build())
        .build(), METRICS);

    // Each batch of two holds one class, where Keras's AUC is 0: a mean of batch values is 0.
    assertEquals(List.of(0.75, 0.75), history.history().get("auc"));
    assertEquals(List.of(0.75, 0.75), history.history().get("val_auc"));
    assertEquals(0.0, batchEndAuc.get(0), 1e-9);
    assertEquals(0.75, batchEndAuc.get(1), 1e-9);
    assertEquals(0.0, batchEndAuc.get(2), 1e-9, "each epoch starts afresh");
    // x > 0 is a positive: x = 1 (label 0) and x = 3 (label 1); x = -1 (label 1) is missed.
    assertEquals(0.5, history.history().get("precision").get(1), 1e-9);
    assertEquals(0.5, history.history().get("val_recall").get(0), 1e-9);
    assertEquals(0.5, history.history().get("val_f1_score").get(0), 1e-9);
  }

  @Test
  void evaluateIsExactOverAllBatches() {
    Logs logs = Dl4jTraining.evaluate(sigmoidUnit(), batches(),
        EvaluateOptions.builder().verbose(0).build(), METRICS);
    assertEquals(0.75, logs.get("auc"), 1e-9);
    assertEquals(0.5, logs.get("recall"), 1e-9);
  }

  @Test
  void theModelDeclaresThemImprovingUpwards() {
    Dl4jModel model = Dl4jModel.of(sigmoidUnit());
    for (String metric : METRICS) {
      assertEquals(Optional.of(MetricDirection.UP), model.metricDirection(metric), metric);
    }
  }

  @Test
  void aRegressionOutputIsRefusedNamingTheLayer() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Dl4jTraining.fit(unit(Activation.IDENTITY, LossFunction.MSE), batches(),
            FitOptions.builder().verbose(0).build(), "mae", "auc"));
    assertTrue(e.getMessage().contains("'auc'") && e.getMessage().contains("OutputLayer(1 units"),
        e.getMessage());
  }

  @Test
  void aLabelOtherThanZeroOrOneIsRefusedBeforeAnyHook() {
    List<String> hooks = new ArrayList<>();
    DataSetIterator soft = new ListDataSetIterator<>(
        new DataSet(X, column(0, 1, 0.4f, 1)).asList(), 2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Dl4jTraining.fit(sigmoidUnit(), soft, FitOptions.builder().verbose(0)
            .callbacks(LambdaCallback.builder()
                .onTrainBegin(logs -> hooks.add("train begin")).build())
            .build(), METRICS));
    assertTrue(e.getMessage().contains("row 2") && e.getMessage().contains("0.4"),
        e.getMessage());
    assertEquals(List.of(), hooks);
  }

  private static MultiLayerNetwork sigmoidUnit() {
    return unit(Activation.SIGMOID, LossFunction.XENT);
  }

  private static MultiLayerNetwork unit(Activation activation, LossFunction loss) {
    MultiLayerNetwork network = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
        .updater(new NoOp()).list()
        .layer(new OutputLayer.Builder(loss).nIn(1).nOut(1)
            .activation(activation).build())
        .build());
    network.init();
    network.setParams(Nd4j.createFromArray(new float[] {1, 0}).reshape(1, 2));
    return network;
  }

  private static DataSetIterator batches() {
    return new ListDataSetIterator<>(new DataSet(X, Y).asList(), 2);
  }

  private static INDArray column(float... values) {
    return Nd4j.createFromArray(values).reshape(values.length, 1);
  }
}
