package io.github.callbacks4j.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.callbacks4j.Callback;
import io.github.callbacks4j.callbacks.BackupAndRestore;
import io.github.callbacks4j.callbacks.CSVLogger;
import io.github.callbacks4j.callbacks.LambdaCallback;
import io.github.callbacks4j.callbacks.ModelCheckpoint;
import io.github.callbacks4j.callbacks.TensorBoard;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * File callbacks whose target cannot be written fail at onTrainBegin, before the first batch, and
 * misuse found before training touches no file: each case compares the folder's files and contents
 * before and after.
 */
class FileMisuseTest {
  private static final Digits DIGITS = Digits.load().head(12);

  @TempDir Path dir;
  private Path blocker;

  @BeforeEach
  void aRegularFileWhereADirectoryIsExpected() throws IOException {
    blocker = Files.writeString(dir.resolve("blocker"), "not a directory");
  }

  /** Every file under the temporary folder, with its content. */
  private Map<Path, String> snapshot() throws IOException {
    Map<Path, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        files.put(dir.relativize(file), Files.readString(file));
      }
    }
    return files;
  }

  /** Fits with the recorder first and {@code callback} after it; returns the failure. */
  private static UncheckedIOException failsAtTrainBegin(HookRecorder recorder, Callback callback) {
    UncheckedIOException e = assertThrows(UncheckedIOException.class,
        () -> Models.digits(1).fit(DIGITS.x, DIGITS.y, FitOptions.builder().verbose(0)
            .batchSize(4).callbacks(recorder, callback).build()));
    assertEquals(List.of("trainBegin []"), recorder.calls, "no batch ran");
    return e;
  }

  private String blockedMessage(String callback, Path target) {
    return callback + " cannot write to " + target + ": " + blocker
        + " is a file, not a directory; choose a directory it can create and write";
  }

  @Test
  void modelCheckpointUnderARegularFile() throws IOException {
    Map<Path, String> before = snapshot();
    UncheckedIOException e = failsAtTrainBegin(new HookRecorder(),
        ModelCheckpoint.builder(blocker + "/ckpt/m-{epoch}.c4j").build());
    assertEquals(blockedMessage("ModelCheckpoint", blocker.resolve("ckpt")), e.getMessage());
    assertEquals(before, snapshot());
  }

  @Test
  void modelCheckpointWithAPlaceholderInItsDirectoryUnderARegularFile() throws IOException {
    Map<Path, String> before = snapshot();
    UncheckedIOException e = failsAtTrainBegin(new HookRecorder(),
        ModelCheckpoint.builder(blocker + "/run-{epoch}/m.c4j").build());
    assertEquals(blockedMessage("ModelCheckpoint", blocker), e.getMessage());
    assertEquals(before, snapshot());
  }

  @Test
  void tensorBoardUnderARegularFile() throws IOException {
    Map<Path, String> before = snapshot();
    UncheckedIOException e = failsAtTrainBegin(new HookRecorder(),
        TensorBoard.builder(blocker.resolve("logs")).build());
    assertEquals(blockedMessage("TensorBoard", blocker.resolve("logs/train")), e.getMessage());
    assertEquals(before, snapshot());
  }

  @Test
  void backupAndRestoreUnderARegularFile() throws IOException {
    Map<Path, String> before = snapshot();
    UncheckedIOException e = failsAtTrainBegin(new HookRecorder(),
        BackupAndRestore.builder(blocker.resolve("backup")).build());
    assertEquals(blockedMessage("BackupAndRestore", blocker.resolve("backup")), e.getMessage());
    assertEquals(before, snapshot());
  }

  @Test
  void csvLoggerUnderARegularFile() throws IOException {
    Map<Path, String> before = snapshot();
    UncheckedIOException e = failsAtTrainBegin(new HookRecorder(),
        CSVLogger.builder(blocker.resolve("log.csv")).build());
    assertEquals(blockedMessage("CSVLogger", blocker), e.getMessage());
    assertEquals(before, snapshot());
  }

  @Test
  void appendingCsvLoggerUnderARegularFile() throws IOException {
    Map<Path, String> before = snapshot();
    UncheckedIOException e = failsAtTrainBegin(new HookRecorder(),
        CSVLogger.builder(blocker.resolve("log.csv")).append(true).build());
    assertEquals(blockedMessage("CSVLogger", blocker), e.getMessage());
    assertEquals(before, snapshot());
  }

  @Test
  void csvLoggerWhoseFileIsADirectory() throws IOException {
    Path taken = Files.createDirectory(dir.resolve("log.csv"));
    Map<Path, String> before = snapshot();
    UncheckedIOException e = failsAtTrainBegin(new HookRecorder(),
        CSVLogger.builder(taken).build());
    assertEquals("CSVLogger cannot write " + taken, e.getMessage());
    assertTrue(Files.isDirectory(taken));
    assertEquals(before, snapshot());
  }

  @Test
  void aLaterCallbacksFailedCheckLeavesAnExistingCsvLogAlone() throws IOException {
    Path log = Files.writeString(dir.resolve("log.csv"), "epoch,loss\r\n0,0.5\r\n");
    Map<Path, String> before = snapshot();
    UncheckedIOException e = assertThrows(UncheckedIOException.class,
        () -> Models.digits(1).fit(DIGITS.x, DIGITS.y, FitOptions.builder().verbose(0)
            .callbacks(CSVLogger.builder(log).build(),
                TensorBoard.builder(blocker.resolve("tb")).build()).build()));
    assertEquals(blockedMessage("TensorBoard", blocker.resolve("tb/train")), e.getMessage());
    assertEquals(before, snapshot()); // CSVLogger's onTrainBegin ran first, and cut nothing
  }

  @Test
  void initialEpochAtEpochsLeavesAnExistingCsvLogAlone() throws IOException {
    Path log = Files.writeString(dir.resolve("log.csv"), "epoch,loss\r\n0,0.5\r\n");
    Map<Path, String> before = snapshot();
    assertThrows(IllegalArgumentException.class, () -> FitOptions.builder().epochs(2)
        .initialEpoch(2).callbacks(CSVLogger.builder(log).build()).build());
    assertEquals(before, snapshot());
  }

  @Test
  void badDataLeavesAnExistingCsvLogAndTheLogDirectoriesAlone() throws IOException {
    Path log = Files.writeString(dir.resolve("log.csv"), "epoch,loss\r\n0,0.5\r\n");
    Map<Path, String> before = snapshot();
    INDArray x = DIGITS.x.dup();
    x.putScalar(3, 3, Float.NaN);
    assertThrows(IllegalArgumentException.class, () -> Models.digits(1).fit(x, DIGITS.y,
        FitOptions.builder().verbose(0).callbacks(CSVLogger.builder(log).build(),
            TensorBoard.builder(dir.resolve("tb")).build(),
            ModelCheckpoint.builder(dir + "/ckpt/m.c4j").build(),
            BackupAndRestore.builder(dir.resolve("backup")).build()).build()));
    assertEquals(before, snapshot());
    try (Stream<Path> entries = Files.list(dir)) {
      assertEquals(List.of("blocker", "log.csv"),
          entries.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void aWritableTargetIsCheckedWithoutLeavingAnythingBehind() throws IOException {
    Path nested = dir.resolve("a/b");
    Sequential model = Models.digits(1);
    model.fit(DIGITS.x, DIGITS.y, FitOptions.builder().verbose(0).callbacks(
        LambdaCallback.builder().onTrainBegin(logs -> model.stopTraining()).build(),
        ModelCheckpoint.builder(nested + "/m-{epoch}.c4j").saveBestOnly(true)
            .monitor("val_loss").build()).build());
    // Stopped before the first batch, with nothing to save: the check made no directory or file.
    assertEquals(Map.of(Path.of("blocker"), "not a directory"), snapshot());
    assertTrue(!Files.exists(dir.resolve("a")));
  }
}
