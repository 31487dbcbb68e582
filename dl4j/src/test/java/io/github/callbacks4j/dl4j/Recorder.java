package io.github.callbacks4j.dl4j;

import io.github.callbacks4j.Callback;
import io.github.callbacks4j.Logs;
import io.github.callbacks4j.Params;
import java.util.ArrayList;
import java.util.List;

/** Records every hook with its index and log keys, and the logs themselves. */
final class Recorder implements Callback {
  final List<String> calls = new ArrayList<>();
  final List<Logs> logs = new ArrayList<>();
  Params params;

  private void record(String hook, Integer index, Logs received) {
    calls.add(hook + (index == null ? "" : " " + index) + " " + received.keys());
    logs.add(received.copy());
  }

  /** The logs of each call whose record starts with {@code prefix}, in order. */
  List<Logs> all(String prefix) {
    List<Logs> found = new ArrayList<>();
    for (int i = 0; i < calls.size(); i++) {
      if (calls.get(i).startsWith(prefix)) {
        found.add(logs.get(i));
      }
    }
    return found;
  }

  @Override public void setParams(Params p) { params = p; }
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
