package io.github.callbacks4j.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.callbacks4j.Callback;
import io.github.callbacks4j.Logs;
import io.github.callbacks4j.ModelState;
import io.github.callbacks4j.callbacks.BackupAndRestore;
import io.github.callbacks4j.callbacks.CSVLogger;
import io.github.callbacks4j.callbacks.EarlyStopping;
import io.github.callbacks4j.callbacks.History;
import io.github.callbacks4j.callbacks.LambdaCallback;
import io.github.callbacks4j.callbacks.LearningRateScheduler;
import io.github.callbacks4j.callbacks.ModelCheckpoint;
import io.github.callbacks4j.callbacks.ReduceLROnPlateau;
import io.github.callbacks4j.callbacks.StandardOutput;
import io.github.callbacks4j.callbacks.StatefulCallback;
import io.github.callbacks4j.state.Resumable;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A run that dies and resumes from its backup ends exactly where an uninterrupted run does. */
class ResumeTest {
  static final Digits DIGITS = Digits.load().head(400);

  /** Dies (throws) at the end of a given training batch, as a crash would. */
  static final class CrashAt implements Callback {
    private final int epoch;
    private final int batch;
    private int currentEpoch;

    CrashAt(int epoch, int batch) {
      this.epoch = epoch;
      this.batch = batch;
    }

    @Override
    public void onEpochBegin(int e, Logs logs) {
      currentEpoch = e;
    }

    @Override
    public void onTrainBatchEnd(int b, Logs logs) {
      if (currentEpoch == epoch && b == batch) {
        throw new IllegalStateException("simulated crash at epoch " + epoch + " batch " + batch);
      }
    }
  }

  /** The full list of stateful built-ins, as a fresh process would build it. */
  static List<Object> callbacks(Path dir, BackupAndRestore backup, Callback... extra) {
    List<Object> all = new ArrayList<>(List.of(extra));
    all.add(EarlyStopping.builder().monitor("val_loss").patience(50).restoreBestWeights(true).build());
    all.add(ReduceLROnPlateau.builder().monitor("val_loss").factor(0.5).patience(1).build());
    all.add(LearningRateScheduler.builder((epoch, lr) -> epoch == 0 ? lr : lr * 0.9).build());
    all.add(ModelCheckpoint.builder(dir.resolve("best.c4j").toString()).saveBestOnly(true).build());
    all.add(CSVLogger.builder(dir.resolve("log.csv")).build());
    all.add(backup);
    return all;
  }

  static FitOptions options(List<Object> callbacks) {
    return FitOptions.builder().epochs(5).batchSize(32).validationSplit(0.25).seed(21).verbose(0)
        .callbacks(callbacks.toArray()).build();
  }

  private static INDArray uninterrupted(Path dir) throws IOException {
    Files.createDirectories(dir);
    Sequential model = Models.digits(3);
    model.fit(DIGITS.x, DIGITS.y, options(callbacks(dir,
        BackupAndRestore.builder(dir.resolve("backup")).build())));
    return model.parameters();
  }

  private void assertResumesIdentically(Path root, BackupAndRestore.Builder backup, int crashEpoch,
      int crashBatch) throws IOException {
    INDArray expected = uninterrupted(root.resolve("straight"));
    String expectedCsv = Files.readString(root.resolve("straight/log.csv"));

    Path dir = root.resolve("resumed");
    Files.createDirectories(dir);
    Sequential dying = Models.digits(3);
    assertThrows(IllegalStateException.class, () -> dying.fit(DIGITS.x, DIGITS.y,
        options(callbacks(dir, backup.build(), new CrashAt(crashEpoch, crashBatch)))));
    assertTrue(Files.isDirectory(dir.resolve("backup")), "the backup survives a failed fit");

    Sequential resumed = Models.digits(3); // a new process: fresh model and fresh callbacks
    History history = resumed.fit(DIGITS.x, DIGITS.y, options(callbacks(dir, backup.build())));
    assertEquals(expected, resumed.parameters());
    assertEquals(expectedCsv, Files.readString(dir.resolve("log.csv")));
    assertEquals(crashEpoch, history.epoch().get(0));
    assertFalse(Files.exists(dir.resolve("backup")), "deleted after the successful fit");
  }

  @Test
  void resumesFromAnEpochBackupWithIdenticalWeights(@TempDir Path root) throws IOException {
    assertResumesIdentically(root, BackupAndRestore.builder(root.resolve("resumed/backup")), 2, 4);
  }

  @Test
  void resumesMidEpochFromABatchBackupWithIdenticalWeights(@TempDir Path root) throws IOException {
    assertResumesIdentically(root,
        BackupAndRestore.builder(root.resolve("resumed/backup")).saveFreq(3), 3, 7);
  }

