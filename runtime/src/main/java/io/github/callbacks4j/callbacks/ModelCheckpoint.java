package io.github.callbacks4j.callbacks;

import io.github.callbacks4j.Hook;
import io.github.callbacks4j.LogKey;
import io.github.callbacks4j.Logs;
import io.github.callbacks4j.ModelState;
import io.github.callbacks4j.state.AtomicFiles;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Saves the model (or its weights) during training, as Keras 3's {@code ModelCheckpoint}.
 *
 * <p>The path is a Python format template over {@code epoch} (1-based, as in Keras), {@code batch}
 * (1-based, batch-level saves only) and every log key: {@code "ckpt-{epoch:02d}-{val_loss:.4f}.c4j"}.
 * A key that is not there is an error naming it and the keys that are. Saves happen at each epoch
 * end, or every {@code saveFreq} training batches counted across epochs (Keras's rule). The
 * directory is created when a save happens, and each file is written to a temporary file first and
 * renamed, so a crash never leaves a half-written checkpoint.
 *
 * <p>With {@code saveBestOnly}, a save happens only when the monitor strictly improves on the best
 * so far (or on {@code initialValueThreshold}); when the monitor is missing from the logs it warns once
 * and does not save (tf.keras's choice: Keras 3 saves anyway, which floods batch-level runs whose
 * logs have no {@code val_} keys). Beyond Keras, from Lightning: {@code saveTopK(k)} keeps the k
 * best files and deletes the rest (NaN is never among them), and {@code saveLast(true)} also copies
 * every save to {@code last.<ext>} beside it.
 */
public class ModelCheckpoint extends MonitorCallback
    implements StatefulCallback<ModelCheckpoint.State> {
  /** The template's names that hold integers; every log value is a float. */
  private static final Set<String> INTEGER_FIELDS = Set.of("epoch", "batch");

  private final String filepath;
  private final PythonFormat template;
  private final Path fixedDirectory;
  private final int verbose;
  private final boolean saveBestOnly;
  private final boolean saveWeightsOnly;
  private final int saveFreq; // 0 = every epoch
  private final int saveTopK; // 0 = off, -1 = every file kept and ranked
  private final boolean saveLast;

  private Double best;
  private int currentEpoch;
  private int lastBatchSeen = BatchCount.NONE_SEEN;
  private int batchesSinceLastSave;
  private final List<Saved> kept = new ArrayList<>();
  private Path lastSaved;

  /** A file kept by {@code saveTopK}, with its monitored value. */
  private record Saved(double value, Path path) {}

  private ModelCheckpoint(Builder b) {
    super(b.monitor, b.mode, b.minDelta, null);
    this.filepath = b.filepath;
    this.template = b.template;
    this.fixedDirectory = fixedDirectory(b.filepath);
    this.verbose = b.verbose;
    this.saveBestOnly = b.saveBestOnly;
    this.saveWeightsOnly = b.saveWeightsOnly;
    this.saveFreq = b.saveFreq;
    this.saveTopK = b.saveTopK;
    this.saveLast = b.saveLast;
    this.best = b.initialValueThreshold;
  }

  public static Builder builder(String filepathTemplate) {
    return new Builder(filepathTemplate);
  }

  @Override
  public Set<Hook> implementedHooks() {
    EnumSet<Hook> hooks = EnumSet.of(Hook.TRAIN_BEGIN, Hook.EPOCH_BEGIN, Hook.EPOCH_END);
    if (saveFreq > 0) {
      hooks.add(Hook.TRAIN_BATCH_END);
    }
    return hooks;
  }

  /** The monitor, when it ranks saves, from the logs of the hook that saves. */
  @Override
  public List<LogKey> logKeys() {
    if (!saveBestOnly && saveTopK == 0) {
      return List.of();
    }
    Hook hook = saveFreq > 0 ? Hook.TRAIN_BATCH_END : Hook.EPOCH_END;
    return List.of(new LogKey(hook, monitor, "ModelCheckpoint's monitor"));
  }

  /** Fails now, not after an epoch, when the checkpoint directory cannot be written. */
  @Override
  public void onTrainBegin(Logs logs) {
    WritableDirectory.require("ModelCheckpoint", fixedDirectory);
  }

  /**
   * The deepest directory of the template that holds no placeholder: for {@code "a/b{epoch}/c"}
   * that is {@code a}, the parent of the name element the first placeholder is in.
   */
  private static Path fixedDirectory(String filepath) {
    int field = filepath.indexOf('{');
    String fixedPart = field < 0 ? filepath : filepath.substring(0, field) + "_";
    return Path.of(fixedPart).toAbsolutePath().getParent();
  }

  @Override
  public void onEpochBegin(int epoch, Logs logs) {
    currentEpoch = epoch;
  }

  @Override
  public void onTrainBatchEnd(int batch, Logs logs) {
    if (shouldSaveOnBatch(batch)) {
      save(currentEpoch, batch, logs);
    }
  }

  @Override
  public void onEpochEnd(int epoch, Logs logs) {
    if (saveFreq == 0) {
      save(epoch, null, logs);
    }
  }

  private boolean shouldSaveOnBatch(int batch) {
    batchesSinceLastSave += BatchCount.endedSince(lastBatchSeen, batch);
    lastBatchSeen = batch;
    if (batchesSinceLastSave >= saveFreq) {
      batchesSinceLastSave = 0;
      return true;
    }
    return false;
  }

  private void save(int epoch, Integer batch, Logs logs) {
    Path path = path(epoch, batch, logs);
    boolean ranked = saveBestOnly || saveTopK != 0;
    Double current = null;
    if (ranked) {
      current = monitorValue(logs);
      if (current == null) {
        return; // reported once by the CallbackList, from logKeys()
      }
      if (!qualifies(current)) {
        if (verbose > 0) {
          Console.print(String.format(Locale.ROOT, "Epoch %d: %s did not improve from %s",
              epoch + 1, monitor, formatBest()));
        }
        return;
      }
      if (verbose > 0) {
        Console.print(String.format(Locale.ROOT,
            "Epoch %d: %s improved from %s to %.5f, saving model to %s",
            epoch + 1, monitor, formatBest(), current, path));
      }
      if (isImprovement(current, best)) {
        best = current;
      }
    } else if (verbose > 0) {
      Console.print("Epoch " + (epoch + 1) + ": saving model to " + path);
    }
    write(path);
    if (saveTopK != 0) {
      keep(current, path);
    }
    if (saveLast) {
      copyToLast(path);
    }
  }

  /** Keras's {@code {best:.5f}}: {@code inf} (or {@code -inf} when maximizing) before any. */
  private String formatBest() {
    if (best == null) {
      return maximizes() ? "-inf" : "inf";
    }
    return String.format(Locale.ROOT, "%.5f", best);
  }

  /** With saveBestOnly: an improvement; with saveTopK: better than the worst of k kept. */
  private boolean qualifies(double current) {
    if (saveTopK == 0) {
      return isImprovement(current, best);
    }
    if (Double.isNaN(current)) {
      return false;
    }
    return saveTopK < 0 || kept.size() < saveTopK || isImprovement(current, worst().value());
  }

  private Saved worst() {
    Comparator<Saved> byValue = Comparator.comparingDouble(Saved::value);
    return maximizes() ? kept.stream().min(byValue).orElseThrow()
        : kept.stream().max(byValue).orElseThrow();
  }

  private void keep(double value, Path path) {
    kept.removeIf(saved -> saved.path().equals(path));
    kept.add(new Saved(value, path));
    if (saveTopK > 0 && kept.size() > saveTopK) {
      Saved worst = worst();
      kept.remove(worst);
      try {
        Files.deleteIfExists(worst.path());
      } catch (IOException e) {
        throw new UncheckedIOException("ModelCheckpoint cannot delete " + worst.path(), e);
      }
    }
  }

  private Path path(int epoch, Integer batch, Logs logs) {
    String name = template.format(key -> {
      if (key.equals("epoch")) {
        return (double) (epoch + 1);
      }
      if (key.equals("batch") && batch != null && !logs.contains("batch")) {
        return (double) (batch + 1);
      }
      return logs.contains(key) ? logs.get(key) : null;
    }, INTEGER_FIELDS, key -> new IllegalArgumentException("ModelCheckpoint file path '"
        + filepath + "' uses {" + key + "}, which is not available; available: epoch"
        + (batch != null ? ", batch" : "") + ", " + logs.keys()));
    return Path.of(name);
  }

  /** Saves to a temporary file beside the target, then renames it over the target. */
  private void write(Path path) {
    try {
      AtomicFiles.writeFile(path, saveWeightsOnly ? model::saveWeights : model::save);
      lastSaved = path.toAbsolutePath();
    } catch (IOException e) {
      throw new UncheckedIOException("ModelCheckpoint cannot save to " + path, e);
    }
  }

  private void copyToLast(Path saved) {
    String name = saved.getFileName().toString();
    int dot = name.lastIndexOf('.');
    Path last = saved.resolveSibling("last" + (dot > 0 ? name.substring(dot) : ""));
    try {
      AtomicFiles.write(last, out -> Files.copy(saved, out));
    } catch (IOException e) {
      throw new UncheckedIOException("ModelCheckpoint cannot write " + last, e);
    }
  }

  /** {@code ModelCheckpoint(<filepath template>)}. */
  @Override
  public String stateKey() {
    return "ModelCheckpoint(" + filepath + ")";
  }

  /**
   * What a backup keeps: the best value (null before any, never NaN), the batch count toward the
   * next {@code saveFreq} save, and with {@code saveTopK} the kept files and their values.
   */
  public record State(Double best, int currentEpoch, int lastBatchSeen, int batchesSinceLastSave,
      List<Kept> kept) {
    public State {
      StateChecks.notNaN("best", best);
      StateChecks.atLeast("currentEpoch", currentEpoch, 0);
      StateChecks.atLeast("lastBatchSeen", lastBatchSeen, BatchCount.NONE_SEEN);
      StateChecks.atLeast("batchesSinceLastSave", batchesSinceLastSave, 0);
      StateChecks.present("kept", kept);
      if (kept.stream().anyMatch(Objects::isNull)) {
        throw new IllegalArgumentException("kept must not hold null, got " + kept);
      }
      kept = List.copyOf(kept);
    }
  }

  /** A file kept by {@code saveTopK}; NaN is never kept. */
  public record Kept(double value, String path) {
    public Kept {
      if (Double.isNaN(value)) {
        throw new IllegalArgumentException("a kept file's value must be a number, got NaN");
      }
      StateChecks.present("path", path);
    }
  }

  @Override
  public Class<State> stateType() {
    return State.class;
  }

  @Override
  public State saveState() {
    return new State(best, currentEpoch, lastBatchSeen, batchesSinceLastSave,
        kept.stream().map(saved -> new Kept(saved.value(), saved.path().toString())).toList());
  }

  @Override
  public Runnable prepareRestore(State state, Map<String, ModelState> snapshots) {
    List<Saved> saved = new ArrayList<>();
    for (int i = 0; i < state.kept().size(); i++) {
      String path = state.kept().get(i).path();
      // A backup is untrusted: it must not make saveTopK delete a file this template never named.
      if (!template.couldProduce(path)) {
        throw new IllegalArgumentException("kept." + i + ".path " + path + " is not a file the"
            + " template '" + filepath + "' names");
      }
      saved.add(new Saved(state.kept().get(i).value(), Path.of(path)));
    }
    return () -> {
      best = state.best();
      currentEpoch = state.currentEpoch();
      lastBatchSeen = state.lastBatchSeen();
      batchesSinceLastSave = state.batchesSinceLastSave();
      kept.clear();
      kept.addAll(saved);
    };
  }

  /** The best monitored value so far (or {@code initialValueThreshold}), null before any. */
  public Double best() {
    return best;
  }

  /** The file of the last save, or null. */
  public Path lastSavedPath() {
    return lastSaved;
  }

  /** With saveTopK: the kept files, best first. */
  public List<Path> bestPaths() {
    Comparator<Saved> byValue = Comparator.comparingDouble(Saved::value);
    return kept.stream().sorted(maximizes() ? byValue.reversed() : byValue)
        .map(Saved::path).toList();
  }

  /** Keras 3's defaults: {@code val_loss}, every file, every epoch. */
  public static final class Builder extends MonitorCallback.Builder<Builder> {
    private final String filepath;
    private final PythonFormat template;
    private boolean saveBestOnly;
    private boolean saveWeightsOnly;
    private int saveFreq;
    private Double initialValueThreshold;
    private int saveTopK;
    private boolean saveLast;

    private Builder(String filepath) {
      super(0);
      this.filepath = BuilderChecks.notBlank("filepathTemplate", filepath,
          "\"ckpt-{epoch:02d}.c4j\"");
      if (filepath.endsWith("/") || filepath.endsWith(File.separator)) {
        throw new IllegalArgumentException("filepathTemplate must name a file, got the directory '"
            + filepath + "'; add a file name such as " + filepath + "ckpt-{epoch:02d}.c4j");
      }
      try {
        this.template = PythonFormat.parse(filepath);
        template.requireIntegersFor(INTEGER_FIELDS);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("filepathTemplate: " + e.getMessage(), e);
      }
    }

    @Override
    Builder self() {
      return this;
    }

    public Builder saveBestOnly(boolean saveBestOnly) {
      this.saveBestOnly = saveBestOnly;
      return this;
    }

    public Builder saveWeightsOnly(boolean saveWeightsOnly) {
      this.saveWeightsOnly = saveWeightsOnly;
      return this;
    }

    /** Save every {@code batches} training batches, counted across epochs, instead of per epoch. */
    public Builder saveFreq(int batches) {
      if (batches < 1) {
        throw new IllegalArgumentException("saveFreq must be >= 1 batches, got " + batches
            + "; leave it unset to save at every epoch end");
      }
      this.saveFreq = batches;
      return this;
    }

    /** The monitored value to beat before the first save (Keras's initial "best"). */
    public Builder initialValueThreshold(double threshold) {
      this.initialValueThreshold = BuilderChecks.finite("initialValueThreshold", threshold);
      return this;
    }

    /** Keep the {@code k} best files by the monitor and delete the others; -1 keeps all. */
    public Builder saveTopK(int k) {
      if (k < -1) {
        throw new IllegalArgumentException("saveTopK must be -1 (all), 0 (off) or more, got " + k);
      }
      this.saveTopK = k;
      return this;
    }

    /** Also copy every save to {@code last.<ext>} in the same directory. */
    public Builder saveLast(boolean saveLast) {
      this.saveLast = saveLast;
      return this;
    }

    public ModelCheckpoint build() {
      if (saveBestOnly && saveTopK > 1) {
        throw new IllegalArgumentException("saveBestOnly keeps one file; saveTopK(" + saveTopK
            + ") keeps several: choose one");
      }
      if (saveFreq == 0 && template.fields().contains("batch")) {
        throw new IllegalArgumentException("ModelCheckpoint file path '" + filepath + "' uses"
            + " {batch}, which exists only for batch-level saves: set saveFreq(batches)");
      }
      return new ModelCheckpoint(this);
    }
  }
}
