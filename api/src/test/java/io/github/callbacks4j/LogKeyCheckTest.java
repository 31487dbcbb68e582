package io.github.callbacks4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A key a callback reads but its hook's logs never hold is reported once, with the nearest key. */
class LogKeyCheckTest {
  private static final List<String> EPOCH_KEYS =
      List.of("accuracy", "loss", "val_accuracy", "val_loss");

  private final List<String> warnings = new ArrayList<>();
  private final Logger jul = Logger.getLogger(CallbackList.class.getName());
  private final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord record) {
      warnings.add(record.getLevel() + " " + record.getMessage());
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  /** Reads one key on one hook, as a generated adapter with one {@code @Metric} would. */
  static final class Reader implements Callback {
    final List<Double> seen = new ArrayList<>();
    private final Hook hook;
    private final String key;

    Reader(Hook hook, String key) {
      this.hook = hook;
      this.key = key;
    }

    @Override
    public List<LogKey> logKeys() {
      return List.of(new LogKey(hook, key, "test.Report.read's @Metric"));
    }

    @Override
    public Set<Hook> implementedHooks() {
      return Set.of(hook);
    }

    @Override
    public void onEpochEnd(int epoch, Logs logs) {
      seen.add(logs.get(key, Double.NaN));
    }

    @Override
    public void onTrainBatchEnd(int batch, Logs logs) {
      seen.add(logs.get(key, Double.NaN));
    }
  }

  /** Adds a key to the epoch logs, as ReduceLROnPlateau adds learning_rate. */
  static final class Adds implements Callback {
    @Override
    public void onEpochEnd(int epoch, Logs logs) {
      logs.put("learning_rate", 0.01);
    }
  }

  private boolean parentHandlers;

  @BeforeEach
  void listen() {
    jul.addHandler(handler);
    parentHandlers = jul.getUseParentHandlers();
    jul.setUseParentHandlers(false); // the reports are asserted here, not printed on the console
  }

  @AfterEach
  void stopListening() {
    jul.removeHandler(handler);
    jul.setUseParentHandlers(parentHandlers);
  }

  private static void epochs(CallbackList list, int epochs, Logs epochLogs) {
    list.onTrainBegin(new Logs());
    for (int epoch = 0; epoch < epochs; epoch++) {
      list.onEpochBegin(epoch, new Logs());
      list.onTrainBatchEnd(0, Logs.of("loss", 0.5, "size", 32));
      list.onEpochEnd(epoch, epochLogs.copy());
    }
    list.onTrainEnd(new Logs());
  }

  private static Logs epochLogs() {
    return Logs.of("accuracy", 0.9, "loss", 0.3, "val_accuracy", 0.8, "val_loss", 0.4);
  }

  @Test
  void aMisspeltEpochKeyIsReportedOncePerFitWithTheClosestKey() {
    CallbackList list = CallbackList.of(new Reader(Hook.EPOCH_END, "val_acc"));
    epochs(list, 3, epochLogs());
    assertEquals(List.of("WARNING test.Report.read's @Metric reads \"val_acc\" on @OnEpochEnd, but"
        + " those logs have no such key; they hold accuracy, loss, val_accuracy, val_loss. Did you"
        + " mean \"val_accuracy\"?"), warnings);

    epochs(list, 2, epochLogs()); // a second fit is a new run: reported again, once
    assertEquals(2, warnings.size());
  }

  /**
   * With validationFreq, an epoch without validation has no val_ keys; the engine declares them
   * in Params.metrics, so reading one on epoch end is no mistake. Undeclared ones still are.
   */
  @Test
  void aKeyTheEngineDeclaresIsNotReportedWhenAnEpochLacksIt() {
    CallbackList list = CallbackList.of(new Reader(Hook.EPOCH_END, "val_loss"),
        new Reader(Hook.EPOCH_END, "val_los"));
    list.setParams(Params.of(2, 1, 0, 32, 32, List.of("loss", "val_loss")));
    epochs(list, 2, Logs.of("loss", 0.3));
    assertEquals(1, warnings.size(), warnings::toString);
    assertTrue(warnings.get(0).contains("reads \"val_los\" on @OnEpochEnd"), warnings::toString);
  }

  @Test
  void aKeyThatIsThereIsNotReported() {
    Reader reader = new Reader(Hook.EPOCH_END, "val_accuracy");
    epochs(CallbackList.of(reader), 2, epochLogs());
    assertEquals(List.of(), warnings);
    assertEquals(List.of(0.8, 0.8), reader.seen);
  }

  @Test
  void aKeyAddedByAnEarlierCallbackCountsAndALaterOneDoesNot() {
    epochs(CallbackList.of(new Adds(), new Reader(Hook.EPOCH_END, "learning_rate")), 1,
        epochLogs());
    assertEquals(List.of(), warnings);

    epochs(CallbackList.of(new Reader(Hook.EPOCH_END, "learning_rate"), new Adds()), 1,
        epochLogs());
    assertEquals(1, warnings.size());
    assertTrue(warnings.get(0).contains("reads \"learning_rate\" on @OnEpochEnd"), warnings::toString);
  }

  @Test
  void aValKeyOnABatchHookSaysBatchLogsNeverHoldThem() {
    epochs(CallbackList.of(new Reader(Hook.TRAIN_BATCH_END, "val_loss")), 2, epochLogs());
    assertEquals(List.of("WARNING test.Report.read's @Metric reads \"val_loss\" on"
        + " @OnTrainBatchEnd, but those logs have no such key; they hold loss, size. Did you mean"
        + " \"loss\"? Batch logs never hold val_ keys: read them on @OnEpochEnd."), warnings);
  }

  @Test
  void theReportComesAtTheEndOfTheFirstEpochNotBefore() {
    CallbackList list = CallbackList.of(new Reader(Hook.EPOCH_END, "val_acc"));
    list.onTrainBegin(new Logs());
    list.onEpochBegin(0, new Logs());
    list.onTrainBatchEnd(0, Logs.of("loss", 0.5));
    assertEquals(List.of(), warnings);
    list.onEpochEnd(0, epochLogs());
    assertEquals(1, warnings.size());
  }

  @Test
  void aLoopWithoutTrainBeginButWithValidationReportsEachKeyOnce() {
    Reader batch = new Reader(Hook.TRAIN_BATCH_END, "los");
    Reader epoch = new Reader(Hook.EPOCH_END, "val_acc");
    CallbackList list = CallbackList.of(batch, epoch);
    for (int e = 0; e < 3; e++) { // a custom loop: no onTrainBegin, validation inside the epoch
      list.onEpochBegin(e, new Logs());
      list.onTrainBatchEnd(0, Logs.of("loss", 0.5, "size", 32));
      list.onTestBegin(new Logs());
      list.onTestEnd(Logs.of("loss", 0.4));
      list.onEpochEnd(e, epochLogs());
    }
    assertEquals(2, warnings.size(), warnings::toString);
    assertTrue(warnings.get(0).contains("reads \"los\" on @OnTrainBatchEnd"), warnings::toString);
    assertTrue(warnings.get(1).contains("reads \"val_acc\" on @OnEpochEnd"), warnings::toString);
  }

  @Test
  void evaluateOutsideFitReportsAtItsEnd() {
    CallbackList list = CallbackList.of(new Callback() {
      @Override
      public List<LogKey> logKeys() {
        return List.of(new LogKey(Hook.TEST_END, "acuracy", "test.Eval.end's @Metric"));
      }

      @Override
      public void onTestEnd(Logs logs) {}
    });
    list.onTestBegin(new Logs());
    list.onTestEnd(Logs.of("accuracy", 0.9, "loss", 0.3));
    assertEquals(List.of("WARNING test.Eval.end's @Metric reads \"acuracy\" on @OnTestEnd, but those"
        + " logs have no such key; they hold accuracy, loss. Did you mean \"accuracy\"?"), warnings);
  }

  @Test
  void theClosestKeyIsByEditDistanceWithPrefixesCountingAsOneEdit() {
    assertEquals(Optional.of("val_accuracy"), LogKeyCheck.closest("val_acc", EPOCH_KEYS));
    assertEquals(Optional.of("accuracy"), LogKeyCheck.closest("acc", EPOCH_KEYS));
    assertEquals(Optional.of("val_loss"), LogKeyCheck.closest("val_los", EPOCH_KEYS));
    assertEquals(Optional.of("val_loss"), LogKeyCheck.closest("vall_loss", EPOCH_KEYS));
    assertEquals(Optional.of("loss"), LogKeyCheck.closest("lsos", EPOCH_KEYS));
    assertEquals(Optional.empty(), LogKeyCheck.closest("f1_score", EPOCH_KEYS));
    assertEquals(Optional.empty(), LogKeyCheck.closest("loss", List.of("size")));
    assertEquals(3, LogKeyCheck.editDistance("kitten", "sitting"));
    assertEquals(0, LogKeyCheck.editDistance("", ""));
    assertEquals(4, LogKeyCheck.editDistance("", "loss"));
  }

  /** Reads "los" on one hook; the hook's default method does nothing. */
  private static Callback readsLos(Hook hook) {
    return new Callback() {
      @Override
      public List<LogKey> logKeys() {
        return List.of(new LogKey(hook, "los", "a reader"));
      }

      @Override
      public Set<Hook> implementedHooks() {
        return Set.of(hook);
      }
    };
  }

  @Test
  void aMissingKeyOnEveryBatchHookOfAFitIsReportedAtTheEpochEnd() {
    for (Hook hook : List.of(Hook.TRAIN_BATCH_BEGIN, Hook.TRAIN_BATCH_END, Hook.TEST_BATCH_BEGIN,
        Hook.TEST_BATCH_END, Hook.PREDICT_BATCH_BEGIN, Hook.PREDICT_BATCH_END)) {
      warnings.clear();
      CallbackList list = CallbackList.of(readsLos(hook));
      list.onTrainBegin(new Logs());
      list.onEpochBegin(0, new Logs());
      hook.call(list, 0, Logs.of("loss", 0.5));
      assertEquals(List.of(), warnings, "reported at the epoch end, not before");
      list.onEpochEnd(0, new Logs());
      assertEquals(List.of("WARNING a reader reads \"los\" on @" + hook.annotation().getSimpleName()
          + ", but those logs have no such key; they hold loss. Did you mean \"loss\"?"), warnings);
    }
  }

  @Test
  void predictOutsideFitReportsAtItsEnd() {
    CallbackList list = CallbackList.of(readsLos(Hook.PREDICT_BATCH_END));
    list.onPredictBegin(new Logs());
    list.onPredictBatchEnd(0, Logs.of("size", 4));
    assertEquals(List.of(), warnings);
    list.onPredictEnd(new Logs());
    assertEquals(1, warnings.size(), warnings::toString);
    assertTrue(warnings.get(0).contains("reads \"los\" on @OnPredictBatchEnd"), warnings::toString);
    list.onPredictBegin(new Logs()); // a new run: reported again
    list.onPredictBatchEnd(0, Logs.of("size", 4));
    list.onPredictEnd(new Logs());
    assertEquals(2, warnings.size(), warnings::toString);
  }

  @Test
  void testBatchesOutsideFitAreReportedAtTheTestEndEveryEvaluate() {
    CallbackList list = CallbackList.of(readsLos(Hook.TEST_BATCH_END));
    for (int evaluation = 1; evaluation <= 2; evaluation++) {
      list.onTestBegin(new Logs());
      list.onTestBatchEnd(0, Logs.of("loss", 0.5));
      list.onTestEnd(new Logs());
      assertEquals(evaluation, warnings.size(), warnings::toString);
    }
  }

  @Test
  void aMissingKeyOnTrainEndIsReportedAtTheTrainEnd() {
    CallbackList list = CallbackList.of(readsLos(Hook.TRAIN_END));
    list.onTrainBegin(new Logs());
    list.onEpochBegin(0, new Logs());
    list.onEpochEnd(0, Logs.of("loss", 0.5));
    assertEquals(List.of(), warnings);
    list.onTrainEnd(Logs.of("loss", 0.5));
    assertEquals(1, warnings.size(), warnings::toString);
    assertTrue(warnings.get(0).contains("reads \"los\" on @OnTrainEnd"), warnings::toString);
  }
}
