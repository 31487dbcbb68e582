package io.github.callbacks4j.benchmarks;

import io.github.callbacks4j.Callback;
import io.github.callbacks4j.Logs;
import io.github.callbacks4j.Params;
import io.github.callbacks4j.runtime.Datasets;
import io.github.callbacks4j.runtime.FitOptions;
import io.github.callbacks4j.runtime.Sequential;
import io.github.callbacks4j.spark.SparkTraining;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Fashion-MNIST, MLP 784-256-128-10 (ReLU, softmax), Adam 1e-3, batch 128, as EngineBenchmark:
 * single-machine {@code fit} against {@code SparkTraining} in {@code local[1]} (one partition)
 * and {@code local[2]} (two), averaging every 1, 5, 20 and 50 local steps. Per run: the median
 * epoch (training only, epochs 2+), test accuracy after the last epoch, and the averaging rounds'
 * overhead: the share of the epoch's training time outside the round tasks' own run time (the
 * longest task of each round: copying the state in, the local steps, copying it out), that is
 * broadcast, scheduling, result transfer and averaging.
 *
 * <p>Usage: {@code SparkBenchmark [--data <Fashion-MNIST dir>] [--epochs N]} (default Debian's
 * {@code /usr/share/datasets/fashion-mnist}, 10 epochs). Each partition reads its share of the
 * training rows itself, as executors on a cluster read theirs.
 */
public final class SparkBenchmark {
  private static final int BATCH = 128;
  private static final int[] FREQUENCIES = {1, 5, 20, 50};

