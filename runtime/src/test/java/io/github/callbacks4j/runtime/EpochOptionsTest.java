package io.github.callbacks4j.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.callbacks4j.Callback;
import io.github.callbacks4j.Logs;
import io.github.callbacks4j.Params;
import io.github.callbacks4j.callbacks.BackupAndRestore;
import io.github.callbacks4j.callbacks.EarlyStopping;
import io.github.callbacks4j.callbacks.History;
import io.github.callbacks4j.callbacks.StandardError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Keras's validationFreq, stepsPerEpoch, validationSteps and validationBatchSize in fit. */
class EpochOptionsTest {
  private static final Digits TRAIN = Digits.load().head(10);
  private static final Digits VALIDATION = Digits.load().head(5);

  /** Records, per epoch, the epoch-end log keys, training batches and validation batch sizes. */
  private static final class Recorder implements Callback {
    final List<List<String>> epochKeys = new ArrayList<>();
    final List<Integer> trainBatches = new ArrayList<>();
    final List<List<Integer>> validationSizes = new ArrayList<>();
    int steps;
    private int batches;
    private List<Integer> sizes;

    @Override
    public void setParams(Params params) {
      steps = params.steps();
    }

    @Override
    public void onEpochBegin(int epoch, Logs logs) {
      batches = 0;
      sizes = new ArrayList<>();
    }

    @Override
    public void onTrainBatchEnd(int batch, Logs logs) {
      batches++;
    }

    @Override
    public void onTestBatchBegin(int batch, Logs logs) {
      sizes.add((int) logs.get("size"));
    }

    @Override
    public void onEpochEnd(int epoch, Logs logs) {
      epochKeys.add(List.copyOf(logs.keys()));
      trainBatches.add(batches);
      validationSizes.add(sizes);
    }
  }

  private static FitOptions.Builder options(Callback... callbacks) {
    return FitOptions.builder().batchSize(2).shuffle(false).verbose(0).callbacks((Object[]) callbacks);
  }

