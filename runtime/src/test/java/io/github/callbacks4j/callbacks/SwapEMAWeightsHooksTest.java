package io.github.callbacks4j.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.callbacks4j.Logs;
import io.github.callbacks4j.Model;
import io.github.callbacks4j.ModelState;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Which weights SwapEMAWeights leaves in the model after each hook, on a model that only tracks
 * which it holds (the engine's swap itself is tested in runtime's SwapEMAWeightsTest).
 */
class SwapEMAWeightsHooksTest {
  private static final class EmaModel implements Model {
    boolean emaInModel;

    @Override public boolean hasEma() { return true; }
    @Override public void swapEmaWeights(boolean emaInModel) { this.emaInModel = emaInModel; }
    @Override public void stopTraining() {}
    @Override public boolean stopTrainingRequested() { return false; }
    @Override public double learningRate() { return 0.1; }
    @Override public void setLearningRate(double learningRate) {}
    @Override public ModelState snapshot() { return null; }
    @Override public void restore(ModelState state) {}
    @Override public void save(Path file) {}
    @Override public void saveWeights(Path file) {}
  }

  /** Keras's swap_on_epoch: the EMA weights from each epoch's end to the next one's begin. */
  @Test
  void swapOnEpochTrainsEachEpochOnTheModelsOwnWeights() {
    EmaModel model = new EmaModel();
    SwapEMAWeights swap = SwapEMAWeights.builder().swapOnEpoch(true).build();
    swap.setModel(model);
    swap.onEpochBegin(0, new Logs());
    assertEquals(false, model.emaInModel);
    swap.onEpochEnd(0, new Logs());
    assertEquals(true, model.emaInModel, "callbacks after it see the EMA weights");
    swap.onEpochBegin(1, new Logs());
    assertEquals(false, model.emaInModel, "epoch 1 trains the model's own weights");
  }

  /** Without swap_on_epoch the epoch hooks leave the weights alone. */
  @Test
  void byDefaultEpochsLeaveTheWeightsAsTheyAre() {
    EmaModel model = new EmaModel();
    SwapEMAWeights swap = new SwapEMAWeights();
    swap.setModel(model);
    model.emaInModel = true;
    swap.onEpochBegin(1, new Logs());
    assertEquals(true, model.emaInModel);
    model.emaInModel = false;
    swap.onEpochEnd(1, new Logs());
    assertEquals(false, model.emaInModel);
  }

  /** Predictions are the EMA model's; the model's own weights come back afterwards. */
  @Test
  void predictUsesTheEmaWeightsAndPutsTheOwnBack() {
    EmaModel model = new EmaModel();
    SwapEMAWeights swap = new SwapEMAWeights();
    swap.setModel(model);
    swap.onPredictBegin(new Logs());
    assertEquals(true, model.emaInModel);
    swap.onPredictEnd(new Logs());
    assertEquals(false, model.emaInModel);
  }

  @Test
  void aHookWithoutAModelSaysWhereToRunIt() {
    SwapEMAWeights swap = new SwapEMAWeights();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> swap.onTestBegin(new Logs()));
    assertEquals("SwapEMAWeights has no model: run it from fit, evaluate or predict, which set one",
        e.getMessage());
  }
}
