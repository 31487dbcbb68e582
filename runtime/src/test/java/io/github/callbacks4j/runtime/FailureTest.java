package io.github.callbacks4j.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.callbacks4j.Callback;
import io.github.callbacks4j.Logs;
import io.github.callbacks4j.callbacks.CSVLogger;
import io.github.callbacks4j.callbacks.LambdaCallback;
import io.github.callbacks4j.callbacks.LearningRateScheduler;
import io.github.callbacks4j.callbacks.TensorBoard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;

/**
 * When a callback or the engine throws, that exception comes out unchanged, onTrainEnd does not
 * run (as in Keras), and every callback holding a file or thread releases it (checked under
 * /proc/self/fd).
 */
class FailureTest {
  private static final Digits DIGITS = Digits.load().head(12);
  private static final Digits VALIDATION = Digits.load().head(4);

  @TempDir Path dir;

  private static FitOptions.Builder options(Object... callbacks) {
    return FitOptions.builder().epochs(2).batchSize(4).verbose(0).callbacks(callbacks);
  }

  private static LambdaCallback throwingAtEpochEnd(RuntimeException failure) {
    return LambdaCallback.builder().onEpochEnd((epoch, logs) -> {
      throw failure;
    }).build();
  }

  private static List<Path> files(Path directory) throws IOException {
    try (Stream<Path> walk = Files.walk(directory)) {
      return walk.filter(Files::isRegularFile).toList();
    }
  }

  // ---------------------------------------------------------------- failing callbacks

  @Test
  void aCallbackFailingAtEpochEndComesOutUnchangedAndTensorBoardsFilesAreClosed()
      throws IOException {
    Path logs = dir.resolve("tb");
    HookRecorder recorder = new HookRecorder();
    RuntimeException failure = new IllegalStateException("user code failed");
    RuntimeException thrown = assertThrows(RuntimeException.class, () -> Models.digits(1).fit(
        DIGITS.x, DIGITS.y, options(TensorBoard.builder(logs).build(),
            throwingAtEpochEnd(failure), recorder).build()));
    assertSame(failure, thrown);
    assertEquals(1, files(logs).size(), "the event file was written");
    assertEquals(List.of(), OpenFiles.under(logs));
    assertFalse(recorder.calls.stream().anyMatch(call -> call.startsWith("trainEnd")),
        "no onTrainEnd after a failure, as in Keras");
  }

  @Test
  void aCallbackFailingAtABatchEndClosesBatchLevelTensorBoardFiles() throws IOException {
    Path logs = dir.resolve("tb");
    RuntimeException failure = new IllegalStateException("batch hook failed");
    LambdaCallback thrower = LambdaCallback.builder().onTrainBatchEnd((batch, l) -> {
      if (batch == 1) {
        throw failure;
      }
    }).build();
    assertSame(failure, assertThrows(RuntimeException.class, () -> Models.digits(1).fit(DIGITS.x,
        DIGITS.y, options(TensorBoard.builder(logs).updateFreq("batch").build(), thrower)
            .build())));
    assertEquals(List.of(), OpenFiles.under(logs));
  }

  @Test
  void aTensorBoardClosedByAFailureWorksInTheNextFit() throws IOException {
    Path logs = dir.resolve("tb");
    TensorBoard tensorBoard = TensorBoard.builder(logs).build();
    Sequential model = Models.digits(1);
    assertThrows(IllegalStateException.class, () -> model.fit(DIGITS.x, DIGITS.y,
        options(tensorBoard, throwingAtEpochEnd(new IllegalStateException("first fit"))).build()));
    model.fit(DIGITS.x, DIGITS.y, options(tensorBoard).build());
    List<Path> eventFiles = files(logs.resolve("train"));
    assertEquals(2, eventFiles.size());
    for (Path file : eventFiles) {
      assertTrue(Files.size(file) > 100, file + " holds scalars");
    }
    assertEquals(List.of(), OpenFiles.under(logs));
  }

  /** Fails on the {@code failAt}-th call of next(), counting the fit's counting pass. */
  private static final class FailingIterator extends ViewIterator {
    private static final long serialVersionUID = 1L;
    private final int failAt;
    private final RuntimeException failure;
    private int calls;

    FailingIterator(int failAt, RuntimeException failure) {
      super(new DataSet(DIGITS.x, DIGITS.y), 4);
      this.failAt = failAt;
      this.failure = failure;
    }

    @Override
    public DataSet next() {
      if (++calls == failAt) {
        throw failure;
      }
      return super.next();
    }
  }

