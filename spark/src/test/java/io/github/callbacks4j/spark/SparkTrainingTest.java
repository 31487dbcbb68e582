package io.github.callbacks4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.callbacks4j.Callback;
import io.github.callbacks4j.Logs;
import io.github.callbacks4j.Params;
import io.github.callbacks4j.callbacks.BackupAndRestore;
import io.github.callbacks4j.callbacks.CSVLogger;
import io.github.callbacks4j.callbacks.History;
import io.github.callbacks4j.callbacks.LambdaCallback;
import io.github.callbacks4j.callbacks.ModelCheckpoint;
import io.github.callbacks4j.runtime.Datasets;
import io.github.callbacks4j.runtime.Dense;
import io.github.callbacks4j.runtime.Ema;
import io.github.callbacks4j.runtime.EvaluateOptions;
import io.github.callbacks4j.runtime.FitOptions;
import io.github.callbacks4j.runtime.Sequential;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * Training on two partitions in local mode, one SparkContext for the class: {@code local[2,2]}
 * runs two tasks at a time and retries a failed task once, as {@code spark.task.maxFailures=2}.
 */
class SparkTrainingTest {
  private static final Datasets.TrainTest DIGITS = Datasets.digits();
  /** Task attempts the probe failed on purpose; executors share this JVM in local mode. */
  private static final AtomicInteger FAILED_ATTEMPTS = new AtomicInteger();
  private static JavaSparkContext spark;

  @BeforeAll
  static void startSpark() {
    spark = new JavaSparkContext(new SparkConf().setMaster("local[2,2]")
        .setAppName("SparkTrainingTest").set("spark.ui.enabled", "false"));
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  static Sequential model(long seed, IUpdater updater) {
    return new Sequential().seed(seed)
        .add(new Dense(32).inputSize(64).activation(Activation.RELU))
        .add(new Dense(10).activation(Activation.SOFTMAX))
        .compile(LossFunction.MCXENT, updater, "accuracy");
  }

  /** The first {@code rows} training digits, one DataSet per sample, in {@code partitions}. */
  static JavaRDD<DataSet> digits(int rows, int partitions) {
    Datasets.LabeledData data = DIGITS.train().rows(0, rows);
    List<DataSet> samples = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      samples.add(new DataSet(data.x().getRow(i, true).dup(), data.y().getRow(i, true).dup()));
    }
    return spark.parallelize(samples, partitions);
  }

  @Test
  void reachesSingleMachineAccuracyOnTheSameBudget() {
    FitOptions.Builder options = FitOptions.builder().epochs(15).batchSize(32).seed(7).verbose(0);
    Sequential single = model(42, new Adam(3e-3));
    single.fit(DIGITS.train().x(), DIGITS.train().y(), options.build());
    Sequential distributed = model(42, new Adam(3e-3));
    int rows = (int) DIGITS.train().samples();
    SparkTraining.builder(spark).averagingFrequency(5).build()
        .fit(distributed, digits(rows, 2), options.build());

    double singleAccuracy = testAccuracy(single);
    double sparkAccuracy = testAccuracy(distributed);
    assertTrue(singleAccuracy > 0.95, "single-machine accuracy " + singleAccuracy);
    assertEquals(singleAccuracy, sparkAccuracy, 0.01,
        "Spark " + sparkAccuracy + " against single machine " + singleAccuracy);
  }

  private static double testAccuracy(Sequential model) {
    return model.evaluate(DIGITS.test().x(), DIGITS.test().y(),
        EvaluateOptions.builder().verbose(0).build()).get("accuracy");
  }

  /** Records each hook with its index and log keys, and the thread it ran on. */
  static final class Recorder implements Callback {
    final List<String> calls = new ArrayList<>();
    final List<Logs> logs = new ArrayList<>();
    final List<Thread> threads = new ArrayList<>();
    Params params;

    private void record(String hook, Integer index, Logs received) {
      calls.add(hook + (index == null ? "" : " " + index) + " " + received.keys());
      logs.add(received);
      threads.add(Thread.currentThread());
    }

