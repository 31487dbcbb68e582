package io.github.callbacks4j.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.callbacks4j.Callback;
import io.github.callbacks4j.CallbackList;
import io.github.callbacks4j.Logs;
import io.github.callbacks4j.Params;
import io.github.callbacks4j.state.Resumable;
import io.github.callbacks4j.state.Resumable.ResumePoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BackupAndRestore driven hook by hook as a loop drives it, with a fake model whose weights are one
 * number: what a run that dies leaves, and what the next run resumes from it.
 */
class BackupAndRestoreTest {
  @TempDir Path dir;

  /** The loop's position, as the loop reports it to BackupAndRestore. */
  private static final class Position implements Resumable.Progress {
    int epoch;
    int batchesDone;

    @Override public int epoch() { return epoch; }
    @Override public int batchesDone() { return batchesDone; }
    @Override public long shuffleSeed() { return 7; }
    @Override public long samples() { return 32L * batchesDone; }
    @Override public double[] sums() { return new double[] {1.5}; }
  }

  /** One fit's callbacks, set up as the loop does before resuming. */
  private static CallbackList start(FakeModel model, int steps, Callback... callbacks) {
    CallbackList list = CallbackList.of(callbacks);
    list.setModel(model);
    list.setParams(Params.of(5, steps, 0));
    return list;
  }

  /** The best weights saved with EarlyStopping's state are the best epoch's, not the last one's. */
  @Test
  void aResumedRunRestoresTheBestWeightsOfTheRunThatDied() throws IOException {
    FakeModel model = new FakeModel();
    EarlyStopping stopping = EarlyStopping.builder().patience(5).restoreBestWeights(true).build();
    BackupAndRestore backup = BackupAndRestore.builder(dir).build();
    CallbackList callbacks = start(model, 1, stopping, backup);
    assertNull(backup.resume(model, List.of(stopping, backup), new Position()));
    callbacks.onTrainBegin(new Logs());
    double[] valLoss = {1.0, 0.5, 0.7};
    for (int epoch = 0; epoch < valLoss.length; epoch++) {
      model.weights = epoch;
      callbacks.onEpochEnd(epoch, Logs.of("val_loss", valLoss[epoch]));
    }
    // The run dies here, after epoch 2's backup: no train end.

    FakeModel resumedModel = new FakeModel();
    resumedModel.weights = 99;
    EarlyStopping resumedStopping = EarlyStopping.builder().patience(5).restoreBestWeights(true)
        .build();
    BackupAndRestore resumedBackup = BackupAndRestore.builder(dir).build();
    CallbackList resumed = start(resumedModel, 1, resumedStopping, resumedBackup);
    ResumePoint point = resumedBackup.resume(resumedModel,
        List.of(resumedStopping, resumedBackup), new Position());
    assertEquals(3, point.epoch());
    assertEquals(2.0, resumedModel.weights, "the model of the last epoch");
    resumed.onTrainBegin(new Logs());
    assertEquals(1, resumedStopping.bestEpoch());
    resumed.onTrainEnd(new Logs());
    assertEquals(1.0, resumedModel.weights, "the best epoch's weights");
  }

  /** A mid-epoch backup at batch 2 of 4: the resumed epoch's batches 2 and 3 make the next two. */
  @Test
  void aResumedEpochCountsBatchesOnFromTheBackup() throws IOException {
    FakeModel model = new FakeModel();
    BackupAndRestore backup = BackupAndRestore.builder(dir).saveFreq(2).build();
    CallbackList callbacks = start(model, 4, backup);
    Position position = new Position();
    assertNull(backup.resume(model, List.of(backup), position));
    callbacks.onTrainBegin(new Logs());
    for (int batch = 0; batch < 2; batch++) {
      position.batchesDone = batch + 1;
      callbacks.onTrainBatchEnd(batch, new Logs());
    }
    assertTrue(Files.exists(dir.resolve("state-1.json")));
    // The run dies here.

    BackupAndRestore resumedBackup = BackupAndRestore.builder(dir).saveFreq(2).build();
    CallbackList resumed = start(new FakeModel(), 4, resumedBackup);
    Position resumedPosition = new Position();
    ResumePoint point = resumedBackup.resume(new FakeModel(), List.of(resumedBackup),
        resumedPosition);
    assertEquals(2, point.batchesDone());
    resumed.onTrainBegin(new Logs());
    resumedPosition.batchesDone = 3;
    resumed.onTrainBatchEnd(2, new Logs());
    assertFalse(Files.exists(dir.resolve("state-2.json")), "one batch since the backup");
    resumedPosition.batchesDone = 4;
    resumed.onTrainBatchEnd(3, new Logs());
    assertTrue(Files.exists(dir.resolve("state-2.json")), "two batches since the backup");
  }

  /** A run killed between a backup's model file and its state file resumes from the one before. */
  @Test
  void aRunKilledMidBackupResumesFromThePreviousOne() throws IOException {
    FakeModel model = new FakeModel();
    int[] backups = {0};
    BackupAndRestore backup = BackupAndRestore.builder(dir).build().beforeStateWritten(() -> {
      if (++backups[0] == 2) {
        throw new IllegalStateException("killed");
      }
    });
    assertNull(backup.resume(model, List.of(backup), new Position()));
    backup.setModel(model);
    backup.setParams(Params.of(5, 1, 0));
    backup.onTrainBegin(new Logs());
    model.weights = 0;
    backup.onEpochEnd(0, new Logs());
    model.weights = 1;
    assertEquals("killed", assertThrows(IllegalStateException.class,
        () -> backup.onEpochEnd(1, new Logs())).getMessage());

    FakeModel resumedModel = new FakeModel();
    resumedModel.weights = 99;
    BackupAndRestore resumed = BackupAndRestore.builder(dir).build();
    assertEquals(1, resumed.resume(resumedModel, List.of(resumed), new Position()).epoch());
    assertEquals(0.0, resumedModel.weights);
  }

  @Test
  void whenNoBackupCanBeRestoredTheErrorSaysWhyAndWhatHelps() throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("state-1.json"), "{}");
    Files.writeString(dir.resolve("state-2.json"), "{}");
    String newest = dir.resolve("state-2.json") + " is not a callbacks4j backup: its format is ''";

    BackupAndRestore single = BackupAndRestore.builder(dir).build();
    assertEquals("cannot resume from " + dir + ": " + newest + "; doubleCheckpoint(true) keeps a"
        + " previous backup to fall back to", assertThrows(IOException.class,
            () -> single.resume(new FakeModel(), List.of(single), new Position())).getMessage());

    BackupAndRestore fallingBack = BackupAndRestore.builder(dir).doubleCheckpoint(true).build();
    String log = StandardError.of(() -> assertEquals("cannot resume from " + dir + ": " + newest,
        assertThrows(IOException.class, () -> fallingBack.resume(new FakeModel(),
            List.of(fallingBack), new Position())).getMessage(),
        "it fell back already: the first refusal, without the hint"));
    List<String> warnings = log.lines()
        .filter(line -> line.contains(" WARN ")).map(line -> line.replaceFirst(".* - ", ""))
        .toList();
    assertEquals(List.of("Backup 2 in " + dir + " cannot be restored (" + newest + "); trying the"
        + " previous one"), warnings, "no previous one to try after backup 1");
  }
}
