package io.github.callbacks4j.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.callbacks4j.CallbackList;
import io.github.callbacks4j.Hook;
import io.github.callbacks4j.Logs;
import io.github.callbacks4j.ModelState;
import io.github.callbacks4j.Params;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** LearningRateScheduler, TerminateOnNaN, Timer, LambdaCallback, BaseLogger and History. */
class SmallCallbacksTest {

  @Test
  void learningRateSchedulerSetsTheRateAtEpochBeginAndLogsIt() {
    List<Logs> epochLogs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      epochLogs.add(Logs.of("loss", 1));
    }
    ScriptedLoop loop = new ScriptedLoop().fit(LearningRateScheduler.builder(
        (epoch, lr) -> epoch < 2 ? lr : lr * 0.5).build(), epochLogs);
    assertEquals(List.of(1.0, 1.0, 0.5, 0.25), loop.learningRates);
  }

  @Test
  void learningRateSchedulerRejectsABadRateNamingTheEpoch() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ScriptedLoop().fit(LearningRateScheduler.builder(
            (epoch, lr) -> epoch == 1 ? Double.NaN : lr).build(), "loss", 1, 1));
    assertEquals("the learning rate schedule returned NaN for epoch 1; it must return a positive"
        + " finite number", e.getMessage());
  }

  @Test
  void learningRateSchedulerRefusesZeroAndInfinityAndSaysWhatItSets() {
    for (double bad : new double[] {0.0, -0.1, Double.POSITIVE_INFINITY}) {
      assertThrows(IllegalArgumentException.class, () -> new ScriptedLoop().fit(
          LearningRateScheduler.builder((epoch, lr) -> bad).build(), "loss", 1), () -> "" + bad);
    }
    LearningRateScheduler scheduler = LearningRateScheduler.builder((epoch, lr) -> lr / 2)
        .verbose(1).build();
    assertEquals("Epoch 1: LearningRateScheduler setting learning rate to 0.5.\n"
        + "Epoch 2: LearningRateScheduler setting learning rate to 0.25.\n",
        StandardOutput.of(() -> new ScriptedLoop().fit(scheduler, "loss", 1, 1)));
    assertEquals("LearningRateScheduler", scheduler.stateKey());
    assertEquals("", StandardOutput.of(() -> new ScriptedLoop().fit(
        LearningRateScheduler.builder((epoch, lr) -> lr).build(), "loss", 1)));
  }

  private static void batches(CallbackList callbacks, double... losses) {
    for (int b = 0; b < losses.length; b++) {
      callbacks.onTrainBatchEnd(b, Logs.of("loss", losses[b]));
    }
  }

  @Test
  void terminateOnNaNStopsOnANonFiniteBatchLoss() {
    FakeModel model = new FakeModel();
    CallbackList callbacks = CallbackList.of(new TerminateOnNaN());
    callbacks.setModel(model);
    batches(callbacks, 0.5, 0.4);
    assertFalse(model.stop);
    batches(callbacks, Double.POSITIVE_INFINITY);
    assertTrue(model.stop);
    assertEquals(EnumSet.of(Hook.TRAIN_BATCH_END), new TerminateOnNaN().implementedHooks());
  }

  @Test
  void terminateOnNaNCanRaise() {
    CallbackList callbacks = CallbackList.of(TerminateOnNaN.builder().raiseError(true).build());
    callbacks.setModel(new FakeModel());
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> batches(callbacks, 0.5, 0.4, 0.3, Double.NaN));
    assertEquals("Batch 3: Invalid loss NaN, terminating training", e.getMessage());
  }

  @Test
  void timerStopsOnceTheBudgetIsSpent() {
    long[] now = {0};
    Timer timer = Timer.builder(Duration.ofSeconds(10)).clock(() -> now[0]).build();
    FakeModel model = new FakeModel();
    CallbackList callbacks = CallbackList.of(timer);
    callbacks.setModel(model);
    callbacks.onTrainBegin(new Logs());
    int batch = 0;
    while (!model.stop) {
      now[0] += Duration.ofSeconds(4).toNanos();
      callbacks.onTrainBatchEnd(batch++, Logs.of("loss", 1));
    }
    assertEquals(3, batch); // 4 s, 8 s, 12 s >= 10 s
    assertEquals(Duration.ofSeconds(12), timer.elapsed());
    assertEquals(EnumSet.of(Hook.TRAIN_BEGIN, Hook.EPOCH_END),
        Timer.builder(Duration.ofMinutes(1)).interval(Timer.Interval.EPOCH).build().implementedHooks());
  }

  @Test
  void timerResumedFromABackupKeepsTheTimeAlreadySpent() {
    long[] now = {0};
    Timer first = Timer.builder(Duration.ofSeconds(10)).clock(() -> now[0]).build();
    first.onTrainBegin(new Logs());
    now[0] = Duration.ofSeconds(7).toNanos();
    Timer.State saved = first.saveState();

    Timer resumed = Timer.builder(Duration.ofSeconds(10)).clock(() -> now[0]).build();
    FakeModel model = new FakeModel();
    resumed.setModel(model);
    Runnable restore = resumed.prepareRestore(saved, java.util.Map.of());
    now[0] = Duration.ofSeconds(100).toNanos(); // a new process, much later
    resumed.onTrainBegin(new Logs());
    restore.run(); // as BackupAndRestore does, after the callback's own onTrainBegin
    assertEquals(Duration.ofSeconds(7), resumed.elapsed());
    now[0] += Duration.ofSeconds(2).toNanos();
    resumed.onTrainBatchEnd(0, new Logs());
    assertFalse(model.stop);
    now[0] += Duration.ofSeconds(1).toNanos();
    resumed.onTrainBatchEnd(1, new Logs());
    assertTrue(model.stop); // 7 + 3 = 10 s of the budget
  }

  @Test
  void lambdaCallbackCallsOnlyTheHooksGiven() {
    List<String> calls = new ArrayList<>();
    LambdaCallback callback = LambdaCallback.builder()
        .onTrainBegin(logs -> calls.add("trainBegin " + logs))
        .onEpochEnd((epoch, logs) -> calls.add("epochEnd " + epoch + " " + logs))
        .onBatchEnd((batch, logs) -> calls.add("batchEnd " + batch))
        .onPredictBatchBegin((batch, logs) -> calls.add("predictBatchBegin " + batch))
        .build();
    assertEquals(EnumSet.of(Hook.TRAIN_BEGIN, Hook.EPOCH_END, Hook.TRAIN_BATCH_END,
        Hook.PREDICT_BATCH_BEGIN), callback.implementedHooks());
    CallbackList callbacks = CallbackList.of(callback);
    callbacks.onTrainBegin(Logs.of("a", 1));
    callbacks.onTrainBatchEnd(4, new Logs());
    callbacks.onTestBatchEnd(5, new Logs());
    callbacks.onEpochEnd(2, Logs.of("loss", 0.5));
    callbacks.onPredictBatchBegin(6, new Logs());
    assertEquals(List.of("trainBegin {a=1.0}", "batchEnd 4", "epochEnd 2 {loss=0.5}",
        "predictBatchBegin 6"), calls);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> LambdaCallback
        .builder().onTrainBatchEnd((b, l) -> { }).onBatchEnd((b, l) -> { }));
    assertEquals("onTrainBatchEnd is already set (onBatchBegin/onBatchEnd are the same hooks as"
        + " onTrainBatchBegin/End)", e.getMessage());
  }

  @Test
  void lambdaCallbackReachesEveryHookItIsGiven() {
    List<String> calls = new ArrayList<>();
    LambdaCallback callback = LambdaCallback.builder()
        .onTrainBegin(logs -> calls.add("trainBegin"))
        .onTrainEnd(logs -> calls.add("trainEnd"))
        .onEpochBegin((i, logs) -> calls.add("epochBegin " + i))
        .onEpochEnd((i, logs) -> calls.add("epochEnd " + i))
        .onBatchBegin((i, logs) -> calls.add("trainBatchBegin " + i))
        .onTrainBatchEnd((i, logs) -> calls.add("trainBatchEnd " + i))
        .onTestBegin(logs -> calls.add("testBegin"))
        .onTestEnd(logs -> calls.add("testEnd"))
        .onTestBatchBegin((i, logs) -> calls.add("testBatchBegin " + i))
        .onTestBatchEnd((i, logs) -> calls.add("testBatchEnd " + i))
        .onPredictBegin(logs -> calls.add("predictBegin"))
        .onPredictEnd(logs -> calls.add("predictEnd"))
        .onPredictBatchBegin((i, logs) -> calls.add("predictBatchBegin " + i))
        .onPredictBatchEnd((i, logs) -> calls.add("predictBatchEnd " + i))
        .build();
    assertEquals(EnumSet.allOf(Hook.class), callback.implementedHooks());
    Logs logs = new Logs();
    callback.onTrainBegin(logs);
    callback.onTrainEnd(logs);
    callback.onEpochBegin(7, logs);
    callback.onEpochEnd(7, logs);
    callback.onTrainBatchBegin(7, logs);
    callback.onTrainBatchEnd(7, logs);
    callback.onTestBegin(logs);
    callback.onTestEnd(logs);
    callback.onTestBatchBegin(7, logs);
    callback.onTestBatchEnd(7, logs);
    callback.onPredictBegin(logs);
    callback.onPredictEnd(logs);
    callback.onPredictBatchBegin(7, logs);
    callback.onPredictBatchEnd(7, logs);
    assertEquals(List.of("trainBegin", "trainEnd", "epochBegin 7", "epochEnd 7",
        "trainBatchBegin 7", "trainBatchEnd 7", "testBegin", "testEnd", "testBatchBegin 7",
        "testBatchEnd 7", "predictBegin", "predictEnd", "predictBatchBegin 7", "predictBatchEnd 7"),
        calls);
    assertEquals("onTrainBatchBegin is already set (onBatchBegin/onBatchEnd are the same hooks as"
        + " onTrainBatchBegin/End)", assertThrows(IllegalStateException.class, () -> LambdaCallback
        .builder().onBatchBegin((b, l) -> { }).onTrainBatchBegin((b, l) -> { })).getMessage());
    assertEquals("onEpochEnd is already set", assertThrows(IllegalStateException.class,
        () -> LambdaCallback.builder().onEpochEnd((b, l) -> { }).onEpochEnd((b, l) -> { }))
        .getMessage());
  }

  @Test
  void baseLoggerAveragesBatchValuesWeightedBySize() {
    CallbackList callbacks = CallbackList.of(BaseLogger.builder().build());
    callbacks.setParams(Params.of(1, 2, 0));
    callbacks.onEpochBegin(0, new Logs());
    callbacks.onTrainBatchEnd(0, Logs.of("loss", 1.0, "size", 4, "accuracy", 0.5));
    callbacks.onTrainBatchEnd(1, Logs.of("loss", 2.0, "size", 2, "accuracy", 1.0));
    Logs epoch = new Logs();
    callbacks.onEpochEnd(0, epoch);
    assertEquals(Logs.of("loss", 8.0 / 6, "accuracy", 4.0 / 6), epoch);
  }

  @Test
  void baseLoggerStartsEachEpochAfresh() {
    CallbackList callbacks = CallbackList.of(BaseLogger.builder().build());
    callbacks.setParams(Params.of(2, 1, 0));
    callbacks.onEpochBegin(0, new Logs());
    callbacks.onTrainBatchEnd(0, Logs.of("loss", 1.0, "size", 4));
    callbacks.onEpochEnd(0, new Logs());
    callbacks.onEpochBegin(1, new Logs());
    callbacks.onTrainBatchEnd(0, Logs.of("loss", 3.0, "size", 2));
    Logs epoch = new Logs();
    callbacks.onEpochEnd(1, epoch);
    assertEquals(Logs.of("loss", 3.0), epoch);
  }

  @Test
  void timerAtEpochEndsStopsAndSaysSo() {
    long[] now = {0};
    Timer timer = Timer.builder(Duration.ofSeconds(10)).interval(Timer.Interval.EPOCH)
        .clock(() -> now[0]).build();
    FakeModel model = new FakeModel();
    CallbackList callbacks = CallbackList.of(timer);
    callbacks.setModel(model);
    callbacks.onTrainBegin(new Logs());
    now[0] = Duration.ofSeconds(9).toNanos();
    callbacks.onEpochEnd(0, new Logs());
    assertFalse(model.stop);
    now[0] = Duration.ofSeconds(10).toNanos();
    assertEquals("Time limit of PT10S reached; stopping training.\n",
        StandardOutput.of(() -> callbacks.onEpochEnd(1, new Logs())));
    assertTrue(model.stop, "exactly the budget is spent");
    assertEquals("", StandardOutput.of(() -> callbacks.onEpochEnd(2, new Logs())),
        "once stopping, it says nothing more");
  }

  @Test
  void historyAppendsAcrossFitsButRestartsEpochs() {
    History history = History.builder().build();
    ScriptedLoop loop = new ScriptedLoop();
    loop.fit(history, "loss", 3, 2);
    loop.fit(history, "loss", 1);
    assertEquals(List.of(0), history.epoch());
    assertEquals(List.of(3.0, 2.0, 1.0), history.history().get("loss"));
  }

  @Test
  void historyShowsWhatItRecorded() {
    History history = History.builder().build();
    new ScriptedLoop().fit(history, "loss", 3, 2);
    assertEquals("History{loss=[3.0, 2.0]}", history.toString());
  }

  @Test
  void lambdaCallbackTakesOnTrainBatchBeginByItsKeras3Name() {
    List<String> calls = new ArrayList<>();
    LambdaCallback callback = LambdaCallback.builder()
        .onTrainBatchBegin((batch, logs) -> calls.add("trainBatchBegin " + batch))
        .onEpochBegin((epoch, logs) -> calls.add("epochBegin " + epoch))
        .build();
    CallbackList callbacks = CallbackList.of(callback);
    callbacks.onEpochBegin(0, new Logs());
    callbacks.onTrainBatchBegin(3, new Logs());
    assertEquals(List.of("epochBegin 0", "trainBatchBegin 3"), calls);
  }

  /** Batch logs without a {@code size} weigh nothing: the epoch's own logs are left as they are. */
  @Test
  void baseLoggerLeavesTheEpochLogsWhenNoBatchHadASize() {
    CallbackList callbacks = CallbackList.of(BaseLogger.builder().build());
    callbacks.setParams(Params.of(1, 1, 0));
    callbacks.onEpochBegin(0, new Logs());
    callbacks.onTrainBatchEnd(0, Logs.of("loss", 1.0));
    Logs epoch = Logs.of("loss", 0.75);
    callbacks.onEpochEnd(0, epoch);
    assertEquals(Logs.of("loss", 0.75), epoch);
  }

  @Test
  void timerKeepsItsStateUnderItsName() {
    Timer timer = new Timer(Duration.ofSeconds(1));
    assertEquals("Timer", timer.stateKey());
    assertEquals(Timer.State.class, timer.stateType());
  }

  /** A user's stateful callback is keyed by its class unless it names itself. */
  @Test
  void aStatefulCallbackIsKeyedByItsClassByDefault() {
    StatefulCallback<TopLevelState> counting = new CountingCallback();
    assertEquals(CountingCallback.class.getName(), counting.stateKey());
  }

  private static final class CountingCallback implements StatefulCallback<TopLevelState> {
    private int count;

    @Override
    public Class<TopLevelState> stateType() {
      return TopLevelState.class;
    }

    @Override
    public TopLevelState saveState() {
      return new TopLevelState(count);
    }

    @Override
    public Runnable prepareRestore(TopLevelState state, Map<String, ModelState> snapshots) {
      return () -> count = state.count();
    }
  }
}
