package io.github.callbacks4j.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.callbacks4j.Callback;
import io.github.callbacks4j.Logs;
import io.github.callbacks4j.Model;
import io.github.callbacks4j.callbacks.BackupAndRestore;
import io.github.callbacks4j.callbacks.History;
import io.github.callbacks4j.callbacks.ModelCheckpoint;
import io.github.callbacks4j.callbacks.SwapEMAWeights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.nd4j.linalg.profiler.OpProfiler;
import org.nd4j.linalg.profiler.ProfilerConfig;

/**
 * The engine's EMA of the weights (Keras 3's optimizer {@code use_ema}) and {@link SwapEMAWeights},
 * mirroring keras/src/callbacks/swap_ema_weights_test.py and the EMA part of
 * keras/src/optimizers/adam_test.py.
 */
class SwapEMAWeightsTest {
  /** As the Keras test's data: 10 samples of 3 features, two one-hot classes. */
  private static final INDArray X;
  private static final INDArray Y;

  static {
    Nd4j.getRandom().setSeed(2023);
    X = Nd4j.randn(DataType.FLOAT, 10, 3);
    Y = Nd4j.zeros(DataType.FLOAT, 10, 2);
    for (int i = 0; i < 10; i++) {
      Y.putScalar(i, i % 2, 1);
    }
  }

  /** Keras's _get_compiled_model: one Dense(2), SGD with use_ema and ema_momentum=0.9, MSE. */
  private static Sequential compiled(boolean useEma) {
    Sequential model = new Sequential().seed(7)
        .add(new Dense(2).inputSize(3).activation(Activation.IDENTITY));
    return useEma
        ? model.compile(LossFunction.MSE, new Sgd(0.1), Ema.builder().momentum(0.9).build(), "mse")
        : model.compile(LossFunction.MSE, new Sgd(0.1), "mse");
  }

  private static FitOptions.Builder twoEpochs(Object... callbacks) {
    return FitOptions.builder().epochs(2).batchSize(4).shuffle(false).verbose(0)
        .validationData(X, Y).validationBatchSize(10).callbacks(callbacks);
  }

  private static double evaluatedMse(Sequential model) {
    return model.evaluate(X, Y, EvaluateOptions.builder().batchSize(10).build()).get("mse");
  }

  /** adam_test.py test_ema: the first step sets the average, each later one moves it by 0.1. */
  @Test
  void emaAfterEachStepIsTheHandComputedAverage() {
    Sequential model = compiled(true);
    float momentum = 0.9f;
    float[] expected = null;
    for (int step = 0; step < 4; step++) {
      model.trainOnBatch(X, Y);
      float[] weights = model.parameters().toFloatVector();
      if (expected == null) {
        expected = weights.clone(); // Keras: momentum is 0 while iterations == 0
        assertArrayEquals(expected, model.emaParameters().toFloatVector());
      } else {
        for (int i = 0; i < expected.length; i++) {
          expected[i] = momentum * expected[i] + (1f - momentum) * weights[i];
        }
        assertArrayEquals(expected, model.emaParameters().toFloatVector(), 1e-6f);
        assertFalse(model.parameters().equals(model.emaParameters()),
            "the model trains its own weights, not the average");
      }
    }
  }

  /** As Keras trains on from finalized weights: the swapped-in average is trained, and averaged. */
  @Test
  void trainingWithTheAverageSwappedInTrainsFromIt() {
    Sequential model = compiled(true);
    model.trainOnBatch(X, Y);
    model.trainOnBatch(X, Y);
    model.swapEmaWeights(true);
    INDArray average = model.emaParameters();
    assertEquals(average, model.parameters());
    model.trainOnBatch(X, Y);
    float[] before = average.toFloatVector();
    float[] weights = model.parameters().toFloatVector();
    float[] expected = new float[before.length];
    for (int i = 0; i < expected.length; i++) {
      expected[i] = 0.9f * before[i] + (1f - 0.9f) * weights[i];
    }
    assertArrayEquals(expected, model.emaParameters().toFloatVector(), 1e-6f);
    model.swapEmaWeights(false); // nothing to swap back: the average is in its own place again
    assertArrayEquals(weights, model.parameters().toFloatVector());
  }

