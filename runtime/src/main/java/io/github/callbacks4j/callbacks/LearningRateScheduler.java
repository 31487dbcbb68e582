package io.github.callbacks4j.callbacks;

import io.github.callbacks4j.Logs;
import io.github.callbacks4j.Model;
import io.github.callbacks4j.ModelState;
import java.util.Map;
import java.util.Objects;

/**
 * Sets the learning rate at the start of every epoch from {@code schedule(epoch, currentRate)}, as
 * Keras's {@code LearningRateScheduler}, and writes it into the epoch logs as {@code learning_rate}.
 */
public class LearningRateScheduler implements StatefulCallback {
  /** The schedule: the learning rate for a 0-based epoch, given the current one. */
  @FunctionalInterface
  public interface Schedule {
    double apply(int epoch, double learningRate);
  }

  private final Schedule schedule;
  private final int verbose;
  private Model model;
  private int epoch = -1;
  private double rateBeforeEpoch;

  private LearningRateScheduler(Builder builder) {
    this.schedule = builder.schedule;
    this.verbose = builder.verbose;
  }

  public static Builder builder(Schedule schedule) {
    return new Builder(schedule);
  }

  @Override
  public void setModel(Model model) {
    this.model = model;
  }

  @Override
  public void onEpochBegin(int epoch, Logs logs) {
    // An epoch resumed from a backup begins again: schedule it from the same rate as before, so a
    // multiplicative schedule is not applied twice.
    if (epoch != this.epoch) {
      this.epoch = epoch;
      rateBeforeEpoch = model.learningRate();
    }
    double rate = schedule.apply(epoch, rateBeforeEpoch);
    if (!(rate > 0) || Double.isInfinite(rate)) {
      throw new IllegalArgumentException("the learning rate schedule returned " + rate
          + " for epoch " + epoch + "; it must return a positive finite number");
    }
    model.setLearningRate(rate);
    if (verbose > 0) {
      Console.print("Epoch " + (epoch + 1) + ": LearningRateScheduler setting learning rate to "
          + rate + ".");
    }
  }

  @Override
  public void onEpochEnd(int epoch, Logs logs) {
    logs.put("learning_rate", model.learningRate());
  }

  @Override
  public String stateKey() {
    return "LearningRateScheduler";
  }

  @Override
  public Map<String, String> saveState() {
    return Map.of("epoch", String.valueOf(epoch), "rateBeforeEpoch", Double.toString(rateBeforeEpoch));
  }

  @Override
  public Runnable prepareRestore(Map<String, String> state, Map<String, ModelState> snapshots) {
    int savedEpoch = Integer.parseInt(state.get("epoch"));
    double savedRate = Double.parseDouble(state.get("rateBeforeEpoch"));
    return () -> {
      epoch = savedEpoch;
      rateBeforeEpoch = savedRate;
    };
  }

  /** The schedule is required; verbose defaults to 0. */
  public static final class Builder {
    private final Schedule schedule;
    private int verbose;

    private Builder(Schedule schedule) {
      this.schedule = Objects.requireNonNull(schedule, "schedule");
    }

    public Builder verbose(int verbose) {
      this.verbose = verbose;
      return this;
    }

    public LearningRateScheduler build() {
      return new LearningRateScheduler(this);
    }
  }
}
