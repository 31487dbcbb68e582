package io.github.callbacks4j.samples;

import io.github.callbacks4j.Metric;
import io.github.callbacks4j.OnTrainBatchEnd;
import io.github.callbacks4j.OnTrainBegin;
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
}
