package io.github.callbacks4j.callbacks;

import io.github.callbacks4j.Callback;
import io.github.callbacks4j.Hook;
import io.github.callbacks4j.Logs;
import io.github.callbacks4j.Params;
import java.io.PrintStream;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Keras's progress bar: {@code Epoch 3/20}, then
 * {@code 12/94 [===>..........................] - ETA: 4s - loss: 0.4312 - accuracy: 0.8710},
 * redrawn in place on a terminal and finished with the epoch's time per step and metrics.
 *
 * <p>With {@code verbose} 1 on a terminal the bar moves after every batch; when output is not a
 * terminal (CI logs) only the finished line is printed, once per epoch; {@code verbose} 2 prints
 * one short line per epoch. The verbosity comes from {@link Params}, as in Keras. Silent during the
 * validation inside {@code fit}.
 */
public class ProgbarLogger implements Callback {
  private static final int WIDTH = 30;

  private final PrintStream out;
  private final boolean interactive;
  private final LongSupplier clock;
  private int verbose = 1;
  private int epochs;
  private int target;
  private boolean inFit;
  private long start;
  /** Whether and when the first step ended: Keras leaves that (warm-up) step out of estimates. */
  private boolean firstStepEnded;
  private long afterFirstStep;
  private int lastLength;
  private List<String> order = List.of();

  private ProgbarLogger(Builder builder) {
    this.out = builder.out;
    this.interactive = builder.interactive;
    this.clock = builder.clock;
  }

