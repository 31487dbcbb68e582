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
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backs training up so that a run that dies resumes where it stopped, as Keras's
 * {@code BackupAndRestore}, and ends with the same weights, bit for bit, as a run that never died.
 *
 * <p>Each backup holds the model (weights and optimizer state), the epoch and the batches done in
 * it, the shuffle seed, the epoch's running metric sums, and the state of every
 * {@link StatefulCallback} before it in the list (EarlyStopping, ReduceLROnPlateau, ModelCheckpoint,
 * CSVLogger, LearningRateScheduler, Timer), each under its {@link StatefulCallback#stateKey()}, so
 * the resumed run may list them in another order. It is written at each epoch end, or every {@code saveFreq} training batches, as
 * generation N: {@code model-N.c4j}, then {@code state-N.json} naming the model file and its
 * SHA-256; each file is written atomically, and older generations are deleted only once a newer
 * one is complete, so a crash at any moment, even mid-save, leaves a whole backup.
 *
 * <p>On the next {@code fit} with the same directory it restores the newest complete backup and
 * the loop continues from there: the model and the checks of every callback's state before
 * training begins, the callbacks' state in this callback's own {@code onTrainBegin}, after theirs
 * reset them (see {@link StatefulCallback}); a mid-epoch backup continues that epoch after calling its
 * {@code onEpochBegin} again, as tf.keras does. With {@code doubleCheckpoint}, the previous generation is kept too
 * and used when the newest cannot be restored, for whatever reason: damaged, missing a field,
 * naming a file outside the folder, or written for another architecture.
 *
 * <p>Every file of the folder is untrusted: the state file must carry its own SHA-256 and every
 * required field, the files it names must be plain names inside the folder with the recorded
 * SHA-256, and the model's architecture is compared with the backup's (by loading it) before any
 * callback state is restored. Restoring callback state touches no file (CSVLogger cuts its log
 * only before its next row), so a backup written for another model leaves the callbacks and their files as
 * they were.
 *
 * <p>With {@code deleteCheckpoint} (the default) the backup is removed when {@code fit} ends
 * normally, and kept when it throws.
 *
 * <p>Put it after the stateful callbacks, so that what it saves has seen the same epoch.
 */
public class BackupAndRestore implements Resumable {
  private static final Logger LOG = LoggerFactory.getLogger(BackupAndRestore.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern STATE = Pattern.compile("state-(\\d{1,18})\\.json");

  private final Path backupDir;
  private final int saveFreq; // 0 = every epoch
  private final boolean doubleCheckpoint;
  private final boolean deleteCheckpoint;

  private Model model;
  private Map<String, StatefulCallback> stateful = Map.of();
  /** The callbacks' state of the backup being resumed, put back at train begin; empty otherwise. */
  private List<Runnable> pendingRestores = List.of();
  private Progress progress;
  private long generation;
  private int batchesSinceSave;
  private Runnable beforeState = () -> { };
  private int steps; // batches per epoch, 0 when the loop did not say

  private BackupAndRestore(Builder b) {
    this.backupDir = b.backupDir;
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
    List<Long> generations = generations();
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
  private Map<String, StatefulCallback> statefulBefore(List<Callback> callbacks) {
    Map<String, StatefulCallback> found = new LinkedHashMap<>();
    boolean after = false;
    for (Callback callback : callbacks) {
      if (callback == this) {
        after = true;
      } else if (callback instanceof StatefulCallback s) {
        if (after) {
          throw new IllegalArgumentException(callback.getClass().getSimpleName() + " comes after"
              + " BackupAndRestore in the callbacks, so a backup would hold its state from before"
              + " the epoch it saves: put BackupAndRestore last");
        }
        StatefulCallback same = found.putIfAbsent(s.stateKey(), s);
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
    if (++batchesSinceSave >= saveFreq) {
      batchesSinceSave = 0;
      backup(progress.epoch(), progress.batchesDone(), progress.samples(), progress.sums());
    }
  }

  @Override
  public void onEpochEnd(int epoch, Logs logs) {
    backup(epoch + 1, 0, 0, null);
  }

  @Override
  public void onTrainEnd(Logs logs) {
    if (deleteCheckpoint) {
      try (Stream<Path> files = list()) {
        for (Path file : files.toList()) {
          if (isOurs(file.getFileName().toString())) {
            Files.deleteIfExists(file);
          }
        }
        try (Stream<Path> rest = list()) {
          if (rest.findAny().isEmpty()) {
            Files.deleteIfExists(backupDir);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("BackupAndRestore cannot delete " + backupDir, e);
      }
    }
  }

  private void backup(int epoch, int batchesDone, long samples, double[] sums) {
    long next = generation + 1;
    try {
      Files.createDirectories(backupDir);
      ObjectNode state = JSON.createObjectNode()
          .put("format", BackupState.FORMAT).put("version", BackupState.VERSION)
          .put("generation", next)
          .put("epoch", epoch).put("batchesDone", batchesDone)
          .put("shuffleSeed", progress.shuffleSeed()).put("samples", samples);
      if (sums != null) {
        sums = sums.clone();
        var array = state.putArray("sums");
        for (double sum : sums) {
          array.add(sum);
        }
      }
      state.set("model", saveModel("model-" + next + ".c4j", null));
      ObjectNode callbacks = state.putObject("callbacks");
      int index = 0;
      for (Map.Entry<String, StatefulCallback> entry : stateful.entrySet()) {
        ObjectNode node = callbacks.putObject(entry.getKey());
        node.set("state", JSON.valueToTree(entry.getValue().saveState()));
        ObjectNode snapshots = node.putObject("snapshots");
        for (Map.Entry<String, ModelState> snapshot : entry.getValue().saveSnapshots().entrySet()) {
          // Numbered, not named after the key, which may hold any character (a file path).
          String file = "snapshot-" + next + "-" + index + "-" + snapshot.getKey() + ".c4j";
          snapshots.set(snapshot.getKey(), saveModel(file, snapshot.getValue()));
        }
        index++;
      }
      beforeState.run();
      AtomicFiles.write(backupDir.resolve("state-" + next + ".json"),
          JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(BackupState.seal(state)));
      generation = next;
      deleteGenerationsBefore(doubleCheckpoint ? next - 1 : next);
    } catch (IOException e) {
      throw new UncheckedIOException("BackupAndRestore cannot write to " + backupDir, e);
    }
  }

  /** For tests: runs between writing a backup's model file and its state file. */
  BackupAndRestore beforeStateWritten(Runnable hook) {
    this.beforeState = Objects.requireNonNull(hook);
    return this;
  }

  /** Saves the model, or a snapshot of it, atomically; returns {"file", "sha256"}. */
  private ObjectNode saveModel(String name, ModelState snapshot) throws IOException {
    Path target = backupDir.resolve(name);
    AtomicFiles.writeFile(target, file -> {
      if (snapshot == null) {
        model.save(file);
        return;
      }
      ModelState current = model.snapshot();
      model.restore(snapshot);
      try {
        model.save(file);
      } finally {
        model.restore(current);
      }
    });
    return JSON.createObjectNode().put("file", name).put("sha256", sha256(target));
  }

  /**
   * Restores one generation: reads and checks its state file and every file it names, then loads
   * the model (which compares its architecture with the backup's), and only then checks the
   * callbacks' state, to be put back at train begin. A generation refused after its model loaded
   * (a snapshot or a callback's state that does not fit) leaves the model holding it, until an
   * older generation replaces it; the callbacks are untouched.
   */
  private ResumePoint restore(long candidate) throws IOException {
    BackupState state = BackupState.read(backupDir, candidate, stateful.keySet(), steps,
        progress.sums().length);
    verify(state.model());
    for (BackupState.CallbackRecord callback : state.callbacks().values()) {
      for (BackupState.FileRecord snapshot : callback.snapshots().values()) {
        verify(snapshot);
      }
    }

    model.loadState(state.model().path());
    Map<String, Map<String, ModelState>> snapshots = new HashMap<>();
    boolean anySnapshot = false;
    for (Map.Entry<String, BackupState.CallbackRecord> entry : state.callbacks().entrySet()) {
      Map<String, ModelState> loaded = new HashMap<>();
      for (var snapshot : entry.getValue().snapshots().entrySet()) {
        model.loadState(snapshot.getValue().path());
        loaded.put(snapshot.getKey(), model.snapshot());
        anySnapshot = true;
      }
      snapshots.put(entry.getKey(), loaded);
    }
    if (anySnapshot) {
      model.loadState(state.model().path()); // the snapshots passed through the model
    }

    List<Runnable> restores = new ArrayList<>();
    for (Map.Entry<String, StatefulCallback> entry : stateful.entrySet()) {
      try {
        restores.add(entry.getValue().prepareRestore(
            state.callbacks().get(entry.getKey()).values(), snapshots.get(entry.getKey())));
      } catch (RuntimeException e) {
        throw new IOException(state.file() + ": callbacks." + entry.getKey() + ".state does not"
            + " fit " + entry.getValue().getClass().getSimpleName() + " (" + e.getMessage() + ")",
            e);
      }
    }
    pendingRestores = restores;
    return new ResumePoint(state.epoch(), state.batchesDone(), state.shuffleSeed(),
        state.samples(), state.sums());
  }

  /** A regular file (not a link) in the backup folder, with the SHA-256 the backup recorded. */
  private static void verify(BackupState.FileRecord file) throws IOException {
    if (!Files.isRegularFile(file.path(), LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(file.path() + " is missing" + (Files.exists(file.path(),
          LinkOption.NOFOLLOW_LINKS) ? ": it is not a regular file" : ""));
    }
    if (!sha256(file.path()).equals(file.sha256())) {
      throw new IOException(file.path() + " is damaged: its SHA-256 does not match the backup's"
          + " record");
    }
  }

  /** Complete generations (those with a state file), newest first. */
  private List<Long> generations() throws IOException {
    if (!Files.isDirectory(backupDir)) {
      return List.of();
    }
    List<Long> generations = new ArrayList<>();
    try (Stream<Path> files = list()) {
      for (Path file : files.toList()) {
        Matcher m = STATE.matcher(file.getFileName().toString());
        if (m.matches()) {
          generations.add(Long.parseLong(m.group(1)));
        }
      }
    }
    generations.sort(Comparator.reverseOrder());
    return generations;
  }

  /** Deletes every generation older than {@code keep}, and files a crash left half-made. */
  private void deleteGenerationsBefore(long keep) throws IOException {
    try (Stream<Path> files = list()) {
      for (Path file : files.toList()) {
        String name = file.getFileName().toString();
        Matcher m = Pattern.compile("(?:state|model|snapshot)-(\\d{1,18})[.-].*").matcher(name);
        if ((m.matches() && Long.parseLong(m.group(1)) < keep) || name.endsWith(".tmp")) {
          Files.deleteIfExists(file);
        }
      }
    }
  }

  private static boolean isOurs(String name) {
    return name.matches("(state|model|snapshot)-\\d+[.-].*") || name.endsWith(".tmp");
  }

  private Stream<Path> list() throws IOException {
    return Files.list(backupDir);
  }

  private static String sha256(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
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