  public static void main(String[] args) throws Exception {
    Path data = Path.of("/usr/share/datasets/fashion-mnist"); // Debian's dataset-fashion-mnist
    int epochs = Smoke.ON ? 2 : 10;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--data" -> data = Path.of(args[++i]);
        case "--epochs" -> epochs = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument '" + args[i]
            + "'; usage: SparkBenchmark [--data <Fashion-MNIST dir>] [--epochs N]");
      }
    }
    int rows = Smoke.ON ? 2048 : 60_000;
    Datasets.LabeledData test = Datasets.mnist(data, false);
    int[] frequencies = Smoke.ON ? new int[] {5} : FREQUENCIES;
    System.out.printf(Locale.ROOT, "Fashion-MNIST %d train / %d test, MLP 784-256-128-10, Adam"
        + " 1e-3, batch %d, %d epochs, %d cores%n", rows, test.samples(), BATCH, epochs,
        Runtime.getRuntime().availableProcessors());

    List<String> table = new ArrayList<>();
    Map<Integer, Double> roundOverheadSeconds = new TreeMap<>(); // local[2], by frequency
    Datasets.LabeledData train = Datasets.mnist(data, true).rows(0, rows);
    EpochTimer single = new EpochTimer();
    model().fit(train.x(), train.y(), options(epochs, test, single));
    double stepSeconds = single.median() / ((rows + BATCH - 1) / BATCH);
    table.add(String.format(Locale.ROOT, "| single machine `fit` | | %d | %.2f s | %.4f | |",
        (rows + BATCH - 1) / BATCH, single.median(), single.accuracy));
    System.out.printf(Locale.ROOT, "single-machine step: %.2f ms%n", stepSeconds * 1e3);

    for (int workers = 1; workers <= 2; workers++) {
      SparkConf conf = new SparkConf().setMaster("local[" + workers + "]")
          .setAppName("SparkBenchmark").set("spark.ui.enabled", "false")
          // 2.8 MB of state a partition a round: returned with the task's status, not fetched
          // from the block manager afterwards (half the round's fixed cost here).
          .set("spark.task.maxDirectResultSize", "64m");
      try (JavaSparkContext spark = new JavaSparkContext(conf)) {
        RoundTimes rounds = new RoundTimes();
        spark.sc().addSparkListener(rounds);
        JavaRDD<DataSet> partitions = partitions(spark, data, rows, workers);
        for (int frequency : frequencies) {
          EpochTimer timer = new EpochTimer();
          rounds.reset();
          SparkTraining.builder(spark).averagingFrequency(frequency).build()
              .fit(model(), partitions, options(epochs, test, timer));
          double taskSeconds = rounds.taskSeconds(timer.rounds * epochs);
          double overhead = 1 - taskSeconds / timer.total();
          table.add(String.format(Locale.ROOT, "| `local[%d]`, %d partition%s | %d | %d | %.2f s"
              + " | %.4f | %.0f%% (%.1f ms a round) |", workers, workers, workers > 1 ? "s" : "",
              frequency, timer.rounds, timer.median(), timer.accuracy, overhead * 100,
              (timer.total() - taskSeconds) / (timer.rounds * epochs) * 1e3));
          System.out.println(table.get(table.size() - 1));
          if (workers == 2) {
            roundOverheadSeconds.put(frequency,
                (timer.total() - taskSeconds) / (timer.rounds * epochs));
          }
        }
      }
    }
    System.out.println();
    System.out.println("| run | averaging frequency | rounds (steps) an epoch | median epoch, 2+"
        + " | test accuracy after " + epochs + " epochs | round overhead, share of the epoch |");
    System.out.println("|---|---|---|---|---|---|");
    table.forEach(System.out::println);
    projection(rows, stepSeconds, roundOverheadSeconds);
  }

  /**
   * Projected epoch time on a cluster of 10 GbE: each round, every executor's local steps, the
   * measured fixed cost of a round (local[2]'s overhead), and the state through the driver's link:
   * broadcast out and every executor's result back, 2 x (parameters + optimizer state) x 4 bytes
   * x executors.
   */
  private static void projection(int rows, double stepSeconds, Map<Integer, Double> overhead) {
    long parameters = model().parameterCount();
    long stateFloats = parameters * 3; // Adam: the parameters and two moments
    double bandwidth = 10e9 / 8;
    System.out.println();
    System.out.printf(Locale.ROOT, "Projection: %d parameters, Adam state; step %.2f ms; 10 GbE"
        + " (%.2f GB/s) at the driver%n", parameters, stepSeconds * 1e3, bandwidth / 1e9);
    System.out.println("| executors | averaging frequency | bytes a round | rounds an epoch"
        + " | projected epoch | of which transfer |");
    System.out.println("|---|---|---|---|---|---|");
    for (int executors : new int[] {4, 16, 64}) {
      for (Map.Entry<Integer, Double> measured : overhead.entrySet()) {
        int frequency = measured.getKey();
        long steps = (rows + (long) executors * BATCH - 1) / ((long) executors * BATCH);
        long rounds = (steps + frequency - 1) / frequency;
        double bytes = 2.0 * stateFloats * 4 * executors;
        double transfer = rounds * bytes / bandwidth;
        double epoch = steps * stepSeconds + rounds * measured.getValue() + transfer;
        System.out.printf(Locale.ROOT, "| %d | %d | %.1f MB | %d | %.2f s | %.0f%% |%n",
            executors, frequency, bytes / 1e6, rounds, epoch, transfer / epoch * 100);
      }
    }
  }

  private static Sequential model() {
    return ReferenceModel.build(42, "accuracy");
  }

  private static FitOptions options(int epochs, Datasets.LabeledData test, EpochTimer timer) {
    return FitOptions.builder().epochs(epochs).batchSize(BATCH).seed(42).verbose(0)
        .validationData(test.x(), test.y()).callbacks(timer).build();
  }

  /** Partition p reads the data and keeps rows [p * rows / n, (p + 1) * rows / n). */
  private static JavaRDD<DataSet> partitions(JavaSparkContext spark, Path data, int rows,
      int count) {
    String directory = data.toString();
    List<Integer> indices = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      indices.add(i);
    }
    return spark.parallelize(indices, count).map(p -> {
      Datasets.LabeledData share = Datasets.mnist(Path.of(directory), true)
          .rows((long) rows * p / count, (long) rows * (p + 1) / count);
      return new DataSet(share.x().dup(), share.y().dup());
    });
  }

  /** Times each epoch's training (from its start to its last batch's end) and reads accuracy. */
  private static final class EpochTimer implements Callback {
    final List<Double> seconds = new ArrayList<>();
    int rounds;
    double accuracy;
    private long start;
    private long lastBatchEnd;

    @Override
    public void setParams(Params params) {
      rounds = params.steps();
    }

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
      seconds.add((lastBatchEnd - start) / 1e9);
      accuracy = logs.get("val_accuracy");
      System.out.printf(Locale.ROOT, "  epoch %2d: %.2f s, test accuracy %.4f%n", epoch + 1,
          seconds.get(seconds.size() - 1), accuracy);
    }

    double median() {
      double[] steady = seconds.subList(Math.min(1, seconds.size() - 1), seconds.size()).stream()
          .mapToDouble(Double::doubleValue).sorted().toArray();
      return steady[steady.length / 2];
    }

    double total() {
      return seconds.stream().mapToDouble(Double::doubleValue).sum();
    }
  }

  /** The longest task of each averaging round's stage, from Spark's listener events. */
  private static final class RoundTimes extends SparkListener {
    private final Map<Integer, Long> longestTaskMillis = new ConcurrentHashMap<>();
    private final Map<Integer, Boolean> roundStages = new ConcurrentHashMap<>();

    void reset() {
      longestTaskMillis.clear();
      roundStages.clear();
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd event) {
      longestTaskMillis.merge(event.stageId(), event.taskMetrics().executorRunTime(), Math::max);
    }

    @Override
    public void onStageCompleted(SparkListenerStageCompleted event) {
      if (event.stageInfo().name().contains("AveragingRounds")) {
        roundStages.put(event.stageInfo().stageId(), true);
      }
    }

    /** Waits for the listener bus to deliver all {@code rounds} stages, then sums their tasks. */
    double taskSeconds(int rounds) throws InterruptedException {
      for (int wait = 0; roundStages.size() < rounds && wait < 100; wait++) {
        Thread.sleep(50);
      }
      return roundStages.keySet().stream().mapToLong(s -> longestTaskMillis.getOrDefault(s, 0L))
          .sum() / 1e3;
    }
  }

  private SparkBenchmark() {}
}
