package io.github.callbacks4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.callbacks4j.ModelState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

class Dl4jModelTest {
  @TempDir Path dir;

  private static float[] parameters(MultiLayerNetwork network) {
    return network.params().dup().toFloatVector();
  }

  private static float[] flat(INDArray values) {
    return values.dup('c').reshape(-1).toFloatVector();
  }

  private static void train(MultiLayerNetwork network, int batches) {
    for (DataSet batch : Networks.data(batches).batchBy(Networks.BATCH)) {
      network.fit(batch);
    }
  }

  @Test
  void ofReturnsOneInstancePerNetworkByIdentity() {
    MultiLayerNetwork a = Networks.cnn();
    MultiLayerNetwork b = Networks.cnn();
    assertEquals(a, b, "precondition: DL4J calls two networks with equal parameters equal");
    assertSame(Dl4jModel.of(a), Dl4jModel.of(a));
    assertNotSame(Dl4jModel.of(a), Dl4jModel.of(b));
    ComputationGraph graph = Networks.graph();
    assertSame(Dl4jModel.of(graph), Dl4jModel.of(graph));
    assertSame(a, Dl4jModel.of(a).network());
  }

  @Test
  void restoredSnapshotReplaysTrainingBitForBit() {
    MultiLayerNetwork network = Networks.cnn();
    train(network, 2); // Adam's moments and counters are not at their start any more
    Dl4jModel model = Dl4jModel.of(network);
    ModelState state = model.snapshot();
    float[] before = parameters(network);

    train(network, 3);
    float[] first = parameters(network);
    assertFalse(java.util.Arrays.equals(before, first), "training changed nothing");
    assertEquals(5, network.getIterationCount());

    model.restore(state);
    assertArrayEquals(before, parameters(network));
    assertEquals(2, network.getIterationCount());
    train(network, 3);
    assertArrayEquals(first, parameters(network), "the replay differs");
  }

  @Test
  void restoredSnapshotOfAGraphReplaysTrainingBitForBit() {
    ComputationGraph network = Networks.graph();
    Dl4jModel model = Dl4jModel.of(network);
    List<DataSet> batches = Networks.data(3).batchBy(Networks.BATCH);
    network.fit(batches.get(0));
    ModelState state = model.snapshot();
    batches.forEach(network::fit);
    float[] first = network.params().dup().toFloatVector();
    model.restore(state);
    batches.forEach(network::fit);
    assertArrayEquals(first, network.params().dup().toFloatVector());
  }