    @Override public void setParams(Params params) { this.params = params; }
    @Override public void onTrainBegin(Logs l) { record("trainBegin", null, l); }
    @Override public void onTrainEnd(Logs l) { record("trainEnd", null, l); }
    @Override public void onEpochBegin(int e, Logs l) { record("epochBegin", e, l); }
    @Override public void onEpochEnd(int e, Logs l) { record("epochEnd", e, l); }
    @Override public void onTrainBatchBegin(int b, Logs l) { record("trainBatchBegin", b, l); }
    @Override public void onTrainBatchEnd(int b, Logs l) { record("trainBatchEnd", b, l); }
    @Override public void onTestBegin(Logs l) { record("testBegin", null, l); }
    @Override public void onTestEnd(Logs l) { record("testEnd", null, l); }
    @Override public void onTestBatchBegin(int b, Logs l) { record("testBatchBegin", b, l); }
    @Override public void onTestBatchEnd(int b, Logs l) { record("testBatchEnd", b, l); }
  }

  @Test
  void driverRunsKerasHookOrderWithOneBatchPerRound() {
    // 2 partitions of 100 rows, batches of 20: 5 local steps each, 2 per round: rounds of
    // 80, 80 and 40 samples.
    Recorder recorder = new Recorder();
    Datasets.LabeledData validation = DIGITS.test().rows(0, 50);
    SparkTraining.builder(spark).averagingFrequency(2).build().fit(model(1, new Adam(1e-2)),
        digits(200, 2), FitOptions.builder().epochs(2).batchSize(20).verbose(0)
            .validationData(validation.x(), validation.y()).callbacks(recorder).build());

    List<String> epoch = List.of("trainBatchBegin 0 [size]",
        "trainBatchEnd 0 [accuracy, loss, size]", "trainBatchBegin 1 [size]",
        "trainBatchEnd 1 [accuracy, loss, size]", "trainBatchBegin 2 [size]",
        "trainBatchEnd 2 [accuracy, loss, size]", "testBegin []", "testBatchBegin 0 [size]",
        "testBatchEnd 0 [accuracy, loss, size]", "testEnd [accuracy, loss]");
    List<String> expected = new ArrayList<>();
    expected.add("trainBegin []");
    for (int e = 0; e < 2; e++) {
      expected.add("epochBegin " + e + " []");
      expected.addAll(epoch);
      expected.add("epochEnd " + e + " [accuracy, loss, val_accuracy, val_loss]");
    }
    expected.add("trainEnd [accuracy, loss, val_accuracy, val_loss]");
    assertEquals(expected, recorder.calls);
    assertEquals(3, recorder.params.steps());
    assertEquals(java.util.OptionalInt.of(200), recorder.params.samples());
    List<Double> sizes = new ArrayList<>();
    for (int i = 0; i < recorder.calls.size(); i++) {
      if (recorder.calls.get(i).startsWith("trainBatchBegin")) {
        sizes.add(recorder.logs.get(i).get("size"));
      }
    }
    assertEquals(List.of(80.0, 80.0, 40.0, 80.0, 80.0, 40.0), sizes);
    assertEquals(50.0, recorder.logs.get(recorder.calls.indexOf("testBatchBegin 0 [size]"))
        .get("size"));
    assertTrue(recorder.threads.stream().allMatch(t -> t == Thread.currentThread()),
        "every hook on the driver's calling thread");
  }

