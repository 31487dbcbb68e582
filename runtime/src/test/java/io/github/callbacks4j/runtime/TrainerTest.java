package io.github.callbacks4j.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.callbacks4j.Logs;
import io.github.callbacks4j.Model;
import io.github.callbacks4j.ModelState;
import io.github.callbacks4j.callbacks.History;
import io.github.callbacks4j.callbacks.LambdaCallback;
import io.github.callbacks4j.callbacks.ProgbarLogger;
import io.github.callbacks4j.callbacks.StandardOutput;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The shared loop driven through {@link Trainer} by an engine that is not {@link Sequential}: a
 * linear regression written here with plain ND4J ops. The hooks, their order and their logs are
 * Keras's, whatever computes the batches.
 */
class TrainerTest {
  /** y = x . (1, -2, 0.5) + 0.3, exactly. */
  private static final float[][] X = {
      {0.1f, 0.2f, 0.3f}, {0.5f, -0.4f, 0.9f}, {-0.7f, 0.8f, 0.1f}, {0.3f, 0.3f, -0.6f},
      {0.9f, -0.1f, 0.4f}};
  private static final float[][] VALIDATION_X = {{0.2f, 0.6f, -0.2f}, {-0.5f, 0.1f, 0.7f},
      {0.4f, -0.8f, 0.0f}};

  private static INDArray labelsOf(float[][] x) {
    float[][] y = new float[x.length][1];
    for (int i = 0; i < x.length; i++) {
      y[i][0] = x[i][0] - 2 * x[i][1] + 0.5f * x[i][2] + 0.3f;
    }
    return Nd4j.createFromArray(y);
  }

  private static ViewIterator batches(float[][] x, int batchSize) {
    return new ViewIterator(new DataSet(Nd4j.createFromArray(x), labelsOf(x)), batchSize);
  }

  /**
   * Mean squared error, one metric ("mae"), plain gradient descent. It records what the loop asks
   * of it in {@code recorder}, between the hooks recorded there.
   */
  private static final class LinearEngine implements TrainingEngine, Model {
    final HookRecorder recorder;
    final List<double[]> trainLosses = new ArrayList<>();
    /** The rows of each batch the engine was asked to test. */
    final List<Long> testedRows = new ArrayList<>();
    final INDArray weights;
    final INDArray bias;
    /** What {@link #model()} answers: this engine, unless a test takes it away. */
    Model model = this;
    private double learningRate = 0.5;
    private volatile boolean stop;

    LinearEngine(HookRecorder recorder) {
      this.recorder = recorder;
      try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
        weights = Nd4j.zeros(DataType.FLOAT, 3, 1);
        bias = Nd4j.zeros(DataType.FLOAT, 1, 1);
      }
    }

    @Override public Model model() { return model; }
    @Override public void clearStopRequest() { record("clearStopRequest"); stop = false; }
    @Override public List<String> metricNames() { return List.of("mae"); }
    @Override public void startEpoch(int epoch) { record("startEpoch " + epoch); }

    private void record(String event) {
      recorder.calls.add(event);
      recorder.logs.add(new Logs());
    }

    /** Samples of any shape with 3 values each, such as [n, 1, 3], as rows. */
    private static INDArray rows(INDArray features) {
      return features.rank() == 2 ? features : features.reshape(features.size(0), 3);
    }

    private INDArray errors(INDArray features, INDArray labels, double[] metricSums) {
      INDArray errors = rows(features).mmul(weights).addi(bias.getDouble(0)).subi(labels);
      metricSums[0] = Transforms.abs(errors, true).sumNumber().doubleValue();
      return errors;
    }

    @Override
    public double trainBatch(INDArray features, INDArray labels, double[] metricSums) {
      INDArray errors = errors(features, labels, metricSums);
      double loss = errors.mul(errors).meanNumber().doubleValue();
      double scale = 2 * learningRate / features.size(0);
      weights.subi(rows(features).transpose().mmul(errors).muli(scale));
      bias.subi(errors.sumNumber().doubleValue() * scale);
      trainLosses.add(new double[] {loss, features.size(0)});
      return loss;
    }

