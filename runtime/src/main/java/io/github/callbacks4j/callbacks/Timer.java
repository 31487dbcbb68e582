package io.github.callbacks4j.callbacks;

import io.github.callbacks4j.Hook;
import io.github.callbacks4j.Logs;
import io.github.callbacks4j.Model;
import io.github.callbacks4j.ModelState;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Stops training once a time budget is spent, as Lightning's {@code Timer}: checked after every
 * training batch (the default) or only after every epoch.
 */
public class Timer implements StatefulCallback<Timer.State> {
  /** When the budget is checked. */
  public enum Interval {
    STEP,
    EPOCH
  }

  private final long budgetNanos;
  private final Interval interval;
  private final LongSupplier clock;
  private Model model;
  private long start;

  private Timer(Builder builder) {
    this.budgetNanos = builder.duration.toNanos();
    this.interval = builder.interval;
    this.clock = builder.clock;
  }

  /** Stops training after {@code duration}, checking after every batch. */
  public Timer(Duration duration) {
    this(builder(duration));
  }

  public static Builder builder(Duration duration) {
    return new Builder(duration);
  }

  @Override
  public Set<Hook> implementedHooks() {
    return interval == Interval.STEP
        ? EnumSet.of(Hook.TRAIN_BEGIN, Hook.TRAIN_BATCH_END, Hook.EPOCH_END)
        : EnumSet.of(Hook.TRAIN_BEGIN, Hook.EPOCH_END);
  }

  @Override
  public void setModel(Model model) {
    this.model = model;
  }

  /** Starts the clock; a run resumed from a backup then goes on with the time it had spent. */
  @Override
  public void onTrainBegin(Logs logs) {
    start = clock.getAsLong();
  }

  @Override
  public String stateKey() {
    return "Timer";
  }

  /** What a backup keeps: the time training had taken. */
  public record State(long elapsedNanos) {
    public State {
      StateChecks.atLeast("elapsedNanos", elapsedNanos, 0);
    }
  }

  @Override
  public Class<State> stateType() {
    return State.class;
  }

  @Override
  public State saveState() {
    return new State(elapsed().toNanos());
  }

  @Override
  public Runnable prepareRestore(State state, Map<String, ModelState> snapshots) {
    return () -> start = clock.getAsLong() - state.elapsedNanos();
  }

  @Override
  public void onTrainBatchEnd(int batch, Logs logs) {
    check();
  }

  @Override
  public void onEpochEnd(int epoch, Logs logs) {
    check();
  }

  private void check() {
    if (!model.stopTrainingRequested() && elapsed().toNanos() >= budgetNanos) {
      Console.print("Time limit of " + Duration.ofNanos(budgetNanos) + " reached; stopping training.");
      model.stopTraining();
    }
  }

  /** Time since training began. */
  public Duration elapsed() {
    return Duration.ofNanos(clock.getAsLong() - start);
  }

  /** The budget is required; checked every batch unless {@code interval(EPOCH)}. */
  public static final class Builder {
    private final Duration duration;
    private Interval interval = Interval.STEP;
    private LongSupplier clock = System::nanoTime;

    private Builder(Duration duration) {
      this.duration = Objects.requireNonNull(duration, "duration");
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException("the time budget must be positive, got " + duration);
      }
    }

    public Builder interval(Interval interval) {
      this.interval = Objects.requireNonNull(interval, "interval");
      return this;
    }

    /** The nanosecond clock to measure with; {@code System::nanoTime} unless testing. */
    public Builder clock(LongSupplier clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public Timer build() {
      return new Timer(this);
    }
  }
}
