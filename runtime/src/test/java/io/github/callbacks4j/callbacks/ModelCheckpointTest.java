package io.github.callbacks4j.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.callbacks4j.CallbackList;
import io.github.callbacks4j.Logs;
import io.github.callbacks4j.Params;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCheckpointTest {
  @TempDir Path dir;

  private List<String> files() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private String read(String name) throws IOException {
    return Files.readString(dir.resolve(name));
  }

  @Test
  void templateUsesOneBasedEpochsAndAnyLogKey() throws IOException {
    ModelCheckpoint checkpoint =
        ModelCheckpoint.builder(dir + "/ckpt-{epoch:02d}-{val_loss:.4f}.c4j").build();
    new ScriptedLoop().fit(checkpoint, "val_loss", 0.5, 0.123456);
    assertEquals(List.of("ckpt-01-0.5000.c4j", "ckpt-02-0.1235.c4j"), files());
    assertEquals("model weights=1.0", read("ckpt-02-0.1235.c4j"));
  }

  @Test
  void anUnknownKeyNamesItAndTheAvailableOnes() {
    ModelCheckpoint checkpoint = ModelCheckpoint.builder(dir + "/{val_acc:.2f}.c4j").build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ScriptedLoop().fit(checkpoint, "val_loss", 0.5));
    assertEquals("ModelCheckpoint file path '" + dir + "/{val_acc:.2f}.c4j' uses {val_acc}, which is"
        + " not available; available: epoch, [val_loss]", e.getMessage());
  }

  @Test
  void batchInAnEpochLevelTemplateIsRejectedAtBuild() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelCheckpoint.builder("ckpt-{batch}.c4j").build());
    assertTrue(e.getMessage().endsWith("uses {batch}, which exists only for batch-level saves:"
        + " set saveFreq(batches)"), e.getMessage());
  }

  @Test
  void saveBestOnlySavesOnStrictImprovements() throws IOException {
    ModelCheckpoint checkpoint = ModelCheckpoint.builder(dir + "/best.c4j")
        .saveBestOnly(true).saveWeightsOnly(true).build();
    ScriptedLoop loop = new ScriptedLoop().fit(checkpoint, "val_loss", 0.5, 0.6, 0.5, 0.4, 0.45);
    assertEquals(2, loop.model.saves); // epochs 0 and 3
    assertEquals("weights=3.0", read("best.c4j"));
    assertEquals(0.4, checkpoint.best());
  }

  @Test
  void initialValueThresholdMustBeBeatenFirst() throws IOException {
    ModelCheckpoint checkpoint = ModelCheckpoint.builder(dir + "/best.c4j")
        .saveBestOnly(true).initialValueThreshold(0.45).build();
    ScriptedLoop loop = new ScriptedLoop().fit(checkpoint, "val_loss", 0.5, 0.4);
    assertEquals(1, loop.model.saves);
    assertEquals("model weights=1.0", read("best.c4j"));
  }

  @Test
  void aMissingMonitorSkipsBestOnlySaves() throws IOException {
    ModelCheckpoint checkpoint = ModelCheckpoint.builder(dir + "/best.c4j")
        .saveBestOnly(true).build();
    assertEquals(0, new ScriptedLoop().fit(checkpoint, "loss", 0.5, 0.4).model.saves);
    assertEquals(List.of(), files());
  }

  @Test
  void saveFreqCountsBatchesAcrossEpochs() throws IOException {
    ModelCheckpoint checkpoint = ModelCheckpoint.builder(dir + "/e{epoch}-b{batch}.c4j")
        .saveFreq(3).monitor("loss").build();
    FakeModel model = new FakeModel();
    CallbackList callbacks = CallbackList.of(checkpoint);
    callbacks.setModel(model);
    callbacks.setParams(Params.of(3, 2, 0));
    callbacks.onTrainBegin(new Logs());
    for (int epoch = 0; epoch < 3; epoch++) {
      callbacks.onEpochBegin(epoch, new Logs());
      for (int batch = 0; batch < 2; batch++) {
        model.weights = epoch * 10 + batch;
        callbacks.onTrainBatchEnd(batch, Logs.of("loss", 1.0));
      }
      callbacks.onEpochEnd(epoch, Logs.of("loss", 1.0));
    }
    // Batches 1, 2 | 3 (save: epoch 2, batch 1) 1 | 2, 3 (save: epoch 3, batch 2); {batch} is 1-based.
    assertEquals(List.of("e2-b1.c4j", "e3-b2.c4j"), files());
    assertEquals("model weights=10.0", read("e2-b1.c4j"));
    assertEquals("model weights=21.0", read("e3-b2.c4j"));
  }

  @Test
  void saveTopKKeepsTheKBestAndDeletesTheRest() throws IOException {
    ModelCheckpoint checkpoint = ModelCheckpoint.builder(dir + "/e{epoch}-{val_loss:.1f}.c4j")
        .saveTopK(2).build();
    ScriptedLoop loop = new ScriptedLoop().fit(checkpoint, "val_loss", 0.5, 0.4, 0.6, 0.3, Double.NaN);
    // e3 (0.6) is worse than both kept; e4 (0.3) pushes out e1 (0.5); NaN is never kept.
    assertEquals(3, loop.model.saves, "e3 and e5 are not even written");
    assertEquals(List.of("e2-0.4.c4j", "e4-0.3.c4j"), files());
    assertEquals(List.of(dir.resolve("e4-0.3.c4j"), dir.resolve("e2-0.4.c4j")),
        checkpoint.bestPaths());
  }

  @Test
  void saveTopKNeverKeepsNaNEvenWithRoomLeft() throws IOException {
    ModelCheckpoint checkpoint = ModelCheckpoint.builder(dir + "/e{epoch}.c4j").saveTopK(3).build();
    new ScriptedLoop().fit(checkpoint, "val_loss", Double.NaN, 0.5, Double.NaN);
    assertEquals(List.of("e2.c4j"), files());
    assertEquals(List.of(dir.resolve("e2.c4j")), checkpoint.bestPaths());
  }

  @Test
  void saveTopKWhenMaximizingDropsTheLowestAndRanksHighestFirst() throws IOException {
    ModelCheckpoint checkpoint = ModelCheckpoint.builder(dir + "/e{epoch}.c4j")
        .monitor("val_accuracy").saveTopK(2).build();
    new ScriptedLoop().fit(checkpoint, "val_accuracy", 0.5, 0.7, 0.6, 0.4);
    // e3 (0.6) pushes out e1 (0.5); e4 (0.4) is below both kept.
    assertEquals(List.of("e2.c4j", "e3.c4j"), files());
    assertEquals(List.of(dir.resolve("e2.c4j"), dir.resolve("e3.c4j")), checkpoint.bestPaths());
    assertEquals(0.7, checkpoint.best());
  }

  @Test
  void saveTopKMinusOneKeepsEveryFileRanked() throws IOException {
    ModelCheckpoint checkpoint = ModelCheckpoint.builder(dir + "/e{epoch}.c4j").saveTopK(-1).build();
    new ScriptedLoop().fit(checkpoint, "val_loss", 0.5, 0.7, 0.3);
    assertEquals(List.of("e1.c4j", "e2.c4j", "e3.c4j"), files());
    assertEquals(List.of(dir.resolve("e3.c4j"), dir.resolve("e1.c4j"), dir.resolve("e2.c4j")),
        checkpoint.bestPaths());
  }

  @Test
  void aSaveOverAKeptFileReplacesItsRank() throws IOException {
    // One file name for every epoch: each save replaces the kept entry, never deletes the file.
    ModelCheckpoint checkpoint = ModelCheckpoint.builder(dir + "/m.c4j").saveTopK(1).build();
    new ScriptedLoop().fit(checkpoint, "val_loss", 0.5, 0.4);
    assertEquals(List.of("m.c4j"), files());
    assertEquals("model weights=1.0", read("m.c4j"));
  }

  @Test
  void saveBestOnlyWithAnEqualValueDoesNotSave() throws IOException {
    ModelCheckpoint checkpoint = ModelCheckpoint.builder(dir + "/e{epoch}.c4j")
        .saveBestOnly(true).minDelta(0.25).build();
    // 1.0 -> 0.75 is exactly minDelta (strict: not an improvement); 0.5 beats 1.0 by more.
    new ScriptedLoop().fit(checkpoint, "val_loss", 1.0, 0.75, 0.5);
    assertEquals(List.of("e1.c4j", "e3.c4j"), files());
    assertEquals(0.5, checkpoint.best());
  }

  @Test
  void saveLastKeepsTheExtensionOfTheSavedFile() throws IOException {
    ModelCheckpoint checkpoint = ModelCheckpoint.builder(dir + "/e{epoch}.weights.c4j")
        .saveLast(true).saveWeightsOnly(true).build();
    new ScriptedLoop().fit(checkpoint, "val_loss", 0.5);
    assertEquals(List.of("e1.weights.c4j", "last.c4j"), files());
    assertEquals("weights=0.0", read("last.c4j"));
  }

  @Test
  void saveLastCopiesEverySave() throws IOException {
    ModelCheckpoint checkpoint = ModelCheckpoint.builder(dir + "/e{epoch}.c4j").saveLast(true).build();
    new ScriptedLoop().fit(checkpoint, "val_loss", 0.5, 0.4);
    assertEquals(List.of("e1.c4j", "e2.c4j", "last.c4j"), files());
    assertEquals(read("e2.c4j"), read("last.c4j"));
  }

  @Test
  void createsTheDirectoryOnlyWhenSavingAndLeavesNoTemporaryFiles() throws IOException {
    Path nested = dir.resolve("a/b");
    ModelCheckpoint checkpoint = ModelCheckpoint.builder(nested + "/m.c4j").saveBestOnly(true).build();
    new ScriptedLoop().fit(checkpoint, "loss", 1.0);
    assertFalse(Files.exists(nested));
    new ScriptedLoop().fit(checkpoint, "val_loss", 1.0);
    try (Stream<Path> files = Files.list(nested)) {
      assertEquals(List.of(nested.resolve("m.c4j")), files.toList());
    }
  }

  @Test
  void verboseSaysWhatItSavedAndWhy() {
    String path = dir + "/best.c4j";
    ModelCheckpoint best = ModelCheckpoint.builder(path).saveBestOnly(true).verbose(1).build();
    assertEquals("Epoch 1: val_loss improved from inf to 0.50000, saving model to " + path + "\n"
        + "Epoch 2: val_loss did not improve from 0.50000\n"
        + "Epoch 3: val_loss improved from 0.50000 to 0.25000, saving model to " + path + "\n",
        StandardOutput.of(() -> new ScriptedLoop().fit(best, "val_loss", 0.5, 0.75, 0.25)));
    ModelCheckpoint maximizing = ModelCheckpoint.builder(path).monitor("val_accuracy")
        .saveBestOnly(true).verbose(1).build();
    assertEquals("Epoch 1: val_accuracy improved from -inf to 0.50000, saving model to " + path
        + "\n", StandardOutput.of(
            () -> new ScriptedLoop().fit(maximizing, "val_accuracy", 0.5)));
    ModelCheckpoint every = ModelCheckpoint.builder(dir + "/e{epoch}.c4j").verbose(1).build();
    assertEquals("Epoch 1: saving model to " + dir + "/e1.c4j\n",
        StandardOutput.of(() -> new ScriptedLoop().fit(every, "val_loss", 0.5)));
    ModelCheckpoint quiet = ModelCheckpoint.builder(path).saveBestOnly(true).build();
    assertEquals("", StandardOutput.of(
        () -> new ScriptedLoop().fit(quiet, "val_loss", 0.5, 0.75)));
  }

  /** The monitor is read only when it ranks saves, from the logs of the hook that saves. */
  @Test
  void readsTheMonitorOnlyWhenItRanksSaves() {
    assertEquals(List.of(), ModelCheckpoint.builder("m.c4j").build().logKeys());
    assertEquals(List.of(new io.github.callbacks4j.LogKey(io.github.callbacks4j.Hook.EPOCH_END,
        "val_loss", "ModelCheckpoint's monitor")),
        ModelCheckpoint.builder("m.c4j").saveBestOnly(true).build().logKeys());
    assertEquals(List.of(new io.github.callbacks4j.LogKey(io.github.callbacks4j.Hook.EPOCH_END,
        "val_loss", "ModelCheckpoint's monitor")),
        ModelCheckpoint.builder("m.c4j").saveTopK(-1).build().logKeys());
    assertEquals(List.of(new io.github.callbacks4j.LogKey(
        io.github.callbacks4j.Hook.TRAIN_BATCH_END, "loss", "ModelCheckpoint's monitor")),
        ModelCheckpoint.builder("m.c4j").monitor("loss").saveTopK(2).saveFreq(1).build()
            .logKeys());
    assertFalse(ModelCheckpoint.builder("m.c4j").build().implementedHooks()
        .contains(io.github.callbacks4j.Hook.TRAIN_BATCH_END));
    assertTrue(ModelCheckpoint.builder("m.c4j").saveFreq(1).build().implementedHooks()
        .contains(io.github.callbacks4j.Hook.TRAIN_BATCH_END));
    assertEquals("ModelCheckpoint(ckpt-{epoch}.c4j)",
        ModelCheckpoint.builder("ckpt-{epoch}.c4j").build().stateKey());
  }

  @Test
  void builderEdges() {
    ModelCheckpoint.builder("m.c4j").saveFreq(1).saveTopK(-1).build();
    ModelCheckpoint.builder("m.c4j").saveBestOnly(true).saveTopK(1).build();
    assertEquals("saveBestOnly keeps one file; saveTopK(2) keeps several: choose one",
        assertThrows(IllegalArgumentException.class,
            () -> ModelCheckpoint.builder("m.c4j").saveBestOnly(true).saveTopK(2).build())
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> ModelCheckpoint.builder("m.c4j").saveFreq(0));
    assertThrows(IllegalArgumentException.class, () -> ModelCheckpoint.builder("m.c4j").saveTopK(-2));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> ModelCheckpoint.builder("checkpoints/")).getMessage()
        .startsWith("filepathTemplate must name a file, got the directory 'checkpoints/'"));
  }

  @Test
  void saveLastOfAFileWithoutExtensionIsJustLast() throws IOException {
    ModelCheckpoint checkpoint = ModelCheckpoint.builder(dir + "/.e{epoch}").saveLast(true).build();
    new ScriptedLoop().fit(checkpoint, "val_loss", 0.5);
    assertEquals(List.of(".e1", "last"), files());
  }

  @Test
  void aRestoredStateReplacesTheKeptFiles() throws IOException {
    ModelCheckpoint checkpoint = ModelCheckpoint.builder(dir + "/e{epoch}.c4j").saveTopK(1).build();
    new ScriptedLoop().fit(checkpoint, "val_loss", 0.5);
    checkpoint.prepareRestore(new ModelCheckpoint.State(0.3, 0, BatchCount.NONE_SEEN, 0,
        List.of(new ModelCheckpoint.Kept(0.3, dir + "/e7.c4j"))), java.util.Map.of()).run();
    assertEquals(List.of(dir.resolve("e7.c4j")), checkpoint.bestPaths());
    assertEquals(0.3, checkpoint.best());
  }

  @Test
  void lastSavedPathIsTheAbsoluteFileOfTheLastSave() {
    ModelCheckpoint checkpoint = ModelCheckpoint.builder(dir + "/e{epoch}.c4j").build();
    assertNull(checkpoint.lastSavedPath());
    new ScriptedLoop().fit(checkpoint, "val_loss", 0.5, 0.4);
    assertEquals(dir.resolve("e2.c4j").toAbsolutePath(), checkpoint.lastSavedPath());
  }

  @Test
  void withoutVerboseAnUnrankedSaveSaysNothing() throws IOException {
    ModelCheckpoint checkpoint = ModelCheckpoint.builder(dir + "/e{epoch}.c4j").build();
    assertEquals("", StandardOutput.of(() -> new ScriptedLoop().fit(checkpoint, "val_loss", 0.5)));
    assertEquals(List.of("e1.c4j"), files());
  }

  @Test
  void aBatchLevelSaveNamesBatchAmongTheAvailableKeys() {
    ModelCheckpoint checkpoint = ModelCheckpoint.builder(dir + "/{val_loss}.c4j").saveFreq(1)
        .build();
    CallbackList callbacks = CallbackList.of(checkpoint);
    callbacks.setModel(new FakeModel());
    callbacks.setParams(Params.of(1, 1, 0));
    callbacks.onTrainBegin(new Logs());
    callbacks.onEpochBegin(0, new Logs());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> callbacks.onTrainBatchEnd(0, Logs.of("loss", 1.0)));
    assertEquals("ModelCheckpoint file path '" + dir + "/{val_loss}.c4j' uses {val_loss}, which is"
        + " not available; available: epoch, batch, [loss]", e.getMessage());
  }

  /** Epochs of one batch each: every batch-end index is 0, and each is a batch more. */
  @Test
  void saveFreqCountsABatchIndexThatRepeatsAsANewBatch() throws IOException {
    ModelCheckpoint checkpoint = ModelCheckpoint.builder(dir + "/e{epoch}.c4j").saveFreq(2)
        .build();
    CallbackList callbacks = CallbackList.of(checkpoint);
    callbacks.setModel(new FakeModel());
    callbacks.setParams(Params.of(4, 1, 0));
    callbacks.onTrainBegin(new Logs());
    for (int epoch = 0; epoch < 4; epoch++) {
      callbacks.onEpochBegin(epoch, new Logs());
      callbacks.onTrainBatchEnd(0, Logs.of("loss", 1.0));
      callbacks.onEpochEnd(epoch, Logs.of("loss", 1.0));
    }
    assertEquals(List.of("e2.c4j", "e4.c4j"), files());
  }
}
