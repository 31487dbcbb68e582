package io.github.callbacks4j.benchmarks;

import io.github.callbacks4j.Callback;
import io.github.callbacks4j.Logs;
import io.github.callbacks4j.Metric;
import io.github.callbacks4j.OnEpochEnd;
import io.github.callbacks4j.OnTrainBatchEnd;

/** The callbacks the dispatch benchmarks call: annotated classes and their hand-written twins. */
final class Hooks {
  private Hooks() {}

  /** Annotated: a batch hook taking the index and the logs. */
  public static class Counting {
    long total;

    @OnTrainBatchEnd
    void batchEnd(int batch, Logs logs) {
      total += batch + logs.size();
    }
  }

  /** Annotated: a batch hook with an injected metric. */
  public static class WithMetric {
    double total;

    @OnTrainBatchEnd
    void batchEnd(int batch, @Metric("loss") double loss) {
      total += batch + loss;
    }
  }

  /** Annotated: only an epoch hook, so batch hooks are not its business. */
  public static class EpochOnly {
    double total;

    @OnEpochEnd
    void epochEnd(int epoch, @Metric("val_loss") double valLoss) {
      total += epoch + valLoss;
    }
  }

  /** Hand-written twin of {@link Counting}: the floor. */
  static final class CountingCallback implements Callback {
    long total;

    @Override
    public void onTrainBatchEnd(int batch, Logs logs) {
      total += batch + logs.size();
    }
  }

  /** Hand-written twin of {@link WithMetric}. */
  static final class WithMetricCallback implements Callback {
    double total;

    @Override
    public void onTrainBatchEnd(int batch, Logs logs) {
      total += batch + logs.get("loss", Double.NaN);
    }
  }

  /**
   * Hand-written, but holding a target object and calling it, as an adapter does: the floor for
   * adapting a plain object rather than being the Callback.
   */
  static final class Delegating implements Callback {
    private final Object target;

    Delegating(Object target) {
      this.target = target;
    }

    @Override
    public void onTrainBatchEnd(int batch, Logs logs) {
      if (target instanceof Counting counting) {
        counting.batchEnd(batch, logs);
      } else {
        ((WithMetric) target).batchEnd(batch, logs.get("loss", Double.NaN));
      }
    }
  }

  /** A Keras-style list: every hook goes to every callback, implemented or not. */
  static final class CallEveryone {
    private final Callback[] callbacks;

    CallEveryone(Callback[] callbacks) {
      this.callbacks = callbacks;
    }

    void onTrainBatchBegin(int batch, Logs logs) {
      for (Callback c : callbacks) {
        c.onTrainBatchBegin(batch, logs);
      }
    }

    void onTrainBatchEnd(int batch, Logs logs) {
      for (Callback c : callbacks) {
        c.onTrainBatchEnd(batch, logs);
      }
    }
  }
}
