package io.github.callbacks4j.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** Misuse fails before any hook runs, with a message naming the values and the fix. */
class BadInputTest {
  private static final Digits DIGITS = Digits.load().head(20);

  private static void assertFailsBeforeHooks(Class<? extends Throwable> type, String message,
      HookRecorder recorder, Executable call) {
    Throwable e = assertThrows(type, call);
    assertEquals(message, e.getMessage());
    assertEquals(List.of(), recorder.calls);
  }

  private static FitOptions options(HookRecorder recorder) {
    return FitOptions.builder().verbose(0).callbacks(recorder).build();
  }

  @Test
  void rowsOfXAndYDiffer() {
    HookRecorder recorder = new HookRecorder();
    INDArray y = Nd4j.zeros(DataType.FLOAT, 19, 10);
    assertFailsBeforeHooks(IllegalArgumentException.class,
        "y has 19 rows but the features have 20: every sample needs one label row", recorder,
        () -> Models.digits(1).fit(DIGITS.x, y, options(recorder)));
  }

  @Test
  void featuresDoNotMatchTheFirstLayer() {
    HookRecorder recorder = new HookRecorder();
    INDArray x = Nd4j.zeros(DataType.FLOAT, 20, 63);
    assertFailsBeforeHooks(IllegalArgumentException.class,
        "x has 63 features per sample but the first layer expects inputSize 64", recorder,
        () -> Models.digits(1).fit(x, DIGITS.y, options(recorder)));
  }

  @Test
  void labelsDoNotMatchTheOutputUnits() {
    HookRecorder recorder = new HookRecorder();
    INDArray y = Nd4j.zeros(DataType.FLOAT, 20, 9);
    assertFailsBeforeHooks(IllegalArgumentException.class,
        "y has 9 columns but the last layer has 10 units (one-hot labels need one column per class)",
        recorder, () -> Models.digits(1).fit(DIGITS.x, y, options(recorder)));
  }

  @Test
  void validationDataIsCheckedToo() {
    HookRecorder recorder = new HookRecorder();
    INDArray xVal = Nd4j.zeros(DataType.FLOAT, 5, 64);
    INDArray yVal = Nd4j.zeros(DataType.FLOAT, 4, 10);
    assertFailsBeforeHooks(IllegalArgumentException.class,
        "validation y has 4 rows but the features have 5: every sample needs one label row",
        recorder, () -> Models.digits(1).fit(DIGITS.x, DIGITS.y, FitOptions.builder().verbose(0)
            .validationData(xVal, yVal).callbacks(recorder).build()));
  }

  @Test
  void emptyData() {
    HookRecorder recorder = new HookRecorder();
    INDArray x = Nd4j.create(DataType.FLOAT, 0, 64);
    INDArray y = Nd4j.create(DataType.FLOAT, 0, 10);
    assertFailsBeforeHooks(IllegalArgumentException.class, "x is empty: it has no samples",
        recorder, () -> Models.digits(1).fit(x, y, options(recorder)));
  }

  @Test
  void validationSplitThatLeavesNothingToTrainOn() {
    HookRecorder recorder = new HookRecorder();
    INDArray x = DIGITS.x.getRows(0);
    INDArray y = DIGITS.y.getRows(0);
    assertFailsBeforeHooks(IllegalArgumentException.class,
        "x has 1 samples, too few to split into training and validation sets with"
            + " validationSplit=0.5; provide more data or another split",
        recorder, () -> Models.digits(1).fit(x, y, FitOptions.builder().verbose(0)
            .validationSplit(0.5).callbacks(recorder).build()));
  }

  @Test
  void fitBeforeCompile() {
    HookRecorder recorder = new HookRecorder();
    Sequential model = new Sequential().add(new Dense(10).inputSize(64));
    assertFailsBeforeHooks(IllegalStateException.class,
        "call compile(loss, updater, metrics...) before fit", recorder,
        () -> model.fit(DIGITS.x, DIGITS.y, options(recorder)));
  }

  @Test
  void optionsOutOfRange() {
    assertEquals("batchSize must be >= 1, got 0", assertThrows(IllegalArgumentException.class,
        () -> FitOptions.builder().batchSize(0)).getMessage());
    assertEquals("validationSplit must be in [0, 1), got 1.0", assertThrows(
        IllegalArgumentException.class, () -> FitOptions.builder().validationSplit(1.0)).getMessage());
    assertEquals("validationSplit must be in [0, 1), got -0.1", assertThrows(
        IllegalArgumentException.class, () -> FitOptions.builder().validationSplit(-0.1)).getMessage());
    assertEquals("validationSplit must be in [0, 1), got NaN", assertThrows(
        IllegalArgumentException.class, () -> FitOptions.builder().validationSplit(Double.NaN))
        .getMessage());
    assertEquals("stepsPerExecution must be >= 1, got 0", assertThrows(
        IllegalArgumentException.class, () -> FitOptions.builder().stepsPerExecution(0)).getMessage());
    assertEquals("verbose must be 0, 1 or 2, got 3", assertThrows(IllegalArgumentException.class,
        () -> FitOptions.builder().verbose(3)).getMessage());
    assertEquals("set either validationSplit (0.2) or validationData, not both", assertThrows(
        IllegalArgumentException.class, () -> FitOptions.builder().validationSplit(0.2)
            .validationData(DIGITS.x, DIGITS.y).build()).getMessage());
  }

  @Test
  void modelMisconfiguration() {
    assertEquals("the first layer needs its input size: new Dense(32).inputSize(<features>)",
        assertThrows(IllegalStateException.class, () -> new Sequential().add(new Dense(32))
            .compile(LossFunction.MSE, new Adam(1e-3))).getMessage());
    assertEquals("unknown metric 'precision'; supported: accuracy, acc, categorical_accuracy,"
            + " binary_accuracy, mse, mean_squared_error, mae, mean_absolute_error",
        assertThrows(IllegalArgumentException.class, () -> new Sequential()
            .add(new Dense(3).inputSize(4).activation(Activation.SOFTMAX))
            .compile(LossFunction.MCXENT, new Adam(1e-3), "precision")).getMessage());
    assertEquals("learning rate must be a positive finite number, got -0.1",
        assertThrows(IllegalArgumentException.class, () -> Models.digits(1).setLearningRate(-0.1))
            .getMessage());
    assertEquals("Dense units must be >= 1, got 0",
        assertThrows(IllegalArgumentException.class, () -> new Dense(0)).getMessage());
  }
}
