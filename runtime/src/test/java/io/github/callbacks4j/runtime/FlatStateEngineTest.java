package io.github.callbacks4j.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.callbacks4j.callbacks.History;
import io.github.callbacks4j.callbacks.LambdaCallback;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * What data-parallel training needs of {@link Sequential}: its whole training state moved to
 * another copy continues training exactly as the original would; and {@link Trainer#fit} over
 * steps that are not batches, as a distributed source runs them.
 */
class FlatStateEngineTest {
  private static final Digits DIGITS = Digits.load().head(96);

  @Test
  void aCopyGivenTheStateTrainsExactlyAsTheOriginal() {
    Sequential original = Models.digits(1);
    original.trainOnBatch(DIGITS.x, DIGITS.y);
    original.setLearningRate(3e-3);
    Sequential copy = Models.digits(2);
    copy.compile(original.loss(), original.updater(), "accuracy");
    copy.setParameters(original.parameters());
    copy.setUpdaterState(original.updaterState());
    copy.setIteration(original.iteration());

    original.trainOnBatch(DIGITS.x, DIGITS.y);
    copy.trainOnBatch(DIGITS.x, DIGITS.y);

    assertEquals(2, copy.iteration());
    assertEquals(3e-3, copy.learningRate(), 1e-12);
    assertArrayEquals(original.parameters().toFloatVector(), copy.parameters().toFloatVector());
    assertArrayEquals(original.updaterState().toFloatVector(),
        copy.updaterState().toFloatVector());
  }

  @Test
  void gettersReturnCopiesAndSettersCheckSizes() {
    Sequential model = Models.digits(1);
    INDArray state = model.updaterState();
    state.addi(1);
    assertEquals(0, model.updaterState().sumNumber().doubleValue());
    IllegalArgumentException wrongSize = assertThrows(IllegalArgumentException.class,
        () -> model.setUpdaterState(Nd4j.zeros(1, 10)));
    assertEquals("setUpdaterState needs " + 2 * model.parameterCount() + " values (the Adam"
        + " state of " + model.parameterCount() + " parameters), got 10", wrongSize.getMessage());
    assertThrows(IllegalArgumentException.class, () -> model.setIteration(-1));

    Sequential sgd = Models.digits(1, new Sgd(0.1));
    assertNull(sgd.updaterState());
    sgd.setUpdaterState(null);
    assertTrue(model.updater() instanceof Adam);
    model.updater().setLrAndSchedule(5, null);
    assertEquals(1e-2, model.learningRate(), 1e-12);
  }

  /** Two steps per epoch, each "remote": sums handed over as a distributed source would. */
  private static final class TwoSteps implements StepSource {
    final List<String> calls = new ArrayList<>();
    private int next;

    @Override public int steps() { return 2; }
    @Override public int samples() { return 30; }
    @Override public int batchSize(int step) { return step == 0 ? 10 : 20; }
    @Override public void startPass(Random shuffle) { next = 0; calls.add("start"); }
    @Override public void skip(int steps) { next += steps; }

    @Override
    public double trainNext(TrainingEngine engine, double[] metricSums) {
      calls.add("train " + next);
      metricSums[0] = next == 0 ? 5 : 20; // accuracy sums: 5 of 10, then 20 of 20
      return next++ == 0 ? 1.0 : 4.0;
    }

    @Override
    public double testNext(TrainingEngine engine, double[] metricSums) {
      calls.add("test");
      metricSums[0] = 3;
      return 0.5;
    }

    @Override
    public int lastStepSamples() {
      return calls.get(calls.size() - 1).equals("test") ? 4 : batchSize(next - 1);
    }
  }

  @Test
  void trainerRunsStepsThatAreNotBatchesWithSampleWeightedLogs() {
    Sequential model = Models.digits(1);
    TwoSteps train = new TwoSteps();
    TwoSteps validation = new TwoSteps();
    List<String> batchLogs = new ArrayList<>();
    History history = Trainer.fit(model, train, validation, FitOptions.builder().epochs(2)
        .verbose(0).callbacks(LambdaCallback.builder()
            .onTrainBatchEnd((batch, logs) -> batchLogs.add(batch + " " + logs.get("size")))
            .build())
        .build());

    assertEquals(List.of("start", "train 0", "train 1", "start", "train 0", "train 1"),
        train.calls);
    assertEquals(List.of("start", "test", "test", "start", "test", "test"), validation.calls);
    assertEquals(List.of("0 10.0", "1 20.0", "0 10.0", "1 20.0"), batchLogs);
    assertEquals((1.0 * 10 + 4.0 * 20) / 30, last(history, "loss"), 1e-12);
    assertEquals(25.0 / 30, last(history, "accuracy"), 1e-12);
    assertEquals(0.5, last(history, "val_loss"), 1e-12);
    assertEquals(3.0 / 4, last(history, "val_accuracy"), 1e-12);
  }

  private static double last(History history, String key) {
    List<Double> values = history.history().get(key);
    return values.get(values.size() - 1);
  }
}
