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
import io.github.callbacks4j.callbacks.BackupAndRestore;
import io.github.callbacks4j.callbacks.CSVLogger;
import io.github.callbacks4j.callbacks.EarlyStopping;
import io.github.callbacks4j.callbacks.LambdaCallback;
import io.github.callbacks4j.callbacks.Mode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

class CallbackListenerTest {
  /** 32 + 32 + 16 rows: the last batch is smaller, so the loss mean must weigh by size. */
  private static final int ROWS = 80;

  @TempDir Path dir;

  /** Records the hooks it sees into a shared list, to check the order across callbacks. */
  private static final class Recorder implements Callback {
    final List<String> calls;

    Recorder(List<String> calls) {
      this.calls = calls;
    }

    @Override public void onTrainBegin(Logs logs) { calls.add("trainBegin " + logs.keys()); }
    @Override public void onTrainEnd(Logs logs) { calls.add("trainEnd " + logs.keys()); }
    @Override public void onEpochBegin(int epoch, Logs logs) { calls.add("epochBegin " + epoch); }
    @Override public void onEpochEnd(int epoch, Logs logs) {
      calls.add("epochEnd " + epoch + " " + logs.keys());
    }
    @Override public void onTrainBatchEnd(int batch, Logs logs) {
      calls.add("batchEnd " + batch + " " + logs.keys() + " size=" + (int) logs.get("size"));
    }
  }

  /** An annotated object, as users write them. */
  static final class Watcher {
    final List<String> calls;
    final List<Double> epochLosses = new ArrayList<>();

    Watcher(List<String> calls) {
      this.calls = calls;
    }

    @OnEpochEnd
    void epochEnd(int epoch, @Metric("loss") double loss) {
      calls.add("watcher epochEnd " + epoch);
      epochLosses.add(loss);
    }

    @OnTrainBatchEnd
    void batchEnd(int batch) {
      calls.add("watcher batchEnd " + batch);
    }
  }

  /** Divides the learning rate by 10 after each epoch. */
  static final class Slower {
    @OnEpochEnd
    void slowDown(Model model) {
      model.setLearningRate(model.learningRate() / 10);
    }
  }

  /** Each step's score and batch size, as DL4J reports them to its own listeners. */
  private static final class Scores extends BaseTrainingListener {
    final List<double[]> steps = new ArrayList<>();

    @Override
    public void iterationDone(org.deeplearning4j.nn.api.Model model, int iteration, int epoch) {
      steps.add(new double[] {model.score(), model.batchSize()});
    }

    /** The size-weighted mean score of steps {@code from} (inclusive) to {@code to}. */
    double meanLoss(int from, int to) {
      double sum = 0;
      double weight = 0;
      for (double[] step : steps.subList(from, to)) {
        sum += step[0] * step[1];
        weight += step[1];
      }
      return sum / weight;
    }
  }

  private static DataSetIterator digits() {
    return new ViewIterator(Networks.rows(ROWS), Networks.BATCH);
  }

  private static List<String> epochOf(int epoch) {
    return List.of("epochBegin " + epoch,
        "batchEnd 0 [loss, size] size=32", "watcher batchEnd 0",
        "batchEnd 1 [loss, size] size=32", "watcher batchEnd 1",
        "batchEnd 2 [loss, size] size=16", "watcher batchEnd 2",
        "epochEnd " + epoch + " [loss]", "watcher epochEnd " + epoch);
  }

  private static List<String> twoEpochs() {
    List<String> expected = new ArrayList<>();
    expected.add("trainBegin []");
    expected.addAll(epochOf(0));
    expected.addAll(epochOf(1));
    return expected;
  }

  @Test
  void firesEpochAndBatchHooksInOrderWithBuiltIns() throws IOException {
    MultiLayerNetwork network = Networks.cnn();
    List<String> calls = new ArrayList<>();
    Watcher watcher = new Watcher(calls);
    EarlyStopping earlyStopping = EarlyStopping.builder().monitor("loss").patience(5).build();
    Path csv = dir.resolve("log.csv");
    Scores scores = new Scores();
    Dl4jModel model = Dl4jModel.of(network);

    try (CallbackListener listener = model.listener(new Recorder(calls), watcher,
        earlyStopping, CSVLogger.builder(csv).build())) {
      network.setListeners(scores, listener);
      network.fit(model.stoppable(digits()), 2);
      assertEquals(twoEpochs(), calls, "before close");
    }
    List<String> expected = twoEpochs();
    expected.add("trainEnd [loss]");
    assertEquals(expected, calls);

    assertEquals(6, scores.steps.size());
    assertEquals(scores.meanLoss(0, 3), watcher.epochLosses.get(0), 1e-12);
    assertEquals(scores.meanLoss(3, 6), watcher.epochLosses.get(1), 1e-12);
    assertEquals(Math.min(watcher.epochLosses.get(0), watcher.epochLosses.get(1)),
        earlyStopping.best(), 1e-12);
    List<String> rows = Files.readAllLines(csv);
    assertEquals("epoch,loss,val_loss", rows.get(0));
    for (int epoch = 0; epoch < 2; epoch++) {
      String[] cells = rows.get(epoch + 1).split(",");
      assertEquals(String.valueOf(epoch), cells[0]);
      assertEquals(watcher.epochLosses.get(epoch), Double.parseDouble(cells[1]), 1e-12);
    }
    assertEquals(3, rows.size());
  }

