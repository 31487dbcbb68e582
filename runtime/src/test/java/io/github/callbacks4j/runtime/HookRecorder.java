package io.github.callbacks4j.runtime;

import io.github.callbacks4j.Callback;
import io.github.callbacks4j.Logs;
import io.github.callbacks4j.Params;
import java.util.ArrayList;
import java.util.List;

/** Records every hook call as {@code "hook index [keys]"}, and the logs each received. */
final class HookRecorder implements Callback {
  final List<String> calls = new ArrayList<>();
  final List<Logs> logs = new ArrayList<>();
  Params params;

  private void record(String hook, Integer index, Logs received) {
    calls.add(hook + (index == null ? "" : " " + index) + " " + received.keys());
    logs.add(received);
  }

  /** The logs of the last call whose record starts with {@code prefix}. */
  Logs last(String prefix) {
    for (int i = calls.size() - 1; i >= 0; i--) {
      if (calls.get(i).startsWith(prefix)) {
        return logs.get(i);
      }
    }
    throw new AssertionError("no call starting with " + prefix + " in " + calls);
  }

  @Override public void setParams(Params params) { this.params = params; }
  @Override public void onTrainBegin(Logs l) { record("trainBegin", null, l); }
  @Override public void onTrainEnd(Logs l) { record("trainEnd", null, l); }
  @Override public void onEpochBegin(int e, Logs l) { record("epochBegin", e, l); }
  @Override public void onEpochEnd(int e, Logs l) { record("epochEnd", e, l); }
  @Override public void onTrainBatchBegin(int b, Logs l) { record("trainBatchBegin", b, l); }
  @Override public void onTrainBatchEnd(int b, Logs l) { record("trainBatchEnd", b, l); }
  @Override public void onTestBegin(Logs l) { record("testBegin", null, l); }
  @Override public void onTestEnd(Logs l) { record("testEnd", null, l); }
  @Override public void onTestBatchBegin(int b, Logs l) { record("testBatchBegin", b, l); }
  @Override public void onTestBatchEnd(int b, Logs l) { record("testBatchEnd", b, l); }
  @Override public void onPredictBegin(Logs l) { record("predictBegin", null, l); }
  @Override public void onPredictEnd(Logs l) { record("predictEnd", null, l); }
  @Override public void onPredictBatchBegin(int b, Logs l) { record("predictBatchBegin", b, l); }
  @Override public void onPredictBatchEnd(int b, Logs l) { record("predictBatchEnd", b, l); }
}
