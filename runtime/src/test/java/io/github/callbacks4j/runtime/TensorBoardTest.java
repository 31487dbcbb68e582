package io.github.callbacks4j.runtime;

import static io.github.callbacks4j.runtime.EventFiles.graphs;
import static io.github.callbacks4j.runtime.EventFiles.histograms;
import static io.github.callbacks4j.runtime.EventFiles.images;
import static io.github.callbacks4j.runtime.EventFiles.onlyFile;
import static io.github.callbacks4j.runtime.EventFiles.read;
import static io.github.callbacks4j.runtime.EventFiles.scalars;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.github.callbacks4j.Hook;
import io.github.callbacks4j.Logs;
import io.github.callbacks4j.Model;
import io.github.callbacks4j.ModelState;
import io.github.callbacks4j.callbacks.History;
import io.github.callbacks4j.callbacks.StandardError;
import io.github.callbacks4j.callbacks.TensorBoard;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.framework.AttrValue;
import org.tensorflow.framework.DataType;
import org.tensorflow.framework.GraphDef;
import org.tensorflow.framework.HistogramProto;
import org.tensorflow.framework.NodeDef;
import org.tensorflow.framework.Summary;
import org.tensorflow.framework.TensorShapeProto;
import org.tensorflow.util.Event;

/** The event files parse with TensorFlow's own protos, with every TFRecord CRC checked. */
class TensorBoardTest {
  private static final Digits DIGITS = Digits.load();

  @Test
  void crc32cIsTheCastagnoliChecksum() {
    CRC32C crc = new CRC32C();
    crc.update("123456789".getBytes(StandardCharsets.US_ASCII));
    assertEquals(0xE3069283L, crc.getValue()); // the standard check value of CRC-32C
  }

  @Test
  void writesScalarsHistogramsAndBatchSummariesThatTensorFlowReads(@TempDir Path logDir)
      throws IOException {
    Digits train = DIGITS.head(10);
    Digits validation = DIGITS.head(5);
    History history = Models.digits(1).fit(train.x, train.y, FitOptions.builder()
        .epochs(2).batchSize(4).verbose(0).validationData(validation.x, validation.y)
        .callbacks(TensorBoard.builder(logDir).histogramFreq(1).updateFreq(2).build()).build());

    List<Event> trainEvents = read(onlyFile(logDir.resolve("train")));
    List<Event> validationEvents = read(onlyFile(logDir.resolve("validation")));
    assertEquals("brain.Event:2", trainEvents.get(0).getFileVersion());
    assertEquals("brain.Event:2", validationEvents.get(0).getFileVersion());

    Map<String, List<String>> trainScalars = scalars(trainEvents);
    assertEquals(List.of("0=" + f(history, "loss", 0), "1=" + f(history, "loss", 1)),
        trainScalars.get("epoch_loss"));
    assertEquals(List.of("0=" + f(history, "accuracy", 0), "1=" + f(history, "accuracy", 1)),
        trainScalars.get("epoch_accuracy"));
    assertEquals(List.of("0=0.01", "1=0.01"), trainScalars.get("epoch_learning_rate"));
    // 3 batches per epoch, global steps 1..6, written every 2nd.
    assertEquals(List.of(2L, 4L, 6L), trainScalars.get("batch_loss").stream()
        .map(s -> Long.parseLong(s.substring(0, s.indexOf('=')))).toList());
    assertTrue(!trainScalars.containsKey("epoch_val_loss"));
    assertFalse(trainScalars.containsKey("epoch_steps_per_second"), "off by default");

    Map<String, List<String>> validationScalars = scalars(validationEvents);
    assertEquals(List.of("0=" + f(history, "val_loss", 0), "1=" + f(history, "val_loss", 1)),
        validationScalars.get("epoch_loss"));
    assertEquals(List.of("0=" + f(history, "val_accuracy", 0), "1=" + f(history, "val_accuracy", 1)),
        validationScalars.get("epoch_accuracy"));
    // Keras 3's on_test_end (test_TensorBoard_basic): each validation at the training batches so
    // far (3 per epoch).
    assertEquals(List.of("3=" + f(history, "val_loss", 0), "6=" + f(history, "val_loss", 1)),
        validationScalars.get("evaluation_loss_vs_iterations"));
    assertEquals(List.of("3=" + f(history, "val_accuracy", 0),
        "6=" + f(history, "val_accuracy", 1)),
        validationScalars.get("evaluation_accuracy_vs_iterations"));

    List<HistogramProto> kernels = histograms(trainEvents).get("dense_0/kernel/histogram");
    assertEquals(2, kernels.size());
    HistogramProto kernel = kernels.get(0);
    assertEquals(64 * 32, kernel.getNum());
    assertEquals(64 * 32, kernel.getBucketList().stream().mapToDouble(Double::doubleValue).sum());
    assertEquals(30, kernel.getBucketLimitCount());
    assertEquals(kernel.getMax(), kernel.getBucketLimit(29));
  }