  /** A progress bar on standard output, interactive when a console is attached. */
  public ProgbarLogger() {
    this(builder());
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Set<Hook> implementedHooks() {
    Set<Hook> hooks = EnumSet.of(Hook.TRAIN_BEGIN, Hook.TRAIN_END, Hook.EPOCH_BEGIN,
        Hook.EPOCH_END, Hook.TEST_BEGIN, Hook.TEST_END, Hook.PREDICT_BEGIN, Hook.PREDICT_END);
    if (interactive) { // a redrawn bar needs every batch; a log file only the finished line
      hooks.addAll(EnumSet.of(Hook.TRAIN_BATCH_END, Hook.TEST_BATCH_END, Hook.PREDICT_BATCH_END));
    }
    return hooks;
  }

  @Override
  public void setParams(Params params) {
    verbose = params.verbose();
    epochs = params.epochs();
    target = params.steps();
    order = params.metrics();
  }

  @Override
  public void onTrainBegin(Logs logs) {
    inFit = true;
  }

  @Override
  public void onTrainEnd(Logs logs) {
    inFit = false;
  }

  @Override
  public void onEpochBegin(int epoch, Logs logs) {
    if (verbose > 0 && epochs > 1) {
      out.println("Epoch " + (epoch + 1) + "/" + epochs);
    }
    begin();
  }

  @Override
  public void onTrainBatchEnd(int batch, Logs logs) {
    progress(batch + 1, logs);
  }

  @Override
  public void onEpochEnd(int epoch, Logs logs) {
    finish(logs);
  }

  @Override
  public void onTestBegin(Logs logs) {
    if (!inFit) {
      begin();
    }
  }

  @Override
  public void onTestBatchEnd(int batch, Logs logs) {
    if (!inFit) {
      progress(batch + 1, logs);
    }
  }

  @Override
  public void onTestEnd(Logs logs) {
    if (!inFit) {
      finish(logs);
    }
  }

  @Override
  public void onPredictBegin(Logs logs) {
    begin();
  }

  @Override
  public void onPredictBatchEnd(int batch, Logs logs) {
    progress(batch + 1, new Logs());
  }

  @Override
  public void onPredictEnd(Logs logs) {
    finish(new Logs());
  }

  private void begin() {
    start = clock.getAsLong();
    firstStepEnded = false;
    lastLength = 0;
  }

  private void progress(int current, Logs logs) {
    long now = clock.getAsLong();
    double perStep = secondsPerStep(current, now);
    if (current == 1) {
      firstStepEnded = true;
      afterFirstStep = now;
    }
    if (verbose != 1 || !interactive || current >= target) {
      return;
    }
    double eta = perStep * (target - current);
    draw(counter(current) + " " + bar(current) + " - ETA: " + duration(eta) + metrics(logs));
  }

  /** Keras's estimate: the time since the first step per step after it, once there is one. */
  private double secondsPerStep(int current, long now) {
    if (current == 0) {
      return 0;
    }
    return firstStepEnded && current > 1
        ? (now - afterFirstStep) / 1e9 / (current - 1)
        : (now - start) / 1e9 / current;
  }

  private void finish(Logs logs) {
    if (verbose == 0) {
      return;
    }
    long now = clock.getAsLong();
    // Keras prints the epoch's time in whole seconds, rounded as Python's "%.0f" rounds.
    String elapsed = (long) Math.rint((now - start) / 1e9) + "s";
    String perStep = perStep(secondsPerStep(target, now));
    String line = verbose == 1
        ? counter(target) + " " + bar(target) + " - " + elapsed + " " + perStep + metrics(logs)
        : target + "/" + target + " - " + elapsed + " - " + perStep + metrics(logs);
    if (interactive && verbose == 1) {
      draw(line);
      out.println();
      Console.lineClosed(out);
    } else {
      out.println(line);
    }
    out.flush();
  }

  private void draw(String line) {
    int padding = Math.max(0, lastLength - line.length());
    out.print("\r" + line + " ".repeat(padding));
    out.flush();
    Console.lineOpened(out);
    lastLength = line.length();
  }

  private String counter(int current) {
    int digits = String.valueOf(target).length();
    return String.format(Locale.ROOT, "%" + digits + "d/%d", current, target);
  }

  /** {@code [=====>........]}, as Keras 2 draws it. */
  static String bar(int current, int target) {
    int filled = target == 0 ? WIDTH : (int) ((long) WIDTH * current / target);
    StringBuilder bar = new StringBuilder("[");
    if (filled > 0) {
      bar.append("=".repeat(filled - 1)).append(current < target ? '>' : '=');
    }
    return bar.append(".".repeat(WIDTH - filled)).append(']').toString();
  }

  private String bar(int current) {
    return bar(current, target);
  }

  private String metrics(Logs logs) {
    return metrics(logs, order);
  }

  /**
   * {@code - loss: 0.4312 - accuracy: 0.8710 - val_loss: ...}: the engine's keys in its order (loss,
   * its metrics, then their val_ forms, as Keras prints them), then any other key (one a callback
   * added, such as learning_rate) in key order; loss first when the engine gave no order.
   */
  static String metrics(Logs logs, List<String> order) {
    StringBuilder s = new StringBuilder();
    List<String> first = order.isEmpty() ? List.of("loss") : order;
    for (String key : first) {
      if (logs.contains(key)) {
        s.append(" - ").append(key).append(": ").append(value(logs.get(key)));
      }
    }
    logs.forEach((key, value) -> {
      if (!first.contains(key) && !key.equals("size") && !key.equals("batch")) {
        s.append(" - ").append(key).append(": ").append(value(value));
      }
    });
    return s.toString();
  }

  /** Keras's format: 4 decimals, or scientific notation when |v| <= 1e-3. */
  static String value(double v) {
    return Math.abs(v) > 1e-3 || v == 0
        ? String.format(Locale.ROOT, "%.4f", v)
        : String.format(Locale.ROOT, "%.4e", v);
  }

  /** An ETA as Keras prints it: {@code 60s}, then {@code 1:05}, then {@code 1:02:05}. */
  static String duration(double seconds) {
    long whole = (long) seconds; // Python's "%d" truncates
    if (seconds > 3600) {
      return String.format(
          Locale.ROOT, "%d:%02d:%02d", whole / 3600, whole / 60 % 60, whole % 60);
    }
    if (seconds > 60) {
      return String.format(Locale.ROOT, "%d:%02d", whole / 60, whole % 60);
    }
    return whole + "s";
  }

  /** {@code 21ms/step}, in s, ms or us as Keras picks (0 in s), rounded as Python's "%.0f". */
  static String perStep(double seconds) {
    if (seconds >= 1 || seconds == 0) {
      return (long) Math.rint(seconds) + "s/step";
    }
    if (seconds >= 1e-3) {
      return (long) Math.rint(seconds * 1e3) + "ms/step";
    }
    return (long) Math.rint(seconds * 1e6) + "us/step";
  }

  /** Where and how the bar is drawn. */
  public static final class Builder {
    private PrintStream out = System.out;
    private boolean interactive = System.console() != null;
    private LongSupplier clock = System::nanoTime;

    private Builder() {}

    public Builder output(PrintStream out) {
      this.out = Objects.requireNonNull(out, "out");
      return this;
    }

    /** Redraw the bar in place (a terminal) or print only finished lines (a log file). */
    public Builder interactive(boolean interactive) {
      this.interactive = interactive;
      return this;
    }

    /** The nanosecond clock for the ETA and times; {@code System::nanoTime} unless testing. */
    public Builder clock(LongSupplier clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public ProgbarLogger build() {
      return new ProgbarLogger(this);
    }
  }
}
