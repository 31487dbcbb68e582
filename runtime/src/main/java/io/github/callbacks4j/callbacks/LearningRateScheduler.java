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
public class LearningRateScheduler
    implements StatefulCallback<LearningRateScheduler.State> {
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

  /** Refuses a model whose rate follows a schedule now, before the loop runs any hook. */
  @Override
  public void setModel(Model model) {
    SettableLearningRate.require("LearningRateScheduler", model);
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

  /**
   * What a backup keeps: the epoch last scheduled (-1 before any) and the rate before it, which a
   * resumed epoch is scheduled from again (0 before any epoch).
   */
  public record State(int epoch, double rateBeforeEpoch) {
    public State {
      StateChecks.atLeast("epoch", epoch, -1);
      if (!Double.isFinite(rateBeforeEpoch) || rateBeforeEpoch < 0) {
        throw new IllegalArgumentException("rateBeforeEpoch must be a finite number >= 0, got "
            + rateBeforeEpoch);
      }
    }
  }

  @Override
  public Class<State> stateType() {
    return State.class;
  }

  @Override
  public State saveState() {
    return new State(epoch, rateBeforeEpoch);
  }

  @Override
  public Runnable prepareRestore(State state, Map<String, ModelState> snapshots) {
    return () -> {
      epoch = state.epoch();
      rateBeforeEpoch = state.rateBeforeEpoch();
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
