package io.github.callbacks4j.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.callbacks4j.Hook;
import io.github.callbacks4j.LogKey;
import io.github.callbacks4j.MetricDirection;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keras 3's EarlyStopping, epoch by epoch: {@code wait += 1}, then return on improvement. */
class EarlyStoppingTest {

  @Test
  void stopsWhenWaitReachesPatience() {
    EarlyStopping stopping = EarlyStopping.builder().patience(2).build();
    ScriptedLoop loop = new ScriptedLoop().fit(stopping, "val_loss", 1.0, 0.9, 0.95, 0.96, 0.8);
    // e0 best=1.0, e1 best=0.9, e2 wait=1, e3 wait=2 >= patience: stop.
    assertEquals(List.of(0, 1, 2, 3), loop.epochsRun);
    assertEquals(3, stopping.stoppedEpoch());
    assertEquals(1, stopping.bestEpoch());
    assertEquals(0.9, stopping.best());
  }

  @Test
  void patienceZeroStopsAtTheFirstNonImprovementButNeverAtEpochZero() {
    EarlyStopping stopping = EarlyStopping.builder().build();
    ScriptedLoop loop = new ScriptedLoop().fit(stopping, "val_loss", 1.0, 1.0, 0.5);
    assertEquals(List.of(0, 1), loop.epochsRun);
    assertEquals(1, stopping.stoppedEpoch());
  }

  @Test
  void minDeltaIsStrict() {
    // 0.75 + 0.25 < 1.0 is false: a change of exactly minDelta is no improvement.
    EarlyStopping stopping = EarlyStopping.builder().minDelta(-0.25).patience(1).build();
    ScriptedLoop loop = new ScriptedLoop().fit(stopping, "val_loss", 1.0, 0.75, 0.5);
    assertEquals(List.of(0, 1), loop.epochsRun);
    assertEquals(0, stopping.bestEpoch());
  }

  @Test
  void noChangeIsNoImprovementWithZeroMinDelta() {
    EarlyStopping stopping = EarlyStopping.builder().patience(1).monitor("loss").build();
    assertEquals(List.of(0, 1), new ScriptedLoop().fit(stopping, "loss", 0.5, 0.5, 0.1).epochsRun);
  }

  @Test
  void improvementsThatMissTheBaselineDoNotResetWait() {
    EarlyStopping stopping = EarlyStopping.builder().patience(2).baseline(0.5).build();
    ScriptedLoop loop = new ScriptedLoop().fit(stopping, "val_loss", 0.9, 0.95, 0.97);
    // e0 improves (best None) but misses the baseline: wait stays 1; e1 wait=2: stop.
    assertEquals(List.of(0, 1), loop.epochsRun);

    // Keras's corner case: a run that keeps improving without beating the baseline never stops.
    EarlyStopping improving = EarlyStopping.builder().patience(1).baseline(0.5).build();
    ScriptedLoop run = new ScriptedLoop().fit(improving, "val_loss", 0.9, 0.8, 0.7, 0.6);
    assertEquals(List.of(0, 1, 2, 3), run.epochsRun);
    assertEquals(4, improving.waitCount());
  }

  @Test
  void epochsBeforeStartFromEpochAreIgnored() {
    EarlyStopping stopping = EarlyStopping.builder().patience(1).startFromEpoch(2).build();
    ScriptedLoop loop = new ScriptedLoop().fit(stopping, "val_loss", 5, 4, 3, 3, 3);
    assertEquals(List.of(0, 1, 2, 3), loop.epochsRun);
    assertEquals(2, stopping.bestEpoch());
  }

  @Test
  void restoresTheBestWeightsEvenWhenTrainingRanToTheEnd() {
    EarlyStopping stopping = EarlyStopping.builder().patience(5).restoreBestWeights(true).build();
    ScriptedLoop loop = new ScriptedLoop().fit(stopping, "val_loss", 1.0, 0.5, 0.7);
    assertEquals(List.of(0, 1, 2), loop.epochsRun);
    assertEquals(-1, stopping.stoppedEpoch());
    assertEquals(1.0, loop.model.weights); // the weights of epoch 1, the best
  }

  @Test
  void restoresTheBestWeightsAfterStoppingEarly() {
    EarlyStopping stopping = EarlyStopping.builder().patience(1).restoreBestWeights(true).build();
    ScriptedLoop loop = new ScriptedLoop().fit(stopping, "val_loss", 0.4, 0.3, 0.35, 0.1);
    assertEquals(List.of(0, 1, 2), loop.epochsRun);
    assertEquals(1.0, loop.model.weights);
  }

