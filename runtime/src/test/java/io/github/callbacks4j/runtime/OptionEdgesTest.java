package io.github.callbacks4j.runtime;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.callbacks4j.callbacks.History;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The option builders at the edges of what they accept (Keras's ranges: at least one epoch step,
 * a split in [0, 1), verbose 0-2), and what the built options answer.
 */
class OptionEdgesTest {

  private static List<Integer> validatedEpochs(FitOptions options, int epochs) {
    return IntStream.range(0, epochs).filter(options::validatesAfter).map(e -> e + 1).boxed()
        .toList();
  }

  @Test
  void theSmallestAndLargestValuesAccepted() {
    // epochs(0) is taken; build() then asks for an epoch after initialEpoch.
    assertDoesNotThrow(() -> FitOptions.builder().epochs(0));
    FitOptions options = FitOptions.builder().epochs(1).batchSize(1).validationSplit(0)
        .verbose(0).stepsPerExecution(1).stepsPerEpoch(1).validationFreq(1).build();
    assertEquals(1, options.epochs());
    assertEquals(1, options.batchSize());
    assertEquals(0, options.verbose());
    assertEquals(1, options.stepsPerExecution());
    assertEquals(OptionalInt.of(1), options.stepsPerEpoch());
    assertEquals(2, FitOptions.builder().verbose(2).build().verbose());
    assertEquals(0.999, FitOptions.builder().validationSplit(0.999).build().validationSplit());
    assertEquals(4, FitOptions.builder().epochs(5).initialEpoch(4).build().initialEpoch());
    assertEquals(0, FitOptions.builder().initialEpoch(0).build().initialEpoch());
    assertEquals(1, EvaluateOptions.builder().batchSize(1).verbose(2).build().batchSize());
    assertEquals(0, PredictOptions.builder().verbose(0).build().verbose());
  }

  @Test
  void oneBeyondEachEdgeIsRefusedNamingTheValue() {
    assertEquals("epochs must be >= 0, got -1", assertThrows(IllegalArgumentException.class,
        () -> FitOptions.builder().epochs(-1)).getMessage());
    assertEquals("batchSize must be >= 1, got 0", assertThrows(IllegalArgumentException.class,
        () -> FitOptions.builder().batchSize(0)).getMessage());
    assertEquals("verbose must be 0, 1 or 2, got 3", assertThrows(IllegalArgumentException.class,
        () -> EvaluateOptions.builder().verbose(3)).getMessage());
    assertEquals("verbose must be 0, 1 or 2, got -1", assertThrows(IllegalArgumentException.class,
        () -> PredictOptions.builder().verbose(-1)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> FitOptions.builder().validationSplit(1));
    assertThrows(IllegalArgumentException.class, () -> FitOptions.builder().validationSplit(-0.1));
    assertThrows(IllegalArgumentException.class,
        () -> FitOptions.builder().validationSplit(Double.NaN));
    assertEquals("initialEpoch must be >= 0, got -1", assertThrows(IllegalArgumentException.class,
        () -> FitOptions.builder().initialEpoch(-1)).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> FitOptions.builder().epochs(5).initialEpoch(5).build()).getMessage()
        .startsWith("initialEpoch must be below epochs, got initialEpoch 5"));
    assertThrows(IllegalArgumentException.class, () -> FitOptions.builder().stepsPerExecution(0));
    assertEquals("stepsPerEpoch must be >= 1, got 0", assertThrows(IllegalArgumentException.class,
        () -> FitOptions.builder().stepsPerEpoch(0)).getMessage());
    assertEquals("validationFreq must be >= 1, got 0", assertThrows(
        IllegalArgumentException.class, () -> FitOptions.builder().validationFreq(0)).getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> FitOptions.builder().validationFreq(Set.of(0, 2)));
  }

  @Test
  void aNullCallbackIsRefusedByItsPosition() {
    Object history = new History();
    String message = "callbacks[1] is null: pass only callback objects, or leave that one out";
    assertEquals(message, assertThrows(NullPointerException.class,
        () -> FitOptions.builder().callbacks(history, null, history)).getMessage());
    assertEquals(message, assertThrows(NullPointerException.class,
        () -> EvaluateOptions.builder().callbacks(history, null)).getMessage());
    assertEquals(message, assertThrows(NullPointerException.class,
        () -> PredictOptions.builder().callbacks(history, null)).getMessage());
  }

  @Test
  void validationSplitExcludesValidationDataOfEitherKind() {
    INDArray x = Nd4j.zeros(DataType.FLOAT, 4, 2);
    INDArray y = Nd4j.zeros(DataType.FLOAT, 4, 1);
    assertEquals("set either validationSplit (0.25) or validationData, not both",
        assertThrows(IllegalArgumentException.class, () -> FitOptions.builder()
            .validationSplit(0.25).validationData(x, y).build()).getMessage());
    assertEquals("set either validationSplit (0.25) or validationData, not both",
        assertThrows(IllegalArgumentException.class, () -> FitOptions.builder()
            .validationSplit(0.25).validationData(new ViewIterator(new DataSet(x, y), 2)).build())
            .getMessage());
    assertEquals(y, FitOptions.builder().validationSplit(0).validationData(x, y).build()
        .validationY());
  }

  @Test
  void validationFreqAsAPeriodOrAsTheListedEpochs() {
    assertEquals(List.of(1, 2, 3, 4, 5, 6), validatedEpochs(FitOptions.builder().build(), 6));
    assertEquals(List.of(3, 6), validatedEpochs(FitOptions.builder().validationFreq(3).build(), 6));
    assertEquals(List.of(1, 5),
        validatedEpochs(FitOptions.builder().validationFreq(Set.of(1, 5)).build(), 6));
  }

  @Test
  void validationOptionsAreSetOnlyWhenOneOfThemIs() {
    assertFalse(FitOptions.builder().validationFreq(1).build().setsValidationOptions());
    assertTrue(FitOptions.builder().validationFreq(2).build().setsValidationOptions());
    assertTrue(FitOptions.builder().validationFreq(Set.of(1)).build().setsValidationOptions());
    assertTrue(FitOptions.builder().validationSteps(1).build().setsValidationOptions());
    assertTrue(FitOptions.builder().validationBatchSize(8).build().setsValidationOptions());
    assertEquals(OptionalInt.empty(), FitOptions.builder().build().validationSteps());
    assertEquals(OptionalInt.of(2), FitOptions.builder().validationSteps(2).build()
        .validationSteps());
    assertEquals(16, FitOptions.builder().batchSize(16).build().validationBatchSize());
    assertEquals(8, FitOptions.builder().batchSize(16).validationBatchSize(8).build()
        .validationBatchSize());
  }

  @Test
  void aPassCursorContinuesWhereTheLastRunStoppedAndStartsANewPassAtTheEnd() {
    PassCursor cursor = new PassCursor(5, 2);
    StringBuilder runs = new StringBuilder();
    for (int run = 0; run < 4; run++) {
      runs.append(cursor.pass()).append(':').append(cursor.position()).append('+')
          .append(cursor.nextRunSteps()).append(cursor.nextRunCutShort() ? "!" : "").append(' ');
      cursor.finishRun();
    }
    // Runs of 2 over passes of 5: 0-1, 2-3, 4 (cut short), then a new pass.
    assertEquals("0:0+2 0:2+2 0:4+1! 1:0+2 ", runs.toString());
    PassCursor whole = PassCursor.wholePasses(3);
    assertEquals(3, whole.nextRunSteps());
    assertFalse(whole.nextRunCutShort());
    whole.finishRun();
    assertEquals(1, whole.pass());
    assertEquals(0, whole.position());
  }
}