  /**
   * Mirrors Keras's {@code test_TensorBoard_write_sequential_model_with_input_shape}
   * ({@code fitModelAndAssertKerasModelWritten}: one train graph holding every layer), checking
   * the graph node by node with TensorFlow's {@code GraphDef}.
   */
  @Test
  void writesTheSequentialGraphByDefault(@TempDir Path logDir) throws IOException {
    Digits train = DIGITS.head(10);
    Models.digits(1).fit(train.x, train.y, FitOptions.builder().epochs(1).batchSize(5).verbose(0)
        .callbacks(TensorBoard.builder(logDir).build()).build());

    List<GraphDef> graphs = graphs(read(onlyFile(logDir.resolve("train"))));
    assertEquals(1, graphs.size());
    List<NodeDef> nodes = graphs.get(0).getNodeList();
    assertEquals(List.of(
        "input Placeholder [] [-1, 64]",
        "dense_0/kernel VariableV2 [] [64, 32]",
        "dense_0/bias VariableV2 [] [32]",
        "dense_0/MatMul MatMul [input, dense_0/kernel] [-1, 32]",
        "dense_0/BiasAdd BiasAdd [dense_0/MatMul, dense_0/bias] [-1, 32]",
        "dense_0/Relu Relu [dense_0/BiasAdd] [-1, 32]",
        "dense_1/kernel VariableV2 [] [32, 10]",
        "dense_1/bias VariableV2 [] [10]",
        "dense_1/MatMul MatMul [dense_0/Relu, dense_1/kernel] [-1, 10]",
        "dense_1/BiasAdd BiasAdd [dense_1/MatMul, dense_1/bias] [-1, 10]",
        "dense_1/Softmax Softmax [dense_1/BiasAdd] [-1, 10]"),
        nodes.stream().map(n -> n.getName() + " " + n.getOp() + " " + n.getInputList() + " "
            + dims(n.getAttrOrThrow("_output_shapes").getList().getShape(0))).toList());
    NodeDef input = nodes.get(0);
    assertEquals(DataType.DT_FLOAT, input.getAttrOrThrow("dtype").getType());
    assertEquals(List.of(-1L, 64L), dims(input.getAttrOrThrow("shape").getShape()));
    for (NodeDef node : nodes.subList(1, nodes.size())) {
      AttrValue type = node.getOp().equals("VariableV2")
          ? node.getAttrOrThrow("dtype") : node.getAttrOrThrow("T");
      assertEquals(DataType.DT_FLOAT, type.getType(), node.getName());
    }
  }

  @Test
  void writesNoGraphWhenAskedNot(@TempDir Path logDir) throws IOException {
    Digits train = DIGITS.head(10);
    Models.digits(1).fit(train.x, train.y, FitOptions.builder().epochs(1).batchSize(5).verbose(0)
        .callbacks(TensorBoard.builder(logDir).writeGraph(false).build()).build());
    assertEquals(List.of(), graphs(read(onlyFile(logDir.resolve("train")))));
  }