  @Test
  void restoreRefusesAnotherModelsSnapshot() {
    ModelState other = Dl4jModel.of(Networks.cnn()).snapshot();
    Dl4jModel model = Dl4jModel.of(Networks.cnn());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> model.restore(other));
    assertTrue(e.getMessage().contains("this model's snapshot()"), e.getMessage());
  }

  @Test
  void learningRateIsSetOnEveryLayerAndKeepsUpdaterState() {
    MultiLayerNetwork network = Networks.cnn();
    train(network, 1);
    Dl4jModel model = Dl4jModel.of(network);
    float[] moments = network.getUpdater().getStateViewArray().dup().toFloatVector();
    assertEquals(0.01, model.learningRate(), 1e-12);

    model.setLearningRate(0.002);
    assertEquals(0.002, model.learningRate(), 1e-12);
    assertEquals(0.002, network.getLearningRate(0), 1e-12);
    assertEquals(0.002, network.getLearningRate(2), 1e-12);
    assertArrayEquals(moments, network.getUpdater().getStateViewArray().dup().toFloatVector());
    assertThrows(IllegalArgumentException.class, () -> model.setLearningRate(0));
    assertThrows(IllegalArgumentException.class, () -> model.setLearningRate(Double.NaN));
  }

  @Test
  void aLearningRateScheduleIsRefusedRatherThanDropped() {
    MultiLayerNetwork network = Networks.cnn(
        new Adam(new ExponentialSchedule(ScheduleType.EPOCH, 0.01, 0.5)), 4);
    Dl4jModel model = Dl4jModel.of(network);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> model.setLearningRate(0.001));
    assertTrue(e.getMessage().contains("layer 'layer0'")
        && e.getMessage().contains("schedule"), e.getMessage());
    network.setEpochCount(1);
    assertEquals(0.005, model.learningRate(), 1e-12, "the schedule is still in place");
  }

  @Test
  void saveWritesAFileDl4jLoadsWithTheSameOutput() throws IOException {
    MultiLayerNetwork network = Networks.cnn();
    train(network, 2);
    Path file = dir.resolve("models").resolve("cnn.zip");
    Dl4jModel.of(network).save(file);

    MultiLayerNetwork loaded = ModelSerializer.restoreMultiLayerNetwork(file.toFile(), true);
    DataSet sample = Networks.sample();
    assertArrayEquals(flat(network.output(sample.getFeatures())),
        flat(loaded.output(sample.getFeatures())));
    assertArrayEquals(network.getUpdater().getStateViewArray().toFloatVector(),
        loaded.getUpdater().getStateViewArray().toFloatVector());
    assertEquals(List.of(file), filesIn(file.getParent()), "a temporary file was left behind");
  }

  @Test
  void saveOfAGraphWritesAFileDl4jLoads() throws IOException {
    ComputationGraph network = Networks.graph();
    Networks.data(2).batchBy(Networks.BATCH).forEach(network::fit);
    Path file = dir.resolve("graph.zip");
    Dl4jModel.of(network).save(file);

    ComputationGraph loaded = ModelSerializer.restoreComputationGraph(file.toFile(), true);
    DataSet sample = Networks.sample();
    assertArrayEquals(flat(network.outputSingle(sample.getFeatures())),
        flat(loaded.outputSingle(sample.getFeatures())));
  }

  @Test
  void saveWeightsLeavesTheUpdaterOut() throws IOException {
    MultiLayerNetwork network = Networks.cnn();
    train(network, 1);
    Path file = dir.resolve("weights.zip");
    Dl4jModel.of(network).saveWeights(file);

    try (ZipFile zip = new ZipFile(file.toFile())) {
      assertEquals(null, zip.getEntry(ModelSerializer.UPDATER_BIN));
    }
    MultiLayerNetwork loaded = ModelSerializer.restoreMultiLayerNetwork(file.toFile(), false);
    assertArrayEquals(parameters(network), parameters(loaded));
  }

  @Test
  void loadStateContinuesTrainingExactly() throws IOException {
    MultiLayerNetwork original = Networks.cnn();
    train(original, 3);
    Dl4jModel.of(original).setLearningRate(0.004);
    Path file = dir.resolve("state.zip");
    Dl4jModel.of(original).save(file);

    MultiLayerNetwork fresh = Networks.cnn();
    Dl4jModel.of(fresh).loadState(file);
    assertArrayEquals(parameters(original), parameters(fresh));
    assertEquals(3, fresh.getIterationCount());
    assertEquals(0.004, Dl4jModel.of(fresh).learningRate(), 1e-12);

    train(original, 2);
    train(fresh, 2);
    assertArrayEquals(parameters(original), parameters(fresh), "the continuation differs");
  }

  @Test
  void loadStateContinuesAGraphExactly() throws IOException {
    ComputationGraph original = Networks.graph();
    List<DataSet> batches = Networks.data(2).batchBy(Networks.BATCH);
    batches.forEach(original::fit);
    Path file = dir.resolve("graph-state.zip");
    Dl4jModel.of(original).save(file);

    ComputationGraph fresh = Networks.graph();
    Dl4jModel.of(fresh).loadState(file);
    batches.forEach(original::fit);
    batches.forEach(fresh::fit);
    assertArrayEquals(original.params().dup().toFloatVector(), fresh.params().dup().toFloatVector());
    assertEquals(4, fresh.getIterationCount());
  }

  @Test
  void anUninitializedNetworkIsNamedAsSuch() {
    MultiLayerNetwork network = new MultiLayerNetwork(Networks.cnn().getLayerWiseConfigurations());
    Dl4jModel model = Dl4jModel.of(network);
    for (Runnable call : List.<Runnable>of(model::snapshot, model::learningRate,
        () -> model.setLearningRate(0.1), model::weights)) {
      IllegalStateException e = assertThrows(IllegalStateException.class, call::run);
      assertEquals("the MultiLayerNetwork is not initialized: call init() first", e.getMessage());
    }
  }

  @Test
  void loadStateRefusesAnotherArchitectureNamingWhatDiffers() throws IOException {
    Path file = dir.resolve("eight-filters.zip");
    Dl4jModel.of(Networks.cnn(new Adam(0.01), 8)).save(file);
    MultiLayerNetwork network = Networks.cnn();
    float[] before = parameters(network);

    IOException e = assertThrows(IOException.class, () -> Dl4jModel.of(network).loadState(file));
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("confs[0].layer.nout: file 8, network 4"), e.getMessage());
    assertArrayEquals(before, parameters(network), "the network changed");
  }

  @Test
  void loadStateRefusesAGraphFileForAMultiLayerNetwork() throws IOException {
    Path file = dir.resolve("graph.zip");
    Dl4jModel.of(Networks.graph()).save(file);
    IOException e = assertThrows(IOException.class,
        () -> Dl4jModel.of(Networks.cnn()).loadState(file));
    assertTrue(e.getMessage().contains(file + " is not a MultiLayerNetwork"), e.getMessage());
  }

  @Test
  void loadStateRefusesAWeightsOnlyFile() throws IOException {
    Path file = dir.resolve("weights.zip");
    Dl4jModel.of(Networks.cnn()).saveWeights(file);
    IOException e = assertThrows(IOException.class,
        () -> Dl4jModel.of(Networks.cnn()).loadState(file));
    assertTrue(e.getMessage().contains("no updater state"), e.getMessage());
  }

  @Test
  void weightsAreEveryParameterByLayerName() {
    MultiLayerNetwork network = Networks.cnn();
    Map<String, float[]> weights = Dl4jModel.of(network).weights();
    assertEquals(List.of("layer0/b", "layer0/W", "layer2/W", "layer2/b"),
        List.copyOf(weights.keySet()));
    assertEquals(network.numParams(),
        weights.values().stream().mapToLong(values -> values.length).sum());
    assertArrayEquals(network.getLayer(2).getParam("b").toFloatVector(), weights.get("layer2/b"));
  }

  private static List<Path> filesIn(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.toList();
    }
  }
}
