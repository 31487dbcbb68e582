package io.github.callbacks4j.dl4j;

import io.github.callbacks4j.Model;
import io.github.callbacks4j.runtime.StatefulMetrics;
import io.github.callbacks4j.runtime.TrainingEngine;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationHardSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The shared Keras loop's engine over a DL4J network: each batch is DL4J's own step
 * ({@code fit(DataSet)}), its score the batch's loss before the update.
 *
 * <p>Training metrics come from the output of the step's own forward pass: while a fit runs, a
 * listener on the network applies the output layer to the input the step gave it, right after the
 * backward pass and before the update, so no second forward pass runs through the hidden layers.
 * DL4J's training step never computes the output itself (its loss takes the pre-activation), so
 * this one output-layer pass is the least a metric can cost. It is the training-mode output, as
 * Keras's training metrics are: DL4J applies a layer's dropout to the layer's stored input, which
 * is what the listener reads (inference mode then adds no second dropout). Test batches with metrics run DL4J's inference once for the output and its
 * {@code score(DataSet)} once for the loss (DL4J's score returns no output), so validation costs two
 * forward passes per batch.
 */
final class Dl4jEngine implements TrainingEngine {
  private final Dl4jModel model;
  private final Network network;
  private final List<String> metricNames;
  /** The metrics that are means of per-sample values; null where a metric is stateful. */
  private final Dl4jMetric[] metrics;
  private final StatefulMetrics statefulMetrics;
  private final OutputCapture capture = new OutputCapture();
  private INDArray labels;
  private double[] metricSums;
  private boolean captured;

  private Dl4jEngine(Dl4jModel model, List<String> metricNames) {
    this.model = model;
    this.network = model.networkView();
    network.requireInitialized();
    this.metricNames = List.copyOf(metricNames);
    Layer output = network.outputLayer();
    boolean sigmoid = false;
    boolean probabilities = false;
    long units = -1;
    String described = output.conf().getLayer().getClass().getSimpleName();
    if (output.conf().getLayer() instanceof BaseOutputLayer conf) {
      IActivation activation = conf.getActivationFn();
      sigmoid = activation instanceof ActivationSigmoid;
      probabilities = sigmoid || activation instanceof ActivationHardSigmoid
          || activation instanceof ActivationSoftmax;
      units = conf.getNOut();
      described += "(" + units + " units, " + activation + ")";
    }
    this.statefulMetrics = StatefulMetrics.of(this.metricNames, units, probabilities, described);
    this.metrics = new Dl4jMetric[this.metricNames.size()];
    for (int i = 0; i < metrics.length; i++) {
      if (!statefulMetrics.isStateful(i)) {
        metrics[i] = Dl4jMetric.resolve(this.metricNames.get(i), sigmoid, units);
      }
    }
  }

  /** An engine logging {@code metricNames} after the loss. */
  static Dl4jEngine of(Dl4jModel model, List<String> metricNames) {
    return new Dl4jEngine(model, metricNames);
  }

  /** An engine logging {@code accuracy} when the output is softmax or sigmoid, else the loss only. */
  static Dl4jEngine withDefaultMetrics(Dl4jModel model) {
    Layer output = model.networkView().outputLayer();
    boolean classifies = output.conf().getLayer() instanceof BaseOutputLayer conf
        && (conf.getActivationFn() instanceof ActivationSoftmax
            || conf.getActivationFn() instanceof ActivationSigmoid);
    return new Dl4jEngine(model, classifies ? List.of("accuracy") : List.of());
  }

  /**
   * Runs the fit with this engine's output listener on the network, so training batches can read
   * their output; the network's own listeners are put back afterwards. The loop calls this inside
   * its one-call guard, so a second fit on the network is refused before it touches the listeners.
   */
  @Override
  public <T> T duringFit(Supplier<T> loop) {
    if (metrics.length == 0) {
      return loop.get();
    }
    Collection<TrainingListener> before = new ArrayList<>(network.listeners());
    List<TrainingListener> with = new ArrayList<>(before);
    with.add(capture);
    network.setListeners(with);
    try {
      return loop.get();
    } finally {
      network.setListeners(before);
    }
  }

  @Override
  public Model model() {
    return model;
  }

  @Override
  public void clearStopRequest() {
    model.clearStopRequest();
  }

  @Override
  public List<String> metricNames() {
    return metricNames;
  }

  @Override
  public StatefulMetrics statefulMetrics() {
    return statefulMetrics;
  }

  /** DL4J's epoch counter follows the loop's (schedules and Adam read it). */
  @Override
  public void startEpoch(int epoch) {
    network.setCounts(network.iterationCount(), epoch);
  }

  @Override
  public double trainBatch(INDArray features, INDArray labels, double[] metricSums) {
    this.labels = labels;
    this.metricSums = metricSums;
    captured = false;
    try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      network.fit(new DataSet(features, labels));
      if (metrics.length > 0 && !captured) {
        throw new IllegalStateException("the training step ran without its output listener, so "
            + "its metrics are unknown: train through Dl4jTraining.fit");
      }
      return network.network().score();
    } finally {
      this.labels = null;
      this.metricSums = null;
    }
  }

  @Override
  public double testBatch(INDArray features, INDArray labels, double[] metricSums) {
    if (metrics.length > 0) {
      sumMetrics(labels, output(features), metricSums);
    }
    try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      return network.score(new DataSet(features, labels));
    }
  }

  @Override
  public INDArray predictBatch(INDArray features) {
    return output(features);
  }

  /** The output in the loop's batch workspace, when there is one, which DL4J checks is open. */
  private INDArray output(INDArray features) {
    MemoryWorkspace current = Nd4j.getMemoryManager().getCurrentWorkspace();
    if (current == null) {
      try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
        return network.output(features, null);
      }
    }
    return network.output(features, current);
  }

  /** Sums the per-sample metrics; the stateful ones take the batch, and their sums stay 0. */
  private void sumMetrics(INDArray labels, INDArray predictions, double[] sums) {
    for (int i = 0; i < sums.length; i++) {
      sums[i] = metrics[i] == null ? 0 : metrics[i].sum(labels, predictions);
    }
    statefulMetrics.update(labels, predictions);
  }

  /**
   * Sums the metrics of the training batch under way from the output layer applied to its input
   * after the backward pass (the parameters are not yet updated then).
   */
  private final class OutputCapture extends BaseTrainingListener {
    /** The output of a dense output layer, kept across batches of the same size. */
    private INDArray output;

    @Override
    public void onBackwardPass(org.deeplearning4j.nn.api.Model ignored) {
      if (labels == null) {
        return; // a fit DL4J runs outside this engine's batches
      }
      sumMetrics(labels, training(network.outputLayer()), metricSums);
      captured = true;
    }

    /**
     * The output layer applied to the input the step gave it. A dense output layer (DL4J's
     * OutputLayer) computes into a buffer kept across batches, which measured about a third of
     * the cost of {@code activate}'s fresh arrays; any other layer goes through {@code activate}.
     */
    private INDArray training(Layer layer) {
      INDArray input = layer.input();
      if (!(layer instanceof org.deeplearning4j.nn.layers.OutputLayer dense)
          || dense.getMaskArray() != null || input.rank() != 2 || !dense.hasBias()) {
        return layer.activate(false, LayerWorkspaceMgr.noWorkspaces());
      }
      INDArray weights = dense.getParam(DefaultParamInitializer.WEIGHT_KEY);
      try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
        if (output == null || output.size(0) != input.size(0)
            || output.dataType() != weights.dataType()) {
          output = Nd4j.createUninitialized(weights.dataType(), input.size(0), weights.size(1));
        }
        input.castTo(weights.dataType()).mmuli(weights, output);
        output.addiRowVector(dense.getParam(DefaultParamInitializer.BIAS_KEY));
        return dense.layerConf().getActivationFn().getActivation(output, false);
      }
    }
  }
}