  @Test
  void learningRateChangesReachTheWorkersAndStopEndsTheRounds() {
    Sequential model = model(3, new Sgd(0.1));
    List<float[]> parametersAtRoundEnd = new ArrayList<>();
    LambdaCallback control = LambdaCallback.builder().onTrainBatchEnd((round, logs) -> {
      parametersAtRoundEnd.add(model.parameters().toFloatVector());
      if (round == 1) {
        // Too small to move a weight by more than ~1e-29; a weight at exactly 0 may still move
        // to a tiny float, so the rounds after are compared with a tolerance.
        model.setLearningRate(1e-30);
      } else if (round == 3) {
        model.stopTraining();
      }
    }).build();
    History history = SparkTraining.builder(spark).averagingFrequency(1).build().fit(model,
        digits(200, 2), FitOptions.builder().epochs(3).batchSize(20).verbose(0)
            .callbacks(control).build());

    assertEquals(4, parametersAtRoundEnd.size(), "no round after the stop");
    assertEquals(List.of(0), history.epoch());
    assertTrue(maxAbsDifference(parametersAtRoundEnd.get(0), parametersAtRoundEnd.get(1)) > 1e-4,
        "rounds at the first rate train");
    assertArrayEquals(parametersAtRoundEnd.get(1), parametersAtRoundEnd.get(2), 1e-20f,
        "the rate of 1e-30 reached the workers");
    assertArrayEquals(parametersAtRoundEnd.get(1), parametersAtRoundEnd.get(3), 1e-20f,
        "the rate of 1e-30 reached the workers");
    assertArrayEquals(parametersAtRoundEnd.get(3), model.parameters().toFloatVector());
    assertEquals(1e-30, model.learningRate(), 1e-40);
  }

