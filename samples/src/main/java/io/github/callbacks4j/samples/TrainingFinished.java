package io.github.callbacks4j.samples;

import io.github.callbacks4j.OnTrainEnd;
import io.github.callbacks4j.runtime.Datasets;
import io.github.callbacks4j.runtime.FitOptions;

/** Keras's {@code on_train_end} example: a flag that tells the rest of the program training ended. */
public final class TrainingFinished {
  /** Set when training ends. */
  public static class FinishedFlag {
    private volatile boolean finished;

    @OnTrainEnd
    void done() {
      finished = true;
    }

    public boolean finished() {
      return finished;
    }
  }

  private TrainingFinished() {}

  public static void main(String[] args) {
    System.out.println("training finished: " + run(3).finished());
  }

  static FinishedFlag run(int epochs) {
    Datasets.TrainTest data = Datasets.digits();
    FinishedFlag flag = new FinishedFlag();
    DigitsModel.create().fit(data.train().x(), data.train().y(),
        FitOptions.builder().epochs(epochs).verbose(0).callbacks(flag).build());
    return flag;
  }
}