  @Test
  void fallsBackToThePreviousBackupWhenTheNewestIsDamaged(@TempDir Path dir) throws IOException {
    Path backupDir = dir.resolve("backup");
    BackupAndRestore.Builder backup = BackupAndRestore.builder(backupDir)
        .doubleCheckpoint(true).deleteCheckpoint(false);
    Models.digits(3).fit(DIGITS.x, DIGITS.y, FitOptions.builder().epochs(3).seed(1).verbose(0)
        .callbacks(backup.build()).build());
    List<String> files = names(backupDir);
    assertEquals(List.of("model-2.c4j", "model-3.c4j", "state-2.json", "state-3.json"), files);

    truncate(backupDir.resolve("model-3.c4j"));
    History history = Models.digits(3).fit(DIGITS.x, DIGITS.y, FitOptions.builder().epochs(4)
        .seed(1).verbose(0).callbacks(backup.build()).build());
    assertEquals(List.of(2, 3), history.epoch()); // generation 2 was written at the end of epoch 1

    // Generations continue from the newest on disk: the resumed run wrote 4 and 5.
    assertEquals(List.of("model-4.c4j", "model-5.c4j", "state-4.json", "state-5.json"),
        names(backupDir));
    truncate(backupDir.resolve("model-5.c4j"));
    BackupAndRestore single = BackupAndRestore.builder(backupDir).deleteCheckpoint(false).build();
    java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class,
        () -> Models.digits(3).fit(DIGITS.x, DIGITS.y,
            FitOptions.builder().epochs(5).verbose(0).callbacks(single).build()));
    assertTrue(e.getMessage().contains("model-5.c4j is damaged: its SHA-256 does not match the"
        + " backup's record; doubleCheckpoint(true) keeps a previous backup to fall back to"),
        e.getMessage());
  }

  @Test
  void mustComeAfterTheStatefulCallbacks(@TempDir Path dir) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Models.digits(3).fit(DIGITS.x, DIGITS.y, FitOptions.builder().verbose(0).callbacks(
            BackupAndRestore.builder(dir).build(), EarlyStopping.builder().build()).build()));
    assertEquals("EarlyStopping comes after BackupAndRestore in the callbacks, so a backup would"
        + " hold its state from before the epoch it saves: put BackupAndRestore last", e.getMessage());
  }

  /**
   * Counts the epochs of the whole training; a new run starts from 0 in onTrainBegin, as a
   * stateful callback resets. Records when it resets and when it is restored.
   */
  static final class EpochCounter implements StatefulCallback<EpochCounter.State> {
    record State(int epochs) {}

    final List<String> events = new ArrayList<>();
    int epochs;

    @Override
    public void onTrainBegin(Logs logs) {
      epochs = 0;
      events.add("reset");
    }

    @Override
    public void onEpochEnd(int epoch, Logs logs) {
      epochs++;
    }

    @Override
    public Class<State> stateType() {
      return State.class;
    }

    @Override
    public State saveState() {
      return new State(epochs);
    }

    @Override
    public Runnable prepareRestore(State state, Map<String, ModelState> snapshots) {
      int saved = state.epochs();
      return () -> {
        epochs = saved;
        events.add("restored " + saved);
      };
    }
  }

  private static EarlyStopping earlyStopping(String monitor) {
    return EarlyStopping.builder().monitor(monitor).patience(50).restoreBestWeights(
        monitor.equals("val_loss")).build();
  }

  @Test
  void stateIsRestoredByKeyAfterTheCallbacksResetWhateverTheirOrder(@TempDir Path dir)
      throws IOException {
    EarlyStopping straightVal = earlyStopping("val_loss");
    EarlyStopping straightLoss = earlyStopping("loss");
    EpochCounter straightCounter = new EpochCounter();
    Sequential straight = Models.digits(3);
    straight.fit(DIGITS.x, DIGITS.y, options(List.of(straightVal, straightLoss, straightCounter,
        BackupAndRestore.builder(dir.resolve("straight")).build())));

    BackupAndRestore.Builder backup = BackupAndRestore.builder(dir.resolve("backup"));
    assertThrows(IllegalStateException.class, () -> Models.digits(3).fit(DIGITS.x, DIGITS.y,
        options(List.of(new CrashAt(2, 4), earlyStopping("val_loss"), earlyStopping("loss"),
            new EpochCounter(), backup.build()))));

    // A new process lists the same callbacks in another order.
    EarlyStopping resumedVal = earlyStopping("val_loss");
    EarlyStopping resumedLoss = earlyStopping("loss");
    EpochCounter resumedCounter = new EpochCounter();
    Sequential resumed = Models.digits(3);
    resumed.fit(DIGITS.x, DIGITS.y, options(List.of(resumedCounter, resumedLoss, resumedVal,
        backup.build())));

    assertEquals(straight.parameters(), resumed.parameters());
    assertEquals(straightVal.bestEpoch(), resumedVal.bestEpoch());
    assertEquals(straightLoss.bestEpoch(), resumedLoss.bestEpoch());
    assertEquals(straightVal.best(), resumedVal.best());
    assertEquals(straightLoss.best(), resumedLoss.best());
    assertNotEquals(resumedVal.best(), resumedLoss.best(), "two states, not one twice");
    assertEquals(5, resumedCounter.epochs, "2 epochs before the crash, 3 after");
    assertEquals(List.of("reset", "restored 2"), resumedCounter.events);
  }

  @Test
  void twoCallbacksWithOneStateKeyAreRefused(@TempDir Path dir) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Models.digits(3).fit(DIGITS.x, DIGITS.y, FitOptions.builder().verbose(0).callbacks(
            earlyStopping("loss"), earlyStopping("loss"), BackupAndRestore.builder(dir).build())
            .build()));
    assertEquals("two callbacks (EarlyStopping and EarlyStopping) keep their state under the key"
        + " 'EarlyStopping(loss)', so a backup could not tell them apart: keep one, or override"
        + " stateKey() in one to name it", e.getMessage());
  }

  @Test
  void aFreshDirectoryTrainsFromTheStart(@TempDir Path dir) throws IOException {
    Sequential withBackup = Models.digits(3);
    withBackup.fit(DIGITS.x, DIGITS.y, FitOptions.builder().epochs(2).seed(4).verbose(0)
        .callbacks(BackupAndRestore.builder(dir.resolve("b")).build()).build());
    Sequential without = Models.digits(3);
    without.fit(DIGITS.x, DIGITS.y, FitOptions.builder().epochs(2).seed(4).verbose(0).build());
    assertEquals(without.parameters(), withBackup.parameters());
    assertNotEquals(Models.digits(3).parameters(), without.parameters());
  }

  static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static void truncate(Path file) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(raf.length() / 2);
    }
  }

  /**
   * A crash after the last epoch's backup, before the fit returned: the resumed fit has no epoch
   * left. It trains nothing, ends with empty logs and deletes the backup, as a finished fit does.
   */
  @Test
  void aBackupOfTheLastEpochResumesToAFitWithNothingLeftToTrain(@TempDir Path dir) {
    Path backup = dir.resolve("backup");
    Sequential crashed = Models.digits(1);
    Callback crashAtTheEnd = LambdaCallback.builder().onTrainEnd(logs -> {
      throw new IllegalStateException("simulated crash after the last epoch");
    }).build();
    assertThrows(IllegalStateException.class, () -> crashed.fit(DIGITS.x, DIGITS.y,
        FitOptions.builder().epochs(2).verbose(0)
            .callbacks(crashAtTheEnd, BackupAndRestore.builder(backup).build()).build()));
    assertTrue(Files.exists(backup), "the crash came before BackupAndRestore's onTrainEnd");

    Sequential resumed = Models.digits(1);
    List<String> hooks = new ArrayList<>();
    History history = resumed.fit(DIGITS.x, DIGITS.y, FitOptions.builder().epochs(2).verbose(0)
        .callbacks(LambdaCallback.builder()
            .onEpochBegin((epoch, logs) -> hooks.add("epoch begin " + epoch))
            .onTrainEnd(logs -> hooks.add("train end " + logs.asMap())).build(),
            BackupAndRestore.builder(backup).build()).build());
    assertEquals(List.of("train end {}"), hooks);
    assertEquals(List.of(), history.epoch());
    assertEquals(crashed.parameters(), resumed.parameters());
    assertFalse(Files.exists(backup), "deleted after the successful fit");
  }

  /**
   * The callbacks a fit runs, as a Resumable sees them: the user's, then a History, and a
   * ProgbarLogger only when verbose (Keras adds its progress bar only for a verbose fit).
   */
  @Test
  void aFitAddsAHistoryAndAProgressBarOnlyWhenVerbose() {
    List<List<String>> seen = new ArrayList<>();
    Resumable recorder = (model, callbacks, progress) -> {
      seen.add(callbacks.stream().map(callback -> callback.getClass().getSimpleName()).toList());
      return null;
    };
    for (int verbose = 0; verbose <= 2; verbose++) {
      FitOptions options = FitOptions.builder().epochs(1).verbose(verbose).callbacks(recorder)
          .build();
      StandardOutput.of(() -> Models.digits(1).fit(DIGITS.x, DIGITS.y, options));
    }
    String user = recorder.getClass().getSimpleName();
    assertEquals(List.of(List.of(user, "History"), List.of(user, "History", "ProgbarLogger"),
        List.of(user, "History", "ProgbarLogger")), seen);
  }

  /** A Resumable of the user's whose sums do not fit the model: refused before any hook runs. */
  @Test
  void aResumePointWithSumsForOtherMetricsIsRefused() {
    Resumable mismatched = (model, callbacks, progress) ->
        new Resumable.ResumePoint(1, 2, 0, 64, new double[] {0.5});
    List<String> hooks = new ArrayList<>();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Models.digits(1).fit(DIGITS.x, DIGITS.y, FitOptions.builder().epochs(3).verbose(0)
            .callbacks(mismatched, LambdaCallback.builder()
                .onTrainBatchBegin((batch, logs) -> hooks.add("batch " + batch)).build())
            .build()));
    assertEquals("a backup with 0 metrics cannot resume a model compiled with 1", e.getMessage());
    assertEquals(List.of(), hooks, "no batch trained");
  }
}
