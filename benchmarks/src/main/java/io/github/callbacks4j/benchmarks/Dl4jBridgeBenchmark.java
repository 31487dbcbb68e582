package io.github.callbacks4j.benchmarks;

import io.github.callbacks4j.Callback;
import io.github.callbacks4j.Logs;
import io.github.callbacks4j.Metric;
import io.github.callbacks4j.OnTrainBatchEnd;
import io.github.callbacks4j.callbacks.CSVLogger;
import io.github.callbacks4j.callbacks.EarlyStopping;
import io.github.callbacks4j.callbacks.ReduceLROnPlateau;
import io.github.callbacks4j.callbacks.TerminateOnNaN;
import io.github.callbacks4j.dl4j.Dl4jTraining;
import io.github.callbacks4j.runtime.Datasets;
import io.github.callbacks4j.runtime.FitOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The cost of training a DL4J network through the callbacks' loop: per-epoch time of
 * {@code Dl4jTraining.fit} with five callbacks (TerminateOnNaN, an annotated batch-end object,
 * EarlyStopping, ReduceLROnPlateau, CSVLogger), logging loss and accuracy and logging loss only,
 * against DL4J's own {@code net.fit(iterator)} on an identical network, epochs alternating in one
 * JVM (each side going first in turn) so all three see the same machine. The ratio is the median
 * over epochs of each epoch's time against DL4J's epoch of the same round: neighbouring epochs
 * share the machine's state, which on a busy VM swings epoch times by 2x. A small CNN on the bundled 8x8 digits (1437 training rows, batch 32).
 *
 * <p>Usage: {@code Dl4jBridgeBenchmark [--epochs N]} (default 40 per side; the first 5 are warm-up).
 */
public final class Dl4jBridgeBenchmark {
  private static final int BATCH = 32;
  private static final int WARM_UP = 5;

  /** An annotated batch-end hook reading the running loss, as user code would. */
  public static final class BatchWatcher {
    private double sum;

    @OnTrainBatchEnd
    void batchEnd(@Metric("loss") double loss) {
      sum += loss;
    }
  }

  /** The epoch's time, from its begin hook to its end hook (last in the list: others included). */
  private static final class EpochTimer implements Callback {
    final List<Double> seconds = new ArrayList<>();
    private long start;

    @Override
    public void onEpochBegin(int epoch, Logs logs) {
      start = System.nanoTime();
    }

    @Override
    public void onEpochEnd(int epoch, Logs logs) {
      seconds.add((System.nanoTime() - start) / 1e9);
    }
  }

  private Dl4jBridgeBenchmark() {}

  public static void main(String[] args) throws IOException {
    int epochs = Smoke.ON ? 2 : 40;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--epochs")) {
        epochs = Integer.parseInt(args[++i]);
      } else {
        throw new IllegalArgumentException("unknown argument '" + args[i]
            + "'; usage: Dl4jBridgeBenchmark [--epochs N]");
      }
    }
    Datasets.LabeledData train = Datasets.digits().train();
    DataSet data = new DataSet(train.x(), train.y());
    System.out.printf(Locale.ROOT, "digits %d rows, CNN conv3x3x16-maxpool-softmax, Adam 5e-3,"
        + " batch %d, %d epochs per side, alternating, %d cores%n", train.samples(), BATCH,
        epochs, Runtime.getRuntime().availableProcessors());

    MultiLayerNetwork own = network();
    ViewIterator ownBatches = new ViewIterator(data, BATCH);
    Bridged withAccuracy = new Bridged(data, "accuracy");
    Bridged lossOnly = new Bridged(data);
    List<Double> ownSeconds = new ArrayList<>();
    for (int epoch = 0; epoch < epochs; epoch++) {
      // The three sides take turns going first, so none always runs on a warmer or colder machine.
      for (int turn = 0; turn < 3; turn++) {
        switch ((epoch + turn) % 3) {
          case 0 -> {
            long start = System.nanoTime();
            own.fit(ownBatches);
            ownSeconds.add((System.nanoTime() - start) / 1e9);
          }
          case 1 -> withAccuracy.epoch(epoch);
          default -> lossOnly.epoch(epoch);
        }
      }
    }
    withAccuracy.close();
    lossOnly.close();
    if (Smoke.ON) {
      System.out.println("smoke run: " + epochs + " epochs each ran; no figures");
      return;
    }
    List<Double> ownSteady = ownSeconds.subList(WARM_UP, epochs);
    double ownMedian = median(ownSteady);
    System.out.println("| | median epoch | best epoch | median of per-epoch ratios to DL4J |");
    System.out.println("|---|---|---|---|");
    System.out.printf(Locale.ROOT, "| DL4J net.fit(iterator) | %.1f ms | %.1f ms | 1 |%n",
        ownMedian * 1e3, Collections.min(ownSteady) * 1e3);
    for (Bridged bridged : List.of(withAccuracy, lossOnly)) {
      List<Double> steady = bridged.timer.seconds.subList(WARM_UP, epochs);
      List<Double> ratios = new ArrayList<>();
      for (int i = 0; i < steady.size(); i++) {
        ratios.add(steady.get(i) / ownSteady.get(i));
      }
      System.out.printf(Locale.ROOT, "| Dl4jTraining.fit, 5 callbacks, %s | %.1f ms | %.1f ms |"
          + " %.3f |%n", bridged.logged, median(steady) * 1e3, Collections.min(steady) * 1e3,
          median(ratios));
    }
    System.out.printf(Locale.ROOT, "steady epochs %d-%d; same parameters as DL4J's own fit: %b%n",
        WARM_UP + 1, epochs, own.params().equals(withAccuracy.network.params())
            && own.params().equals(lossOnly.network.params()));
  }

  /** A network trained one epoch at a time through the bridge, with the five callbacks. */
  private static final class Bridged {
    final MultiLayerNetwork network = network();
    final EpochTimer timer = new EpochTimer();
    final String logged;
    private final String[] metrics;
    private final ViewIterator batches;
    private final Path csv;
    private final Object[] callbacks;

    Bridged(DataSet data, String... metrics) throws IOException {
      this.metrics = metrics;
      this.logged = metrics.length == 0 ? "loss only" : "loss and " + String.join(", ", metrics);
      this.batches = new ViewIterator(data, BATCH);
      this.csv = Files.createTempFile("dl4j-bridge-benchmark", ".csv");
      this.callbacks = new Object[] {TerminateOnNaN.builder().build(), new BatchWatcher(),
          EarlyStopping.builder().monitor("loss").patience(1000).build(),
          ReduceLROnPlateau.builder().monitor("loss").patience(1000).build(),
          CSVLogger.builder(csv).append(true).build(), timer};
    }

    void epoch(int epoch) {
      Dl4jTraining.fit(network, batches, FitOptions.builder().epochs(epoch + 1)
          .initialEpoch(epoch).verbose(0).callbacks(callbacks).build(), metrics);
    }

    void close() throws IOException {
      Files.deleteIfExists(csv);
    }
  }

  private static MultiLayerNetwork network() {
    MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
        .seed(42)
        .updater(new Adam(5e-3))
        .list()
        .layer(new ConvolutionLayer.Builder(3, 3).nOut(16).activation(Activation.RELU).build())
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

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
