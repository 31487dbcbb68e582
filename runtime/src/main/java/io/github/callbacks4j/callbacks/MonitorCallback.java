package io.github.callbacks4j.callbacks;

import io.github.callbacks4j.Callback;
import io.github.callbacks4j.Hook;
import io.github.callbacks4j.LogKey;
import io.github.callbacks4j.Logs;
import io.github.callbacks4j.MetricDirection;
import io.github.callbacks4j.Model;
import java.util.List;
import java.util.Objects;

/**
 * The shared part of callbacks that watch one metric (Keras's {@code MonitorCallback}): the monitor
 * key, the direction, {@code minDelta} and {@code baseline}, and the strict improvement test.
 */
public abstract class MonitorCallback implements Callback {
  /** Name endings AUTO maximizes when the model does not declare the metric's direction. */
  private static final List<String> MAXIMIZED =
      List.of("accuracy", "acc", "auc", "precision", "recall", "f1", "f1_score");

  protected final String monitor;
  protected final Mode mode;
  protected final double minDelta;
  protected final Double baseline;
  private boolean maximize;
  protected Model model;

  protected MonitorCallback(String monitor, Mode mode, double minDelta, Double baseline) {
    this.monitor = BuilderChecks.notBlank("monitor", monitor, "\"val_loss\"");
    this.mode = Objects.requireNonNull(mode, "mode");
    this.minDelta = Math.abs(BuilderChecks.finite("minDelta", minDelta));
    this.baseline = baseline == null ? null : BuilderChecks.finite("baseline", baseline);
    this.maximize = switch (mode) {
      case MAX -> true;
      case MIN -> false;
      case AUTO -> maximizedByName(monitor);
    };
  }

  /**
   * Takes the model, and in mode AUTO the direction its engine declares for the monitored metric
   * (Keras 3's rule: {@code loss} goes down, a compiled metric as it declares); only a metric the
   * engine does not know is judged by its name.
   */
  @Override
  public void setModel(Model model) {
    this.model = model;
    if (mode == Mode.AUTO && model != null) {
      String name = unprefixed(monitor);
      maximize = name.equals("loss") ? false : model.metricDirection(name)
          .map(direction -> direction == MetricDirection.UP)
          .orElseGet(() -> maximizedByName(monitor));
    }
  }

  /** AUTO's fallback: accuracy-like names are maximized, everything else minimized. */
  static boolean maximizedByName(String monitor) {
    String name = unprefixed(monitor);
    return MAXIMIZED.stream().anyMatch(name::endsWith);
  }

  private static String unprefixed(String monitor) {
    return monitor.startsWith("val_") ? monitor.substring(4) : monitor;
  }

  public String monitor() {
    return monitor;
  }

  /**
   * True when larger values of the monitor are better: MAX, or in AUTO a metric the model declares
   * UP (or, undeclared, an accuracy-like name). Settled once the model is set.
   */
  public boolean maximizes() {
    return maximize;
  }

  /**
   * Keras's test: {@code reference == null}, or {@code current - minDelta > reference} when
   * maximizing ({@code current + minDelta < reference} when minimizing). Strict: a change of
   * exactly {@code minDelta}, or none at all, is not an improvement. NaN never improves.
   */
  protected boolean isImprovement(double current, Double reference) {
    if (Double.isNaN(current)) {
      return false;
    }
    if (reference == null) {
      return true;
    }
    return maximize ? current - minDelta > reference : current + minDelta < reference;
  }

  /**
   * The monitored value, or null when the logs lack it. The {@code CallbackList} reports a missing
   * monitor once, from {@link #logKeys()}.
   */
  protected Double monitorValue(Logs logs) {
    return logs.contains(monitor) ? logs.get(monitor) : null;
  }

  /** The monitor, read from the epoch-end logs. */
  @Override
  public List<LogKey> logKeys() {
    return List.of(new LogKey(Hook.EPOCH_END, monitor, getClass().getSimpleName() + "'s monitor"));
  }

  /**
   * The options every monitored built-in shares, named after Keras's arguments: {@code monitor}
   * ({@code "val_loss"}), {@code mode} (AUTO), {@code minDelta} and {@code verbose} (0).
   */
  public abstract static class Builder<B extends Builder<B>> {
    String monitor = "val_loss";
    Mode mode = Mode.AUTO;
    double minDelta;
    int verbose;

    Builder(double minDelta) {
      this.minDelta = minDelta;
    }

    abstract B self();

    /** The log key to watch, e.g. {@code "val_loss"} or {@code "val_accuracy"}. */
    public B monitor(String monitor) {
      this.monitor = BuilderChecks.notBlank("monitor", monitor, "\"val_loss\"");
      return self();
    }

    public B mode(Mode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return self();
    }

    /** The smallest change that counts as an improvement; its sign is ignored, as in Keras. */
    public B minDelta(double minDelta) {
      this.minDelta = BuilderChecks.finite("minDelta", minDelta);
      return self();
    }

    /** Above 0, log what the callback decides. */
    public B verbose(int verbose) {
      this.verbose = verbose;
      return self();
    }
  }
}
