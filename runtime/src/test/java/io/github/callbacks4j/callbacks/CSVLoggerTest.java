package io.github.callbacks4j.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.callbacks4j.Logs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file Keras's CSVLogger writes for the same logs, byte for byte. */
class CSVLoggerTest {
  @TempDir Path dir;

  @Test
  void writesSortedKeysZeroBasedEpochsAndPythonFloats() throws IOException {
    Path file = dir.resolve("log.csv");
    new ScriptedLoop().fit(CSVLogger.builder(file).build(), List.of(
        Logs.of("loss", 0.5, "accuracy", 0.75, "val_loss", 0.625, "val_accuracy", 0.7),
        Logs.of("loss", 0.25, "accuracy", 0.1 + 0.2, "val_loss", Double.NaN, "val_accuracy", 1e-5)));
    assertEquals("epoch,accuracy,loss,val_accuracy,val_loss\r\n"
        + "0,0.75,0.5,0.7,0.625\r\n"
        + "1,0.30000000000000004,0.25,1e-05,nan\r\n", Files.readString(file));
  }

  @Test
  void withoutValidationKerasAddsValColumnsAndMissingValuesAreNA() throws IOException {
    Path file = dir.resolve("log.csv");
    new ScriptedLoop().fit(CSVLogger.builder(file).separator(";").build(), List.of(
        Logs.of("loss", 0.5),
        Logs.of("loss", 0.25, "val_loss", 0.3, "accuracy", 0.9)));
    // Keys are fixed at the first epoch: 'accuracy', first seen later, is dropped.
    assertEquals("epoch;loss;val_loss\r\n0;0.5;NA\r\n1;0.25;0.3\r\n", Files.readString(file));
  }

  @Test
  void appendWritesNoSecondHeader() throws IOException {
    Path file = dir.resolve("log.csv");
    ScriptedLoop loop = new ScriptedLoop();
    loop.fit(CSVLogger.builder(file).build(), "loss", 0.5);
    loop.fit(CSVLogger.builder(file).append(true).build(), "loss", 0.25);
    assertEquals("epoch,loss,val_loss\r\n0,0.5,NA\r\n0,0.25,NA\r\n", Files.readString(file));
  }

  @Test
  void withoutAppendEachFitStartsTheFileAgain() throws IOException {
    Path file = dir.resolve("log.csv");
    CSVLogger logger = CSVLogger.builder(file).build();
    ScriptedLoop loop = new ScriptedLoop();
    loop.fit(logger, "loss", 0.5);
    loop.fit(logger, "loss", 0.25, 0.125);
    assertEquals("epoch,loss,val_loss\r\n0,0.25,NA\r\n1,0.125,NA\r\n", Files.readString(file));
  }

  @Test
  void everyRowIsOnDiskBeforeTheNextEpoch() throws IOException {
    Path file = dir.resolve("log.csv");
    CSVLogger logger = CSVLogger.builder(file).build();
    logger.onTrainBegin(new Logs());
    logger.onEpochEnd(0, Logs.of("loss", 1.0));
    // No train end: a crashed run. The row is already in the file and no handle is held.
    assertEquals("epoch,loss,val_loss\r\n0,1.0,NA\r\n", Files.readString(file));
    Files.delete(file);
  }

  /** A resumed run drops the rows written after its backup, then goes on with the same columns. */
  @Test
  void aRestoredStateCutsTheRowsAfterTheBackupAndKeepsTheColumns() throws IOException {
    Path file = dir.resolve("log.csv");
    CSVLogger first = CSVLogger.builder(file).build();
    first.onTrainBegin(new Logs());
    first.onEpochEnd(0, Logs.of("loss", 1.0, "val_loss", 2.0));
    CSVLogger.State backup = first.saveState();
    first.onEpochEnd(1, Logs.of("loss", 0.5, "val_loss", 1.5));
    assertEquals("epoch,loss,val_loss\r\n0,1.0,2.0\r\n".length(), backup.length());
    assertEquals(List.of("loss", "val_loss"), backup.keys());

    CSVLogger resumed = CSVLogger.builder(file).build();
    resumed.onTrainBegin(new Logs());
    resumed.prepareRestore(backup, java.util.Map.of()).run();
    resumed.onEpochEnd(1, Logs.of("loss", 0.25, "val_loss", 1.25, "accuracy", 0.5));
    assertEquals("epoch,loss,val_loss\r\n0,1.0,2.0\r\n1,0.25,1.25\r\n", Files.readString(file));
  }

  @Test
  void aStateBeforeAnyRowHasNoColumnsAndTheFileLengthItWillStartFrom() throws IOException {
    Path file = dir.resolve("log.csv");
    Files.writeString(file, "old run\r\n");
    CSVLogger appending = CSVLogger.builder(file).append(true).build();
    appending.onTrainBegin(new Logs());
    assertEquals(new CSVLogger.State(null, false, 9), appending.saveState());
    CSVLogger overwriting = CSVLogger.builder(file).build();
    overwriting.onTrainBegin(new Logs());
    assertEquals(new CSVLogger.State(null, true, 0), overwriting.saveState());
  }

  @Test
  void appendingToAMissingOrEmptyFileWritesTheHeader() throws IOException {
    Path missing = dir.resolve("missing.csv");
    new ScriptedLoop().fit(CSVLogger.builder(missing).append(true).build(), "loss", 0.5);
    assertEquals("epoch,loss,val_loss\r\n0,0.5,NA\r\n", Files.readString(missing));
    Path empty = dir.resolve("empty.csv");
    Files.writeString(empty, "");
    new ScriptedLoop().fit(CSVLogger.builder(empty).append(true).build(), "loss", 0.5);
    assertEquals("epoch,loss,val_loss\r\n0,0.5,NA\r\n", Files.readString(empty));
  }

  @Test
  void aDirectoryInPlaceOfTheFileIsRefusedAtTrainBegin() throws IOException {
    Path file = Files.createDirectory(dir.resolve("log.csv"));
    java.io.UncheckedIOException e = org.junit.jupiter.api.Assertions.assertThrows(
        java.io.UncheckedIOException.class, () -> CSVLogger.builder(file).build()
            .onTrainBegin(new Logs()));
    assertEquals("CSVLogger cannot write " + file, e.getMessage());
    assertEquals(file + " is a directory; give CSVLogger a file path it can write",
        e.getCause().getMessage());
  }

  /** A backup taken before the first row has no columns yet: the first row then chooses them. */
  @Test
  void aRestoredStateWithoutColumnsLetsTheFirstRowChooseThem() throws IOException {
    Path file = dir.resolve("log.csv");
    CSVLogger logger = CSVLogger.builder(file).build();
    assertEquals("CSVLogger(" + file + ")", logger.stateKey());
    logger.onTrainBegin(new Logs());
    logger.prepareRestore(new CSVLogger.State(null, true, 0), java.util.Map.of()).run();
    logger.onEpochEnd(0, Logs.of("loss", 0.5, "val_loss", 0.75));
    assertEquals("epoch,loss,val_loss\r\n0,0.5,0.75\r\n", Files.readString(file));
  }
}