  /** Keras's ema_overwrite_frequency: (iterations + 1) % n == 0 copies the average in. */
  @Test
  void overwriteFrequencyCopiesTheAverageIntoTheWeightsEveryNthStep() {
    Sequential model = new Sequential().seed(7)
        .add(new Dense(2).inputSize(3).activation(Activation.IDENTITY))
        .compile(LossFunction.MSE, new Sgd(0.1),
            Ema.builder().momentum(0.9).overwriteFrequency(3).build(), "mse");
    model.trainOnBatch(X, Y); // the first step sets the average to the weights
    for (int step = 2; step <= 6; step++) {
      model.trainOnBatch(X, Y);
      assertEquals(step % 3 == 0, model.parameters().equals(model.emaParameters()),
          "after step " + step);
    }
  }

  @Test
  void theAverageCostsOneNativeOpPerStep() {
    Sequential plain = compiled(false);
    Sequential averaged = compiled(true);
    plain.trainOnBatch(X, Y); // past the first step's allocations
    averaged.trainOnBatch(X, Y);
    assertEquals(opsOfOneStep(plain) + 1, opsOfOneStep(averaged));
  }

  private static long opsOfOneStep(Sequential model) {
    Nd4j.getExecutioner().setProfilingConfig(ProfilerConfig.builder().stackTrace(true).build());
    try {
      OpProfiler.getInstance().reset();
      model.trainOnBatch(X, Y);
      return OpProfiler.getInstance().getInvocationsCount();
    } finally {
      Nd4j.getExecutioner().setProfilingConfig(ProfilerConfig.builder().build());
      OpProfiler.getInstance().reset();
    }
  }

