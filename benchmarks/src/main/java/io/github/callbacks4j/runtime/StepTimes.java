package io.github.callbacks4j.runtime;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * Where a training step's time goes, each call timed in place: the calls {@link Sequential}'s
 * {@code trainBatch} makes for the reference MLP (784-256-128-10, ReLU, softmax, Adam 1e-3,
 * cross-entropy, accuracy), in its order, with a clock read between them, on Fashion-MNIST
 * batches of 128. It lives in the runtime's package to call the layers one by one; keep it in
 * step with {@code trainBatch}. Unlike a sampling profiler it charges each native call exactly.
 *
 * <p>Usage: {@code StepTimes [--data <Fashion-MNIST dir>] [--epochs N]} (default: Debian's
 * {@code /usr/share/datasets/fashion-mnist}, 8 epochs, the first 2 not counted).
 */
public final class StepTimes {
  private static final int BATCH = 128;
  private static final String[] CALLS = {
      "layer 1: bias and product (2 gemm)", "layer 1: ReLU", "layer 2: bias and product (2 gemm)",
      "layer 2: ReLU", "layer 3: bias and product (2 gemm)", "softmax and accuracy",
      "loss and its gradient", "layer 3: gradients (gemm, gemv, gemm)", "layer 2: ReLU gradient",
      "layer 2: gradients (gemm, gemv, gemm)", "layer 1: ReLU gradient",
      "layer 1: gradients (gemm, gemv)", "OpenMP thread count restored",
      "optimizer: ND4J's Adam, then BLAS axpy"};

  private StepTimes() {}

