package io.github.callbacks4j.samples;

import io.github.callbacks4j.Logs;
import io.github.callbacks4j.Metric;
import io.github.callbacks4j.OnEpochEnd;
import io.github.callbacks4j.callbacks.CSVLogger;
import io.github.callbacks4j.callbacks.EarlyStopping;
import io.github.callbacks4j.callbacks.History;
import io.github.callbacks4j.callbacks.ModelCheckpoint;
import io.github.callbacks4j.callbacks.ReduceLROnPlateau;
import io.github.callbacks4j.dl4j.Dl4jTraining;
import io.github.callbacks4j.runtime.Datasets;
import io.github.callbacks4j.runtime.EvaluateOptions;
import io.github.callbacks4j.runtime.FitOptions;
import java.io.IOException;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The callbacks on a Deeplearning4j network: a small CNN on the 8x8 digits, trained by
 * {@link Dl4jTraining#fit} with an annotated object and the built-ins, its best epoch saved in DL4J's
 * own format and read back with DL4J's {@code ModelSerializer}.
 */
public final class Dl4jConvNet {
  /** An annotated object: prints each epoch's validation accuracy and learning rate. */
  public static class EpochPrinter {
    @OnEpochEnd
    void print(int epoch, @Metric("val_accuracy") double accuracy,
        @Metric("learning_rate") double learningRate) {
      System.out.printf("epoch %d: val_accuracy %.3f, learning rate %.5f%n",
          epoch + 1, accuracy, learningRate);
    }
  }

  /** What a run produced. */
  public record Result(History history, double testAccuracy, Path bestCheckpoint) {}

  private Dl4jConvNet() {}

  public static void main(String[] args) throws IOException {
    Result result = run(Path.of("target", "dl4j-conv-net"), 15);
    System.out.printf("test accuracy of the best epoch, read back from its checkpoint: %.3f%n", result.testAccuracy());
    System.out.println("best checkpoint (DL4J format): " + result.bestCheckpoint());
  }

  /** Conv 3x3 (8 filters) -> max pool 2x2 -> softmax over the 10 digits. */
  static MultiLayerNetwork network() {
    MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
        .seed(7)
        .updater(new Adam(0.005))
        .list()
        .layer(new ConvolutionLayer.Builder(3, 3).nOut(8).activation(Activation.RELU).build())
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

  private static DataSetIterator iterator(Datasets.LabeledData rows, int batchSize) {
    return new ViewIterator(new DataSet(rows.x(), rows.y()), batchSize);
  }

  static Result run(Path out, int epochs) throws IOException {
    Datasets.TrainTest data = Datasets.digits();
    // The last fifth of the training digits validates; the test digits stay unseen until the end.
    int trainRows = Math.toIntExact(data.train().samples() * 4 / 5);
    DataSetIterator train = iterator(data.train().rows(0, trainRows), 32);
    DataSetIterator validation =
        iterator(data.train().rows(trainRows, data.train().samples()), 64);
    DataSetIterator test = iterator(data.test(), 64);
    MultiLayerNetwork network = network();

    Path best = out.resolve("best.zip");
    History history = Dl4jTraining.fit(network, train, FitOptions.builder()
        .epochs(epochs).validationData(validation).verbose(0)
        .callbacks(
            ReduceLROnPlateau.builder().monitor("val_loss").factor(0.5).patience(2).build(),
            new EpochPrinter(),
            EarlyStopping.builder().monitor("val_loss").patience(4).restoreBestWeights(true)
                .build(),
            ModelCheckpoint.builder(best.toString()).monitor("val_loss").saveBestOnly(true)
                .build(),
            CSVLogger.builder(out.resolve("training.csv")).build())
        .build());

    // The checkpoint is plain DL4J: any DL4J program loads it.
    MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(best.toFile(), true);
    Logs logs = Dl4jTraining.evaluate(restored, test, EvaluateOptions.builder().verbose(0).build());
    return new Result(history, logs.get("accuracy"), best);
  }
}
