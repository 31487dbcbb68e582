package io.github.callbacks4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.callbacks4j.Callback;
import io.github.callbacks4j.Logs;
import io.github.callbacks4j.Metric;
import io.github.callbacks4j.Model;
import io.github.callbacks4j.OnEpochEnd;
import io.github.callbacks4j.OnTrainBatchEnd;
import io.github.callbacks4j.OnTrainBegin;
import io.github.callbacks4j.callbacks.BackupAndRestore;
import io.github.callbacks4j.callbacks.CSVLogger;
import io.github.callbacks4j.callbacks.EarlyStopping;
import io.github.callbacks4j.callbacks.History;
import io.github.callbacks4j.callbacks.ModelCheckpoint;
import io.github.callbacks4j.callbacks.ReduceLROnPlateau;
import io.github.callbacks4j.callbacks.TensorBoard;
import io.github.callbacks4j.runtime.EvaluateOptions;
import io.github.callbacks4j.runtime.EventFiles;
import io.github.callbacks4j.runtime.FitOptions;
import io.github.callbacks4j.runtime.PredictOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.tensorflow.framework.HistogramProto;
import org.tensorflow.util.Event;

/** fit, evaluate and predict on DL4J networks through the shared loop, with the built-ins. */
class Dl4jTrainingTest {
  /** 32 + 32 + 16 training rows: three batches, the last smaller. */
  private static final int ROWS = 80;
  /** 32 + 8 validation rows. */
  private static final int VALIDATION_ROWS = 40;

  @TempDir Path dir;

  private static DataSetIterator train() {
    return new ViewIterator(Networks.rows(ROWS), Networks.BATCH);
  }

  private static DataSetIterator validation() {
    return new ViewIterator(Networks.sample(VALIDATION_ROWS), Networks.BATCH);
  }

  private static double accuracy(INDArray output, INDArray labels) {
    return output.argMax(1).eq(labels.argMax(1)).castTo(DataType.DOUBLE).meanNumber()
        .doubleValue();
  }

  /**
   * Trains {@code network} with DL4J's own fit(DataSet) on the training batches for
   * {@code epochs}, calling {@code afterStep} with the global step number after each.
   */
  private static void trainByHand(MultiLayerNetwork network, int epochs,
      Consumer<Integer> afterStep) {
    int step = 0;
    for (int epoch = 0; epoch < epochs; epoch++) {
      network.setEpochCount(epoch);
      DataSetIterator batches = train();
      while (batches.hasNext()) {
        network.fit(batches.next());
        afterStep.accept(step++);
      }
    }
  }

  @Test
  void trainsAsDl4jsOwnStepsAndLogsTheirLossAndAccuracy() {
    MultiLayerNetwork reference = Networks.cnn();
    List<Double> losses = new ArrayList<>();
    List<Double> accuracies = new ArrayList<>();
    DataSetIterator batches = train();
    while (batches.hasNext()) {
      DataSet batch = batches.next();
      accuracies.add(accuracy(reference.output(batch.getFeatures(), false), batch.getLabels()));
      reference.fit(batch);
      losses.add(reference.score());
    }

    MultiLayerNetwork network = Networks.cnn();
    Recorder recorder = new Recorder();
    History history = Dl4jTraining.fit(network, train(), FitOptions.builder()
        .epochs(1).verbose(0).callbacks(recorder).build());

    assertArrayEquals(reference.params().toFloatVector(), network.params().toFloatVector());
    List<Logs> batchLogs = recorder.all("trainBatchEnd");
    assertEquals(3, batchLogs.size());
    assertEquals(losses.get(0), batchLogs.get(0).get("loss"), 1e-6);
    assertEquals(accuracies.get(0), batchLogs.get(0).get("accuracy"), 1e-6);
    double epochLoss = (losses.get(0) * 32 + losses.get(1) * 32 + losses.get(2) * 16) / ROWS;
    double epochAccuracy =
        (accuracies.get(0) * 32 + accuracies.get(1) * 32 + accuracies.get(2) * 16) / ROWS;
    assertEquals(epochLoss, history.history().get("loss").get(0), 1e-6);
    assertEquals(epochAccuracy, history.history().get("accuracy").get(0), 1e-6);
    assertEquals(0, network.getEpochCount(), "DL4J's epoch counter is the loop's epoch");
  }