  @Test
  void batchEndLossIsTheRunningMeanOfTheEpochsBatchLosses() {
    MultiLayerNetwork network = Networks.cnn();
    List<Double> batchLosses = new ArrayList<>();
    Scores scores = new Scores();
    Dl4jModel model = Dl4jModel.of(network);
    try (CallbackListener listener = model.listener(LambdaCallback.builder()
        .onTrainBatchEnd((batch, logs) -> batchLosses.add(logs.get("loss"))).build())) {
      network.setListeners(scores, listener);
      network.fit(model.stoppable(digits()), 2);
    }
    for (int step = 0; step < 6; step++) {
      int epochStart = step < 3 ? 0 : 3;
      assertEquals(scores.meanLoss(epochStart, step + 1), batchLosses.get(step), 1e-12,
          "step " + step);
    }
  }

  @Test
  void aStopFromABatchHookEndsTrainingWithNoFurtherHooks() {
    MultiLayerNetwork network = Networks.cnn();
    List<String> calls = new ArrayList<>();
    Dl4jModel model = Dl4jModel.of(network);
    try (CallbackListener listener = model.listener(new Recorder(calls),
        LambdaCallback.builder().onTrainBatchEnd((batch, logs) -> {
          if (batch == 1) {
            model.stopTraining();
          }
        }).build())) {
      network.setListeners(listener);
      network.fit(model.stoppable(digits()), 3);
    }
    assertEquals(List.of("trainBegin []", "epochBegin 0",
        "batchEnd 0 [loss, size] size=32", "batchEnd 1 [loss, size] size=32", "trainEnd []"),
        calls);
    assertEquals(2, network.getIterationCount(), "DL4J trained after the stop");
    assertEquals(3, network.getEpochCount(), "DL4J looped over the empty epochs");
  }

  @Test
  void closeEndsTheRunAndTheNextFitStartsANewOne() {
    MultiLayerNetwork network = Networks.cnn();
    List<String> calls = new ArrayList<>();
    Dl4jModel model = Dl4jModel.of(network);
    EarlyStopping earlyStopping =
        EarlyStopping.builder().monitor("loss").stoppingThreshold(10).build();
    CallbackListener listener = model.listener(new Recorder(calls), earlyStopping);
    network.setListeners(listener);
    network.fit(model.stoppable(digits()), 3);
    assertEquals(0, earlyStopping.stoppedEpoch(), "precondition: a loss under 10 stops epoch 0");
    assertEquals(List.of("epochEnd 0 [loss]", "trainEnd [loss]"),
        calls.subList(calls.size() - 2, calls.size()));
    listener.close();
    assertEquals(1, calls.stream().filter(c -> c.startsWith("trainEnd")).count(),
        "close after a stop ended the run twice");

    calls.clear();
    network.fit(model.stoppable(digits()), 1);
    assertEquals(List.of("trainBegin []", "epochBegin 3"), calls.subList(0, 2),
        "numbered on from DL4J's epoch count (1 trained, 2 empty)");
    assertEquals("trainEnd [loss]", calls.get(calls.size() - 1));
    assertEquals(6, network.getIterationCount(), "the new run trained one epoch");
  }