    @Override
    public double testBatch(INDArray features, INDArray labels, double[] metricSums) {
      testedRows.add(features.size(0));
      INDArray errors = errors(features, labels, metricSums);
      return errors.mul(errors).meanNumber().doubleValue();
    }

    @Override
    public INDArray predictBatch(INDArray features) {
      return rows(features).mmul(weights).addi(bias.getDouble(0));
    }

    @Override public void stopTraining() { stop = true; }
    @Override public boolean stopTrainingRequested() { return stop; }
    @Override public double learningRate() { return learningRate; }
    @Override public void setLearningRate(double rate) { learningRate = rate; }
    @Override public ModelState snapshot() { throw new UnsupportedOperationException(); }
    @Override public void restore(ModelState state) { throw new UnsupportedOperationException(); }
    @Override public void save(Path file) { throw new UnsupportedOperationException(); }
    @Override public void saveWeights(Path file) { throw new UnsupportedOperationException(); }
  }

  @Test
  void fitRunsKerasHooksInOrderAroundTheEnginesBatches() {
    HookRecorder recorder = new HookRecorder();
    LinearEngine engine = new LinearEngine(recorder);
    History history = Trainer.fit(engine, batches(X, 2), FitOptions.builder().epochs(2)
        .stepsPerExecution(2).verbose(0).callbacks(recorder)
        .validationData(batches(VALIDATION_X, 2)).build());

    List<String> expected = new ArrayList<>(List.of("clearStopRequest", "trainBegin []"));
    for (int epoch = 0; epoch < 2; epoch++) {
      expected.addAll(List.of("startEpoch " + epoch, "epochBegin " + epoch + " []",
          // 5 samples in batches of 2, hooks once per 2 steps: steps 0-1, then step 2 alone.
          "trainBatchBegin 0 [size]", "trainBatchEnd 1 [loss, mae, size]",
          "trainBatchBegin 2 [size]", "trainBatchEnd 2 [loss, mae, size]",
          "testBegin []", "testBatchBegin 0 [size]", "testBatchEnd 1 [loss, mae, size]",
          "testEnd [loss, mae]",
          "epochEnd " + epoch + " [loss, mae, val_loss, val_mae]"));
    }
    expected.add("trainEnd [loss, mae, val_loss, val_mae]");
    assertEquals(expected, recorder.calls);

    assertEquals(2, recorder.params.epochs());
    assertEquals(3, recorder.params.steps());
    assertEquals(5, recorder.params.samples().orElseThrow());
    assertEquals(2.0, recorder.last("trainBatchBegin 0").get("size"));
    assertEquals(1.0, recorder.last("trainBatchEnd 2").get("size"));

    // The epoch's loss is the sample-weighted mean of the losses the engine returned.
    double lossSum = 0;
    double samples = 0;
    for (double[] batch : engine.trainLosses.subList(3, 6)) {
      lossSum += batch[0] * batch[1];
      samples += batch[1];
    }
    Logs lastEpoch = recorder.last("epochEnd 1");
    assertEquals(lossSum / samples, lastEpoch.get("loss"));
    Logs lastBatch = recorder.last("trainBatchEnd 2");
    assertEquals(lastEpoch.get("loss"), lastBatch.get("loss"), "batch logs are running means");
    assertEquals(lastEpoch.get("mae"), lastBatch.get("mae"));
    assertEquals(recorder.last("testEnd").get("mae"), lastEpoch.get("val_mae"));
    assertEquals(lastEpoch, recorder.last("trainEnd"));
    assertEquals(List.of(recorder.last("epochEnd 0").get("loss"), lastEpoch.get("loss")),
        history.history().get("loss"), "History is added by default");
    assertTrue(lastEpoch.get("loss") < recorder.last("epochEnd 0").get("loss"),
        "the engine trains: " + history.history());
  }

  @Test
  void aStopFromABatchHookEndsTheEpochAndTheNextFitStartsAfresh() {
    LinearEngine engine = new LinearEngine(new HookRecorder());
    LambdaCallback stopper = LambdaCallback.builder()
        .onTrainBatchEnd((batch, logs) -> engine.stopTraining()).build();
    History history = Trainer.fit(engine, batches(X, 2),
        FitOptions.builder().epochs(3).verbose(0).callbacks(stopper).build());
    assertEquals(1, engine.trainLosses.size(), "one batch, then the stop");
    assertEquals(1, history.history().get("loss").size(), "epoch 0 still ends");

    HookRecorder recorder = new HookRecorder();
    Trainer.fit(engine, batches(X, 2), FitOptions.builder().epochs(1).verbose(0)
        .callbacks(recorder).build());
    assertEquals(4, engine.trainLosses.size(), "the stop request was cleared before training");
    assertTrue(recorder.calls.contains("epochEnd 0 [loss, mae]"), recorder.calls::toString);
  }

  @Test
  void evaluateAndPredictRunTheirHooksOverTheEngine() {
    HookRecorder recorder = new HookRecorder();
    LinearEngine engine = new LinearEngine(recorder);
    Trainer.fit(engine, batches(X, 2), FitOptions.builder().epochs(3).verbose(0).build());
    recorder.calls.clear();
    recorder.logs.clear();

    Logs result = Trainer.evaluate(engine, batches(VALIDATION_X, 2),
        EvaluateOptions.builder().verbose(0).callbacks(recorder).build());
    assertEquals(List.of("testBegin []", "testBatchBegin 0 [size]", "testBatchEnd 0 [loss, mae,"
        + " size]", "testBatchBegin 1 [size]", "testBatchEnd 1 [loss, mae, size]",
        "testEnd [loss, mae]"), recorder.calls);
    assertEquals(result, recorder.last("testEnd"));
    INDArray errors = Nd4j.createFromArray(VALIDATION_X).mmul(engine.weights)
        .addi(engine.bias.getDouble(0)).subi(labelsOf(VALIDATION_X));
    assertEquals(errors.mul(errors).meanNumber().doubleValue(), result.get("loss"), 1e-6,
        "the mean of the engine's batch losses, weighted by batch size");
    assertEquals(Transforms.abs(errors).meanNumber().doubleValue(), result.get("mae"), 1e-6);

    recorder.calls.clear();
    recorder.logs.clear();
    INDArray predictions = Trainer.predict(engine, batches(X, 2),
        PredictOptions.builder().verbose(0).callbacks(recorder).build());
    assertEquals(List.of("predictBegin []", "predictBatchBegin 0 [size]",
        "predictBatchEnd 0 [size]", "predictBatchBegin 1 [size]", "predictBatchEnd 1 [size]",
        "predictBatchBegin 2 [size]", "predictBatchEnd 2 [size]", "predictEnd []"),
        recorder.calls);
    INDArray expected = Nd4j.createFromArray(X).mmul(engine.weights).addi(engine.bias.getDouble(0));
    assertArrayEquals(new long[] {5, 1}, predictions.shape(), "sized from the engine's output");
    assertArrayEquals(expected.toFloatVector(), predictions.toFloatVector(), 1e-6f);
  }

  @Test
  void badDataFailsBeforeAnyHookNamingTheRow() {
    HookRecorder recorder = new HookRecorder();
    LinearEngine engine = new LinearEngine(recorder);
    float[][] x = {X[0], X[1], X[2], {0.1f, Float.NaN, 0.2f}, X[4]};
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Trainer.fit(engine, batches(x, 2),
            FitOptions.builder().verbose(0).callbacks(recorder).build()));
    assertEquals("the training iterator's features holds a non-finite value (NaN or infinite) in"
        + " row 3: [0.1, NaN, 0.2]; remove or repair that sample before training", e.getMessage());
    assertEquals(List.of(), recorder.calls, "no hook ran, the engine was not asked");

    IllegalArgumentException split = assertThrows(IllegalArgumentException.class,
        () -> Trainer.fit(engine, batches(X, 2),
            FitOptions.builder().validationSplit(0.2).callbacks(recorder).build()));
    assertEquals("validationSplit needs in-memory arrays; with an iterator pass"
        + " validationData(...) instead", split.getMessage());
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
        () -> Trainer.evaluate(engine, new ViewIterator(new DataSet(
            Nd4j.create(DataType.FLOAT, 0, 3), Nd4j.create(DataType.FLOAT, 0, 1)), 2),
            EvaluateOptions.builder().callbacks(recorder).build()));
    assertEquals("the iterator is empty: it has no batches", none.getMessage());
    assertThrows(NullPointerException.class, () -> Trainer.predict(engine, null,
        PredictOptions.builder().build()));
    assertEquals(List.of(), recorder.calls);

    INDArray labels = labelsOf(X);
    labels.putScalar(4, 0, Float.NaN);
    IllegalArgumentException label = assertThrows(IllegalArgumentException.class,
        () -> Trainer.fit(engine, new ViewIterator(new DataSet(Nd4j.createFromArray(X), labels),
            2), FitOptions.builder().verbose(0).callbacks(recorder).build()));
    assertEquals("the training iterator's labels holds a non-finite value (NaN or infinite) in"
        + " row 4: [NaN]; remove or repair that sample before training", label.getMessage());
    assertEquals(List.of(), recorder.calls);
  }

  /** A DataSetIterator that cannot start over, as a stream read once. */
  private static final class OnePassIterator extends ViewIterator {
    OnePassIterator(DataSet data, int batchSize) {
      super(data, batchSize);
    }

    @Override
    public boolean resetSupported() {
      return false;
    }
  }

  @Test
  void anIteratorIsReadFromItsStartAndMustBeResettable() {
    LinearEngine engine = new LinearEngine(new HookRecorder());
    ViewIterator halfRead = batches(X, 2);
    halfRead.next();
    Trainer.evaluate(engine, halfRead, EvaluateOptions.builder().verbose(0).build());
    assertEquals(List.of(2L, 2L, 1L), engine.testedRows, "every batch, the first one too");

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Trainer.fit(engine, new OnePassIterator(new DataSet(Nd4j.createFromArray(X),
            labelsOf(X)), 2), FitOptions.builder().verbose(0).build()));
    assertEquals(OnePassIterator.class.getName() + " does not support reset(), which every epoch"
        + " needs; wrap the data in a resettable iterator such as"
        + " org.nd4j.linalg.dataset.ViewIterator", e.getMessage());
  }

  @Test
  void anEngineWithoutAModelIsRefusedNamingIt() {
    LinearEngine engine = new LinearEngine(new HookRecorder());
    engine.model = null;
    NullPointerException e = assertThrows(NullPointerException.class,
        () -> Trainer.predict(engine, batches(X, 2), PredictOptions.builder().verbose(0).build()));
    assertEquals(LinearEngine.class.getName() + ".model() returned null; an engine needs a Model",
        e.getMessage());
  }

  @Test
  void validationArraysAreCheckedBeforeAnyHook() {
    HookRecorder recorder = new HookRecorder();
    LinearEngine engine = new LinearEngine(new HookRecorder());
    INDArray x = Nd4j.createFromArray(VALIDATION_X);
    INDArray y = labelsOf(VALIDATION_X);
    Trainer.fit(engine, batches(X, 2), FitOptions.builder().verbose(0).batchSize(2)
        .validationData(x, y).build());
    assertEquals(List.of(2L, 1L), engine.testedRows, "rows of 3 values each, in batches of 2");

    assertEquals("validation data needs one sample per row (rank 2 or more), got features of"
        + " shape [3] and labels of shape [3, 1]", refusedValidation(recorder,
            Nd4j.createFromArray(0.1f, 0.2f, 0.3f), y));
    assertEquals("validation data needs one sample per row (rank 2 or more), got features of"
        + " shape [3, 3] and labels of shape [3]", refusedValidation(recorder, x,
            Nd4j.createFromArray(0.1f, 0.2f, 0.3f)));
    assertEquals("the validation data is empty: it has no samples", refusedValidation(recorder,
        Nd4j.create(DataType.FLOAT, 0, 3), Nd4j.create(DataType.FLOAT, 0, 1)));
    assertEquals("the validation labels have 2 rows but the features have 3: every sample needs"
        + " one label row", refusedValidation(recorder, x, y.get(NDArrayIndex.interval(0, 2))));
    assertEquals(List.of(), recorder.calls);
  }

  private static String refusedValidation(HookRecorder recorder, INDArray x, INDArray y) {
    return assertThrows(IllegalArgumentException.class, () -> Trainer.fit(
        new LinearEngine(new HookRecorder()), batches(X, 2), FitOptions.builder().verbose(0)
            .validationData(x, y).callbacks(recorder).build())).getMessage();
  }

  @Test
  void validationArraysMayHoldSamplesOfAnyRank() {
    INDArray x = Nd4j.createFromArray(VALIDATION_X).reshape(3, 1, 3);
    HookRecorder recorder = new HookRecorder();
    Trainer.fit(new LinearEngine(new HookRecorder()), batches(X, 2), FitOptions.builder()
        .verbose(0).batchSize(2).validationData(x, labelsOf(VALIDATION_X)).callbacks(recorder)
        .build());
    assertEquals(List.of("trainBegin []", "epochBegin 0 []", "trainBatchBegin 0 [size]",
        "trainBatchEnd 0 [loss, mae, size]", "trainBatchBegin 1 [size]",
        "trainBatchEnd 1 [loss, mae, size]", "trainBatchBegin 2 [size]",
        "trainBatchEnd 2 [loss, mae, size]", "testBegin []", "testBatchBegin 0 [size]",
        "testBatchEnd 0 [loss, mae, size]", "testBatchBegin 1 [size]",
        "testBatchEnd 1 [loss, mae, size]", "testEnd [loss, mae]",
        "epochEnd 0 [loss, mae, val_loss, val_mae]", "trainEnd [loss, mae, val_loss, val_mae]"),
        recorder.calls);
    assertEquals(1.0, recorder.last("testBatchEnd 1").get("size"));

    x.putScalar(new long[] {2, 0, 1}, Float.POSITIVE_INFINITY);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Trainer.fit(new LinearEngine(new HookRecorder()), batches(X, 2), FitOptions.builder()
            .verbose(0).validationData(x, labelsOf(VALIDATION_X)).build()));
    assertEquals("the validation data's features holds a non-finite value (NaN or infinite) in"
        + " row 2: [0.4, Infinity, 0.0]; remove or repair that sample before training",
        e.getMessage());
  }

  @Test
  void oneCallAtATimeHoldsForEveryEngine() {
    LinearEngine engine = new LinearEngine(new HookRecorder());
    LambdaCallback evaluatesInside = LambdaCallback.builder().onEpochEnd((epoch, logs) ->
        Trainer.evaluate(engine, batches(X, 2), EvaluateOptions.builder().verbose(0).build()))
        .build();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Trainer.fit(engine, batches(X, 2),
            FitOptions.builder().verbose(0).callbacks(evaluatesInside).build()));
    assertTrue(e.getMessage().startsWith("cannot start evaluate: fit on thread '"
        + Thread.currentThread().getName() + "' is still running on this model"), e.getMessage());
    Trainer.evaluate(engine, batches(X, 2), EvaluateOptions.builder().verbose(0).build());
  }

  /** The guard is per model: a callback of one engine's fit may evaluate another engine. */
  @Test
  void callsOnDifferentEnginesMayNest() {
    LinearEngine other = new LinearEngine(new HookRecorder());
    List<Logs> evaluations = new ArrayList<>();
    LambdaCallback evaluatesOther = LambdaCallback.builder().onEpochEnd((epoch, logs) ->
        evaluations.add(Trainer.evaluate(other, batches(X, 2),
            EvaluateOptions.builder().verbose(0).build()))).build();
    Trainer.fit(new LinearEngine(new HookRecorder()), batches(X, 2),
        FitOptions.builder().epochs(2).verbose(0).callbacks(evaluatesOther).build());
    assertEquals(2, evaluations.size());
  }

  /** Keras's validation_steps: each validation run goes on where the previous one stopped. */
  @Test
  void validationStepsContinueThroughTheValidationData() {
    LinearEngine engine = new LinearEngine(new HookRecorder());
    Trainer.fit(engine, batches(X, 2), FitOptions.builder().epochs(3).verbose(0)
        .validationData(batches(VALIDATION_X, 2)).validationSteps(1).build());
    // Validation batches of 2 and 1 rows: epoch 1 the first, epoch 2 the second, epoch 3 the first.
    assertEquals(List.of(2L, 1L, 2L), engine.testedRows);
  }

  /** A callback that keeps the model and params it was given. */
  private static final class Given implements io.github.callbacks4j.Callback {
    Model model;
    io.github.callbacks4j.Params params;

    @Override public void setModel(Model model) { this.model = model; }
    @Override public void setParams(io.github.callbacks4j.Params params) { this.params = params; }
  }

  @Test
  void evaluateAndPredictGiveEachCallbackTheModelAndTheirParams() {
    LinearEngine engine = new LinearEngine(new HookRecorder());
    Given evaluated = new Given();
    Trainer.evaluate(engine, batches(VALIDATION_X, 2),
        EvaluateOptions.builder().verbose(0).callbacks(evaluated).build());
    assertSame(engine, evaluated.model);
    assertEquals(List.of(1, 2, 3), List.of(evaluated.params.epochs(), evaluated.params.steps(),
        evaluated.params.samples().orElseThrow()));
    Given predicted = new Given();
    Trainer.predict(engine, batches(X, 2),
        PredictOptions.builder().verbose(0).callbacks(predicted).build());
    assertSame(engine, predicted.model);
    assertEquals(List.of(1, 3, 5), List.of(predicted.params.epochs(), predicted.params.steps(),
        predicted.params.samples().orElseThrow()));
  }


  /** As Keras: a progress bar when verbose, unless the callbacks hold one already. */
  @Test
  void verboseAddsAProgressBarUnlessOneIsGiven() {
    LinearEngine engine = new LinearEngine(new HookRecorder());
    assertEquals("", StandardOutput.of(() -> Trainer.fit(engine, batches(X, 2),
        FitOptions.builder().epochs(2).verbose(0).build())));
    String[] lines = StandardOutput.of(() -> Trainer.fit(engine, batches(X, 2),
        FitOptions.builder().epochs(2).verbose(2).build())).split("\n");
    assertEquals(4, lines.length, String.join("\n", lines));
    assertEquals("Epoch 1/2", lines[0]);
    assertTrue(lines[1].startsWith("3/3 - "), lines[1]);
    assertTrue(StandardOutput.of(() -> Trainer.evaluate(engine, batches(X, 2),
        EvaluateOptions.builder().verbose(2).build())).startsWith("3/3 - "));

    java.io.ByteArrayOutputStream own = new java.io.ByteArrayOutputStream();
    ProgbarLogger given = ProgbarLogger.builder().interactive(false)
        .output(new java.io.PrintStream(own, true, java.nio.charset.StandardCharsets.UTF_8)).build();
    assertEquals("", StandardOutput.of(() -> Trainer.fit(engine, batches(X, 2),
        FitOptions.builder().epochs(2).verbose(2).callbacks(given).build())));
    assertEquals(4, own.toString(java.nio.charset.StandardCharsets.UTF_8).split("\n").length);
  }

  @Test
  void stepsThatAreNotBatchesMustHaveAtLeastOneStep() {
    LinearEngine engine = new LinearEngine(new HookRecorder());
    StepSource none = new StepSource() {
      @Override public int steps() { return 0; }
      @Override public int samples() { return 0; }
      @Override public int batchSize(int step) { return 0; }
      @Override public void startPass(java.util.Random shuffle) {}
      @Override public void skip(int steps) {}
      @Override public double trainNext(TrainingEngine e, double[] sums) { return 0; }
      @Override public double testNext(TrainingEngine e, double[] sums) { return 0; }
      @Override public int lastStepSamples() { return 0; }
      @Override public String toString() { return "no steps"; }
    };
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Trainer.fit(engine, none, null, FitOptions.builder().verbose(0).build()));
    assertEquals("the training steps are empty: no steps has no steps per epoch", e.getMessage());
  }
}
