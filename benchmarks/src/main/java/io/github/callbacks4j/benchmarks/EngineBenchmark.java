package io.github.callbacks4j.benchmarks;

import io.github.callbacks4j.Callback;
import io.github.callbacks4j.Logs;
import io.github.callbacks4j.runtime.Datasets;
import io.github.callbacks4j.runtime.FitOptions;
import io.github.callbacks4j.runtime.Sequential;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Fashion-MNIST, MLP 784-256-128-10 (ReLU, softmax), Adam 1e-3, batch 128: epoch time of the
 * callbacks4j engine, of DL4J's MultiLayerNetwork on the same ND4J in the same JVM, and of the bare
 * matrix multiplies of one epoch (the floor); test accuracy; heap and off-heap memory per epoch.
 *
 * <p>Usage: {@code EngineBenchmark [--data <Fashion-MNIST dir>] [--epochs N]} (default: Debian's
 * {@code /usr/share/datasets/fashion-mnist}, 10 epochs); thread count with
 * {@code -Dcallbacks4j.threads}.
 */
public final class EngineBenchmark {
  private static final int BATCH = 128;

  public static void main(String[] args) throws Exception {
    Path data = Path.of("/usr/share/datasets/fashion-mnist"); // Debian's dataset-fashion-mnist
    int epochs = Smoke.ON ? 1 : 10;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--data" -> data = Path.of(args[++i]);
        case "--epochs" -> epochs = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument '" + args[i]
            + "'; usage: EngineBenchmark [--data <Fashion-MNIST dir>] [--epochs N]");
      }
    }
    Datasets.LabeledData train = Datasets.mnist(data, true);
    Datasets.LabeledData test = Datasets.mnist(data, false);
    System.out.printf(Locale.ROOT, "Fashion-MNIST %d train / %d test, MLP 784-256-128-10, Adam 1e-3,"
        + " batch %d, %d epochs, %d cores%n", train.samples(), test.samples(), BATCH,
        epochs, Runtime.getRuntime().availableProcessors());

    Sequential model = ReferenceModel.build(42, "accuracy");
    NativeOps nativeOps = NativeOpsHolder.getInstance().getDeviceNativeOps();
    System.out.printf(Locale.ROOT,
        "ND4J threads: BLAS %d, OpenMP %d; native build %s on a CPU with %s%n",
        Nd4j.factory().blas().getMaxThreads(), Nd4j.getEnvironment().maxThreads(),
        instructionSet(nativeOps.binaryLevel()), instructionSet(nativeOps.optimalLevel()));

    int steps = Math.toIntExact((train.samples() + BATCH - 1) / BATCH);
    List<Double> floorRuns = matmulFloorSeconds(steps, false);
    double floor = median(floorRuns);
    double floorBest = Collections.min(floorRuns);
    System.out.printf(Locale.ROOT, "floor (8 bare gemm per step, one epoch), %d runs: %s s%n",
        floorRuns.size(), format(floorRuns));
    List<Double> withAdamRuns = matmulFloorSeconds(steps, true);
    System.out.printf(Locale.ROOT, "floor with ND4J's Adam update (8 bare gemm and one"
        + " adam_updater op per step), %d runs: %s s%n", withAdamRuns.size(), format(withAdamRuns));

    EpochTimer timer = new EpochTimer();
    // The test set as validation data: its accuracy comes in the epoch logs, after the timed
    // training batches (a model runs one call at a time, so a callback cannot evaluate it).
    model.fit(train.x(), train.y(), FitOptions.builder()
        .epochs(epochs).batchSize(BATCH).seed(42).verbose(0)
        .validationData(test.x(), test.y()).callbacks(timer).build());
    List<Double> dl4jSeconds = new ArrayList<>();
    double dl4jAccuracy = dl4j(train, test, epochs, dl4jSeconds);

    // Like with like: the median steady epoch against the floor's median run, and the best steady
    // epoch against the floor's best run. Epochs 1-2 are warm-up (JIT, workspace learning).
    System.out.println();
    System.out.println("| | epoch 1 (cold) | median, all epochs | median, epochs 3+"
        + " | best, epochs 3+ | median vs floor | best vs floor | test accuracy after " + epochs + " epochs |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    row("callbacks4j `Sequential`", timer.seconds, floor, floorBest,
        timer.accuracies.get(timer.accuracies.size() - 1));
    row("DL4J `MultiLayerNetwork`", dl4jSeconds, floor, floorBest, dl4jAccuracy);
    System.out.printf(Locale.ROOT, "| bare matrix products (floor), %d runs | | %.2f s | | %.2f s"
        + " | 1.00x | 1.00x | |%n", floorRuns.size(), floor, floorBest);
    double withAdam = median(withAdamRuns);
    System.out.printf(Locale.ROOT, "%ncallbacks4j's median steady epoch against the products plus"
        + " ND4J's own Adam update (%.2f s, median of %d runs): %.2fx%n", withAdam,
        withAdamRuns.size(), median(steady(timer.seconds)) / withAdam);
  }

  /** Epochs 3 and later: 1 and 2 warm up the JIT and the workspaces. */
  private static List<Double> steady(List<Double> seconds) {
    return seconds.subList(Math.min(2, seconds.size() - 1), seconds.size());
  }

  private static void row(String name, List<Double> seconds, double floor, double floorBest,
      double accuracy) {
    List<Double> steady = steady(seconds);
    double median = median(steady);
    double best = Collections.min(steady);
    System.out.printf(Locale.ROOT,
        "| %s | %.2f s | %.2f s | %.2f s | %.2f s | %.2fx | %.2fx | %.4f |%n",
        name, seconds.get(0), median(seconds), median, best, median / floor, best / floorBest,
        accuracy);
  }

  /** ND4J's numbering of its x86 native builds, as its CpuNDArrayFactory names them at start-up. */
  private static String instructionSet(int level) {
    return switch (level) {
      case 2 -> "AVX/AVX2";
      case 3 -> "AVX-512";
      default -> "generic x86-64";
    };
  }

  private static String format(List<Double> seconds) {
    return seconds.stream().map(s -> String.format(Locale.ROOT, "%.2f", s))
        .collect(Collectors.joining(", "));
  }

  /**
   * Times each epoch's training batches (from the epoch's start to its last batch's end, so the
   * validation pass is outside the timed region), and reads test accuracy and memory at its end.
   */
  private static final class EpochTimer implements Callback {
    final List<Double> seconds = new ArrayList<>();
    final List<Double> accuracies = new ArrayList<>();
    private long start;
    private long lastBatchEnd;

    @Override
    public void onEpochBegin(int epoch, Logs logs) {
      start = System.nanoTime();
    }

    @Override
    public void onTrainBatchEnd(int batch, Logs logs) {
      lastBatchEnd = System.nanoTime();
    }

    @Override
    public void onEpochEnd(int epoch, Logs logs) {
      double elapsed = (lastBatchEnd - start) / 1e9;
      seconds.add(elapsed);
      double accuracy = logs.get("val_accuracy");
      accuracies.add(accuracy);
      System.out.printf(Locale.ROOT, "callbacks4j epoch %2d: %.2f s, loss %.4f, test accuracy %.4f, %s%n",
          epoch + 1, elapsed, logs.get("loss"), accuracy, memory());
    }
  }

  private static double dl4j(
      Datasets.LabeledData train, Datasets.LabeledData test, int epochs, List<Double> seconds) {
    MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
        .seed(42)
        .updater(new Adam(1e-3))
        .weightInit(WeightInit.XAVIER_UNIFORM)
        .list()
        .layer(new DenseLayer.Builder().nIn(784).nOut(256).activation(Activation.RELU).build())
        .layer(new DenseLayer.Builder().nIn(256).nOut(128).activation(Activation.RELU).build())
        .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(128).nOut(10)
            .activation(Activation.SOFTMAX).build())
        .build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    DataSet trainSet = new DataSet(train.x().dup(), train.y().dup());
    double accuracy = 0;
    for (int epoch = 0; epoch < epochs; epoch++) {
      trainSet.shuffle(epoch); // not timed: DL4J's shuffle runs before its epoch
      long start = System.nanoTime();
      net.fit(new ViewIterator(trainSet, BATCH));
      double elapsed = (System.nanoTime() - start) / 1e9;
      seconds.add(elapsed);
      accuracy = net.evaluate(new ViewIterator(new DataSet(test.x(), test.y()), 1000))
          .accuracy();
      System.out.printf(Locale.ROOT, "DL4J        epoch %2d: %.2f s, test accuracy %.4f, %s%n",
          epoch + 1, elapsed, accuracy, memory());
    }
    return accuracy;
  }

  /**
   * The forward and backward products of one epoch's steps, into preallocated arrays, and with
   * {@code withAdam} ND4J's Adam update over the reference MLP's 235,146 parameters after each
   * step's products, as the engine calls it: the seconds of each of five runs after one warm-up run.
   */
  private static List<Double> matmulFloorSeconds(int steps, boolean withAdam) {
    long[][] shapes = { // m, k, n, transposeA, transposeB
        {BATCH, 784, 256, 0, 0}, {BATCH, 256, 128, 0, 0}, {BATCH, 128, 10, 0, 0},
        {784, BATCH, 256, 1, 0}, {256, BATCH, 128, 1, 0}, {128, BATCH, 10, 1, 0},
        {BATCH, 10, 128, 0, 1}, {BATCH, 128, 256, 0, 1}};
    INDArray[][] operands = new INDArray[shapes.length][];
    for (int i = 0; i < shapes.length; i++) {
      long[] s = shapes[i];
      INDArray a = s[3] == 1 ? Nd4j.rand(DataType.FLOAT, s[1], s[0]) : Nd4j.rand(DataType.FLOAT, s[0], s[1]);
      INDArray b = s[4] == 1 ? Nd4j.rand(DataType.FLOAT, s[2], s[1]) : Nd4j.rand(DataType.FLOAT, s[1], s[2]);
      operands[i] = new INDArray[] {a, b, Nd4j.create(DataType.FLOAT, s[0], s[2])};
    }
    long parameters = 784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10;
    Adam adam = new Adam(1e-3);
    GradientUpdater<?> updater =
        adam.instantiate(Nd4j.create(DataType.FLOAT, 1, adam.stateSize(parameters)), true);
    INDArray update = Nd4j.rand(DataType.FLOAT, 1, parameters).muli(1e-3);
    List<Double> runs = new ArrayList<>();
    for (int rep = 0; rep < 6; rep++) {
      long start = System.nanoTime();
      for (int step = 0; step < steps; step++) {
        for (int i = 0; i < shapes.length; i++) {
          INDArray[] o = operands[i];
          Nd4j.gemm(o[0], o[1], o[2], shapes[i][3] == 1, shapes[i][4] == 1, 1.0, 0.0);
        }
        if (withAdam) {
          // Each update feeds the next: Adam's output stays near the learning rate.
          updater.applyUpdater(update, step, 0);
        }
      }
      if (rep > 0) {
        runs.add((System.nanoTime() - start) / 1e9);
      }
    }
    return runs;
  }

  private static String memory() {
    System.gc();
    Runtime rt = Runtime.getRuntime();
    return String.format(Locale.ROOT, "heap %d MB, off-heap %d MB (JavaCPP), RSS %d MB",
        (rt.totalMemory() - rt.freeMemory()) >> 20, Pointer.totalBytes() >> 20,
        Pointer.physicalBytes() >> 20);
  }

  private static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(sorted);
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }
}