  @Test
  void validationFreqValidatesEveryNthEpochOrTheListedOnes() {
    Recorder every2 = new Recorder();
    EarlyStopping stopping = EarlyStopping.builder().monitor("val_loss").patience(0).build();
    History history = Models.digits(1).fit(TRAIN.x, TRAIN.y, options(every2, stopping).epochs(4)
        .validationData(VALIDATION.x, VALIDATION.y).validationFreq(2).build());
    List<String> trained = List.of("accuracy", "loss");
    List<String> validated = List.of("accuracy", "loss", "val_accuracy", "val_loss");
    // EarlyStopping skips epochs without val_loss (as Keras's does), so it cannot stop at epoch 0.
    assertEquals(List.of(trained, validated, trained, validated).subList(0,
        every2.epochKeys.size()), every2.epochKeys);
    assertTrue(every2.epochKeys.size() >= 2, "ran past the first unvalidated epoch");
    assertEquals(every2.epochKeys.size() / 2, history.history().get("val_loss").size());

    Recorder listed = new Recorder();
    Models.digits(1).fit(TRAIN.x, TRAIN.y, options(listed).epochs(4)
        .validationData(VALIDATION.x, VALIDATION.y).validationFreq(Set.of(1, 4)).build());
    assertEquals(List.of(validated, trained, trained, validated), listed.epochKeys);

    IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
        () -> FitOptions.builder().validationFreq(Set.of(0, 2)));
    assertTrue(zero.getMessage().contains("counted from 1"), zero.getMessage());
  }

  /**
   * 5 batches per pass and 2 per epoch: epochs take batches 0-1, 2-3, then only 4 (the pass runs
   * out: Keras ends that epoch early), then a new pass 0-1, 2-3. The weights match training those
   * batches one by one.
   */
  @Test
  void stepsPerEpochContinuesWhereTheDataLeftOff() {
    Recorder recorder = new Recorder();
    Sequential model = Models.digits(2);
    model.fit(TRAIN.x, TRAIN.y, options(recorder).epochs(5).stepsPerEpoch(2).build());
    assertEquals(2, recorder.steps, "Params.steps() is stepsPerEpoch");
    assertEquals(List.of(2, 2, 1, 2, 2), recorder.trainBatches);

    Sequential byHand = Models.digits(2);
    for (int batch : new int[] {0, 1, 2, 3, 4, 0, 1, 2, 3}) {
      byHand.trainOnBatch(TRAIN.x.get(range(2 * batch, 2 * batch + 2)),
          TRAIN.y.get(range(2 * batch, 2 * batch + 2)));
    }
    assertEquals(byHand.parameters(), model.parameters());
  }

  @Test
  void stepsPerEpochOnAnIteratorContinuesTooAndResumesExactly(@TempDir Path dir) {
    DataSet rows = new DataSet(TRAIN.x, TRAIN.y);
    Sequential straight = Models.digits(4);
    straight.fit(new ViewIterator(rows, 2), options().epochs(5).stepsPerEpoch(3).build());

    Sequential dying = Models.digits(4);
    Path backup = dir.resolve("backup");
    assertThrows(IllegalStateException.class, () -> dying.fit(new ViewIterator(rows, 2),
        options(new ResumeTest.CrashAt(2, 0), BackupAndRestore.builder(backup).saveFreq(1).build())
            .epochs(5).stepsPerEpoch(3).build()));
    Sequential resumed = Models.digits(4);
    resumed.fit(new ViewIterator(rows, 2), options(BackupAndRestore.builder(backup).build())
        .epochs(5).stepsPerEpoch(3).build());
    assertEquals(straight.parameters(), resumed.parameters());
  }

  /**
   * An epoch inside a pass continues the iterator where the previous one stopped, without a
   * reset: an iterator that reorders its rows on every reset(), as DL4J's shuffling iterators
   * do, still gives each row once per pass. Three epochs of 2, 2 and 1 batches then train as one
   * epoch over the whole pass.
   */
  @Test
  void epochsInsideAPassDoNotResetTheIterator() {
    Sequential inEpochs = Models.digits(7);
    inEpochs.fit(new ReshufflingIterator(2), options().epochs(3).stepsPerEpoch(2).build());
    Sequential inOne = Models.digits(7);
    inOne.fit(new ReshufflingIterator(2), options().epochs(1).build());
    assertEquals(inOne.parameters(), inEpochs.parameters());
  }

  /** Shuffles its own copy of the training rows, with the next seed, on every reset(). */
  private static final class ReshufflingIterator extends ViewIterator {
    private final DataSet rows;
    private long resets;

    ReshufflingIterator(int batchSize) {
      this(new DataSet(TRAIN.x.dup(), TRAIN.y.dup()), batchSize);
    }

    private ReshufflingIterator(DataSet rows, int batchSize) {
      super(rows, batchSize);
      this.rows = rows;
    }

    @Override
    public void reset() {
      rows.shuffle(++resets);
      super.reset();
    }
  }

  /** 5 validation rows in batches of 2: 2, 2, 1; one batch per validation, continuing. */
  @Test
  void validationStepsAndBatchSizeDrawValidationBatchesInTurn() {
    Recorder recorder = new Recorder();
    Models.digits(3).fit(TRAIN.x, TRAIN.y, options(recorder).epochs(4).batchSize(5)
        .validationData(VALIDATION.x, VALIDATION.y).validationBatchSize(2).validationSteps(1)
        .build());
    assertEquals(List.of(List.of(2), List.of(2), List.of(1), List.of(2)),
        recorder.validationSizes);
    assertEquals(List.of(2, 2, 2, 2), recorder.trainBatches, "batchSize 5 trains 10 rows in 2");

    IllegalArgumentException iterator = assertThrows(IllegalArgumentException.class,
        () -> FitOptions.builder().validationBatchSize(2)
            .validationData(new ViewIterator(new DataSet(VALIDATION.x, VALIDATION.y), 2)).build());
    assertTrue(iterator.getMessage().contains("set the batch size on the validation iterator"),
        iterator.getMessage());
    Recorder none = new Recorder();
    IllegalArgumentException noValidation = assertThrows(IllegalArgumentException.class,
        () -> Models.digits(3).fit(TRAIN.x, TRAIN.y, options(none).validationFreq(2).build()));
    assertTrue(noValidation.getMessage().contains("this fit has no validation data"),
        noValidation.getMessage());
    assertEquals(List.of(), none.epochKeys, "refused before any epoch");
  }

  /**
   * A backup taken inside a pass resumes both kinds of runs where they were: 5 training batches
   * in runs of 2 (the crash is in epoch 1, at batch 2 of the pass) and 3 validation batches in
   * runs of 1 (epoch 1 validates on the second). Same weights and val_loss as without the crash.
   */
  @Test
  void aResumeInsideAPassContinuesTheTrainingAndTheValidationData(@TempDir Path dir) {
    Sequential straightModel = Models.digits(5);
    History straight = straightModel.fit(TRAIN.x, TRAIN.y, insideAPass().build());
    Path backup = dir.resolve("backup");
    assertThrows(IllegalStateException.class, () -> Models.digits(5).fit(TRAIN.x, TRAIN.y,
        insideAPass().callbacks(new ResumeTest.CrashAt(1, 1),
            BackupAndRestore.builder(backup).saveFreq(1).build()).build()));
    Sequential resumed = Models.digits(5);
    History resumedHistory = resumed.fit(TRAIN.x, TRAIN.y,
        insideAPass().callbacks(BackupAndRestore.builder(backup).build()).build());
    List<Double> validationLosses = straight.history().get("val_loss");
    assertEquals(validationLosses.subList(1, 4), tail(resumedHistory.history().get("val_loss"), 3));
    assertEquals(straightModel.parameters(), resumed.parameters());
  }

  private static FitOptions.Builder insideAPass() {
    return options().epochs(4).stepsPerEpoch(2).validationData(VALIDATION.x, VALIDATION.y)
        .validationBatchSize(2).validationSteps(1);
  }

  private static List<Double> tail(List<Double> values, int count) {
    return values.subList(values.size() - count, values.size());
  }

  /** Each epoch's order depends on the seed and the epoch only, whatever epoch a fit starts at. */
  @Test
  void aFitFromAnInitialEpochShufflesItsEpochsAsAFitFromTheStartDoes() {
    Sequential whole = Models.digits(6);
    whole.fit(TRAIN.x, TRAIN.y, options().shuffle(true).seed(9).epochs(3).build());
    Sequential inTwo = Models.digits(6);
    inTwo.fit(TRAIN.x, TRAIN.y, options().shuffle(true).seed(9).epochs(1).build());
    inTwo.fit(TRAIN.x, TRAIN.y, options().shuffle(true).seed(9).epochs(3).initialEpoch(1).build());
    assertEquals(whole.parameters(), inTwo.parameters());
  }

  /**
   * 5 training batches in runs of 2 and 3 validation batches in runs of 2: both end passes early,
   * and each says so once per fit.
   */
  @Test
  void aRunCutShortByTheEndOfThePassIsWarnedOncePerKindOfRun() {
    String log = StandardError.of(() -> Models.digits(2).fit(TRAIN.x, TRAIN.y, options().epochs(6)
        .stepsPerEpoch(2).validationData(VALIDATION.x, VALIDATION.y).validationBatchSize(2)
        .validationSteps(2).build()));
    String logger = "WARN " + TrainingLoop.class.getName() + " - ";
    List<String> warnings = log.lines()
        .filter(line -> line.contains(logger))
        .map(line -> line.substring(line.indexOf(logger) + logger.length())).toList();
    assertEquals(List.of("validationSteps(2) asks for more validation batches than remain in this"
        + " pass over the data (1 of 3): this run ends after 1 and the next starts a new pass, as"
        + " in Keras. A validationSteps that divides 3 keeps runs equal",
        "stepsPerEpoch(2) asks for more training batches than remain in this pass over the data"
        + " (1 of 5): this run ends after 1 and the next starts a new pass, as in Keras. A"
        + " stepsPerEpoch that divides 5 keeps runs equal"), warnings);
  }

  private static INDArrayIndex range(int from, int to) {
    return NDArrayIndex.interval(from, to);
  }
}
