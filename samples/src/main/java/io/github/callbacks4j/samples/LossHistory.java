package io.github.callbacks4j.samples;

import io.github.callbacks4j.Metric;
import io.github.callbacks4j.OnTrainBatchEnd;
import io.github.callbacks4j.OnTrainBegin;
import io.github.callbacks4j.runtime.Datasets;
import io.github.callbacks4j.runtime.FitOptions;
import java.util.ArrayList;
import java.util.List;

/** Keras's classic per-batch loss recorder, as a plain annotated object. */
public class LossHistory {
  private final List<Double> losses = new ArrayList<>();

  @OnTrainBegin
  void reset() {
    losses.clear();
  }

  @OnTrainBatchEnd
  void record(@Metric("loss") double loss) {
    losses.add(loss);
  }

  public List<Double> losses() {
    return List.copyOf(losses);
  }

  /** Trains the digits model and prints how the per-batch loss went down. */
  public static void main(String[] args) {
    System.out.println(run(5).losses().size() + " batch losses recorded");
  }

  static LossHistory run(int epochs) {
    Datasets.TrainTest data = Datasets.digits();
    LossHistory history = new LossHistory();
    DigitsModel.create().fit(data.train().x(), data.train().y(),
        FitOptions.builder().epochs(epochs).verbose(0).callbacks(history).build());
    List<Double> losses = history.losses();
    System.out.printf("first batch loss %.4f, last %.4f%n", losses.get(0),
        losses.get(losses.size() - 1));
    return history;
  }
}
