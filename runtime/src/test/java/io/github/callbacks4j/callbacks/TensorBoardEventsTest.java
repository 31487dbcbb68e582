package io.github.callbacks4j.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.callbacks4j.Logs;
import io.github.callbacks4j.Model;
import io.github.callbacks4j.ModelState;
import io.github.callbacks4j.runtime.EventFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.util.Event;

/**
 * TensorBoard's hooks called directly, as a custom loop would, with models that count no steps or
 * give no weight shapes; event files read back with TensorFlow's protos.
 */
class TensorBoardEventsTest {
  @TempDir Path logDir;

  /** A model that exposes weights (but maybe not their shapes) and may count no steps. */
  private static final class WeightsModel implements Model {
    final Map<String, float[]> weights = new LinkedHashMap<>();
    final Map<String, int[]> shapes = new LinkedHashMap<>();

    @Override public void stopTraining() {}
    @Override public boolean stopTrainingRequested() { return false; }
    @Override public double learningRate() { return 0.25; }
    @Override public void setLearningRate(double learningRate) {}
    @Override public ModelState snapshot() { return null; }
    @Override public void restore(ModelState state) {}
    @Override public void save(Path file) {}
    @Override public void saveWeights(Path file) {}
    @Override public Map<String, float[]> weights() { return weights; }
    @Override public Map<String, int[]> weightShapes() { return shapes; }
  }

  private Map<String, List<String>> scalars(String run) {
    try {
      return EventFiles.scalars(EventFiles.read(EventFiles.onlyFile(logDir.resolve(run))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** TensorBoard shows a run while it trains: each epoch's scalars are on disk at its end. */
  @Test
  void bothFilesAreReadableAtEachEpochEndBeforeTrainEnd() {
    TensorBoard board = TensorBoard.builder(logDir).build();
    board.setModel(new WeightsModel());
    board.onTrainBegin(new Logs());
    board.onEpochEnd(0, Logs.of("loss", 0.5, "val_loss", 0.75));
    assertEquals(Map.of("epoch_loss", List.of("0=0.5"), "epoch_learning_rate", List.of("0=0.25")),
        scalars("train"));
    assertEquals(Map.of("epoch_loss", List.of("0=0.75")), scalars("validation"));
    board.onEpochEnd(1, Logs.of("loss", 0.25, "val_loss", 0.5));
    assertEquals(List.of("0=0.75", "1=0.5"), scalars("validation").get("epoch_loss"));
    board.onTrainEnd(new Logs());
  }

  /** As Keras, which closes its writers at train end: each fit writes new event files. */
  @Test
  void eachFitWritesItsOwnEventFiles() throws IOException {
    TensorBoard board = TensorBoard.builder(logDir).build();
    for (int fit = 0; fit < 2; fit++) {
      board.onTrainBegin(new Logs());
      board.onEpochEnd(0, Logs.of("loss", fit));
      board.onTrainEnd(new Logs());
    }
    try (Stream<Path> files = Files.list(logDir.resolve("train"))) {
      List<List<String>> perFile = files.sorted().map(file -> {
        try {
          return EventFiles.scalars(EventFiles.read(file)).get("epoch_loss");
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).toList();
      assertEquals(2, perFile.size(), perFile::toString);
      assertTrue(perFile.contains(List.of("0=0.0")) && perFile.contains(List.of("0=1.0")),
          perFile::toString);
    }
  }

  /** A callback run without a model (a custom evaluation loop): evaluation scalars at step 0. */
  @Test
  void anEvaluationWithoutAModelIsWrittenAtStepZeroAndSaidOnce() {
    TensorBoard board = TensorBoard.builder(logDir).build();
    String log = StandardError.of(() -> {
      board.onTestEnd(Logs.of("loss", 0.5));
      board.onTestEnd(Logs.of("loss", 0.25));
      board.close();
    });
    assertEquals(Map.of("evaluation_loss_vs_iterations", List.of("0=0.5", "0=0.25")),
        scalars("validation"));
    assertEquals(1, StandardError.count(log, "INFO " + TensorBoard.class.getName()
        + " - TensorBoard writes evaluation_*_vs_iterations at step 0: the model does not count"
        + " its optimizer steps (Model.iterations() is empty); updateFreq(n) or"
        + " writeStepsPerSecond(true) makes TensorBoard count training batches instead"), log);
  }

  /**
   * A model without {@link Model#iterations()}: with batch updates or steps per second TensorBoard
   * counts the training batches itself and writes evaluations at that step, with nothing to say.
   */
  @Test
  void withBatchCountingEvaluationsAreAtTheBatchesSeen() {
    for (String option : List.of("updateFreq", "writeStepsPerSecond")) {
      Path dir = logDir.resolve(option);
      TensorBoard board = option.equals("updateFreq")
          ? TensorBoard.builder(dir).updateFreq(2).build()
          : TensorBoard.builder(dir).writeStepsPerSecond(true).build();
      board.setModel(new WeightsModel());
      String log = StandardError.of(() -> {
        board.onTrainBegin(new Logs());
        board.onEpochBegin(0, new Logs());
        for (int batch = 0; batch < 3; batch++) {
          board.onTrainBatchBegin(batch, new Logs());
          board.onTrainBatchEnd(batch, Logs.of("loss", batch));
        }
        board.onTestEnd(Logs.of("loss", 0.5));
        board.onTrainEnd(new Logs());
      });
      assertFalse(log.contains("evaluation_*_vs_iterations"), log);
      assertEquals(Map.of("evaluation_loss_vs_iterations", List.of("3=0.5")),
          scalars(option + "/validation"), option);
    }
  }

  /**
   * Histograms of every weight; images only of those the model gives a shape for, the others
   * said once on the log, and nothing said of images when they are not asked for.
   */
  @Test
  void weightsWithoutAShapeGetAHistogramButNoImage() throws IOException {
    WeightsModel model = new WeightsModel();
    model.weights.put("dense_0/kernel", new float[] {0, 0.5f, 1, 0.25f});
    model.weights.put("dense_0/bias", new float[] {0.5f, 1});
    model.weights.put("dense_1/kernel", new float[] {1, 0});
    model.shapes.put("dense_0/bias", new int[] {2});
    for (boolean images : List.of(true, false)) {
      Path dir = logDir.resolve("images=" + images);
      TensorBoard board = TensorBoard.builder(dir).histogramFreq(1).writeImages(images).build();
      board.setModel(model);
      String log = StandardError.of(() -> {
        board.onTrainBegin(new Logs());
        board.onEpochEnd(0, Logs.of("loss", 1));
        board.onTrainEnd(new Logs());
      });
      List<Event> events = EventFiles.read(EventFiles.onlyFile(dir.resolve("train")));
      assertEquals(List.of("dense_0/kernel/histogram", "dense_0/bias/histogram",
          "dense_1/kernel/histogram"), List.copyOf(EventFiles.histograms(events).keySet()));
      assertEquals(images ? List.of("dense_0/bias/image") : List.of(),
          List.copyOf(EventFiles.images(events).keySet()));
      assertEquals(images ? 1 : 0, StandardError.count(log, "TensorBoard writes no image of"), log);
      if (images) {
        assertEquals(1, StandardError.count(log, "INFO " + TensorBoard.class.getName()
            + " - TensorBoard writes no image of dense_0/kernel: " + WeightsModel.class.getName()
            + " does not give its shape (Model.weightShapes())"), log);
      }
    }
  }
}
