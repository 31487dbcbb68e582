package io.github.callbacks4j.callbacks;

import io.github.callbacks4j.Callback;
import io.github.callbacks4j.CallbackList;
import io.github.callbacks4j.Logs;
import io.github.callbacks4j.Params;
import java.util.ArrayList;
import java.util.List;

/**
 * A custom training loop driving callbacks with scripted epoch logs, as Keras's fit does: the
 * model's weights become the epoch number during each epoch, and the loop stops when asked.
 */
final class ScriptedLoop {
  final FakeModel model = new FakeModel();
  final List<Integer> epochsRun = new ArrayList<>();
  final List<Double> learningRates = new ArrayList<>();

  /** Runs one fit whose epoch {@code e} logs {@code key = values[e]}. */
  ScriptedLoop fit(Callback callback, String key, double... values) {
    List<Logs> epochs = new ArrayList<>();
    for (double value : values) {
      epochs.add(Logs.of(key, value));
    }
    return fit(callback, epochs);
  }

  ScriptedLoop fit(Callback callback, List<Logs> epochLogs) {
    CallbackList callbacks = CallbackList.of(callback);
    callbacks.setModel(model);
    callbacks.setParams(Params.of(epochLogs.size(), 1, 0));
    model.stop = false;
    epochsRun.clear();
    callbacks.onTrainBegin(new Logs());
    Logs last = new Logs();
    for (int epoch = 0; epoch < epochLogs.size(); epoch++) {
      callbacks.onEpochBegin(epoch, new Logs());
      model.weights = epoch;
      learningRates.add(model.learningRate);
      last = epochLogs.get(epoch).copy();
      callbacks.onEpochEnd(epoch, last);
      epochsRun.add(epoch);
      if (model.stop) {
        break;
      }
    }
    callbacks.onTrainEnd(last);
    return this;
  }
}
