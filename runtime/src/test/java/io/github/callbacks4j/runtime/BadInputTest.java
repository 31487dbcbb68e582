package io.github.callbacks4j.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
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

  private static INDArray withValue(INDArray array, int row, int column, double value) {
    INDArray copy = array.dup();
    copy.putScalar(row, column, value);
    return copy;
  }

  private static final String HOLDS_NON_FINITE = " holds a non-finite value (NaN or infinite) in row ";

  @Test
  void nanInX() {
    HookRecorder recorder = new HookRecorder();
    INDArray x = withValue(DIGITS.x, 7, 3, Double.NaN);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Models.digits(1).fit(x, DIGITS.y, options(recorder)));
    assertTrue(e.getMessage().startsWith("x" + HOLDS_NON_FINITE + "7: ["), e.getMessage());
    assertTrue(e.getMessage().contains(", NaN, "), e.getMessage());
    assertTrue(e.getMessage().endsWith(", ...]; remove or repair that sample before training"),
        e.getMessage());
    assertEquals(List.of(), recorder.calls);
  }

  /** Opposite infinities cancel to NaN in a sum; both rows are still named by the first one. */
  @Test
  void oppositeInfinitiesInX() {
    INDArray x = withValue(withValue(DIGITS.x, 11, 2, Double.POSITIVE_INFINITY), 12, 2,
        Double.NEGATIVE_INFINITY);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Models.digits(1).fit(x, DIGITS.y, options(new HookRecorder())));
    assertTrue(e.getMessage().startsWith("x" + HOLDS_NON_FINITE + "11: ["), e.getMessage());
  }

  /** A batch with no rows holds no bad value. */
  @Test
  void anEmptyArrayIsFinite() {
    DataChecks.requireFinite("x", Nd4j.create(DataType.FLOAT, 0, 3), 0);
  }

  /** Values near Float.MAX_VALUE overflow a float sum to infinity, yet every one is finite. */
  @Test
  void finiteValuesWhoseSumOverflowsPass() {
    INDArray x = Nd4j.valueArrayOf(new long[] {4, 3}, Float.MAX_VALUE, DataType.FLOAT);
    assertTrue(Double.isInfinite(x.sumNumber().doubleValue()), "the premise: the sum overflows");
    DataChecks.requireFinite("x", x, 0);
    x.putScalar(3, 1, Float.NaN);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DataChecks.requireFinite("x", x, 100));
    assertTrue(e.getMessage().startsWith("x" + HOLDS_NON_FINITE + "103: ["), e.getMessage());
  }

  @Test
  void infinityInX() {
    HookRecorder recorder = new HookRecorder();
    INDArray x = withValue(DIGITS.x, 19, 0, Double.POSITIVE_INFINITY);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Models.digits(1).fit(x, DIGITS.y, options(recorder)));
    assertTrue(e.getMessage().startsWith("x" + HOLDS_NON_FINITE + "19: [Infinity, "),
        e.getMessage());
    assertEquals(List.of(), recorder.calls);
  }

  @Test
  void nanInAColumnMajorViewOfXIsReportedAtItsRow() {
    HookRecorder recorder = new HookRecorder();
    INDArray x = withValue(Digits.load().head(40).x, 25, 63, Double.NaN).dup('f')
        .get(NDArrayIndex.interval(10, 30), NDArrayIndex.all());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Models.digits(1).fit(x, DIGITS.y, options(recorder)));
    assertTrue(e.getMessage().startsWith("x" + HOLDS_NON_FINITE + "15: "), e.getMessage());
    assertEquals(List.of(), recorder.calls);
  }

  @Test
  void aDoubleTooLargeForAFloatIsInfiniteAsTrained() {
    HookRecorder recorder = new HookRecorder();
    INDArray x = withValue(DIGITS.x.castTo(DataType.DOUBLE), 6, 2, 1e39);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Models.digits(1).fit(x, DIGITS.y, options(recorder)));
    assertTrue(e.getMessage().startsWith("x" + HOLDS_NON_FINITE + "6: "), e.getMessage());
    assertTrue(e.getMessage().contains(", Infinity, "), e.getMessage());
    assertEquals(List.of(), recorder.calls);
  }

  @Test
  void integerOneHotLabelsAreFine() {
    INDArray y = DIGITS.y.castTo(DataType.INT);
    assertEquals(1, Models.digits(1).fit(DIGITS.x, y, FitOptions.builder().verbose(0).build())
        .epoch().size());
  }

  @Test
  void nanInY() {
    HookRecorder recorder = new HookRecorder();
    INDArray y = withValue(DIGITS.y, 2, 9, Double.NaN);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Models.digits(1).fit(DIGITS.x, y, options(recorder)));
    assertTrue(e.getMessage().startsWith("y" + HOLDS_NON_FINITE + "2: ["), e.getMessage());
    assertTrue(e.getMessage().contains("NaN]"), e.getMessage());
    assertEquals(List.of(), recorder.calls);
  }

  @Test
  void nanInValidationX() {
    HookRecorder recorder = new HookRecorder();
    INDArray xVal = withValue(DIGITS.x, 4, 1, Double.NaN);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Models.digits(1).fit(DIGITS.x, DIGITS.y, FitOptions.builder().verbose(0)
            .validationData(xVal, DIGITS.y).callbacks(recorder).build()));
    assertTrue(e.getMessage().startsWith("validation x" + HOLDS_NON_FINITE + "4: "),
        e.getMessage());
    assertEquals(List.of(), recorder.calls);
  }

  @Test
  void nanInTheValidationSplitIsReportedAtItsRowInX() {
    HookRecorder recorder = new HookRecorder();
    INDArray x = withValue(DIGITS.x, 18, 1, Double.NEGATIVE_INFINITY);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Models.digits(1).fit(x, DIGITS.y, FitOptions.builder().verbose(0)
            .validationSplit(0.2).callbacks(recorder).build()));
    assertTrue(e.getMessage().startsWith("x" + HOLDS_NON_FINITE + "18: [0.0, -Infinity,"),
        e.getMessage());
    assertEquals(List.of(), recorder.calls);
  }

  private static final String ONE_HOT_RULE = "; MCXENT needs every label row to hold a single 1"
      + " (the class) and 0 elsewhere";

  private static INDArray labels(float[][] rows) {
    INDArray y = DIGITS.y.dup();
    for (int i = 0; i < rows.length; i++) {
      y.putRow(i + 3, Nd4j.createFromArray(rows[i]));
    }
    return y;
  }

  private static void assertMcxentRejects(float[] row, String shown) {
    HookRecorder recorder = new HookRecorder();
    INDArray y = labels(new float[][] {row});
    assertFailsBeforeHooks(IllegalArgumentException.class,
        "y row 3 is not one-hot: " + shown + ONE_HOT_RULE, recorder,
        () -> Models.digits(1).fit(DIGITS.x, y, options(recorder)));
  }

  @Test
  void twoClassesInOneRowUnderMcxent() {
    assertMcxentRejects(new float[] {0, 1, 0, 0, 0, 0, 0, 1, 0, 0},
        "[0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0]");
  }

  @Test
  void noClassInARowUnderMcxent() {
    assertMcxentRejects(new float[10], "[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]");
  }

  @Test
  void softLabelsUnderMcxent() {
    assertMcxentRejects(new float[] {0.5f, 0.5f, 0, 0, 0, 0, 0, 0, 0, 0},
        "[0.5, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]");
  }

  @Test
  void aNegativeLabelThatStillSumsToOneUnderMcxent() {
    assertMcxentRejects(new float[] {1, 1, -1, 0, 0, 0, 0, 0, 0, 0},
        "[1.0, 1.0, -1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]");
  }

  @Test
  void classIndicesInsteadOfOneHotUnderNegativeLogLikelihood() {
    HookRecorder recorder = new HookRecorder();
    Sequential model = new Sequential().seed(1)
        .add(new Dense(3).inputSize(2).activation(Activation.SOFTMAX))
        .compile(LossFunction.NEGATIVELOGLIKELIHOOD, new Adam(1e-3));
    INDArray x = Nd4j.rand(DataType.FLOAT, 4, 2);
    INDArray y = Nd4j.createFromArray(new float[][] {{1, 0, 0}, {0, 0, 2}, {0, 1, 0}, {1, 0, 0}});
    assertFailsBeforeHooks(IllegalArgumentException.class, "y row 1 is not one-hot: [0.0, 0.0, 2.0];"
        + " NEGATIVELOGLIKELIHOOD needs every label row to hold a single 1 (the class) and 0"
        + " elsewhere", recorder, () -> model.fit(x, y, options(recorder)));
  }

  private static Sequential binaryModel() {
    return new Sequential().seed(1)
        .add(new Dense(2).inputSize(2).activation(Activation.SIGMOID))
        .compile(LossFunction.XENT, new Adam(1e-3), "accuracy");
  }

  @Test
  void labelAboveOneUnderXent() {
    HookRecorder recorder = new HookRecorder();
    INDArray x = Nd4j.rand(DataType.FLOAT, 3, 2);
    INDArray y = Nd4j.createFromArray(new float[][] {{0, 1}, {1, 1}, {1.5f, 0}});
    assertFailsBeforeHooks(IllegalArgumentException.class, "y row 2 holds a value outside [0, 1]:"
        + " [1.5, 0.0]; XENT needs every label in [0, 1]", recorder,
        () -> binaryModel().fit(x, y, options(recorder)));
  }

  @Test
  void negativeLabelUnderXent() {
    HookRecorder recorder = new HookRecorder();
    INDArray x = Nd4j.rand(DataType.FLOAT, 3, 2);
    INDArray y = Nd4j.createFromArray(new float[][] {{0, -0.25f}, {1, 1}, {0.5f, 0}});
    assertFailsBeforeHooks(IllegalArgumentException.class, "y row 0 holds a value outside [0, 1]:"
        + " [0.0, -0.25]; XENT needs every label in [0, 1]", recorder,
        () -> binaryModel().fit(x, y, options(recorder)));
  }

  @Test
  void anyFiniteLabelIsFineForMse() {
    Sequential model = new Sequential().seed(1).add(new Dense(2).inputSize(2))
        .compile(LossFunction.MSE, new Adam(1e-3));
    INDArray y = Nd4j.createFromArray(new float[][] {{-3, 7.5f}, {2, 2}});
    model.fit(Nd4j.rand(DataType.FLOAT, 2, 2), y, FitOptions.builder().verbose(0).build());
  }

  @Test
  void nanInAnIteratorBatchIsReportedAtItsRowInTheData() {
    HookRecorder recorder = new HookRecorder();
    INDArray x = withValue(DIGITS.x, 13, 5, Double.NaN);
    ViewIterator iterator = new ViewIterator(new DataSet(x, DIGITS.y), 4);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Models.digits(1).fit(iterator, options(recorder)));
    assertTrue(e.getMessage().startsWith("the training iterator's features" + HOLDS_NON_FINITE
        + "13: "), e.getMessage());
    assertEquals(List.of(), recorder.calls);
  }

  @Test
  void labelsThatAreNotOneHotInAValidationIterator() {
    HookRecorder recorder = new HookRecorder();
    INDArray y = labels(new float[][] {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0}});
    ViewIterator validation = new ViewIterator(new DataSet(DIGITS.x, y), 8);
    assertFailsBeforeHooks(IllegalArgumentException.class, "the validation iterator's labels row 3"
        + " is not one-hot: [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]" + ONE_HOT_RULE,
        recorder, () -> Models.digits(1).fit(new ViewIterator(new DataSet(DIGITS.x, DIGITS.y), 8),
            FitOptions.builder().verbose(0).validationData(validation).callbacks(recorder)
                .build()));
  }

  @Test
  void evaluateChecksValuesToo() {
    HookRecorder recorder = new HookRecorder();
    INDArray x = withValue(DIGITS.x, 0, 0, Double.NaN);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Models.digits(1).evaluate(x, DIGITS.y,
            EvaluateOptions.builder().verbose(0).callbacks(recorder).build()));
    assertTrue(e.getMessage().startsWith("x" + HOLDS_NON_FINITE + "0: [NaN, "), e.getMessage());
    assertEquals(List.of(), recorder.calls);
  }

  @Test
  void predictChecksValuesToo() {
    HookRecorder recorder = new HookRecorder();
    INDArray x = withValue(DIGITS.x, 11, 2, Double.POSITIVE_INFINITY);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Models.digits(1).predict(x,
            PredictOptions.builder().verbose(0).callbacks(recorder).build()));
    assertTrue(e.getMessage().startsWith("x" + HOLDS_NON_FINITE + "11: "), e.getMessage());
    assertEquals(List.of(), recorder.calls);
  }

  @Test
  void trainOnBatchLeavesTheWeightsAloneOnBadLabels() {
    Sequential model = Models.digits(1);
    INDArray before = model.parameters();
    INDArray y = labels(new float[][] {{0, 1, 1, 0, 0, 0, 0, 0, 0, 0}});
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> model.trainOnBatch(DIGITS.x, y));
    assertTrue(e.getMessage().startsWith("y row 3 is not one-hot: "), e.getMessage());
    assertEquals(before, model.parameters());
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
    assertEquals("unknown metric 'top_k_categorical_accuracy'; supported: accuracy, acc,"
            + " categorical_accuracy, binary_accuracy, mse, mean_squared_error, mae,"
            + " mean_absolute_error, auc, precision, recall, f1_score",
        assertThrows(IllegalArgumentException.class, () -> new Sequential()
            .add(new Dense(3).inputSize(4).activation(Activation.SOFTMAX))
            .compile(LossFunction.MCXENT, new Adam(1e-3), "top_k_categorical_accuracy"))
            .getMessage());
    assertEquals("learning rate must be a positive finite number, got -0.1",
        assertThrows(IllegalArgumentException.class, () -> Models.digits(1).setLearningRate(-0.1))
            .getMessage());
    assertEquals("Dense units must be >= 1, got 0",
        assertThrows(IllegalArgumentException.class, () -> new Dense(0)).getMessage());
  }
}
