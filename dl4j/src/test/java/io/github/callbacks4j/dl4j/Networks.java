package io.github.callbacks4j.dl4j;

import io.github.callbacks4j.runtime.Datasets;
import io.github.callbacks4j.runtime.Datasets.LabeledData;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** Tiny networks on the bundled 8x8 digits, so the tests stay fast. */
final class Networks {
  static final int BATCH = 32;
  private static final LabeledData TRAIN = Datasets.digits().train();

  private Networks() {}

  /** Conv(3x3, 4) -> max pool 2x2 -> softmax over 10 classes, with Adam(0.01). */
  static MultiLayerNetwork cnn() {
    return cnn(new Adam(0.01), 4);
  }

  static MultiLayerNetwork cnn(IUpdater updater, int filters) {
    MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
        .seed(42)
        .updater(updater)
        .list()
        .layer(new ConvolutionLayer.Builder(3, 3).nOut(filters).activation(Activation.RELU).build())
        .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
            .kernelSize(2, 2).stride(2, 2).build())
        .layer(new OutputLayer.Builder(LossFunction.MCXENT)
            .nOut(10).activation(Activation.SOFTMAX).build())
        .setInputType(InputType.convolutionalFlat(8, 8, 1))
        .build();
    MultiLayerNetwork network = new MultiLayerNetwork(conf);
    network.init();
    return network;
  }

  /** The same CNN as a graph: input "in", vertices "conv", "pool", "out". */
  static ComputationGraph graph() {
    ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
        .seed(42)
        .updater(new Adam(0.01))
        .graphBuilder()
        .addInputs("in")
        .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(4)
            .activation(Activation.RELU).build(), "in")
        .addLayer("pool", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
            .kernelSize(2, 2).stride(2, 2).build(), "conv")
        .addLayer("out", new OutputLayer.Builder(LossFunction.MCXENT)
            .nOut(10).activation(Activation.SOFTMAX).build(), "pool")
        .setOutputs("out")
        .setInputTypes(InputType.convolutionalFlat(8, 8, 1))
        .build();
    ComputationGraph network = new ComputationGraph(conf);
    network.init();
    return network;
  }

  /** The first {@code batches} batches of {@link #BATCH} training digits, in a fixed order. */
  static DataSetIterator digits(int batches) {
    return new ViewIterator(data(batches), BATCH);
  }

  static DataSet data(int batches) {
    return rows(batches * BATCH);
  }

  /** The first {@code count} training digits. */
  static DataSet rows(int count) {
    LabeledData rows = TRAIN.rows(0, count);
    return new DataSet(rows.x(), rows.y());
  }

  /** Some test digits, to compare outputs. */
  static DataSet sample() {
    return sample(16);
  }

  /** The first {@code count} test digits. */
  static DataSet sample(int count) {
    LabeledData rows = Datasets.digits().test().rows(0, count);
    return new DataSet(rows.x(), rows.y());
  }
}