  /** A model of the user's own, which does not describe its layers. */
  @Test
  void aModelWithoutLayersGetsNoGraphAndOneLogLine(@TempDir Path logDir) throws IOException {
    TensorBoard tensorBoard = TensorBoard.builder(logDir).build();
    tensorBoard.setModel(new UserModel(Models.digits(1)));
    String log = StandardError.of(() -> {
      for (int fit = 0; fit < 2; fit++) {
        tensorBoard.onTrainBegin(new Logs());
        tensorBoard.onEpochEnd(0, new Logs().put("loss", 1.0));
        tensorBoard.onTrainEnd(new Logs());
      }
    });
    String expected = "TensorBoard writes no graph: " + UserModel.class.getName() + " does not"
        + " describe its layers (Model.denseLayers() is empty); writeGraph(false) silences this";
    assertEquals(1, log.split(java.util.regex.Pattern.quote(expected), -1).length - 1, log);
    try (Stream<Path> files = Files.list(logDir.resolve("train"))) {
      for (Path file : files.toList()) {
        assertEquals(List.of(), graphs(read(file)));
      }
    }
  }

  /**
   * Mirrors Keras 3's {@code test_TensorBoard_weight_images}: an image per weight next to its
   * histogram, here decoded from the PNG and compared pixel by pixel with the weights, converted
   * as {@code tf.summary.image} converts floats (times 255.5, clipped to [0, 255]).
   */
  @Test
  void writesEachWeightAsAnImageWithTheHistograms(@TempDir Path logDir) throws IOException {
    Digits train = DIGITS.head(10);
    Sequential model = Models.digits(1);
    model.fit(train.x, train.y, FitOptions.builder().epochs(2).batchSize(5).verbose(0)
        .callbacks(TensorBoard.builder(logDir).histogramFreq(1).writeImages(true).build())
        .build());

    Map<String, List<Map.Entry<Long, Summary.Image>>> images =
        images(read(onlyFile(logDir.resolve("train"))));
    assertEquals(List.of("dense_0/kernel/image", "dense_0/bias/image", "dense_1/kernel/image",
        "dense_1/bias/image"), List.copyOf(images.keySet()));
    for (List<Map.Entry<Long, Summary.Image>> perEpoch : images.values()) {
      assertEquals(List.of(0L, 1L), perEpoch.stream().map(Map.Entry::getKey).toList());
    }
    // A kernel with more rows than columns is transposed: 64x32 is drawn 32 high, 64 wide.
    assertImage(model.weights().get("dense_0/kernel"), 64, 32, true,
        images.get("dense_0/kernel/image").get(1).getValue());
    assertImage(model.weights().get("dense_1/kernel"), 32, 10, true,
        images.get("dense_1/kernel/image").get(1).getValue());
    assertImage(model.weights().get("dense_1/bias"), 1, 10, false,
        images.get("dense_1/bias/image").get(1).getValue());
  }