  @Test
  void isReusableAcrossFits() {
    EarlyStopping stopping = EarlyStopping.builder().patience(1).build();
    ScriptedLoop loop = new ScriptedLoop().fit(stopping, "val_loss", 0.1, 0.2);
    assertEquals(1, stopping.stoppedEpoch());
    // A stale best of 0.1 would stop this run at epoch 1 (keras #20521); a fresh one runs on.
    loop.fit(stopping, "val_loss", 0.9, 0.8, 0.7);
    assertEquals(List.of(0, 1, 2), loop.epochsRun);
    assertEquals(-1, stopping.stoppedEpoch());
    assertEquals(0.7, stopping.best());
  }

  @Test
  void autoModeMaximizesAccuracyLikeNames() {
    for (String name : List.of("val_accuracy", "acc", "val_auc", "precision", "val_recall", "f1",
        "f1_score", "val_f1_score")) {
      assertTrue(MonitorCallback.maximizedByName(name), name);
    }
    for (String name : List.of("val_loss", "loss", "mse", "val_mae", "learning_rate")) {
      assertFalse(MonitorCallback.maximizedByName(name), name);
    }
    EarlyStopping stopping = EarlyStopping.builder().monitor("val_accuracy").patience(1).build();
    ScriptedLoop loop = new ScriptedLoop().fit(stopping, "val_accuracy", 0.5, 0.6, 0.55, 0.9);
    assertEquals(List.of(0, 1, 2), loop.epochsRun);
    assertEquals(0.6, stopping.best());
  }

  /** Keras 3: in AUTO a compiled metric's declared direction decides, whatever its name. */
  @Test
  void autoModeFollowsTheDirectionTheModelDeclares() {
    ScriptedLoop loop = new ScriptedLoop();
    loop.model.directions.put("dice", MetricDirection.UP);
    loop.model.directions.put("top_accuracy_gap", MetricDirection.DOWN);
    EarlyStopping dice = EarlyStopping.builder().monitor("val_dice").patience(1).build();
    loop.fit(dice, "val_dice", 0.5, 0.6, 0.55, 0.9);
    assertTrue(dice.maximizes());
    assertEquals(List.of(0, 1, 2), loop.epochsRun);
    assertEquals(0.6, dice.best());

    EarlyStopping gap = EarlyStopping.builder().monitor("top_accuracy_gap").patience(1).build();
    loop.fit(gap, "top_accuracy_gap", 0.5, 0.4, 0.45, 0.1);
    assertFalse(gap.maximizes());
    assertEquals(List.of(0, 1, 2), loop.epochsRun);
    assertEquals(0.4, gap.best());

    // "loss" goes down even if a model claimed otherwise, as Keras hard-codes it.
    loop.model.directions.put("loss", MetricDirection.UP);
    EarlyStopping loss = EarlyStopping.builder().monitor("val_loss").patience(1).build();
    loop.fit(loss, "val_loss", 0.5, 0.4);
    assertFalse(loss.maximizes());
  }

  @Test
  void explicitModeOverridesTheName() {
    EarlyStopping stopping = EarlyStopping.builder().monitor("val_loss").mode(Mode.MAX)
        .patience(1).build();
    assertEquals(List.of(0, 1), new ScriptedLoop().fit(stopping, "val_loss", 0.5, 0.4, 0.9).epochsRun);
  }

  @Test
  void checkFiniteStopsOnNaN() {
    EarlyStopping stopping = EarlyStopping.builder().patience(10).checkFinite(true).build();
    ScriptedLoop loop = new ScriptedLoop().fit(stopping, "val_loss", 1.0, Double.NaN, 0.5);
    assertEquals(List.of(0, 1), loop.epochsRun);
    assertEquals(1, stopping.stoppedEpoch());
  }

  @Test
  void nanIsNeverBest() {
    EarlyStopping stopping = EarlyStopping.builder().patience(10).build();
    new ScriptedLoop().fit(stopping, "val_loss", Double.NaN, 2.0, Double.NaN);
    assertEquals(2.0, stopping.best());
    assertEquals(1, stopping.bestEpoch());
  }

