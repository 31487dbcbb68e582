package io.github.callbacks4j.callbacks;

import io.github.callbacks4j.Callback;
import io.github.callbacks4j.Hook;
import io.github.callbacks4j.Logs;
import io.github.callbacks4j.Model;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Writes TensorBoard event files, as Keras 3's {@code TensorBoard}: under {@code logDir/train},
 * {@code epoch_<key>} scalars at the 0-based epoch plus {@code epoch_learning_rate}; under
 * {@code logDir/validation}, the {@code val_} keys with the prefix stripped. With
 * {@code updateFreq("batch")} or {@code updateFreq(n)}, {@code batch_<key>} scalars every n training
 * batches at the global batch step; with {@code histogramFreq(n)}, a histogram of every weight array
 * every n epochs. Open them with {@code tensorboard --logdir <logDir>}.
 *
 * <p>Not written (they need TensorFlow): the graph, images, embeddings and profiles. The event
 * files stay open during {@code fit} and are closed when it ends, normally or by an exception.
 */
public class TensorBoard implements Callback, AutoCloseable {
  private static final int HISTOGRAM_BUCKETS = 30;

  private final Path logDir;
  private final int histogramFreq;
  private final int updateFreq; // 0 = per epoch
  private Model model;
  private EventFileWriter train;
  private EventFileWriter validation;
  private long globalStep;
  private int lastBatchSeen;

  private TensorBoard(Builder builder) {
    this.logDir = builder.logDir;
    this.histogramFreq = builder.histogramFreq;
    this.updateFreq = builder.updateFreq;
  }

  public static Builder builder(Path logDir) {
    return new Builder(logDir);
  }

  @Override
  public Set<Hook> implementedHooks() {
    EnumSet<Hook> hooks = EnumSet.of(Hook.TRAIN_BEGIN, Hook.TRAIN_END, Hook.EPOCH_END);
    if (updateFreq > 0) {
      hooks.add(Hook.TRAIN_BATCH_END);
    }
    return hooks;
  }

  @Override
  public void setModel(Model model) {
    this.model = model;
  }

  /** Fails now, not at the first epoch end, when the log directories cannot be written. */
  @Override
  public void onTrainBegin(Logs logs) {
    globalStep = 0;
    lastBatchSeen = BatchCount.NONE_SEEN;
    WritableDirectory.require("TensorBoard", logDir.resolve("train"));
  }

  @Override
  public void onTrainBatchEnd(int batch, Logs logs) {
    long before = globalStep;
    globalStep += BatchCount.endedSince(lastBatchSeen, batch);
    lastBatchSeen = batch;
    if (globalStep / updateFreq == before / updateFreq) {
      return; // no multiple of updateFreq reached (a group of batches may pass one)
    }
    try {
      EventFileWriter writer = trainWriter();
      logs.forEach((key, value) -> {
        if (!key.equals("size") && !key.equals("batch")) {
          scalar(writer, "batch_" + key, value, globalStep);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("TensorBoard cannot write to " + logDir, e);
    }
  }

  @Override
  public void onEpochEnd(int epoch, Logs logs) {
    try {
      EventFileWriter trainWriter = trainWriter();
      boolean hasValidation = logs.keys().stream().anyMatch(k -> k.startsWith("val_"));
      EventFileWriter validationWriter = hasValidation ? validationWriter() : null;
      logs.forEach((key, value) -> {
        if (key.startsWith("val_")) {
          scalar(validationWriter, "epoch_" + key.substring(4), value, epoch);
        } else if (!key.equals("learning_rate")) {
          scalar(trainWriter, "epoch_" + key, value, epoch);
        }
      });
      if (model != null) {
        trainWriter.scalar("epoch_learning_rate", model.learningRate(), epoch);
      }
      if (histogramFreq > 0 && epoch % histogramFreq == 0 && model != null) {
        for (Map.Entry<String, float[]> weights : model.weights().entrySet()) {
          trainWriter.histogram(weights.getKey() + "/histogram", weights.getValue(), epoch,
              HISTOGRAM_BUCKETS);
        }
      }
      trainWriter.flush();
      if (validationWriter != null) {
        validationWriter.flush();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("TensorBoard cannot write to " + logDir, e);
    }
  }

  @Override
  public void onTrainEnd(Logs logs) {
    close();
  }

  /**
   * Closes the event files; {@code fit} calls this however it ends. Closing twice is harmless, and
   * the next {@code fit} starts new event files.
   */
  @Override
  public void close() {
    EventFileWriter trainFile = train;
    EventFileWriter validationFile = validation;
    train = null;
    validation = null;
    try (EventFileWriter first = trainFile; EventFileWriter second = validationFile) {
      // try-with-resources closes both, even when the first close fails
    } catch (IOException e) {
      throw new UncheckedIOException("TensorBoard cannot close its files in " + logDir, e);
    }
  }

  private static void scalar(EventFileWriter writer, String tag, double value, long step) {
    try {
      writer.scalar(tag, value, step);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private EventFileWriter trainWriter() throws IOException {
    if (train == null) {
      train = new EventFileWriter(logDir.resolve("train"));
    }
    return train;
  }

  private EventFileWriter validationWriter() throws IOException {
    if (validation == null) {
      validation = new EventFileWriter(logDir.resolve("validation"));
    }
    return validation;
  }

  /** The log directory is required; per-epoch scalars, no histograms, as Keras's defaults. */
  public static final class Builder {
    private final Path logDir;
    private int histogramFreq;
    private int updateFreq;

    private Builder(Path logDir) {
      this.logDir = BuilderChecks.path("logDir", logDir, "Path.of(\"logs\")");
    }

    /** Write weight histograms every {@code epochs} epochs; 0 for none. */
    public Builder histogramFreq(int epochs) {
      if (epochs < 0) {
        throw new IllegalArgumentException("histogramFreq must be >= 0, got " + epochs);
      }
      this.histogramFreq = epochs;
      return this;
    }

    /** {@code "epoch"} (the default) or {@code "batch"}, as in Keras. */
    public Builder updateFreq(String frequency) {
      switch (Objects.requireNonNull(frequency, "updateFreq")) {
        case "epoch" -> updateFreq = 0;
        case "batch" -> updateFreq = 1;
        default -> throw new IllegalArgumentException("updateFreq must be \"epoch\", \"batch\" or a"
            + " number of batches, got \"" + frequency + "\"");
      }
      return this;
    }

    /** Write batch scalars every {@code batches} training batches. */
    public Builder updateFreq(int batches) {
      if (batches < 1) {
        throw new IllegalArgumentException("updateFreq must be >= 1 batches, got " + batches);
      }
      this.updateFreq = batches;
      return this;
    }

    public TensorBoard build() {
      return new TensorBoard(this);
    }
  }
}