  /** test_swap_ema_weights_with_invalid_optimizer. */
  @Test
  void failsAtTrainBeginWhenTheModelKeepsNoEma() {
    List<String> begun = new ArrayList<>();
    Callback probe = new Callback() {
      @Override
      public void onEpochBegin(int epoch, Logs logs) {
        begun.add("epoch " + epoch);
      }
    };
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> compiled(false)
        .fit(X, Y, twoEpochs(new SwapEMAWeights(), probe).build()));
    assertTrue(e.getMessage().startsWith("SwapEMAWeights needs a model that keeps an exponential"
        + " moving average of its weights (Keras: use_ema=True on the optimizer), but"
        + " io.github.callbacks4j.runtime.Sequential keeps none"), e.getMessage());
    assertEquals(List.of(), begun, "it fails before the first epoch");
  }

  /** test_swap_ema_weights: validation with the EMA equals evaluate() after fit (EMA finalized). */
  @Test
  void validationUsesTheEmaWeightsAsEvaluateAfterFitDoes() {
    Sequential without = compiled(true);
    History plain = without.fit(X, Y, twoEpochs().build());
    assertNotEquals(last(plain, "val_mse"), evaluatedMse(without));

    Sequential with = compiled(true);
    History swapped = with.fit(X, Y, twoEpochs(new SwapEMAWeights()).build());
    assertEquals(last(swapped, "val_mse"), evaluatedMse(with));
    // Training went on with the model's own weights: both runs end on the same average.
    assertEquals(without.parameters(), with.parameters());
  }

  /** Which weights the model holds at each hook, for the runs below. */
  private static final class WhichWeights implements Callback {
    final List<String> seen = new ArrayList<>();
    final List<INDArray> emaAtEpochEnd = new ArrayList<>();
    private Sequential model;

    @Override
    public void setModel(Model model) {
      this.model = (Sequential) model;
    }

    private String which() {
      return model.parameters().equals(model.emaParameters()) ? "ema" : "own";
    }

    /** After two steps of the epoch (after one, the average is the weights in epoch 0). */
    @Override
    public void onTrainBatchBegin(int batch, Logs logs) {
      if (batch == 2) {
        seen.add("train " + which());
      }
    }

    @Override
    public void onTestBatchBegin(int batch, Logs logs) {
      seen.add("test " + which());
    }

    @Override
    public void onEpochEnd(int epoch, Logs logs) {
      seen.add("epoch end " + which());
      emaAtEpochEnd.add(model.emaParameters());
    }

    @Override
    public void onTrainEnd(Logs logs) {
      seen.add("train end " + which());
    }
  }

  @Test
  void swapsInForValidationOnlyAndTheAverageIsInTheWeightsAfterFit() {
    WhichWeights probe = new WhichWeights();
    Sequential model = compiled(true);
    model.fit(X, Y, twoEpochs(new SwapEMAWeights(), probe).build());
    assertEquals(List.of("train own", "test ema", "epoch end own", "train own", "test ema",
        "epoch end own", "train end ema"), probe.seen);
  }

  /** test_swap_ema_weights_on_epoch: a ModelCheckpoint after it saves the EMA weights. */
  @Test
  void swapOnEpochLetsModelCheckpointSaveTheEmaWeights(@TempDir Path dir) throws IOException {
    WhichWeights probe = new WhichWeights();
    Sequential model = compiled(true);
    model.fit(X, Y, twoEpochs(SwapEMAWeights.builder().swapOnEpoch(true).build(),
        ModelCheckpoint.builder(dir.resolve("{epoch:1d}.c4j").toString()).build(), probe)
        .build());
    assertEquals(List.of("train own", "test ema", "epoch end ema", "train own", "test ema",
        "epoch end ema", "train end ema"), probe.seen);

    Sequential first = Sequential.load(dir.resolve("1.c4j"));
    assertEquals(probe.emaAtEpochEnd.get(0), first.parameters());
    Sequential second = Sequential.load(dir.resolve("2.c4j"));
    assertEquals(evaluatedMse(model), evaluatedMse(second));
    assertEquals(model.parameters(), second.parameters());
  }

  /** Where Keras's swap_on_epoch leaves the own weights in the EMA slot, fit ends on the EMA. */
  @Test
  void swapOnEpochStoppedEarlyStillEndsWithTheEmaInTheWeights() {
    WhichWeights probe = new WhichWeights();
    Callback stopAfterFirstEpoch = new Callback() {
      private Model model;

      @Override
      public void setModel(Model model) {
        this.model = model;
      }

      @Override
      public void onEpochEnd(int epoch, Logs logs) {
        model.stopTraining();
      }
    };
    Sequential model = compiled(true);
    model.fit(X, Y, twoEpochs(SwapEMAWeights.builder().swapOnEpoch(true).build(), probe,
        stopAfterFirstEpoch).epochs(3).build());
    assertEquals(List.of("train own", "test ema", "epoch end ema", "train end ema"), probe.seen);
    assertEquals(probe.emaAtEpochEnd.get(0), model.parameters());
    assertEquals(model.parameters(), model.emaParameters());
  }

  @Test
  void theAverageSurvivesSaveLoadAndSnapshotRestore(@TempDir Path dir) throws IOException {
    Sequential model = compiled(true);
    model.trainOnBatch(X, Y);
    model.trainOnBatch(X, Y);
    model.save(dir.resolve("model.c4j"));
    Sequential loaded = Sequential.load(dir.resolve("model.c4j"));
    assertTrue(loaded.hasEma());
    assertEquals(model.emaParameters(), loaded.emaParameters());

    var snapshot = model.snapshot();
    model.trainOnBatch(X, Y);
    loaded.trainOnBatch(X, Y);
    assertEquals(model.emaParameters(), loaded.emaParameters());
    assertEquals(model.parameters(), loaded.parameters());

    INDArray after = model.emaParameters();
    model.restore(snapshot);
    model.trainOnBatch(X, Y);
    assertEquals(after, model.emaParameters());

    Sequential plain = compiled(false);
    plain.loadState(dir.resolve("model.c4j"));
    assertTrue(plain.hasEma(), "loadState takes the file's optimizer, EMA included");
  }

  /** The digits run of ResumeTest, with an EMA, SwapEMAWeights and validation. */
  private static INDArray[] digitsRun(Path dir, BackupAndRestore.Builder backup,
      Callback crash) {
    Sequential model = new Sequential().seed(3)
        .add(new Dense(32).inputSize(64).activation(Activation.RELU))
        .add(new Dense(10).activation(Activation.SOFTMAX))
        .compile(LossFunction.MCXENT, new Adam(1e-2), Ema.builder().momentum(0.8).build(),
            "accuracy");
    List<Object> callbacks = new ArrayList<>();
    callbacks.add(SwapEMAWeights.builder().swapOnEpoch(true).build());
    if (crash != null) {
      callbacks.add(crash);
    }
    callbacks.add(backup.build());
    model.fit(ResumeTest.DIGITS.x, ResumeTest.DIGITS.y, FitOptions.builder().epochs(4)
        .batchSize(32).validationSplit(0.25).seed(21).verbose(0).callbacks(callbacks.toArray())
        .build());
    return new INDArray[] {model.parameters(), model.emaParameters()};
  }

  /** {@code saveFreq} 0: back up at epoch ends. */
  private void assertResumesExactly(Path root, int saveFreq, int crashEpoch, int crashBatch) {
    INDArray[] straight = digitsRun(root, backup(root.resolve("straight"), saveFreq), null);
    BackupAndRestore.Builder backup = backup(root.resolve("resumed"), saveFreq);
    assertThrows(IllegalStateException.class, () -> digitsRun(root, backup,
        new ResumeTest.CrashAt(crashEpoch, crashBatch)));
    INDArray[] resumed = digitsRun(root, backup, null);
    assertEquals(straight[0], resumed[0]);
    assertEquals(straight[1], resumed[1]);
  }

  private static BackupAndRestore.Builder backup(Path dir, int saveFreq) {
    BackupAndRestore.Builder backup = BackupAndRestore.builder(dir);
    return saveFreq == 0 ? backup : backup.saveFreq(saveFreq);
  }

  @Test
  void resumesMidEpochWithTheSameAverage(@TempDir Path root) {
    assertResumesExactly(root, 3, 2, 5);
  }

  /** Epoch backups are written while swapOnEpoch holds the EMA in the weights. */
  @Test
  void resumesFromAnEpochBackupTakenWithTheEmaSwappedIn(@TempDir Path root) {
    assertResumesExactly(root, 0, 2, 5);
  }

  @Test
  void emaOptionsAreCheckedAsKerasChecksThem() {
    IllegalArgumentException momentum = assertThrows(IllegalArgumentException.class,
        () -> Ema.builder().momentum(1.5));
    assertEquals("EMA momentum must be in the range [0, 1] (Keras's ema_momentum), got 1.5",
        momentum.getMessage());
    IllegalArgumentException frequency = assertThrows(IllegalArgumentException.class,
        () -> Ema.builder().overwriteFrequency(0));
    assertEquals("EMA overwriteFrequency must be an integer >= 1 (Keras's ema_overwrite_frequency),"
        + " got 0; leave it unset not to overwrite", frequency.getMessage());
    assertEquals(0.99, Ema.builder().build().momentum());
    assertTrue(Ema.builder().build().overwriteFrequency().isEmpty());
  }

  private static double last(History history, String key) {
    List<Double> values = history.history().get(key);
    return values.get(values.size() - 1);
  }
}
