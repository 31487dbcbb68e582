package io.github.callbacks4j.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.callbacks4j.Logs;
import io.github.callbacks4j.callbacks.BackupAndRestore;
import io.github.callbacks4j.callbacks.EarlyStopping;
import io.github.callbacks4j.callbacks.History;
import io.github.callbacks4j.callbacks.LambdaCallback;
import io.github.callbacks4j.callbacks.Mode;
import io.github.callbacks4j.callbacks.LearningRateScheduler;
import io.github.callbacks4j.callbacks.ModelCheckpoint;
import io.github.callbacks4j.callbacks.ReduceLROnPlateau;
import io.github.callbacks4j.callbacks.TensorBoard;
import io.github.callbacks4j.callbacks.TerminateOnNaN;
import io.github.callbacks4j.callbacks.Timer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;

/** The built-ins in fit with the real engine, checked against numbers fit itself reports. */
class BuiltinsInFitTest {
  private static final Digits DIGITS = Digits.load();
  private static final long SPLIT = (long) Math.floor(DIGITS.x.rows() * 0.8);
  private static final INDArray X_VAL = DIGITS.x.get(NDArrayIndex.interval(SPLIT, DIGITS.x.rows()), NDArrayIndex.all());
  private static final INDArray Y_VAL = DIGITS.y.get(NDArrayIndex.interval(SPLIT, DIGITS.y.rows()), NDArrayIndex.all());

  private static double valLoss(Sequential model) {
    return model.evaluate(X_VAL, Y_VAL, EvaluateOptions.builder().verbose(0).build()).get("loss");
  }

  @Test
  void earlyStoppingRestoresTheBestEpochsWeightsAndCheckpointSavedThem(@TempDir Path dir)
      throws IOException {
    Sequential model = Models.digits(5);
    EarlyStopping stopping = EarlyStopping.builder().patience(2).restoreBestWeights(true).build();
    History history = model.fit(DIGITS.x, DIGITS.y, FitOptions.builder()
        .epochs(40).validationSplit(0.2).seed(5).verbose(0)
        .callbacks(stopping, ModelCheckpoint.builder(dir + "/best.c4j").saveBestOnly(true).build())
        .build());
    List<Double> valLosses = history.history().get("val_loss");
    assertTrue(valLosses.size() < 40, "stopped early: " + valLosses);
    double best = Collections.min(valLosses);
    assertEquals(valLosses.indexOf(best), stopping.bestEpoch());
    assertEquals(valLosses.size() - 1, stopping.stoppedEpoch());
    assertEquals(best, valLoss(model), 1e-6);
    assertEquals(best, valLoss(Sequential.load(dir.resolve("best.c4j"))), 1e-6);
  }

  @Test
  void reduceLROnPlateauChangesTheOptimizersRate() {
    Sequential model = Models.digits(6);
    List<Double> rates = new ArrayList<>();
    History history = model.fit(DIGITS.x, DIGITS.y, FitOptions.builder()
        .epochs(12).validationSplit(0.2).seed(6).verbose(0)
        .callbacks(ReduceLROnPlateau.builder().patience(1).factor(0.5).minDelta(0).build(),
            LambdaCallback.builder().onEpochEnd((e, logs) -> rates.add(logs.get("learning_rate")))
                .build())
        .build());
    assertEquals(rates, history.history().get("learning_rate"));
    assertEquals(0.01, rates.get(0));
    assertTrue(model.learningRate() < 0.01, rates::toString);
    // learning_rate is logged before a reduction: the model ends at the last logged rate or half it.
    double lastLogged = rates.get(rates.size() - 1);
    assertTrue(model.learningRate() == lastLogged || model.learningRate() == lastLogged * 0.5,
        model.learningRate() + " vs " + rates);
  }

  @Test
  void terminateOnNaNStopsADivergingRun() {
    Sequential model = Models.digits(7, new Sgd(1e8));
    History history = model.fit(DIGITS.x, DIGITS.y, FitOptions.builder()
        .epochs(5).seed(7).verbose(0).callbacks(new TerminateOnNaN()).build());
    assertEquals(List.of(0), history.epoch());
    assertTrue(Double.isNaN(history.history().get("loss").get(0)));
  }

  @Test
  void timerStopsTrainingWhenTheBudgetIsSpent() {
    long[] now = {0};
    List<Integer> batches = new ArrayList<>();
    History history = Models.digits(8).fit(DIGITS.x, DIGITS.y, FitOptions.builder()
        .epochs(5).seed(8).verbose(0)
        .callbacks(LambdaCallback.builder().onTrainBatchEnd((b, logs) -> {
          batches.add(b);
          now[0] += 1_000_000_000L; // each batch "takes" one second
        }).build(), Timer.builder(Duration.ofSeconds(70)).clock(() -> now[0]).build())
        .build());
    assertEquals(70, batches.size()); // 57 batches in epoch 0, 13 in epoch 1
    assertEquals(List.of(0, 1), history.epoch());
  }

  @Test
  void logsSeenByBuiltinsAreTheEnginesOwn() {
    List<Logs> seen = new ArrayList<>();
    History history = Models.digits(9).fit(DIGITS.x, DIGITS.y, FitOptions.builder()
        .epochs(2).validationSplit(0.2).seed(9).verbose(0)
        .callbacks(LambdaCallback.builder().onEpochEnd((e, logs) -> seen.add(logs.copy())).build())
        .build());
    for (int e = 0; e < 2; e++) {
      for (String key : List.of("loss", "accuracy", "val_loss", "val_accuracy")) {
        assertEquals(history.history().get(key).get(e), seen.get(e).get(key));
      }
    }
  }