  public static void main(String[] args) throws Exception {
    boolean smoke = "1".equals(System.getenv("CALLBACKS4J_SMOKE"));
    Path data = Path.of("/usr/share/datasets/fashion-mnist");
    int epochs = smoke ? 3 : 8;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--data" -> data = Path.of(args[++i]);
        case "--epochs" -> epochs = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument '" + args[i]
            + "'; usage: StepTimes [--data <Fashion-MNIST dir>] [--epochs N]");
      }
    }
    if (epochs < 3) {
      throw new IllegalArgumentException("--epochs must be >= 3 (2 warm-up epochs), got " + epochs);
    }
    Datasets.LabeledData train = Datasets.mnist(data, true);
    int steps = smoke ? 20 : Math.toIntExact(train.samples() / BATCH);

    NativeThreads.configure();
    Dense[] layers = {new Dense(256).inputSize(784).activation(Activation.RELU),
        new Dense(128).inputSize(256).activation(Activation.RELU),
        new Dense(10).inputSize(128).activation(Activation.SOFTMAX)};
    long count = Arrays.stream(layers).mapToLong(Dense::parameterCount).sum();
    INDArray parameters = Nd4j.create(DataType.FLOAT, 1, count);
    INDArray gradients = Nd4j.create(DataType.FLOAT, 1, count);
    Nd4j.getRandom().setSeed(42);
    long offset = 0;
    for (Dense layer : layers) {
      layer.bind(parameters, gradients, offset);
      layer.initialize();
      offset += layer.parameterCount();
    }
    Optimizer optimizer = new Optimizer(new Adam(1e-3), null, count);
    SoftmaxCrossEntropy loss = SoftmaxCrossEntropy.forOutput(LossFunction.MCXENT, layers[2]);
    BatchMetric accuracy = BatchMetric.resolve("accuracy", LossFunction.MCXENT, 10);
    StepArrays arrays = new StepArrays(Arrays.asList(layers), BATCH);

    long[][] nanos = new long[CALLS.length][(epochs - 2) * steps];
    long timedEpochs = 0;
    for (int epoch = 0; epoch < epochs; epoch++) {
      long epochStart = System.nanoTime();
      for (int step = 0; step < steps; step++) {
        try (MemoryWorkspace ignored = BatchWorkspace.open("STEP_TIMES")) {
          long from = (long) step * BATCH;
          INDArray x = train.x().get(NDArrayIndex.interval(from, from + BATCH), NDArrayIndex.all())
              .dup('c');
          INDArray y = train.y().get(NDArrayIndex.interval(from, from + BATCH), NDArrayIndex.all())
              .dup('c');
          long[] t = new long[CALLS.length + 1];
          int c = 0;
          int threads = NativeThreads.smallOps();
          t[c++] = System.nanoTime();
          layers[0].preOutput(x, arrays.ones, arrays.preOutputs[0]);
          t[c++] = System.nanoTime();
          INDArray a0 = layers[0].activate(arrays.preOutputs[0], arrays.activations[0], true);
          t[c++] = System.nanoTime();
          layers[1].preOutput(a0, arrays.ones, arrays.preOutputs[1]);
          t[c++] = System.nanoTime();
          INDArray a1 = layers[1].activate(arrays.preOutputs[1], arrays.activations[1], true);
          t[c++] = System.nanoTime();
          layers[2].preOutput(a1, arrays.ones, arrays.preOutputs[2]);
          t[c++] = System.nanoTime();
          INDArray probabilities =
              layers[2].activate(arrays.preOutputs[2], arrays.activations[2], true);
          accuracy.sum(y, probabilities);
          t[c++] = System.nanoTime();
          loss.meanLoss(y, probabilities, arrays.lossScratch);
          INDArray delta = loss.gradientInPlace(y, probabilities);
          t[c++] = System.nanoTime();
          float scale = 1f / BATCH;
          layers[2].backprop(a1, delta, scale, arrays.ones, arrays.inputGradients[2]);
          t[c++] = System.nanoTime();
          INDArray d1 = layers[1].activationGradient(arrays.preOutputs[1], arrays.inputGradients[2]);
          t[c++] = System.nanoTime();
          layers[1].backprop(a0, d1, scale, arrays.ones, arrays.inputGradients[1]);
          t[c++] = System.nanoTime();
          INDArray d0 = layers[0].activationGradient(arrays.preOutputs[0], arrays.inputGradients[1]);
          t[c++] = System.nanoTime();
          layers[0].backprop(x, d0, scale, arrays.ones, null);
          t[c++] = System.nanoTime();
          NativeThreads.restore(threads);
          t[c++] = System.nanoTime();
          optimizer.step(parameters, gradients, epoch);
          t[c] = System.nanoTime();
          if (epoch >= 2) {
            int sample = (epoch - 2) * steps + step;
            for (int call = 0; call < CALLS.length; call++) {
              nanos[call][sample] = t[call + 1] - t[call];
            }
          }
        }
      }
      if (epoch >= 2) {
        timedEpochs += System.nanoTime() - epochStart;
      }
    }
    print(nanos, timedEpochs / (double) (epochs - 2) / steps, steps, smoke);
  }

  private static void print(long[][] nanos, double wholeStep, int steps, boolean smoke) {
    if (smoke) {
      System.out.println("CALLBACKS4J_SMOKE=1: a shortened smoke run; its figures are not"
          + " measurements");
    }
    double[] means = new double[CALLS.length];
    double total = 0;
    for (int call = 0; call < CALLS.length; call++) {
      means[call] = Arrays.stream(nanos[call]).average().orElse(0) / 1e3;
      total += means[call];
    }
    System.out.printf(Locale.ROOT, "%d steps of %d a timed epoch; the step, clock to clock:"
        + " %.0f µs (calls %.0f µs, the rest is the batch's copy and workspace)%n%n", steps,
        BATCH, wholeStep / 1e3, total);
    System.out.println("| call | median µs | 90th percentile µs | mean µs | share of the calls'"
        + " mean |");
    System.out.println("|---|---|---|---|---|");
    for (int call = 0; call < CALLS.length; call++) {
      long[] sorted = nanos[call].clone();
      Arrays.sort(sorted);
      System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.1f%% |%n", CALLS[call],
          sorted[sorted.length / 2] / 1e3, sorted[sorted.length * 9 / 10] / 1e3, means[call],
          100 * means[call] / total);
    }
  }
}
