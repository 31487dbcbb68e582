package io.github.callbacks4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every hook of a CallbackList reaches the callbacks that implement it, in order, with one Logs. */
class CallbackListDispatchTest {

  /** Records each call as "name hook index keys" and adds its name to the logs it is given. */
  static class Recorder implements Callback {
    final String name;
    final List<String> calls;
    private final Set<Hook> hooks;
    private final List<LogKey> keys;

    Recorder(String name, List<String> calls, Set<Hook> hooks, List<LogKey> keys) {
      this.name = name;
      this.calls = calls;
      this.hooks = hooks;
      this.keys = keys;
    }

    @Override public Set<Hook> implementedHooks() { return hooks; }
    @Override public List<LogKey> logKeys() { return keys; }

    private void record(Hook hook, int index, Logs logs) {
      calls.add(name + " " + hook + " " + index + " " + logs.keys());
      logs.put(name, index);
    }

    @Override public void onTrainBegin(Logs logs) { record(Hook.TRAIN_BEGIN, 0, logs); }
    @Override public void onTrainEnd(Logs logs) { record(Hook.TRAIN_END, 0, logs); }
    @Override public void onEpochBegin(int e, Logs logs) { record(Hook.EPOCH_BEGIN, e, logs); }
    @Override public void onEpochEnd(int e, Logs logs) { record(Hook.EPOCH_END, e, logs); }
    @Override public void onTrainBatchBegin(int b, Logs logs) { record(Hook.TRAIN_BATCH_BEGIN, b, logs); }
    @Override public void onTrainBatchEnd(int b, Logs logs) { record(Hook.TRAIN_BATCH_END, b, logs); }
    @Override public void onTestBegin(Logs logs) { record(Hook.TEST_BEGIN, 0, logs); }
    @Override public void onTestEnd(Logs logs) { record(Hook.TEST_END, 0, logs); }
    @Override public void onTestBatchBegin(int b, Logs logs) { record(Hook.TEST_BATCH_BEGIN, b, logs); }
    @Override public void onTestBatchEnd(int b, Logs logs) { record(Hook.TEST_BATCH_END, b, logs); }
    @Override public void onPredictBegin(Logs logs) { record(Hook.PREDICT_BEGIN, 0, logs); }
    @Override public void onPredictEnd(Logs logs) { record(Hook.PREDICT_END, 0, logs); }
    @Override public void onPredictBatchBegin(int b, Logs logs) { record(Hook.PREDICT_BATCH_BEGIN, b, logs); }
    @Override public void onPredictBatchEnd(int b, Logs logs) { record(Hook.PREDICT_BATCH_END, b, logs); }
  }

  /** Calls every hook once with null logs (index 3 where it takes one). */
  private static void callEveryHook(CallbackList list) {
    for (Hook hook : Hook.values()) {
      hook.call(list, 3, null);
    }
  }

  private static List<String> expectedCalls(Set<Hook> hooks, String... names) {
    List<String> expected = new ArrayList<>();
    for (Hook hook : Hook.values()) {
      if (!hooks.contains(hook)) {
        continue;
      }
      int index = hook.index() == Hook.Index.NONE ? 0 : 3;
      List<String> seen = new ArrayList<>();
      for (String name : names) {
        expected.add(name + " " + hook + " " + index + " " + seen);
        seen.add(name);
      }
    }
    return expected;
  }

  @Test
  void everyHookReachesEachCallbackInOrderSharingOneLogs() {
    List<String> calls = new ArrayList<>();
    Set<Hook> all = EnumSet.allOf(Hook.class);
    CallbackList list = CallbackList.of(new Recorder("a", calls, all, List.of()),
        new Recorder("b", calls, all, List.of()));
    callEveryHook(list);
    assertEquals(expectedCalls(all, "a", "b"), calls);
  }

  /** While a batch hook's keys are still checked it takes the general path; the calls are the same. */
  @Test
  void batchHooksWhoseKeysAreCheckedReachEachCallbackTheSameWay() {
    List<String> calls = new ArrayList<>();
    Set<Hook> all = EnumSet.allOf(Hook.class);
    List<LogKey> keys = new ArrayList<>();
    for (Hook hook : Hook.values()) {
      keys.add(new LogKey(hook, "a", "a test reader"));
    }
    CallbackList list = CallbackList.of(new Recorder("a", calls, all, List.of()),
        new Recorder("b", calls, all, keys));
    list.onTrainBegin(null);
    calls.clear();
    list.onEpochBegin(3, null);
    for (Hook hook : Hook.values()) {
      if (hook.isBatchHook()) {
        hook.call(list, 3, null);
      }
    }
    EnumSet<Hook> batchHooks = EnumSet.noneOf(Hook.class);
    for (Hook hook : Hook.values()) {
      if (hook.isBatchHook()) {
        batchHooks.add(hook);
      }
    }
    List<String> expected = new ArrayList<>(expectedCalls(EnumSet.of(Hook.EPOCH_BEGIN), "a", "b"));
    expected.addAll(expectedCalls(batchHooks, "a", "b"));
    assertEquals(expected, calls);
  }

  @Test
  void aCallbackIsCalledOnlyForTheHooksItImplements() {
    List<String> calls = new ArrayList<>();
    Set<Hook> some = EnumSet.of(Hook.TRAIN_BATCH_END, Hook.TEST_BEGIN, Hook.PREDICT_BATCH_BEGIN);
    CallbackList list = CallbackList.of(new Recorder("a", calls, some, List.of()));
    callEveryHook(list);
    assertEquals(expectedCalls(some, "a"), calls);
    assertEquals(some, list.implementedHooks());
    for (Hook hook : Hook.values()) {
      assertEquals(some.contains(hook), list.implementsHook(hook), hook::toString);
    }
    assertThrows(UnsupportedOperationException.class,
        () -> list.implementedHooks().add(Hook.TRAIN_BEGIN));
  }

  @Test
  void anEmptyListImplementsNothingAndCallsNothing() {
    CallbackList list = new CallbackList();
    callEveryHook(list);
    assertTrue(list.implementedHooks().isEmpty());
    assertFalse(list.implementsHook(Hook.EPOCH_END));
    assertEquals("CallbackList[]", list.toString());
  }

  @Test
  void toStringListsTheCallbacksInOrder() {
    Callback first = new Callback() {
      @Override public String toString() { return "first"; }
    };
    Callback second = new Callback() {
      @Override public String toString() { return "second"; }
    };
    assertEquals("CallbackList[first, second]", CallbackList.of(first, second).toString());
    CallbackList list = new CallbackList();
    assertSame(list, list.append(first), "append returns the list, for chaining");
    assertThrows(UnsupportedOperationException.class,
        () -> CallbackList.of(first).callbacks().add(second));
  }
}
