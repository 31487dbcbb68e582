package io.github.callbacks4j.callbacks;

import io.github.callbacks4j.Callback;
import io.github.callbacks4j.Logs;
import java.util.Map;
import java.util.TreeMap;

/**
 * Averages per-batch values into the epoch logs, weighted by each batch's {@code size}, as
 * tf.keras's {@code BaseLogger}. For custom loops whose batch logs hold each batch's own values;
 * the engine's batch logs are already running means, so {@code fit} needs none.
 */
public class BaseLogger implements Callback {
  private final Map<String, double[]> totals = new TreeMap<>();
  private double seen;

  @Override
  public void onEpochBegin(int epoch, Logs logs) {
    totals.clear();
    seen = 0;
  }

  @Override
  public void onTrainBatchEnd(int batch, Logs logs) {
    double size = logs.get("size", 0);
    seen += size;
    logs.forEach((key, value) -> {
      if (!key.equals("size") && !key.equals("batch")) {
        totals.computeIfAbsent(key, k -> new double[1])[0] += value * size;
      }
    });
  }

  @Override
  public void onEpochEnd(int epoch, Logs logs) {
    if (seen > 0) {
      totals.forEach((key, total) -> logs.put(key, total[0] / seen));
    }
  }

  /** {@code BaseLogger.builder().build()}, as every built-in is made; it has no options. */
  public static Builder builder() {
    return new Builder();
  }

  /** A BaseLogger; {@code new BaseLogger()} does the same. */
  public static final class Builder {
    private Builder() {}

    public BaseLogger build() {
      return new BaseLogger();
    }
  }
}
