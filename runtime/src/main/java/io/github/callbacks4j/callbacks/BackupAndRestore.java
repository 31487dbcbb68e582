package io.github.callbacks4j.callbacks;

import io.github.callbacks4j.Callback;
import io.github.callbacks4j.Hook;
import io.github.callbacks4j.Logs;
import io.github.callbacks4j.Model;
import io.github.callbacks4j.ModelState;
import io.github.callbacks4j.Params;
import io.github.callbacks4j.state.AtomicFiles;
import io.github.callbacks4j.state.Resumable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backs training up so that a run that dies resumes where it stopped, as Keras's
 * {@code BackupAndRestore}, and ends with the same weights, bit for bit, as a run that never died.
 *
 * <p>Each backup holds the model (weights and optimizer state), the epoch and the batches done in
 * it, the shuffle seed, the epoch's running metric sums, and the state record of every
 * {@link StatefulCallback} before it in the list (EarlyStopping, ReduceLROnPlateau, ModelCheckpoint,
 * CSVLogger, LearningRateScheduler, Timer), each under its {@link StatefulCallback#stateKey()}, so
 * the resumed run may list them in another order. It is written at each epoch end, or every
 * {@code saveFreq} training batches, as a new generation of the folder; a crash at any moment, even
 * mid-save, leaves a whole backup. The files, their checks and the format version are
 * {@code BackupFolder}'s: a folder written by another format version is refused, saying to delete
 * it to start over.
 *
 * <p>On the next {@code fit} with the same directory it restores the newest complete backup and
 * the loop continues from there: the model and the checks of every callback's state before
 * training begins, the callbacks' state in this callback's own {@code onTrainBegin}, after theirs
 * reset them (see {@link StatefulCallback}); a mid-epoch backup continues that epoch after calling
 * its {@code onEpochBegin} again, as tf.keras does. With {@code doubleCheckpoint}, the previous
 * generation is kept too and used when the newest cannot be restored, for whatever reason:
 * damaged, missing a field, naming a file outside the folder, holding a callback state that does
 * not fit, or written for another architecture.
 *
 * <p>Every file of the folder is untrusted, and the model's architecture is compared with the
 * backup's (by loading it) before any callback state is restored. Restoring callback state touches
 * no file (CSVLogger cuts its log only before its next row), so a backup written for another model
 * leaves the callbacks and their files as they were.
 *
 * <p>With {@code deleteCheckpoint} (the default) the backup is removed when {@code fit} ends
 * normally, and kept when it throws.
 *
 * <p>Put it after the stateful callbacks, so that what it saves has seen the same epoch.
 */
public class BackupAndRestore implements Resumable {
  private static final Logger LOG = LoggerFactory.getLogger(BackupAndRestore.class);

  private final Path backupDir;
  private final BackupFolder folder;
  private final int saveFreq; // 0 = every epoch
  private final boolean doubleCheckpoint;
  private final boolean deleteCheckpoint;

  private Model model;
  private Map<String, StatefulCallback<?>> stateful = Map.of();
  /** The callbacks' state of the backup being resumed, put back at train begin; empty otherwise. */
  private List<Runnable> pendingRestores = List.of();
  private Progress progress;
  private long generation;
  private int batchesSinceSave;
  private int lastBatchSeen;
  private int steps; // batches per epoch, 0 when the loop did not say

  private BackupAndRestore(Builder b) {
    this.backupDir = b.backupDir;
    this.folder = new BackupFolder(b.backupDir);
    this.saveFreq = b.saveFreq;
    this.doubleCheckpoint = b.doubleCheckpoint;
    this.deleteCheckpoint = b.deleteCheckpoint;
  }

  public static Builder builder(Path backupDir) {
    return new Builder(backupDir);
  }

  @Override
  public Set<Hook> implementedHooks() {
    return saveFreq > 0
        ? EnumSet.of(Hook.TRAIN_BEGIN, Hook.TRAIN_BATCH_END, Hook.EPOCH_END, Hook.TRAIN_END)
        : EnumSet.of(Hook.TRAIN_BEGIN, Hook.EPOCH_END, Hook.TRAIN_END);
  }

  /**
   * Fails now, not at the first backup, when the backup directory cannot be written; then puts back
   * the resumed backup's callback state, which the callbacks before this one have just reset.
   */
  @Override
  public void onTrainBegin(Logs logs) {
    WritableDirectory.require("BackupAndRestore", backupDir);
    List<Runnable> restores = pendingRestores;
    pendingRestores = List.of();
    restores.forEach(Runnable::run);
  }

  @Override
  public void setParams(Params params) {
    this.steps = params.steps();
  }

  @Override
  public ResumePoint resume(Model model, List<Callback> callbacks, Progress progress)
      throws IOException {
    this.model = Objects.requireNonNull(model, "model");
    this.progress = progress;
    this.stateful = statefulBefore(callbacks);
    this.pendingRestores = List.of();
    this.batchesSinceSave = 0;
    this.lastBatchSeen = BatchCount.NONE_SEEN;
    List<Long> generations = folder.generations();
    generation = generations.isEmpty() ? 0 : generations.get(0);
    IOException damaged = null;
    for (int i = 0; i < generations.size(); i++) {
      long candidate = generations.get(i);
      try {
        ResumePoint point = restore(candidate);
        LOG.info("Resuming training from backup {} in {}: epoch {}, {} batches done", candidate,
            backupDir, point.epoch(), point.batchesDone());
        return point;
      } catch (IOException e) {
        if (damaged == null) {
          damaged = e;
        }
        if (!doubleCheckpoint || i + 1 == generations.size()) {
          break;
        }
        LOG.warn("Backup {} in {} cannot be restored ({}); trying the previous one", candidate,
            backupDir, e.getMessage());
      }
    }
    if (damaged != null) {
      throw new IOException("cannot resume from " + backupDir + ": " + damaged.getMessage()
          + (doubleCheckpoint ? "" : "; doubleCheckpoint(true) keeps a previous backup to fall"
              + " back to"), damaged);
    }
    return null;
  }

  /** The stateful callbacks before this one, by their distinct state keys; none may follow. */
  private Map<String, StatefulCallback<?>> statefulBefore(List<Callback> callbacks) {
    Map<String, StatefulCallback<?>> found = new LinkedHashMap<>();
    boolean after = false;
    for (Callback callback : callbacks) {
      if (callback == this) {
        after = true;
      } else if (callback instanceof StatefulCallback<?> s) {
        if (after) {
          throw new IllegalArgumentException(callback.getClass().getSimpleName() + " comes after"
              + " BackupAndRestore in the callbacks, so a backup would hold its state from before"
              + " the epoch it saves: put BackupAndRestore last");
        }
        StatefulCallback<?> same = found.putIfAbsent(s.stateKey(), s);
        if (same != null) {
          throw new IllegalArgumentException("two callbacks (" + same.getClass().getSimpleName()
              + " and " + callback.getClass().getSimpleName() + ") keep their state under the key '"
              + s.stateKey() + "', so a backup could not tell them apart: keep one, or override"
              + " stateKey() in one to name it");
        }
      }
    }
    return found;
  }

  @Override
  public void onTrainBatchEnd(int batch, Logs logs) {
    batchesSinceSave += BatchCount.endedSince(lastBatchSeen, batch);
    lastBatchSeen = batch;
    if (batchesSinceSave >= saveFreq) {
      batchesSinceSave = 0;
      backup(new ResumePoint(progress.epoch(), progress.batchesDone(), progress.shuffleSeed(),
          progress.samples(), progress.sums()));
    }
  }

  @Override
  public void onEpochEnd(int epoch, Logs logs) {
    backup(new ResumePoint(epoch + 1, 0, progress.shuffleSeed(), 0, null));
  }

  @Override
  public void onTrainEnd(Logs logs) {
    if (deleteCheckpoint) {
      try {
        folder.deleteAll();
      } catch (IOException e) {
        throw new UncheckedIOException("BackupAndRestore cannot delete " + backupDir, e);
      }
    }
  }

  private void backup(ResumePoint position) {
    long next = generation + 1;
    Map<String, BackupFolder.CallbackState> states = new LinkedHashMap<>();
    for (Map.Entry<String, StatefulCallback<?>> entry : stateful.entrySet()) {
      Map<String, AtomicFiles.FileWriter> snapshots = new LinkedHashMap<>();
      entry.getValue().saveSnapshots().forEach((name, snapshot) ->
          snapshots.put(name, file -> saveSnapshot(snapshot, file)));
      states.put(entry.getKey(),
          new BackupFolder.CallbackState(entry.getValue().saveState(), snapshots));
    }
    try {
      folder.write(next, position, model::save, states);
      generation = next;
      folder.deleteGenerationsBefore(doubleCheckpoint ? next - 1 : next);
    } catch (IOException e) {
      throw new UncheckedIOException("BackupAndRestore cannot write to " + backupDir, e);
    }
  }

  /** Saves the model as it was at {@code snapshot}, and leaves it as it is now. */
  private void saveSnapshot(ModelState snapshot, Path file) throws IOException {
    ModelState current = model.snapshot();
    model.restore(snapshot);
    try {
      model.save(file);
    } finally {
      model.restore(current);
    }
  }

  /** For tests: runs between writing a backup's model file and its state file. */
  BackupAndRestore beforeStateWritten(Runnable hook) {
    folder.beforeStateWritten(hook);
    return this;
  }

  /**
   * Restores one generation: reads and checks its state file and every file it names, then loads
   * the model (which compares its architecture with the backup's), and only then checks the
   * callbacks' state, to be put back at train begin. A generation refused after its model loaded
   * (a snapshot or a callback's state that does not fit) leaves the model holding it, until an
   * older generation replaces it; the callbacks are untouched.
   */
  private ResumePoint restore(long candidate) throws IOException {
    Map<String, Class<? extends Record>> stateTypes = new LinkedHashMap<>();
    stateful.forEach((key, callback) -> stateTypes.put(key, callback.stateType()));
    BackupFolder.Generation backup = folder.read(candidate, stateTypes, steps,
        progress.sums().length);

    model.loadState(backup.model());
    Map<String, Map<String, ModelState>> snapshots = new HashMap<>();
    boolean anySnapshot = false;
    for (Map.Entry<String, BackupFolder.SavedCallback> entry : backup.callbacks().entrySet()) {
      Map<String, ModelState> loaded = new HashMap<>();
      for (Map.Entry<String, Path> snapshot : entry.getValue().snapshots().entrySet()) {
        model.loadState(snapshot.getValue());
        loaded.put(snapshot.getKey(), model.snapshot());
        anySnapshot = true;
      }
      snapshots.put(entry.getKey(), loaded);
    }
    if (anySnapshot) {
      model.loadState(backup.model()); // the snapshots passed through the model
    }

    List<Runnable> restores = new ArrayList<>();
    for (Map.Entry<String, StatefulCallback<?>> entry : stateful.entrySet()) {
      try {
        restores.add(prepareRestore(entry.getValue(),
            backup.callbacks().get(entry.getKey()).state(), snapshots.get(entry.getKey())));
      } catch (RuntimeException e) {
        throw new IOException(backup.stateFile() + " field callbacks." + entry.getKey()
            + ".state does not fit " + entry.getValue().getClass().getSimpleName() + " ("
            + e.getMessage() + ")", e);
      }
    }
    pendingRestores = restores;
    // The resumed epoch's next batch-end index follows the batches already done in it.
    lastBatchSeen = backup.position().batchesDone() - 1;
    return backup.position();
  }

  /** The record was read as {@code callback.stateType()}, so the cast holds. */
  private static <S extends Record> Runnable prepareRestore(StatefulCallback<S> callback,
      Record state, Map<String, ModelState> snapshots) {
    return callback.prepareRestore(callback.stateType().cast(state), snapshots);
  }

  /** The backup directory is required; every epoch, single backup, deleted after success. */
  public static final class Builder {
    private final Path backupDir;
    private int saveFreq;
    private boolean doubleCheckpoint;
    private boolean deleteCheckpoint = true;

    private Builder(Path backupDir) {
      this.backupDir = BuilderChecks.path("backupDir", backupDir, "Path.of(\"backup\")");
    }

    /** Back up every {@code batches} training batches as well as at each epoch end. */
    public Builder saveFreq(int batches) {
      if (batches < 1) {
        throw new IllegalArgumentException("saveFreq must be >= 1 batches, got " + batches
            + "; leave it unset to back up at every epoch end");
      }
      this.saveFreq = batches;
      return this;
    }

    /** Keep the previous backup as well, and fall back to it when the newest is damaged. */
    public Builder doubleCheckpoint(boolean doubleCheckpoint) {
      this.doubleCheckpoint = doubleCheckpoint;
      return this;
    }

    /** Delete the backup when fit ends normally (the default); kept when fit throws. */
    public Builder deleteCheckpoint(boolean deleteCheckpoint) {
      this.deleteCheckpoint = deleteCheckpoint;
      return this;
    }

    public BackupAndRestore build() {
      return new BackupAndRestore(this);
    }
  }
}