  @Test
  void anEngineFailureComesOutUnchangedAndClosesTensorBoard() throws IOException {
    Path logs = dir.resolve("tb");
    RuntimeException failure = new IllegalStateException("the data source went away");
    HookRecorder recorder = new HookRecorder();
    // 3 calls count the batches; the 5th is the second training batch of epoch 0.
    assertSame(failure, assertThrows(RuntimeException.class, () -> Models.digits(1).fit(
        new FailingIterator(5, failure),
        options(TensorBoard.builder(logs).updateFreq(1).build(), recorder).build())));
    assertTrue(recorder.calls.contains("trainBatchEnd 0 [accuracy, loss, size]"));
    assertFalse(recorder.calls.stream().anyMatch(call -> call.startsWith("trainEnd")));
    assertEquals(List.of(), OpenFiles.under(logs));
  }

  @Test
  void csvLoggerHoldsNoFileWhenAFitFailsAndKeepsTheRowsWritten() throws IOException {
    Path log = dir.resolve("log.csv");
    LambdaCallback failsInEpochOne = LambdaCallback.builder().onEpochEnd((epoch, l) -> {
      if (epoch == 1) {
        throw new IllegalStateException("epoch 1 failed");
      }
    }).build();
    assertThrows(IllegalStateException.class, () -> Models.digits(1).fit(DIGITS.x, DIGITS.y,
        options(CSVLogger.builder(log).build(), failsInEpochOne).epochs(3).build()));
    assertEquals(List.of(), OpenFiles.under(dir));
    List<String> lines = Files.readAllLines(log);
    assertEquals(3, lines.size(), "header and the rows of epochs 0 and 1: " + lines);
    assertTrue(lines.get(2).startsWith("1,"));
  }

  @Test
  void aScheduleReturningNaNFailsUnchangedWithoutOnTrainEnd() {
    HookRecorder recorder = new HookRecorder();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Models.digits(1).fit(DIGITS.x, DIGITS.y, options(recorder,
            LearningRateScheduler.builder((epoch, rate) -> Double.NaN).build()).build()));
    assertEquals("the learning rate schedule returned NaN for epoch 0; it must return a positive"
        + " finite number", e.getMessage());
    assertEquals(List.of("trainBegin []", "epochBegin 0 []"), recorder.calls);
  }

  /** A user callback holding a resource: counts its closes, and may fail to close. */
  private static final class Resource implements Callback, AutoCloseable {
    final Exception closeFailure;
    int closes;

    Resource(Exception closeFailure) {
      this.closeFailure = closeFailure;
    }

    @Override
    public void onEpochEnd(int epoch, Logs logs) {}

    @Override
    public void close() throws Exception {
      closes++;
      if (closeFailure != null) {
        throw closeFailure;
      }
    }
  }

  @Test
  void aCloseFailureIsSuppressedInTheOriginalException() {
    IOException closeFailure = new IOException("cannot flush");
    Resource resource = new Resource(closeFailure);
    RuntimeException failure = new IllegalStateException("the original");
    RuntimeException thrown = assertThrows(RuntimeException.class, () -> Models.digits(1).fit(
        DIGITS.x, DIGITS.y, options(resource, throwingAtEpochEnd(failure)).build()));
    assertSame(failure, thrown);
    assertArrayEquals(new Throwable[] {closeFailure}, thrown.getSuppressed());
    assertEquals(1, resource.closes);
  }

  @Test
  void aCloseFailureAfterASuccessfulFitIsReported() {
    Resource resource = new Resource(new IOException("cannot flush"));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Models.digits(1)
        .fit(DIGITS.x, DIGITS.y, options(resource).build()));
    assertEquals("closing " + Resource.class.getName() + " at the end of the loop failed:"
        + " java.io.IOException: cannot flush", e.getMessage());
  }

  /** An unchecked close failure comes out as it is; later ones are suppressed in it. */
  @Test
  void closeFailuresAfterASuccessfulFitComeOutAsTheFirstWithTheOthersSuppressed() {
    IllegalStateException first = new IllegalStateException("cannot flush the first");
    IOException second = new IOException("cannot flush the second");
    Resource failsFirst = new Resource(first);
    Resource failsSecond = new Resource(second);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Models.digits(1)
        .fit(DIGITS.x, DIGITS.y, options(failsFirst, failsSecond).build()));
    assertSame(first, e);
    assertArrayEquals(new Throwable[] {second}, e.getSuppressed());
    assertEquals(1, failsSecond.closes, "a close failure does not stop the others closing");
  }

  @Test
  void everyLoopClosesItsAutoCloseableCallbacksOnce() {
    Resource resource = new Resource(null);
    Sequential model = Models.digits(1);
    model.fit(DIGITS.x, DIGITS.y, options(resource).build());
    assertEquals(1, resource.closes);
    model.evaluate(DIGITS.x, DIGITS.y,
        EvaluateOptions.builder().verbose(0).callbacks(resource).build());
    model.predict(DIGITS.x, PredictOptions.builder().verbose(0).callbacks(resource).build());
    assertEquals(3, resource.closes);
  }
}