  @Test
  void stoppingThresholdStopsOnceGoodEnough() {
    EarlyStopping stopping = EarlyStopping.builder().patience(10).stoppingThreshold(0.5).build();
    assertEquals(List.of(0, 1, 2),
        new ScriptedLoop().fit(stopping, "val_loss", 1.0, 0.6, 0.5, 0.4).epochsRun);
  }

  @Test
  void divergenceThresholdStopsOnceTooBad() {
    EarlyStopping stopping = EarlyStopping.builder().patience(10).divergenceThreshold(2.0).build();
    assertEquals(List.of(0, 1), new ScriptedLoop().fit(stopping, "val_loss", 1.0, 3.0, 0.5).epochsRun);
  }

  @Test
  void aMissingMonitorNeverStops() {
    EarlyStopping stopping = EarlyStopping.builder().monitor("val_loss").build();
    assertEquals(List.of(0, 1, 2), new ScriptedLoop().fit(stopping, "loss", 3, 2, 1).epochsRun);
  }


  @Test
  void verboseSaysWhyItStoppedAndWhichEpochItRestored() {
    EarlyStopping stopping = EarlyStopping.builder().patience(1).restoreBestWeights(true)
        .verbose(1).build();
    String out = StandardOutput.of(() -> new ScriptedLoop().fit(stopping, "val_loss", 0.4, 0.3, 0.35));
    assertEquals("Epoch 3: early stopping (no improvement of val_loss in 1 epochs)\n"
        + "Restoring model weights from the end of the best epoch: 2.\n", out);
    EarlyStopping quiet = EarlyStopping.builder().patience(1).restoreBestWeights(true).build();
    assertEquals("", StandardOutput.of(() -> new ScriptedLoop().fit(quiet, "val_loss", 0.4, 0.3, 0.35)));
  }

  @Test
  void thresholdsWhenMaximizing() {
    EarlyStopping good = EarlyStopping.builder().monitor("val_accuracy").patience(10)
        .stoppingThreshold(0.9).build();
    // Reaching the threshold exactly is good enough.
    assertEquals(List.of(0, 1), new ScriptedLoop().fit(good, "val_accuracy", 0.5, 0.9, 0.95)
        .epochsRun);
    EarlyStopping diverging = EarlyStopping.builder().monitor("val_accuracy").patience(10)
        .divergenceThreshold(0.2).build();
    // At the threshold is not past it; below it is, even without an improvement to wait for.
    assertEquals(List.of(0, 1, 2), new ScriptedLoop().fit(diverging, "val_accuracy", 0.5, 0.2,
        0.1, 0.6).epochsRun);
  }

  @Test
  void thresholdsWhenMinimizingAtTheirValues() {
    EarlyStopping diverging = EarlyStopping.builder().patience(10).divergenceThreshold(2.0).build();
    assertEquals(List.of(0, 1, 2), new ScriptedLoop().fit(diverging, "val_loss", 1.0, 2.0, 2.5, 0.5)
        .epochsRun);
    EarlyStopping good = EarlyStopping.builder().patience(10).stoppingThreshold(0.5).build();
    assertEquals(List.of(0, 1), new ScriptedLoop().fit(good, "val_loss", 1.0, 0.5, 0.3).epochsRun);
  }

  @Test
  void withoutAnyImprovementTheFirstCountedEpochsWeightsAreRestored() {
    EarlyStopping stopping = EarlyStopping.builder().patience(10).restoreBestWeights(true).build();
    ScriptedLoop loop = new ScriptedLoop().fit(stopping, "val_loss", Double.NaN, Double.NaN);
    assertEquals(-1, stopping.bestEpoch());
    assertEquals(0.0, loop.model.weights);
  }