  /** One epoch's records with validation, for steps run in groups of {@code group}. */
  private static List<String> epochRecords(int epoch, int group) {
    List<String> calls = new ArrayList<>();
    calls.add("epochBegin " + epoch + " []");
    for (int first = 0; first < 3; first += group) {
      int last = Math.min(first + group, 3) - 1;
      calls.add("trainBatchBegin " + first + " [size]");
      calls.add("trainBatchEnd " + last + " [accuracy, loss, size]");
    }
    calls.add("testBegin []");
    for (int first = 0; first < 2; first += group) {
      int last = Math.min(first + group, 2) - 1;
      calls.add("testBatchBegin " + first + " [size]");
      calls.add("testBatchEnd " + last + " [accuracy, loss, size]");
    }
    calls.add("testEnd [accuracy, loss]");
    calls.add("epochEnd " + epoch + " [accuracy, loss, val_accuracy, val_loss]");
    return calls;
  }

  @Test
  void firesKerasHooksInOrderWithStepGroupsAndValidation() {
    for (int group : new int[] {1, 2}) {
      Recorder recorder = new Recorder();
      Dl4jTraining.fit(Networks.cnn(), train(), FitOptions.builder().epochs(2).verbose(0)
          .stepsPerExecution(group).validationData(validation()).callbacks(recorder).build());

      List<String> expected = new ArrayList<>();
      expected.add("trainBegin []");
      expected.addAll(epochRecords(0, group));
      expected.addAll(epochRecords(1, group));
      expected.add("trainEnd [accuracy, loss, val_accuracy, val_loss]");
      assertEquals(expected, recorder.calls, "stepsPerExecution " + group);
      assertEquals(3, recorder.params.steps());
      List<Logs> ends = recorder.all("trainBatchEnd");
      assertEquals(16, ends.get(ends.size() - 1).get("size"), "the last batch's size");
    }
  }

  @Test
  void validationLossIsDl4jsScoreOfTheValidationData() {
    MultiLayerNetwork network = Networks.cnn();
    DataSet validation = Networks.sample(VALIDATION_ROWS);
    Recorder recorder = new Recorder();
    Dl4jTraining.fit(network, train(), FitOptions.builder().epochs(1).verbose(0)
        .validationData(validation.getFeatures(), validation.getLabels()).batchSize(64)
        .callbacks(recorder).build());

    Logs epochEnd = recorder.all("epochEnd").get(0);
    assertEquals(network.score(validation, false), epochEnd.get("val_loss"), 1e-5);
    assertEquals(accuracy(network.output(validation.getFeatures()), validation.getLabels()),
        epochEnd.get("val_accuracy"), 1e-6);
  }

