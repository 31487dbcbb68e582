package io.github.callbacks4j.dl4j;

import io.github.callbacks4j.Logs;
import io.github.callbacks4j.callbacks.History;
import io.github.callbacks4j.runtime.EvaluateOptions;
import io.github.callbacks4j.runtime.FitOptions;
import io.github.callbacks4j.runtime.PredictOptions;
import io.github.callbacks4j.runtime.Trainer;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Keras's fit, evaluate and predict, with every callback and the full lifecycle, on DL4J's
 * {@link MultiLayerNetwork} and {@link ComputationGraph}: the runtime's loop ({@link Trainer}) drives
 * DL4J's own step, {@code fit(DataSet)}, batch by batch.
 *
 * <pre>{@code
 * History history = Dl4jTraining.fit(net, trainIterator, FitOptions.builder()
 *     .epochs(10).validationData(testIterator)
 *     .callbacks(new EarlyStopping(...), new ReduceLROnPlateau(...), myAnnotatedPojo)
 *     .build());
 * }</pre>
 *
 * <p>Logs hold {@code loss} (DL4J's score: the batch's loss before the update, with any L1/L2
 * penalty) and, by default, {@code accuracy} when the output layer is softmax or sigmoid; the
 * overloads taking metric names log those instead ({@code accuracy}, {@code categorical_accuracy},
 * {@code binary_accuracy}, {@code mse}, {@code mae}, and Keras's stateful {@code auc}, {@code
 * precision}, {@code recall}, {@code f1_score}, over each whole epoch and evaluation: see {@link
 * io.github.callbacks4j.runtime.StatefulMetrics}). Validation comes from {@code FitOptions}'
 * validationData (arrays or an iterator); validationSplit needs in-memory arrays and is refused.
 * The iterator decides the batches and their order. DL4J's epoch counter follows the loop's epoch.
 * A graph must have one input and one output.
 */
public final class Dl4jTraining {
  private Dl4jTraining() {}

  /** Trains {@code network} on {@code train}, logging loss and the default metrics. */
  public static History fit(MultiLayerNetwork network, DataSetIterator train, FitOptions options) {
    return Trainer.fit(Dl4jEngine.withDefaultMetrics(Dl4jModel.of(network)), train, options);
  }

  /** Trains {@code network} on {@code train}, logging loss and {@code metrics}. */
  public static History fit(MultiLayerNetwork network, DataSetIterator train, FitOptions options,
      String... metrics) {
    return Trainer.fit(Dl4jEngine.of(Dl4jModel.of(network), metricList(metrics)), train, options);
  }

  /** Trains {@code network} on {@code train}, logging loss and the default metrics. */
  public static History fit(ComputationGraph network, DataSetIterator train, FitOptions options) {
    return Trainer.fit(Dl4jEngine.withDefaultMetrics(graphModel(network)), train, options);
  }

  /** Trains {@code network} on {@code train}, logging loss and {@code metrics}. */
  public static History fit(ComputationGraph network, DataSetIterator train, FitOptions options,
      String... metrics) {
    return Trainer.fit(Dl4jEngine.of(graphModel(network), metricList(metrics)), train, options);
  }

  /** Loss and the default metrics over {@code data}, through the test hooks. */
  public static Logs evaluate(MultiLayerNetwork network, DataSetIterator data,
      EvaluateOptions options) {
    return Trainer.evaluate(Dl4jEngine.withDefaultMetrics(Dl4jModel.of(network)), data, options);
  }

  /** Loss and {@code metrics} over {@code data}, through the test hooks. */
  public static Logs evaluate(MultiLayerNetwork network, DataSetIterator data,
      EvaluateOptions options, String... metrics) {
    return Trainer.evaluate(Dl4jEngine.of(Dl4jModel.of(network), metricList(metrics)), data,
        options);
  }

  /** Loss and the default metrics over {@code data}, through the test hooks. */
  public static Logs evaluate(ComputationGraph network, DataSetIterator data,
      EvaluateOptions options) {
    return Trainer.evaluate(Dl4jEngine.withDefaultMetrics(graphModel(network)), data, options);
  }

  /** Loss and {@code metrics} over {@code data}, through the test hooks. */
  public static Logs evaluate(ComputationGraph network, DataSetIterator data,
      EvaluateOptions options, String... metrics) {
    return Trainer.evaluate(Dl4jEngine.of(graphModel(network), metricList(metrics)), data,
        options);
  }

  /** The network's output for every sample of {@code features}, through the predict hooks. */
  public static INDArray predict(MultiLayerNetwork network, DataSetIterator features,
      PredictOptions options) {
    return Trainer.predict(Dl4jEngine.of(Dl4jModel.of(network), List.of()), features, options);
  }

  /** The graph's (single) output for every sample of {@code features}, through the predict hooks. */
  public static INDArray predict(ComputationGraph network, DataSetIterator features,
      PredictOptions options) {
    return Trainer.predict(Dl4jEngine.of(graphModel(network), List.of()), features, options);
  }

  private static List<String> metricList(String... metrics) {
    Objects.requireNonNull(metrics, "metrics");
    for (String metric : metrics) {
      Objects.requireNonNull(metric, "a metric name is null");
    }
    return List.of(metrics);
  }

  private static Dl4jModel graphModel(ComputationGraph network) {
    Dl4jModel model = Dl4jModel.of(network);
    if (network.getConfiguration().getNetworkInputs().size() != 1
        || network.getConfiguration().getNetworkOutputs().size() != 1) {
      throw new IllegalArgumentException("Dl4jTraining trains graphs with one input and one "
          + "output; this graph has inputs " + network.getConfiguration().getNetworkInputs()
          + " and outputs " + network.getConfiguration().getNetworkOutputs());
    }
    return model;
  }
}