  @Test
  void aBackupWithABestEpochMustCarryItsWeightsWhenTheyAreRestored() {
    EarlyStopping restoring = EarlyStopping.builder().restoreBestWeights(true).build();
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> restoring.prepareRestore(
            new EarlyStopping.State(1, -1, 0, 0.5), java.util.Map.of()));
    assertEquals("the state has a best epoch (0) but no bestWeights snapshot to restore at its end",
        e.getMessage());
    restoring.prepareRestore(new EarlyStopping.State(2, -1, -1, null), java.util.Map.of()).run();
    assertEquals(2, restoring.waitCount());
    EarlyStopping plain = EarlyStopping.builder().build();
    plain.prepareRestore(new EarlyStopping.State(1, 3, 0, 0.5), java.util.Map.of()).run();
    assertEquals(new EarlyStopping.State(1, 3, 0, 0.5), plain.saveState());
  }

  @Test
  void aMetricTheModelDeclaresDownIsMinimizedWhateverItsName() {
    EarlyStopping stopping = EarlyStopping.builder().monitor("val_top_acc").patience(1).build();
    ScriptedLoop loop = new ScriptedLoop();
    loop.model.directions.put("top_acc", MetricDirection.DOWN);
    loop.fit(stopping, "val_top_acc", 0.5, 0.4, 0.6, 0.7);
    assertEquals(List.of(0, 1, 2), loop.epochsRun);
    assertEquals(0.4, stopping.best());
  }

  @Test
  void anEpochBeforeStartFromEpochIsNotEvenABest() {
    // Were epochs 0 and 1 counted, 0.1 would be best and epoch 1 would stop the run.
    EarlyStopping stopping = EarlyStopping.builder().patience(1).startFromEpoch(2).build();
    ScriptedLoop loop = new ScriptedLoop().fit(stopping, "val_loss", 0.1, 0.5, 0.9, 0.95, 0.97);
    assertEquals(List.of(0, 1, 2, 3), loop.epochsRun);
    assertEquals(2, stopping.bestEpoch());
    assertEquals(0.9, stopping.best());
  }

  @Test
  void startFromEpochZeroIsTheDefaultAndANegativeOneIsRefused() {
    EarlyStopping stopping = EarlyStopping.builder().patience(1).startFromEpoch(0).build();
    assertEquals(List.of(0, 1), new ScriptedLoop().fit(stopping, "val_loss", 1, 2, 3).epochsRun);
    assertEquals("startFromEpoch must be >= 0, got -1", assertThrows(
        IllegalArgumentException.class, () -> EarlyStopping.builder().startFromEpoch(-1))
        .getMessage());
  }

  /** Keras: {@code wait >= patience and epoch > 0}; a NaN first epoch counts but cannot stop. */
  @Test
  void aNaNFirstEpochDoesNotStopEvenWhenWaitReachesPatience() {
    EarlyStopping stopping = EarlyStopping.builder().patience(1).build();
    ScriptedLoop loop = new ScriptedLoop().fit(stopping, "val_loss", Double.NaN, 1.0, 2.0, 0.5);
    assertEquals(List.of(0, 1, 2), loop.epochsRun);
    assertEquals(2, stopping.stoppedEpoch());
    assertEquals(1, stopping.bestEpoch());
  }

  /**
   * Maximizing, as minimizing: {@code 1.5 - 0.5 > 1.0} is false, so a rise of exactly minDelta is no
   * improvement, nor is a smaller one.
   */
  @Test
  void minDeltaIsStrictWhenMaximizing() {
    for (double second : new double[] {1.5, 1.2}) {
      EarlyStopping stopping = EarlyStopping.builder().monitor("val_accuracy").minDelta(0.5)
          .patience(1).build();
      ScriptedLoop loop = new ScriptedLoop().fit(stopping, "val_accuracy", 1.0, second, 2.0);
      assertEquals(List.of(0, 1), loop.epochsRun, "second epoch " + second);
      assertEquals(1.0, stopping.best());
    }
    EarlyStopping rising = EarlyStopping.builder().monitor("val_accuracy").minDelta(0.5)
        .patience(1).build();
    new ScriptedLoop().fit(rising, "val_accuracy", 1.0, 1.75);
    assertEquals(1.75, rising.best());
  }

  /** Keras 3: a metric the engine does not declare is judged by its name, even with a model. */
  @Test
  void autoModeJudgesAnUndeclaredMetricByItsName() {
    EarlyStopping mae = EarlyStopping.builder().monitor("val_mae").patience(1).build();
    ScriptedLoop loop = new ScriptedLoop().fit(mae, "val_mae", 0.5, 0.4, 0.45);
    assertFalse(mae.maximizes());
    assertEquals(List.of(0, 1, 2), loop.epochsRun);
    assertEquals(0.4, mae.best());
  }

  @Test
  void theMonitorIsReadFromTheEpochEndLogs() {
    EarlyStopping stopping = EarlyStopping.builder().monitor("val_auc").build();
    assertEquals("val_auc", stopping.monitor());
    assertEquals(List.of(new LogKey(Hook.EPOCH_END, "val_auc", "EarlyStopping's monitor")),
        stopping.logKeys());
  }
}