  @Test
  void logsTheMetricsNamedInsteadOfTheDefault() {
    History history = Dl4jTraining.fit(Networks.cnn(), train(),
        FitOptions.builder().epochs(1).verbose(0).build(), "mse", "accuracy");
    assertEquals(List.of("accuracy", "loss", "mse"), List.copyOf(history.history().keySet()));

    History lossOnly = Dl4jTraining.fit(Networks.cnn(), train(),
        FitOptions.builder().epochs(1).verbose(0).build(), new String[0]);
    assertEquals(List.of("loss"), List.copyOf(lossOnly.history().keySet()));

    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> Dl4jTraining.fit(Networks.cnn(), train(),
            FitOptions.builder().epochs(1).verbose(0).build(), "f1"));
    assertTrue(unknown.getMessage().contains("'f1'"), unknown.getMessage());
  }

  /**
   * Keras computes training metrics from the training-mode output. DL4J applies a layer's dropout
   * to its input during the step, so the output layer re-applied to that input sees the same
   * dropped units as the loss did: with an MSE loss, the logged mse equals DL4J's own batch loss.
   */
  @Test
  void trainingMetricsComeFromTheTrainingModeOutputDropoutIncluded() {
    MultiLayerNetwork network = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
        .seed(42)
        .updater(new Adam(0.01))
        .list()
        .layer(new DenseLayer.Builder().nIn(64).nOut(16).activation(Activation.SIGMOID).build())
        .layer(new OutputLayer.Builder(LossFunction.MSE).nIn(16).nOut(10).dropOut(0.5)
            .activation(Activation.IDENTITY).build())
        .build());
    network.init();
    List<double[]> lossAndMse = new ArrayList<>();
    Callback batchEnds = new Callback() {
      @Override
      public void onTrainBatchEnd(int batch, Logs logs) {
        lossAndMse.add(new double[] {logs.get("loss"), logs.get("mse")});
      }
    };
    Dl4jTraining.fit(network, train(),
        FitOptions.builder().epochs(2).verbose(0).callbacks(batchEnds).build(), "mse");

    assertEquals(6, lossAndMse.size());
    for (double[] pair : lossAndMse) {
      assertEquals(pair[0], pair[1], 1e-5 * pair[0], () -> "loss and mse: " + List.of(pair[0],
          pair[1]));
    }
  }

  @Test
  void tensorBoardWritesAHistogramOfEveryLayerParameter() throws IOException {
    MultiLayerNetwork network = Networks.cnn();
    History history = Dl4jTraining.fit(network, train(), FitOptions.builder().epochs(2).verbose(0)
        .callbacks(TensorBoard.builder(dir).histogramFreq(1).build()).build());

    List<Event> events = EventFiles.read(EventFiles.onlyFile(dir.resolve("train")));
    assertEquals(List.of("0=" + (float) (double) history.history().get("loss").get(0),
        "1=" + (float) (double) history.history().get("loss").get(1)),
        EventFiles.scalars(events).get("epoch_loss"));
    // DL4J's network does not describe its layers as Dense ones (Model.denseLayers()): no graph.
    assertEquals(List.of(), EventFiles.graphs(events));
    Map<String, List<HistogramProto>> histograms = EventFiles.histograms(events);
    // Each layer's parameters in DL4J's order (a convolution's bias comes first); pooling has none.
    assertEquals(List.of("layer0/b/histogram", "layer0/W/histogram", "layer2/W/histogram",
        "layer2/b/histogram"), List.copyOf(histograms.keySet()));
    for (Map.Entry<String, List<HistogramProto>> entry : histograms.entrySet()) {
      String[] parts = entry.getKey().split("/");
      INDArray last = network.getLayer(parts[0]).getParam(parts[1]);
      assertEquals(2, entry.getValue().size(), entry.getKey());
      HistogramProto epoch1 = entry.getValue().get(1);
      assertEquals(last.length(), (long) epoch1.getNum(), entry.getKey());
      assertEquals(last.minNumber().doubleValue(), epoch1.getMin(), 1e-6, entry.getKey());
      assertEquals(last.maxNumber().doubleValue(), epoch1.getMax(), 1e-6, entry.getKey());
      assertEquals(last.length(), epoch1.getBucketList().stream().mapToDouble(Double::doubleValue)
          .sum(), entry.getKey());
    }
  }

  /** Stops training once the batch it is told about ends. */
  static final class StopAfter {
    private final int batch;

    StopAfter(int batch) {
      this.batch = batch;
    }

    @OnTrainBatchEnd
    void check(int current, Model model) {
      if (current == batch) {
        model.stopTraining();
      }
    }
  }

  @Test
  void aBatchHookStopsTrainingAfterThatBatch() {
    MultiLayerNetwork reference = Networks.cnn();
    DataSetIterator batches = train();
    reference.fit(batches.next());
    reference.fit(batches.next());

    MultiLayerNetwork network = Networks.cnn();
    Recorder recorder = new Recorder();
    Dl4jTraining.fit(network, train(), FitOptions.builder().epochs(3).verbose(0)
        .callbacks(new StopAfter(1), recorder).build());

    assertEquals(List.of("trainBegin []", "epochBegin 0 []",
        "trainBatchEnd 0 [accuracy, loss, size]", "trainBatchEnd 1 [accuracy, loss, size]",
        "epochEnd 0 [accuracy, loss]", "trainEnd [accuracy, loss]"),
        recorder.calls.stream().filter(c -> !c.startsWith("trainBatchBegin")).toList());
    assertArrayEquals(reference.params().toFloatVector(), network.params().toFloatVector());
  }

  /** Sets the learning rate once the first batch has ended. */
  static final class SlowDownAfterFirstBatch {
    @OnTrainBatchEnd
    void slowDown(int batch, Model model) {
      if (batch == 0) {
        model.setLearningRate(0.001);
      }
    }
  }

  @Test
  void aLearningRateSetByACallbackDrivesTheNextStep() {
    MultiLayerNetwork reference = Networks.cnn();
    trainByHand(reference, 1, step -> {
      if (step == 0) {
        reference.setLearningRate(0.001);
      }
    });
    MultiLayerNetwork unchanged = Networks.cnn();
    trainByHand(unchanged, 1, step -> { });

    MultiLayerNetwork network = Networks.cnn();
    Dl4jTraining.fit(network, train(), FitOptions.builder().epochs(1).verbose(0)
        .callbacks(new SlowDownAfterFirstBatch()).build());

    assertArrayEquals(reference.params().toFloatVector(), network.params().toFloatVector());
    assertFalse(java.util.Arrays.equals(unchanged.params().toFloatVector(),
        network.params().toFloatVector()), "the new rate changed the steps after it");
    assertEquals(0.001, Dl4jModel.of(network).learningRate(), 1e-12);
  }

  /** An annotated POJO among the built-ins: records what each epoch ends with. */
  static final class Journal {
    final ComputationGraph network;
    final List<INDArray> parameters = new ArrayList<>();
    final List<Double> validationLosses = new ArrayList<>();
    int trainBegins;

    Journal(ComputationGraph network) {
      this.network = network;
    }

    @OnTrainBegin
    void begin() {
      trainBegins++;
    }

    @OnEpochEnd
    void epochEnd(int epoch, @Metric("val_loss") double validationLoss) {
      parameters.add(network.params().dup());
      validationLosses.add(validationLoss);
    }
  }

  @Test
  void aGraphTrainsWithAnAnnotatedObjectAndTheBuiltIns() throws IOException {
    ComputationGraph network = Networks.graph();
    Journal journal = new Journal(network);
    Path csv = dir.resolve("log.csv");
    // minDelta 10: no epoch after the first counts as better, so ReduceLROnPlateau (patience 0)
    // halves the rate at epoch 1 and EarlyStopping (patience 1) stops there, restoring epoch 0.
    ReduceLROnPlateau reduce = ReduceLROnPlateau.builder().minDelta(10).patience(0).factor(0.5)
        .build();
    EarlyStopping stopping = EarlyStopping.builder().minDelta(10).patience(1)
        .restoreBestWeights(true).build();
    DataSet validation = Networks.sample(VALIDATION_ROWS);
    History history = Dl4jTraining.fit(network, train(), FitOptions.builder().epochs(5)
        .verbose(0).validationData(validation.getFeatures(), validation.getLabels())
        .callbacks(journal, reduce, stopping,
            ModelCheckpoint.builder(dir.resolve("ckpt-{epoch:02d}.zip").toString()).build(),
            CSVLogger.builder(csv).build())
        .build());

    assertEquals(1, journal.trainBegins);
    assertEquals(2, journal.parameters.size(), "stopped after epoch 1");
    assertEquals(1, stopping.stoppedEpoch());
    assertEquals(0.005, Dl4jModel.of(network).learningRate(), 1e-12);
    assertArrayEquals(journal.parameters.get(0).toFloatVector(), network.params().toFloatVector(),
        "the best epoch's weights are back");
    assertEquals(journal.validationLosses, history.history().get("val_loss"));
    assertEquals(List.of(0.01, 0.01), history.history().get("learning_rate"));

    for (int epoch = 0; epoch < 2; epoch++) {
      ComputationGraph loaded = ModelSerializer.restoreComputationGraph(
          dir.resolve(String.format("ckpt-%02d.zip", epoch + 1)).toFile(), true);
      assertArrayEquals(journal.parameters.get(epoch).toFloatVector(),
          loaded.params().toFloatVector(), "checkpoint of epoch " + epoch);
    }
    List<String> lines = Files.readAllLines(csv);
    assertEquals(3, lines.size(), lines.toString());
    assertEquals("epoch,accuracy,learning_rate,loss,val_accuracy,val_loss", lines.get(0));
  }

  @Test
  void checkpointsOfANetworkLoadWithDl4jsOwnReader() throws IOException {
    MultiLayerNetwork network = Networks.cnn();
    Path file = dir.resolve("net-{epoch}.zip");
    Dl4jTraining.fit(network, train(), FitOptions.builder().epochs(1).verbose(0)
        .callbacks(ModelCheckpoint.builder(file.toString()).monitor("loss").build()).build());

    MultiLayerNetwork loaded =
        ModelSerializer.restoreMultiLayerNetwork(dir.resolve("net-1.zip").toFile(), true);
    assertArrayEquals(network.params().toFloatVector(), loaded.params().toFloatVector());
    assertArrayEquals(network.getUpdater().getStateViewArray().toFloatVector(),
        loaded.getUpdater().getStateViewArray().toFloatVector());
  }

  /** Fails at the end of a given global training batch, as a crash would. */
  static final class CrashAfter implements Callback {
    private final int batches;
    private int seen;

    CrashAfter(int batches) {
      this.batches = batches;
    }

    @Override
    public void onTrainBatchEnd(int batch, Logs logs) {
      if (++seen == batches) {
        throw new IllegalStateException("simulated crash after " + batches + " batches");
      }
    }
  }

  @Test
  void anInterruptedRunResumesFromItsBackupToTheSameParameters() {
    MultiLayerNetwork uninterrupted = Networks.cnn();
    Dl4jTraining.fit(uninterrupted, train(), FitOptions.builder().epochs(3).verbose(0).build());

    Path backups = dir.resolve("backup");
    MultiLayerNetwork crashed = Networks.cnn();
    // Backups every 2 batches; the crash after batch 5 (epoch 1, batch 1) loses one step.
    IllegalStateException crash = assertThrows(IllegalStateException.class,
        () -> Dl4jTraining.fit(crashed, train(), FitOptions.builder().epochs(3).verbose(0)
            .callbacks(BackupAndRestore.builder(backups).saveFreq(2).build(), new CrashAfter(5))
            .build()));
    assertTrue(crash.getMessage().contains("simulated crash"), crash.getMessage());

    MultiLayerNetwork resumed = Networks.cnn();
    Recorder recorder = new Recorder();
    Dl4jTraining.fit(resumed, train(), FitOptions.builder().epochs(3).verbose(0)
        .callbacks(BackupAndRestore.builder(backups).saveFreq(2).build(), recorder).build());

    assertEquals("epochBegin 1 []", recorder.calls.get(1), "resumed inside epoch 1");
    assertArrayEquals(uninterrupted.params().toFloatVector(), resumed.params().toFloatVector());
    assertArrayEquals(uninterrupted.getUpdater().getStateViewArray().toFloatVector(),
        resumed.getUpdater().getStateViewArray().toFloatVector());
  }

  @Test
  void evaluatesThroughTheTestHooks() {
    MultiLayerNetwork network = Networks.cnn();
    Dl4jTraining.fit(network, train(), FitOptions.builder().epochs(1).verbose(0).build());
    DataSet data = Networks.sample(VALIDATION_ROWS);
    Recorder recorder = new Recorder();

    Logs logs = Dl4jTraining.evaluate(network, validation(),
        EvaluateOptions.builder().verbose(0).callbacks(recorder).build());

    assertEquals(network.score(data, false), logs.get("loss"), 1e-5);
    assertEquals(accuracy(network.output(data.getFeatures()), data.getLabels()),
        logs.get("accuracy"), 1e-6);
    assertEquals(List.of("testBegin []", "testBatchBegin 0 [size]",
        "testBatchEnd 0 [accuracy, loss, size]", "testBatchBegin 1 [size]",
        "testBatchEnd 1 [accuracy, loss, size]", "testEnd [accuracy, loss]"), recorder.calls);
  }

  @Test
  void predictsEveryRowThroughThePredictHooks() {
    ComputationGraph network = Networks.graph();
    DataSet data = Networks.sample(VALIDATION_ROWS);
    Recorder recorder = new Recorder();

    INDArray predictions = Dl4jTraining.predict(network, validation(),
        PredictOptions.builder().verbose(0).callbacks(recorder).build());

    assertArrayEquals(network.outputSingle(data.getFeatures()).toFloatMatrix(),
        predictions.toFloatMatrix());
    assertEquals(List.of("predictBegin []", "predictBatchBegin 0 [size]",
        "predictBatchEnd 0 [size]", "predictBatchBegin 1 [size]", "predictBatchEnd 1 [size]",
        "predictEnd []"), recorder.calls);
  }
}
