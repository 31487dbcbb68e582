package io.github.callbacks4j.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.callbacks4j.Logs;
import io.github.callbacks4j.Callback;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keras 3's ReduceLROnPlateau arithmetic, epoch by epoch. */
class ReduceLROnPlateauTest {

  /** Runs a plateau of {@code epochs} equal values; returns the learning rate logged per epoch. */
  private static List<Double> plateau(ReduceLROnPlateau reduce, int epochs) {
    List<Double> logged = new ArrayList<>();
    Callback recorder = new Callback() {
      @Override
      public void onEpochEnd(int epoch, Logs logs) {
        reduce.onEpochEnd(epoch, logs);
        logged.add(logs.get("learning_rate"));
      }

      @Override
      public void setModel(io.github.callbacks4j.Model model) {
        reduce.setModel(model);
      }

      @Override
      public void onTrainBegin(Logs logs) {
        reduce.onTrainBegin(logs);
      }
    };
    double[] values = new double[epochs];
    java.util.Arrays.fill(values, 1.0);
    new ScriptedLoop().fit(recorder, "val_loss", values);
    return logged;
  }

  @Test
  void reducesAfterPatienceEpochsAndLogsTheRateBeforeReduction() {
    ReduceLROnPlateau reduce = ReduceLROnPlateau.builder().factor(0.5).patience(2).build();
    // e0 improves (best None); e1 wait=1; e2 wait=2: 1.0 -> 0.5; e3 wait=1; e4 wait=2: 0.5 -> 0.25.
    assertEquals(List.of(1.0, 1.0, 1.0, 0.5, 0.5, 0.25), plateau(reduce, 6));
  }

  @Test
  void cooldownOfOneHasNoEffect() {
    ReduceLROnPlateau reduce = ReduceLROnPlateau.builder().factor(0.5).patience(1).cooldown(1).build();
    // The cooldown counter is decremented before wait is tested: reductions at e1, e2, e3, e4.
    assertEquals(List.of(1.0, 1.0, 0.5, 0.25, 0.125), plateau(reduce, 5));
  }

  @Test
  void cooldownOfTwoSkipsOneEpoch() {
    ReduceLROnPlateau reduce = ReduceLROnPlateau.builder().factor(0.5).patience(1).cooldown(2).build();
    // Reductions at e1, e3, e5.
    assertEquals(List.of(1.0, 1.0, 0.5, 0.5, 0.25, 0.25, 0.125), plateau(reduce, 7));
  }

  @Test
  void neverGoesBelowMinLrAndThenStopsResettingWait() {
    ReduceLROnPlateau reduce = ReduceLROnPlateau.builder().factor(0.1).patience(1).minLr(0.05).build();
    List<Double> rates = plateau(reduce, 5);
    assertEquals(1.0, rates.get(1));
    assertEquals(0.1, rates.get(2), 1e-12);
    assertEquals(List.of(0.05, 0.05), rates.subList(3, 5));
    // At min_lr nothing is reduced, so wait is never reset (Keras): 1 at e3, 2 at e4.
    assertEquals(2, reduce.waitCount());
  }

  @Test
  void improvementsResetWait() {
    ReduceLROnPlateau reduce = ReduceLROnPlateau.builder().factor(0.5).patience(2).build();
    ScriptedLoop loop = new ScriptedLoop().fit(reduce, "val_loss", 1.0, 0.99, 0.98, 0.97);
    assertEquals(1.0, loop.model.learningRate);
    assertEquals(0, reduce.waitCount());
  }

  @Test
  void defaultMinDeltaIsOneTenThousandth() {
    ReduceLROnPlateau reduce = ReduceLROnPlateau.builder().factor(0.5).patience(1).build();
    // 1.0 -> 0.99995 improves by less than 1e-4: a plateau, reduced at e1.
    ScriptedLoop loop = new ScriptedLoop().fit(reduce, "val_loss", 1.0, 0.99995);
    assertEquals(0.5, loop.model.learningRate);
  }

  @Test
  void factorOfOneOrMoreIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ReduceLROnPlateau.builder().factor(1.0));
    assertEquals("ReduceLROnPlateau does not support a factor >= 1.0, got 1.0: use a factor in"
        + " (0, 1), e.g. 0.1", e.getMessage());
  }

  /** Keras compares with float32(min_lr): a rate already at minLr is not reduced, wait goes on. */
  @Test
  void aRateAtMinLrIsNotReducedAndWaitKeepsCounting() {
    ReduceLROnPlateau reduce = ReduceLROnPlateau.builder().patience(1).minLr(0.5).build();
    ScriptedLoop loop = new ScriptedLoop();
    loop.model.learningRate = 0.5;
    loop.fit(reduce, "val_loss", 1.0, 1.0, 1.0);
    assertEquals(0.5, loop.model.learningRate);
    assertEquals(2, reduce.waitCount());
  }

  @Test
  void withoutTheMonitorTheRateIsStillLoggedAndNothingCounts() {
    ReduceLROnPlateau reduce = ReduceLROnPlateau.builder().patience(0).factor(0.5).build();
    Logs logs = Logs.of("loss", 1.0);
    ScriptedLoop loop = new ScriptedLoop().fit(reduce, List.of(logs, logs.copy()));
    assertEquals(1.0, loop.model.learningRate);
    assertEquals(0, reduce.waitCount());
    assertEquals(null, reduce.best());
    assertEquals("ReduceLROnPlateau(val_loss)", reduce.stateKey());
  }

  @Test
  void builderEdges() {
    ReduceLROnPlateau.builder().patience(0).cooldown(0).minLr(0).factor(0.999).build();
    assertEquals("factor must be > 0, got 0.0", assertThrows(IllegalArgumentException.class,
        () -> ReduceLROnPlateau.builder().factor(0)).getMessage());
    assertEquals("patience must be >= 0, got -1", assertThrows(IllegalArgumentException.class,
        () -> ReduceLROnPlateau.builder().patience(-1)).getMessage());
    assertEquals("cooldown must be >= 0, got -1", assertThrows(IllegalArgumentException.class,
        () -> ReduceLROnPlateau.builder().cooldown(-1)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> ReduceLROnPlateau.builder().minLr(-1e-9));
  }

  @Test
  void verboseSaysEachReductionAndQuietSaysNothing() {
    ReduceLROnPlateau loud = ReduceLROnPlateau.builder().factor(0.5).patience(1).verbose(1).build();
    assertEquals("Epoch 2: ReduceLROnPlateau reducing learning rate to 0.5.\n"
        + "Epoch 3: ReduceLROnPlateau reducing learning rate to 0.25.\n",
        StandardOutput.of(() -> plateau(loud, 3)));
    ReduceLROnPlateau quiet = ReduceLROnPlateau.builder().factor(0.5).patience(1).build();
    assertEquals("", StandardOutput.of(() -> plateau(quiet, 3)));
  }

  @Test
  void aReductionStartsTheCooldown() {
    ReduceLROnPlateau reduce = ReduceLROnPlateau.builder().factor(0.5).patience(1).cooldown(3)
        .build();
    plateau(reduce, 2); // e1 reduces
    assertEquals(3, reduce.cooldownCounter());
    plateau(reduce, 3); // a new fit starts afresh: e1 reduces, e2 counts one cooldown epoch down
    assertEquals(2, reduce.cooldownCounter());
  }
}