  /**
   * The cases of Keras's monitor_callback_test.py test_monitor_op_logic that this engine has: the
   * direction in mode AUTO comes from the compiled metric, then the name.
   */
  @Test
  void autoModeTakesTheCompiledMetricsDirectionAsKerasMonitorCallback() {
    Sequential model = new Sequential().seed(1)
        .add(new Dense(1).inputSize(5).activation(Activation.RELU))
        .compile(LossFunction.L1, new Adam(1e-3), "mse", "acc", "accuracy");
    Map<String, Boolean> cases = new LinkedHashMap<>();
    cases.put("val_mse", false);
    cases.put("loss", false);
    cases.put("acc", true);
    cases.put("val_accuracy", true);
    cases.put("f1_score", true); // not compiled here: by its name, Keras's F1 name
    cases.forEach((monitor, maximized) -> {
      EarlyStopping stopping = EarlyStopping.builder().monitor(monitor).build();
      stopping.setModel(model);
      assertEquals(maximized, stopping.maximizes(), monitor);
    });
    EarlyStopping max = EarlyStopping.builder().monitor("val_mse").mode(Mode.MAX).build();
    max.setModel(model);
    assertTrue(max.maximizes(), "mode MAX wins over the metric's direction");
  }

  /**
   * With stepsPerExecution 7 a batch-end hook runs once per 7 batches, with the group's last index;
   * saveFreq and updateFreq of 7 still mean every 7 batches (Keras's steps_per_execution=7,
   * save_freq=7 case), from the first group on.
   */
  @Test
  void batchFrequenciesCountBatchesNotHookCallsUnderStepsPerExecution(@TempDir Path dir)
      throws IOException {
    Digits rows = DIGITS.head(14 * 4); // 14 batches of 4: two groups of 7
    Path backups = dir.resolve("backup");
    Path logs = dir.resolve("logs");
    List<Long> generations = new ArrayList<>();
    Models.digits(7).fit(rows.x, rows.y, FitOptions.builder()
        .epochs(2).batchSize(4).stepsPerExecution(7).shuffle(false).verbose(0)
        .callbacks(
            ModelCheckpoint.builder(dir + "/ckpt-{epoch}-{batch}.c4j").saveFreq(7).build(),
            TensorBoard.builder(logs).updateFreq(7).build(),
            LambdaCallback.builder().onEpochEnd((epoch, epochLogs) -> generations.add(
                newestGeneration(backups))).build(),
            BackupAndRestore.builder(backups).saveFreq(7).deleteCheckpoint(false).build())
        .build());

    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of("ckpt-1-14.c4j", "ckpt-1-7.c4j", "ckpt-2-14.c4j", "ckpt-2-7.c4j"),
          files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("ckpt")).sorted()
              .toList());
    }
    List<String> batchLoss = EventFiles.scalars(EventFiles.read(EventFiles.onlyFile(
        logs.resolve("train")))).get("batch_loss");
    assertEquals(List.of(7L, 14L, 21L, 28L), batchLoss.stream()
        .map(s -> Long.parseLong(s.substring(0, s.indexOf('=')))).toList());
    // Two batch-level backups per epoch, then the epoch's own: generation 3, then 6. The epoch-end
    // hooks before BackupAndRestore's see the two batch-level ones.
    assertEquals(List.of(2L, 5L), generations);
    assertEquals(6L, newestGeneration(backups));
  }

  /**
   * Keras refuses to set a rate that follows a LearningRateSchedule; here the callbacks that set
   * it fail as fit starts, before any hook runs, and setLearningRate itself refuses. Mirrors
   * test_throws_when_optimizer_has_schedule of Keras's reduce_lr_on_plateau_test.py and
   * learning_rate_scheduler_test.py.
   */
  @Test
  void callbacksThatSetTheRateRefuseAScheduledUpdaterAtTrainBegin() {
    Digits rows = DIGITS.head(64);
    Sequential model = Models.digits(8,
        new Adam(new StepSchedule(ScheduleType.EPOCH, 0.01, 0.5, 1)));
    assertTrue(model.hasLearningRateSchedule());
    for (Object setsTheRate : List.of(ReduceLROnPlateau.builder().monitor("loss").build(),
        LearningRateScheduler.builder((epoch, rate) -> rate).build())) {
      List<String> hooks = new ArrayList<>();
      IllegalStateException refused = assertThrows(IllegalStateException.class,
          () -> model.fit(rows.x, rows.y, FitOptions.builder().epochs(2).verbose(0).callbacks(
              LambdaCallback.builder().onTrainBegin(logs -> hooks.add("trainBegin"))
                  .onEpochBegin((epoch, logs) -> hooks.add("epochBegin")).build(),
              setsTheRate).build()));
      String name = setsTheRate.getClass().getSimpleName();
      assertTrue(refused.getMessage().startsWith(name + " sets the learning rate, but"),
          refused.getMessage());
      assertEquals(List.of(), hooks, "no hook ran, not even an earlier callback's train begin");
    }
    IllegalStateException direct = assertThrows(IllegalStateException.class,
        () -> model.setLearningRate(0.1));
    assertTrue(direct.getMessage().contains("Adam follows a learning-rate schedule"),
        direct.getMessage());
    assertEquals(0.01, model.learningRate(), 1e-9, "the schedule is kept");
    assertFalse(Models.digits(8).hasLearningRateSchedule());
  }

  private static long newestGeneration(Path backups) {
    try (Stream<Path> files = Files.list(backups)) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("state-\\d+\\.json"))
          .mapToLong(n -> Long.parseLong(n.substring(6, n.length() - 5))).max().orElse(0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
