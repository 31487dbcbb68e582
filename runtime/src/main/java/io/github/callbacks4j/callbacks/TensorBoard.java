package io.github.callbacks4j.callbacks;

import io.github.callbacks4j.Callback;
import io.github.callbacks4j.DenseLayerDescription;
import io.github.callbacks4j.Hook;
import io.github.callbacks4j.Logs;
import io.github.callbacks4j.Model;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes TensorBoard event files, as Keras 3's {@code TensorBoard}: under {@code logDir/train},
 * {@code epoch_<key>} scalars at the 0-based epoch plus {@code epoch_learning_rate}; under
 * {@code logDir/validation}, the {@code val_} keys with the prefix stripped, and after each
 * evaluation {@code evaluation_<key>_vs_iterations} at the model's optimizer step
 * ({@link Model#iterations()}, Keras's {@code optimizer.iterations}). With
 * {@code updateFreq("batch")} or {@code updateFreq(n)}, {@code batch_<key>} scalars every n training
 * batches at the global batch step; with {@code histogramFreq(n)}, a histogram of every weight array
 * every n epochs (and with {@code writeImages(true)} an image of it); with
 * {@code writeStepsPerSecond(true)}, {@code epoch_steps_per_second} (and
 * {@code batch_steps_per_second} with batch updates); with {@code writeGraph(true)}, the default, the
 * model's graph when the model describes its layers ({@link Model#denseLayers()}). Open them with
 * {@code tensorboard --logdir <logDir>}.
 *
 * <p>Profiling and embeddings cannot apply (the engine has no profiler hook and no embedding
 * layer): setting them is an error. The event files stay open during {@code fit} and are closed
 * when it ends, normally or by an exception.
 */
public class TensorBoard implements Callback, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TensorBoard.class);
  private static final int HISTOGRAM_BUCKETS = 30;
  private static final int GRAYSCALE = 1;

  private final Path logDir;
  private final int histogramFreq;
  private final int updateFreq; // 0 = per epoch
  private final boolean writeGraph;
  private final boolean writeImages;
  private final boolean writeStepsPerSecond;
  private final LongSupplier clock;
  private Model model;
  private EventFileWriter train;
  private EventFileWriter validation;
  private long globalStep;
  private int lastBatchSeen;
  private long epochStartNanos;
  private long epochStartStep;
  private long batchStartNanos;
  private boolean noGraphLogged;
  private boolean noStepLogged;
  private boolean noImageLogged;

  private TensorBoard(Builder builder) {
    this.logDir = builder.logDir;
    this.histogramFreq = builder.histogramFreq;
    this.updateFreq = builder.updateFreq;
    this.writeGraph = builder.writeGraph;
    this.writeImages = builder.writeImages;
    this.writeStepsPerSecond = builder.writeStepsPerSecond;
    this.clock = builder.clock;
  }

  /** Logs under {@code logs}, Keras's default {@code log_dir}. */
  public static Builder builder() {
    return new Builder(Path.of("logs"));
  }

  public static Builder builder(Path logDir) {
    return new Builder(logDir);
  }

  /**
   * Batch hooks only when batch scalars or steps per second are asked for: with Keras's defaults
   * the per-batch path stays free of this callback (the evaluation step is the model's own).
   */
  @Override
  public Set<Hook> implementedHooks() {
    EnumSet<Hook> hooks = EnumSet.of(Hook.TRAIN_BEGIN, Hook.TRAIN_END, Hook.EPOCH_END,
        Hook.TEST_END);
    if (updateFreq > 0 || writeStepsPerSecond) {
      hooks.add(Hook.TRAIN_BATCH_END);
    }
    if (writeStepsPerSecond) {
      hooks.add(Hook.EPOCH_BEGIN);
      if (updateFreq > 0) {
        hooks.add(Hook.TRAIN_BATCH_BEGIN);
      }
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
    if (writeGraph && model != null) {
      writeGraph();
    }
  }

  private void writeGraph() {
    List<DenseLayerDescription> layers = model.denseLayers();
    if (layers.isEmpty()) {
      if (!noGraphLogged) {
        noGraphLogged = true;
        LOG.info("TensorBoard writes no graph: {} does not describe its layers"
            + " (Model.denseLayers() is empty); writeGraph(false) silences this", model.getClass()
            .getName());
      }
      return;
    }
    try {
      trainWriter().graph(DenseGraph.graphDef(layers));
    } catch (IOException e) {
      throw new UncheckedIOException("TensorBoard cannot write to " + logDir, e);
    }
  }

  @Override
  public void onEpochBegin(int epoch, Logs logs) {
    epochStartNanos = clock.getAsLong();
    epochStartStep = globalStep;
  }

  @Override
  public void onTrainBatchBegin(int batch, Logs logs) {
    batchStartNanos = clock.getAsLong();
  }

  @Override
  public void onTrainBatchEnd(int batch, Logs logs) {
    long before = globalStep;
    int ended = BatchCount.endedSince(lastBatchSeen, batch);
    globalStep += ended;
    lastBatchSeen = batch;
    if (updateFreq == 0 || globalStep / updateFreq == before / updateFreq) {
      return; // no multiple of updateFreq reached (a group of batches may pass one)
    }
    try {
      EventFileWriter writer = trainWriter();
      if (writeStepsPerSecond) {
        writer.scalar("batch_steps_per_second", ended / secondsSince(batchStartNanos), globalStep);
      }
      logs.forEach((key, value) -> {
        if (!key.equals("size") && !key.equals("batch")) {
          scalar(writer, "batch_" + key, value, globalStep);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("TensorBoard cannot write to " + logDir, e);
    }
  }

  /** Keras 3's {@code on_test_end}: each evaluation, at the model's optimizer step. */
  @Override
  public void onTestEnd(Logs logs) {
    try {
      EventFileWriter writer = validationWriter();
      long step = evaluationStep();
      logs.forEach((key, value) ->
          scalar(writer, "evaluation_" + key + "_vs_iterations", value, step));
    } catch (IOException e) {
      throw new UncheckedIOException("TensorBoard cannot write to " + logDir, e);
    }
  }

  /**
   * The model's optimizer steps, as Keras takes {@code optimizer.iterations}; for a model that
   * does not count them, the training batches this callback saw, which it counts only with batch
   * updates or steps per second (said once otherwise).
   */
  private long evaluationStep() {
    OptionalLong iterations = model == null ? OptionalLong.empty() : model.iterations();
    if (iterations.isPresent()) {
      return iterations.getAsLong();
    }
    if (updateFreq == 0 && !writeStepsPerSecond && !noStepLogged) {
      noStepLogged = true;
      LOG.info("TensorBoard writes evaluation_*_vs_iterations at step 0: {} does not count its"
          + " optimizer steps (Model.iterations() is empty); updateFreq(n) or"
          + " writeStepsPerSecond(true) makes TensorBoard count training batches instead",
          model == null ? "the model" : model.getClass().getName());
    }
    return globalStep;
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
      if (writeStepsPerSecond) {
        // As Keras: the epoch's training steps over the time since it began, validation included.
        trainWriter.scalar("epoch_steps_per_second",
            (globalStep - epochStartStep) / secondsSince(epochStartNanos), epoch);
      }
      if (histogramFreq > 0 && epoch % histogramFreq == 0 && model != null) {
        writeWeights(trainWriter, epoch);
      }
      trainWriter.flush();
      if (validation != null) {
        validation.flush();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("TensorBoard cannot write to " + logDir, e);
    }
  }

  private void writeWeights(EventFileWriter writer, int epoch) throws IOException {
    Map<String, int[]> shapes = writeImages ? model.weightShapes() : Map.of();
    for (Map.Entry<String, float[]> weights : model.weights().entrySet()) {
      String name = weights.getKey();
      writer.histogram(name + "/histogram", weights.getValue(), epoch, HISTOGRAM_BUCKETS);
      if (!writeImages) {
        continue;
      }
      int[] shape = shapes.get(name);
      if (shape == null) {
        if (!noImageLogged) {
          noImageLogged = true;
          LOG.info("TensorBoard writes no image of {}: {} does not give its shape"
              + " (Model.weightShapes())", name, model.getClass().getName());
        }
        continue;
      }
      var image = WeightImage.of(weights.getValue(), shape);
      if (image.isPresent()) {
        writer.image(name + "/image", image.get().height(), image.get().width(), GRAYSCALE,
            image.get().png(), epoch);
      }
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

  private double secondsSince(long startNanos) {
    return (clock.getAsLong() - startNanos) / 1e9;
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

  /**
   * Keras's defaults: per-epoch scalars, the graph, no histograms, images or steps per second. The
   * log directory is {@code logs} unless given.
   */
  public static final class Builder {
    private final Path logDir;
    private int histogramFreq;
    private int updateFreq;
    private boolean writeGraph = true;
    private boolean writeImages;
    private boolean writeStepsPerSecond;
    private LongSupplier clock = System::nanoTime;

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

    /**
     * Write the model's graph at train begin (the default, as Keras): for a model that describes
     * its layers ({@link Model#denseLayers()}), an input placeholder and each Dense layer's
     * MatMul, BiasAdd and activation, with shapes; for another model, nothing, said once on the
     * log.
     */
    public Builder writeGraph(boolean write) {
      this.writeGraph = write;
      return this;
    }

    /**
     * With the histograms, write each weight as a grayscale image tagged {@code <weight>/image}, as
     * Keras: values clipped to [0, 1], a kernel transposed to be wider than tall. Needs
     * {@code histogramFreq >= 1} and the model's {@link Model#weightShapes()}.
     */
    public Builder writeImages(boolean write) {
      this.writeImages = write;
      return this;
    }

    /**
     * Write {@code epoch_steps_per_second} each epoch and, with batch updates,
     * {@code batch_steps_per_second}, as Keras.
     */
    public Builder writeStepsPerSecond(boolean write) {
      this.writeStepsPerSecond = write;
      return this;
    }

    /** The nanosecond clock for steps per second; {@code System::nanoTime} unless testing. */
    public Builder clock(LongSupplier clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Only 0 (Keras's default, off): the engine has no profiler hook to trace batches with.
     *
     * @throws UnsupportedOperationException for any other batch
     */
    public Builder profileBatch(int batch) {
      if (batch != 0) {
        throw new UnsupportedOperationException("profileBatch(" + batch + ") cannot apply: the"
            + " engine has no profiler hook (Keras profiles through TensorFlow or JAX); leave it at"
            + " 0 and profile the JVM instead, e.g. with Java Flight Recorder");
      }
      return this;
    }

    /**
     * Only 0 (Keras's default, off): the engine has no embedding layer to project.
     *
     * @throws UnsupportedOperationException for any other frequency
     */
    public Builder embeddingsFreq(int epochs) {
      if (epochs != 0) {
        throw new UnsupportedOperationException("embeddingsFreq(" + epochs + ") cannot apply: the"
            + " engine has no embedding layer to write to TensorBoard's projector; leave it at 0");
      }
      return this;
    }

    /**
     * Only empty (Keras's default, none): the engine has no embedding layer to label.
     *
     * @throws UnsupportedOperationException for any metadata file
     */
    public Builder embeddingsMetadata(Map<String, Path> metadataByLayer) {
      if (!Objects.requireNonNull(metadataByLayer, "embeddingsMetadata").isEmpty()) {
        throw new UnsupportedOperationException("embeddingsMetadata " + metadataByLayer
            + " cannot apply: the engine has no embedding layer to label; leave it empty");
      }
      return this;
    }

    /**
     * @throws IllegalStateException when {@code writeImages} is set without {@code histogramFreq},
     *     since Keras writes the images with the histograms
     */
    public TensorBoard build() {
      if (writeImages && histogramFreq == 0) {
        throw new IllegalStateException("writeImages(true) needs histogramFreq >= 1: the weight"
            + " images are written with the histograms, as Keras does; set histogramFreq(1) for"
            + " every epoch");
      }
      return new TensorBoard(this);
    }
  }
}
