package io.github.callbacks4j.dl4j;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * What {@link Dl4jModel} needs of a network, over DL4J's two network classes, which share no
 * interface for their updater, counters or configuration.
 */
sealed interface Network {
  static Network of(MultiLayerNetwork network) {
    return new MultiLayer(network);
  }

  static Network of(ComputationGraph network) {
    return new Graph(network);
  }

  /** The DL4J network itself. */
  org.deeplearning4j.nn.api.Model network();

  /** {@code MultiLayerNetwork} or {@code ComputationGraph}. */
  default String kind() {
    return network().getClass().getSimpleName();
  }

  /** Each layer keeps its own copy of the counters, which its updater reads. */
  static void setLayerCounts(Layer[] layers, int iterationCount, int epochCount) {
    for (Layer layer : layers) {
      layer.setIterationCount(iterationCount);
      layer.setEpochCount(epochCount);
    }
  }

  /** The layers in order (a graph's in its topological order). */
  Layer[] layers();

  default IllegalStateException notInitialized() {
    return new IllegalStateException("the " + kind() + " is not initialized: call init() first");
  }

  /** @throws IllegalStateException naming the fix when the network was not {@code init()}ed */
  default void requireInitialized() {
    layers();
  }

  /** All parameters, one flat view (writing into it changes the network). */
  default INDArray parameters() {
    requireInitialized();
    return network().params();
  }

  /** The updater's whole state as one flat view, or {@code null} when it keeps none (SGD). */
  INDArray updaterState();

  int iterationCount();

  int epochCount();

  /** Sets the counters the updater reads (Adam's bias correction) on the network and its layers. */
  void setCounts(int iterationCount, int epochCount);

  /** The configuration as DL4J's JSON. */
  String configurationJson();

  /** Sets a fixed learning rate on every layer, as DL4J's {@code setLearningRate(double)}. */
  void setLearningRate(double learningRate);

  /** Writes the network in DL4J's {@link ModelSerializer} format. */
  default void write(OutputStream out, boolean withUpdater) throws IOException {
    ModelSerializer.writeModel(network(), out, withUpdater);
  }

  /** Reads a network of the same class from a {@link ModelSerializer} file, with its updater. */
  Network read(Path file) throws IOException;

  /** One optimizer step on {@code batch}, as DL4J's {@code fit(DataSet)}. */
  void fit(DataSet batch);

  /** The loss of {@code batch} (with any L1/L2 penalty), without training. */
  double score(DataSet batch);

  /**
   * The (first) output for a batch of features, in inference mode, placed in {@code workspace}
   * (the caller's open one: DL4J refuses to run inference inside a workspace it is not given).
   */
  INDArray output(INDArray features, MemoryWorkspace workspace);

  /** The (first) output layer. */
  Layer outputLayer();

  Collection<TrainingListener> listeners();

  void setListeners(Collection<TrainingListener> listeners);

  record MultiLayer(MultiLayerNetwork network) implements Network {
    @Override
    public Layer[] layers() {
      Layer[] layers = network.getLayers();
      if (layers == null) {
        throw notInitialized();
      }
      return layers;
    }

    @Override
    public INDArray updaterState() {
      requireInitialized();
      return network.getUpdater().getStateViewArray();
    }

    @Override
    public int iterationCount() {
      return network.getIterationCount();
    }

    @Override
    public int epochCount() {
      return network.getEpochCount();
    }

    @Override
    public void setCounts(int iterationCount, int epochCount) {
      network.setIterationCount(iterationCount);
      network.setEpochCount(epochCount);
      setLayerCounts(layers(), iterationCount, epochCount);
    }

    @Override
    public String configurationJson() {
      return network.getLayerWiseConfigurations().toJson();
    }

    @Override
    public void setLearningRate(double learningRate) {
      network.setLearningRate(learningRate);
    }

    @Override
    public Network read(Path file) throws IOException {
      return new MultiLayer(ModelSerializer.restoreMultiLayerNetwork(file.toFile(), true));
    }

    @Override
    public void fit(DataSet batch) {
      network.fit(batch);
    }

    @Override
    public double score(DataSet batch) {
      return network.score(batch, false);
    }

    @Override
    public INDArray output(INDArray features, MemoryWorkspace workspace) {
      return network.output(features, false, workspace);
    }

    @Override
    public Layer outputLayer() {
      return network.getOutputLayer();
    }

    @Override
    public Collection<TrainingListener> listeners() {
      return network.getListeners();
    }

    @Override
    public void setListeners(Collection<TrainingListener> listeners) {
      network.setListeners(listeners);
    }
  }

  record Graph(ComputationGraph network) implements Network {
    @Override
    public Layer[] layers() {
      Layer[] layers = network.getLayers();
      if (layers == null) {
        throw notInitialized();
      }
      return layers;
    }

    @Override
    public INDArray updaterState() {
      requireInitialized();
      return network.getUpdater().getStateViewArray();
    }

    @Override
    public int iterationCount() {
      return network.getConfiguration().getIterationCount();
    }

    @Override
    public int epochCount() {
      return network.getConfiguration().getEpochCount();
    }

    @Override
    public void setCounts(int iterationCount, int epochCount) {
      network.getConfiguration().setIterationCount(iterationCount);
      network.getConfiguration().setEpochCount(epochCount);
      setLayerCounts(layers(), iterationCount, epochCount);
    }

    @Override
    public String configurationJson() {
      return network.getConfiguration().toJson();
    }

    @Override
    public void setLearningRate(double learningRate) {
      network.setLearningRate(learningRate);
    }

    @Override
    public Network read(Path file) throws IOException {
      return new Graph(ModelSerializer.restoreComputationGraph(file.toFile(), true));
    }

    @Override
    public void fit(DataSet batch) {
      network.fit(batch);
    }

    @Override
    public double score(DataSet batch) {
      return network.score(batch, false);
    }

    @Override
    public INDArray output(INDArray features, MemoryWorkspace workspace) {
      return network.output(false, workspace, features)[0];
    }

    @Override
    public Layer outputLayer() {
      return network.getOutputLayer(0);
    }

    @Override
    public Collection<TrainingListener> listeners() {
      return network.getListeners();
    }

    @Override
    public void setListeners(Collection<TrainingListener> listeners) {
      network.setListeners(listeners);
    }
  }
}
