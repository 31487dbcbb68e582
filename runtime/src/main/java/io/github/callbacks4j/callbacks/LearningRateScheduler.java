package io.github.callbacks4j.callbacks;

import io.github.callbacks4j.Callback;
import io.github.callbacks4j.Logs;
import io.github.callbacks4j.Model;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets the learning rate at the start of every epoch from {@code schedule(epoch, currentRate)}, as
 * Keras's {@code LearningRateScheduler}, and writes it into the epoch logs as {@code learning_rate}.
 */
public class LearningRateScheduler implements Callback {
  private static final Logger LOG = LoggerFactory.getLogger(LearningRateScheduler.class);

  /** The schedule: the learning rate for a 0-based epoch, given the current one. */
  @FunctionalInterface
  public interface Schedule {
    double apply(int epoch, double learningRate);
  }

  private final Schedule schedule;
  private final int verbose;
  private Model model;

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
    double rate = schedule.apply(epoch, model.learningRate());
    if (!(rate > 0) || Double.isInfinite(rate)) {
      throw new IllegalArgumentException("the learning rate schedule returned " + rate
          + " for epoch " + epoch + "; it must return a positive finite number");
    }
    model.setLearningRate(rate);
    if (verbose > 0) {
      LOG.info("Epoch {}: LearningRateScheduler setting learning rate to {}.", epoch + 1, rate);
    }
  }

  @Override
  public void onEpochEnd(int epoch, Logs logs) {
    logs.put("learning_rate", model.learningRate());
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
