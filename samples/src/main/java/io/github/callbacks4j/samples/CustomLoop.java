package io.github.callbacks4j.samples;

import io.github.callbacks4j.CallbackList;
import io.github.callbacks4j.Logs;
import io.github.callbacks4j.Params;
import io.github.callbacks4j.callbacks.BaseLogger;
import io.github.callbacks4j.callbacks.History;
import io.github.callbacks4j.runtime.Datasets;
import io.github.callbacks4j.runtime.Datasets.LabeledData;
import io.github.callbacks4j.runtime.Sequential;

/**
 * A hand-written training loop that drives callbacks itself through a {@link CallbackList}, as
 * Keras's guide to custom loops shows: annotated objects and built-ins work the same there.
 */
public final class CustomLoop {
  private CustomLoop() {}

  public static void main(String[] args) {
    run(5);
  }

  static History run(int epochs) {
    Datasets.TrainTest data = Datasets.digits();
    LabeledData train = data.train();
    Sequential model = DigitsModel.create();
    int batchSize = 64;
    int steps = (int) ((train.samples() + batchSize - 1) / batchSize);

    LossHistory losses = new LossHistory();                // annotated object
    History history = new History();
    // BaseLogger turns per-batch values into epoch means, so it comes before History.
    CallbackList callbacks = CallbackList.of(losses, new BaseLogger(), history);
    callbacks.setModel(model);
    callbacks.setParams(Params.of(epochs, steps, 0));

    callbacks.onTrainBegin(new Logs());
    Logs epochLogs = new Logs();
    for (int epoch = 0; epoch < epochs && !model.stopTrainingRequested(); epoch++) {
      callbacks.onEpochBegin(epoch, new Logs());
      for (int step = 0; step < steps; step++) {
        LabeledData batch = train.rows((long) step * batchSize,
            Math.min(train.samples(), (long) (step + 1) * batchSize));
        callbacks.onTrainBatchBegin(step, new Logs().put("size", batch.samples()));
        Logs logs = model.trainOnBatch(batch.x(), batch.y());
        callbacks.onTrainBatchEnd(step, logs);
      }
      epochLogs = new Logs();
      callbacks.onEpochEnd(epoch, epochLogs);
      System.out.println("epoch " + epoch + " " + epochLogs);
    }
    callbacks.onTrainEnd(epochLogs);
    System.out.println(losses.losses().size() + " batch losses; history " + history.history().keySet());
    return history;
  }
}