  @Test
  void callbackFilesAreWrittenOnceByTheDriver(@TempDir Path dir) throws IOException {
    Recorder recorder = new Recorder();
    Datasets.LabeledData validation = DIGITS.test().rows(0, 40);
    SparkTraining.builder(spark).build().fit(model(4, new Adam(1e-2)), digits(160, 2),
        FitOptions.builder().epochs(3).batchSize(16).verbose(0)
            .validationData(validation.x(), validation.y())
            .callbacks(recorder,
                ModelCheckpoint.builder(dir.resolve("model-{epoch}.c4j").toString()).build(),
                CSVLogger.builder(dir.resolve("log.csv")).build())
            .build());

    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of("log.csv", "model-1.c4j", "model-2.c4j", "model-3.c4j"),
          files.map(f -> f.getFileName().toString()).sorted().toList());
    }
    List<String> csv = Files.readAllLines(dir.resolve("log.csv"));
    assertEquals("epoch,accuracy,loss,val_accuracy,val_loss", csv.get(0));
    assertEquals(4, csv.size(), csv::toString);
    Sequential saved = Sequential.load(dir.resolve("model-3.c4j"));
    assertEquals(32 * 64 + 32 + 10 * 32 + 10, saved.parameterCount());
    assertTrue(recorder.threads.stream().allMatch(t -> t == Thread.currentThread()));
  }

  private static float[] train(SparkTraining training, long seed) {
    Sequential model = model(seed, new Adam(1e-2));
    training.fit(model, digits(300, 2), FitOptions.builder().epochs(3).batchSize(16).seed(11)
        .verbose(0).build());
    return model.parameters().toFloatVector();
  }

  @Test
  void sameSeedDataAndPartitioningGiveBitIdenticalWeightsEvenWhenATaskIsRetried() {
    SparkTraining training = SparkTraining.builder(spark).averagingFrequency(3).build();
    float[] first = train(training, 5);
    float[] second = train(training, 5);
    SparkTraining failingOnce = SparkTraining.builder(spark).averagingFrequency(3)
        .taskProbe((epoch, round, partition) -> {
          if (epoch == 1 && round == 2 && partition == 1
              && TaskContext.get().attemptNumber() == 0) {
            FAILED_ATTEMPTS.incrementAndGet();
            throw new IllegalStateException("first attempt fails on purpose");
          }
        }).build();
    float[] retried = train(failingOnce, 5);

    assertArrayEquals(first, second);
    assertEquals(1, FAILED_ATTEMPTS.get(), "the probe failed one attempt");
    assertArrayEquals(first, retried);
    assertFalse(java.util.Arrays.equals(first, train(training, 6)), "another seed differs");
  }

  private static double maxAbsDifference(float[] a, float[] b) {
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }

  /** Throws from a round's end, as a driver killed there would stop. */
  private static Callback crashAt(int epoch, int round) {
    int[] currentEpoch = {0};
    return LambdaCallback.builder()
        .onEpochBegin((e, logs) -> currentEpoch[0] = e)
        .onTrainBatchEnd((batch, logs) -> {
          if (currentEpoch[0] == epoch && batch == round) {
            throw new IllegalStateException("driver killed at epoch " + epoch + " round " + round);
          }
        }).build();
  }

  @Test
  void backupAndRestoreResumesAKilledDriverAtTheLastSavedRound(@TempDir Path dir) {
    SparkTraining training = SparkTraining.builder(spark).averagingFrequency(2).build();
    FitOptions.Builder options = FitOptions.builder().epochs(3).batchSize(16).seed(3).verbose(0);
    Sequential straight = model(8, new Adam(1e-2));
    History expected = training.fit(straight, digits(256, 2), options.build());

    Path backup = dir.resolve("backup");
    Sequential killed = model(8, new Adam(1e-2));
    assertThrows(IllegalStateException.class, () -> training.fit(killed, digits(256, 2),
        options.callbacks(BackupAndRestore.builder(backup).saveFreq(1).build(), crashAt(1, 2))
            .build()));
    Sequential resumed = model(99, new Adam(1e-2)); // its own weights are replaced by the backup
    History history = training.fit(resumed, digits(256, 2),
        options.callbacks(BackupAndRestore.builder(backup).saveFreq(1).build()).build());

    assertArrayEquals(straight.parameters().toFloatVector(), resumed.parameters().toFloatVector());
    assertEquals(List.of(1, 2), history.epoch(), "resumed in epoch 1");
    assertEquals(expected.history().get("loss").get(2), history.history().get("loss").get(1),
        1e-9);
  }

  @Test
  void misuseIsNamedWithItsFix() {
    SparkTraining training = SparkTraining.builder(spark).build();
    FitOptions options = FitOptions.builder().verbose(0).build();
    Sequential uncompiled = new Sequential().add(new Dense(10).inputSize(64));
    assertEquals("the Sequential is not compiled: call compile(loss, updater, metrics...) before"
        + " SparkTraining.fit", assertThrows(IllegalStateException.class,
            () -> training.fit(uncompiled, digits(10, 1), options)).getMessage());

    JavaRDD<DataSet> empty = spark.parallelize(List.<DataSet>of(), 2);
    assertEquals("the training RDD is empty: its 2 partitions have no samples; pass data with at"
        + " least one row", assertThrows(IllegalArgumentException.class,
            () -> training.fit(model(1, new Adam()), empty, options)).getMessage());

    Sequential wide = new Sequential().add(new Dense(10).inputSize(65))
        .compile(LossFunction.MCXENT, new Adam());
    assertEquals("partition 0 of the training RDD has 64 features per sample but the first layer"
        + " expects inputSize 65", assertThrows(IllegalArgumentException.class,
            () -> training.fit(wide, digits(10, 1), options)).getMessage());

    Sequential withAuc = new Sequential().add(new Dense(10).inputSize(64)
        .activation(Activation.SOFTMAX)).compile(LossFunction.MCXENT, new Adam(), "accuracy", "auc");
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> training.fit(withAuc, digits(10, 1), options)).getMessage()
        .startsWith("SparkTraining reduces metric sums across partitions and cannot compute the"
            + " stateful metrics [auc]"));

    assertTrue(assertThrows(IllegalArgumentException.class, () -> training.fit(model(1,
        new Adam()), digits(10, 1), FitOptions.builder().validationSplit(0.2).build()))
        .getMessage().startsWith("validationSplit=0.2 needs in-memory arrays; on Spark pass"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> training.fit(model(1,
        new Adam()), digits(10, 1), FitOptions.builder().validationSteps(2).build()))
        .getMessage().startsWith("validationSteps=2 does not apply on Spark"));
    Sequential averaged = new Sequential().add(new Dense(10).inputSize(64))
        .compile(LossFunction.MCXENT, new Adam(), Ema.builder().build());
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> training.fit(averaged, digits(10, 1), options)).getMessage()
        .contains("compile it without the Ema to train on Spark"));
    assertEquals("averagingFrequency must be >= 1 local steps per round, got 0",
        assertThrows(IllegalArgumentException.class,
            () -> SparkTraining.builder(spark).averagingFrequency(0)).getMessage());
  }
}