  @Test
  void earlyStoppingRestoresTheBestWeightsIntoTheLiveNetwork() {
    MultiLayerNetwork network = Networks.cnn();
    Dl4jModel model = Dl4jModel.of(network);
    List<float[]> epochEndParameters = new ArrayList<>();
    // A monitored value that only gets worse, so epoch 0's weights are the best.
    Callback worsening = LambdaCallback.builder().onEpochEnd((epoch, logs) -> {
      logs.put("score", epoch);
      epochEndParameters.add(network.params().dup().toFloatVector());
    }).build();
    EarlyStopping earlyStopping = EarlyStopping.builder()
        .monitor("score").mode(Mode.MIN).patience(1).restoreBestWeights(true).build();
    try (CallbackListener listener = model.listener(worsening, earlyStopping)) {
      network.setListeners(listener);
      network.fit(model.stoppable(digits()), 4);
    }
    assertEquals(1, earlyStopping.stoppedEpoch());
    assertEquals(2, epochEndParameters.size());
    assertFalse(Arrays.equals(epochEndParameters.get(0), epochEndParameters.get(1)));
    assertArrayEquals(epochEndParameters.get(0), network.params().dup().toFloatVector());
    assertEquals(3, network.getIterationCount(), "the counters come back with the weights");
  }

  @Test
  void aLearningRateSetByACallbackTakesEffect() {
    MultiLayerNetwork network = Networks.cnn();
    Dl4jModel model = Dl4jModel.of(network);
    List<Double> seen = new ArrayList<>();
    try (CallbackListener listener = model.listener(new Slower(), LambdaCallback.builder()
        .onTrainBatchEnd((batch, logs) -> seen.add(updaterRate(network)))
        .build())) {
      network.setListeners(listener);
      network.fit(model.stoppable(digits()), 2);
    }
    assertEquals(List.of(0.01, 0.01, 0.01, 0.001, 0.001, 0.001), rounded(seen));
    assertEquals(0.0001, updaterRate(network), 1e-12);
    for (Layer layer : network.getLayers()) {
      if (layer.conf().getLayer() instanceof BaseLayer conf) {
        assertEquals(0.0001, conf.getIUpdater().getLearningRate(0, 0), 1e-12);
      }
    }
  }

  @Test
  void aComputationGraphFiresTheSameHooks() {
    ComputationGraph network = Networks.graph();
    List<String> calls = new ArrayList<>();
    Watcher watcher = new Watcher(calls);
    Scores scores = new Scores();
    Dl4jModel model = Dl4jModel.of(network);
    try (CallbackListener listener = model.listener(new Recorder(calls), watcher)) {
      network.setListeners(scores, listener);
      network.fit(model.stoppable(digits()), 2);
    }
    List<String> expected = twoEpochs();
    expected.add("trainEnd [loss]");
    assertEquals(expected, calls);
    assertEquals(scores.meanLoss(3, 6), watcher.epochLosses.get(1), 1e-12);
  }

  @Test
  void aFailingCallbackEndsFitAndCloseSkipsOnTrainEndButClosesCallbacks() {
    MultiLayerNetwork network = Networks.cnn();
    List<String> calls = new ArrayList<>();
    Dl4jModel model = Dl4jModel.of(network);
    final class Closing implements Callback, AutoCloseable {
      @Override
      public void close() {
        calls.add("closed");
      }
    }
    CallbackListener listener = model.listener(new Recorder(calls),
        LambdaCallback.builder().onTrainBatchEnd((batch, logs) -> {
          throw new IllegalStateException("broken callback");
        }).build(), new Closing());
    network.setListeners(listener);
    RuntimeException e =
        assertThrows(RuntimeException.class, () -> network.fit(model.stoppable(digits()), 2));
    assertTrue(e.toString().contains("broken callback"), e.toString());
    listener.close();
    assertEquals(List.of("trainBegin []", "epochBegin 0", "batchEnd 0 [loss, size] size=32",
        "closed"), calls);
  }

  @Test
  void backupAndRestoreIsRefusedSayingWhy() {
    Dl4jModel model = Dl4jModel.of(Networks.cnn());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> model.listener(BackupAndRestore.builder(dir).build()));
    assertTrue(e.getMessage().contains("ModelCheckpoint"), e.getMessage());
  }

  @Test
  void aListenerOnAnotherNetworkIsRefused() {
    MultiLayerNetwork network = Networks.cnn();
    MultiLayerNetwork other = Networks.cnn();
    other.setListeners(Dl4jModel.of(network).listener(new Recorder(new ArrayList<>())));
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> other.fit(digits(), 1));
    assertTrue(e.getMessage().contains("attached to another network"), e.getMessage());
  }

  /** The rate the updater DL4J steps with actually holds (not only the configuration). */
  private static double updaterRate(MultiLayerNetwork network) {
    UpdaterBlock first = ((BaseMultiLayerUpdater<?>) network.getUpdater()).getUpdaterBlocks().get(0);
    return first.getGradientUpdater().getConfig().getLearningRate(0, 0);
  }

  private static List<Double> rounded(List<Double> rates) {
    return rates.stream().map(rate -> Math.round(rate * 1e9) / 1e9).toList();
  }
}