  private static void assertImage(float[] weights, int rows, int columns, boolean transposed,
      Summary.Image image) throws IOException {
    int height = transposed ? columns : rows;
    int width = transposed ? rows : columns;
    assertEquals(List.of(height, width, 1),
        List.of(image.getHeight(), image.getWidth(), image.getColorspace()));
    BufferedImage png = ImageIO.read(new ByteArrayInputStream(
        image.getEncodedImageString().toByteArray()));
    assertEquals(List.of(height, width), List.of(png.getHeight(), png.getWidth()));
    int black = 0;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        float weight = transposed ? weights[x * columns + y] : weights[y * columns + x];
        int expected = (int) Math.max(0, Math.min(255, weight * 255.5));
        assertEquals(expected, png.getRaster().getSample(x, y, 0), "pixel " + x + "," + y);
        black += expected == 0 ? 1 : 0;
      }
    }
    if (rows > 1) {
      assertTrue(black > 0 && black < height * width, "negative weights are black, others not");
    }
  }

  @Test
  void writeImagesNeedsHistograms() {
    assertEquals("writeImages(true) needs histogramFreq >= 1: the weight images are written with"
        + " the histograms, as Keras does; set histogramFreq(1) for every epoch",
        assertThrows(IllegalStateException.class,
            () -> TensorBoard.builder().writeImages(true).build()).getMessage());
  }

  /** Mirrors Keras 3's {@code test_TensorBoard_global_step} (its tags), with the steps. */
  @Test
  void writesStepsPerSecondPerEpochAndWithTheBatchScalars(@TempDir Path logDir)
      throws IOException {
    Digits train = DIGITS.head(10);
    Models.digits(1).fit(train.x, train.y, FitOptions.builder().epochs(2).batchSize(4).verbose(0)
        .callbacks(TensorBoard.builder(logDir).writeStepsPerSecond(true).updateFreq(2).build())
        .build());

    Map<String, List<String>> scalars = scalars(read(onlyFile(logDir.resolve("train"))));
    assertSteps(List.of(0L, 1L), scalars.get("epoch_steps_per_second"));
    assertSteps(List.of(2L, 4L, 6L), scalars.get("batch_steps_per_second"));
  }

  @Test
  void stepsPerSecondWithoutBatchUpdatesIsPerEpochOnly(@TempDir Path logDir) throws IOException {
    Digits train = DIGITS.head(10);
    Models.digits(1).fit(train.x, train.y, FitOptions.builder().epochs(1).batchSize(4).verbose(0)
        .callbacks(TensorBoard.builder(logDir).writeStepsPerSecond(true).build()).build());
    Map<String, List<String>> scalars = scalars(read(onlyFile(logDir.resolve("train"))));
    assertSteps(List.of(0L), scalars.get("epoch_steps_per_second"));
    assertFalse(scalars.containsKey("batch_steps_per_second"), scalars::toString);
  }

  /** Steps as given, each value a positive, finite rate. */
  private static void assertSteps(List<Long> steps, List<String> written) {
    assertEquals(steps, written.stream()
        .map(s -> Long.parseLong(s.substring(0, s.indexOf('=')))).toList());
    for (String entry : written) {
      double rate = Double.parseDouble(entry.substring(entry.indexOf('=') + 1));
      assertTrue(rate > 0 && Double.isFinite(rate), entry);
    }
  }

  /**
   * Mirrors Keras 3's {@code test_TensorBoard_across_invocations}: an evaluate after fit, with the
   * same callback, writes its evaluation scalars at the batches that fit trained.
   */
  @Test
  void anEvaluateAfterFitWritesAtTheTrainedStep(@TempDir Path logDir) throws IOException {
    Digits train = DIGITS.head(10);
    Sequential model = Models.digits(1);
    TensorBoard tensorBoard = TensorBoard.builder(logDir).build();
    model.fit(train.x, train.y, FitOptions.builder().epochs(2).batchSize(4).verbose(0)
        .callbacks(tensorBoard).build());
    Logs evaluation = model.evaluate(train.x, train.y, EvaluateOptions.builder().verbose(0)
        .callbacks(tensorBoard).build());

    List<Event> events = read(onlyFile(logDir.resolve("validation")));
    assertEquals(List.of("6=" + (float) evaluation.get("loss")),
        scalars(events).get("evaluation_loss_vs_iterations"));
  }

  /**
   * The evaluation step is the model's optimizer step (Keras's {@code optimizer.iterations}): a
   * second fit goes on from the first's 6 steps. With Keras's defaults TensorBoard takes no batch
   * hook, so the per-batch path does not build logs for it.
   */
  @Test
  void evaluationStepsFollowTheOptimizerAcrossFits(@TempDir Path logDir) throws IOException {
    Digits train = DIGITS.head(10);
    Digits validation = DIGITS.head(5);
    Sequential model = Models.digits(1);
    TensorBoard tensorBoard = TensorBoard.builder(logDir).build();
    assertFalse(tensorBoard.implementedHooks().contains(Hook.TRAIN_BATCH_END));
    for (int fit = 0; fit < 2; fit++) {
      model.fit(train.x, train.y, FitOptions.builder().epochs(1).batchSize(4).verbose(0)
          .validationData(validation.x, validation.y).callbacks(tensorBoard).build());
    }
    List<Long> steps = new ArrayList<>();
    try (Stream<Path> files = Files.list(logDir.resolve("validation"))) {
      for (Path file : files.toList()) {
        for (String point : scalars(read(file)).getOrDefault("evaluation_loss_vs_iterations",
            List.of())) {
          steps.add(Long.parseLong(point.substring(0, point.indexOf('='))));
        }
      }
    }
    Collections.sort(steps);
    assertEquals(List.of(3L, 6L), steps);
  }

  /** Keras's default {@code log_dir="logs"}, relative to the working directory. */
  @Test
  void writesUnderLogsByDefault() throws IOException {
    Path logs = Path.of("logs");
    assumeFalse(Files.exists(logs), "the working directory already has a logs folder");
    Digits train = DIGITS.head(10);
    try {
      Models.digits(1).fit(train.x, train.y, FitOptions.builder().epochs(1).batchSize(5)
          .verbose(0).callbacks(TensorBoard.builder().build()).build());
      assertEquals(2, read(onlyFile(logs.resolve("train"))).stream()
          .filter(e -> e.getSummary().getValueList().stream()
              .anyMatch(v -> v.getTag().equals("epoch_loss") || v.getTag().equals("epoch_accuracy")))
          .mapToInt(e -> e.getSummary().getValueCount()).sum());
    } finally {
      try (Stream<Path> all = Files.walk(logs)) {
        for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(path);
        }
      }
    }
  }

  @Test
  void profilingAndEmbeddingsAreRefusedWithTheReason() {
    assertEquals("profileBatch(2) cannot apply: the engine has no profiler hook (Keras profiles"
        + " through TensorFlow or JAX); leave it at 0 and profile the JVM instead, e.g. with Java"
        + " Flight Recorder",
        assertThrows(UnsupportedOperationException.class,
            () -> TensorBoard.builder().profileBatch(2)).getMessage());
    assertEquals("embeddingsFreq(1) cannot apply: the engine has no embedding layer to write to"
        + " TensorBoard's projector; leave it at 0",
        assertThrows(UnsupportedOperationException.class,
            () -> TensorBoard.builder().embeddingsFreq(1)).getMessage());
    assertEquals("embeddingsMetadata {emb=meta.tsv} cannot apply: the engine has no embedding"
        + " layer to label; leave it empty",
        assertThrows(UnsupportedOperationException.class,
            () -> TensorBoard.builder().embeddingsMetadata(Map.of("emb", Path.of("meta.tsv"))))
            .getMessage());
    // Keras's defaults (off) are accepted, so settings ported from Python keep working.
    TensorBoard.builder().profileBatch(0).embeddingsFreq(0).embeddingsMetadata(Map.of()).build();
  }

  private static List<Long> dims(TensorShapeProto shape) {
    return shape.getDimList().stream().map(TensorShapeProto.Dim::getSize).toList();
  }

  /** Forwards to a Sequential but, like most models of users' own, describes no layers. */
  private record UserModel(Sequential inner) implements Model {
    @Override public void stopTraining() { inner.stopTraining(); }
    @Override public boolean stopTrainingRequested() { return inner.stopTrainingRequested(); }
    @Override public double learningRate() { return inner.learningRate(); }
    @Override public void setLearningRate(double rate) { inner.setLearningRate(rate); }
    @Override public ModelState snapshot() { return inner.snapshot(); }
    @Override public void restore(ModelState state) { inner.restore(state); }
    @Override public void save(Path file) throws IOException { inner.save(file); }
    @Override public void saveWeights(Path file) throws IOException { inner.saveWeights(file); }
  }

  private static String f(History history, String key, int epoch) {
    return Float.toString(history.history().get(key).get(epoch).floatValue());
  }
}
