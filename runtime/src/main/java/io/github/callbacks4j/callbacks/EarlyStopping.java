package io.github.callbacks4j.callbacks;

import io.github.callbacks4j.Logs;
import io.github.callbacks4j.ModelState;
import java.util.Map;

/**
 * Stops training when the monitored metric has stopped improving, as Keras 3's
 * {@code EarlyStopping}: {@code wait} counts epochs since the last improvement and training stops
 * once it reaches {@code patience} (never at epoch 0).
 *
 * <p>Keras semantics kept: an epoch before {@code startFromEpoch} is ignored; an improvement that
 * does not also beat {@code baseline} does not reset {@code wait}; with {@code restoreBestWeights},
 * the best epoch's weights are put back at train end whether or not training stopped early; every
 * {@code fit} starts afresh, so one instance can be reused. Beyond Keras, from Lightning:
 * {@code checkFinite} stops on a NaN or infinite monitor, {@code stoppingThreshold} stops once the
 * monitor is at least that good, {@code divergenceThreshold} once it is worse than that.
 */
public class EarlyStopping extends MonitorCallback
    implements StatefulCallback<EarlyStopping.State> {
  private final int patience;
  private final int verbose;
  private final boolean restoreBestWeights;
  private final int startFromEpoch;
  private final boolean checkFinite;
  private final Double stoppingThreshold;
  private final Double divergenceThreshold;

  private int wait;
  private int stoppedEpoch = -1;
  private int bestEpoch = -1;
  private Double best;
  private ModelState bestWeights;

  private EarlyStopping(Builder b) {
    super(b.monitor, b.mode, b.minDelta, b.baseline);
    this.patience = b.patience;
    this.verbose = b.verbose;
    this.restoreBestWeights = b.restoreBestWeights;
    this.startFromEpoch = b.startFromEpoch;
    this.checkFinite = b.checkFinite;
    this.stoppingThreshold = b.stoppingThreshold;
    this.divergenceThreshold = b.divergenceThreshold;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void onTrainBegin(Logs logs) {
    wait = 0;
    stoppedEpoch = -1;
    bestEpoch = -1;
    best = null;
    bestWeights = null;
  }

  @Override
  public void onEpochEnd(int epoch, Logs logs) {
    Double current = monitorValue(logs);
    if (current == null || epoch < startFromEpoch) {
      return;
    }
    if (checkFinite && !Double.isFinite(current)) {
      stop(epoch, monitor + " is " + current + ", not finite");
      return;
    }
    if (restoreBestWeights && bestWeights == null) {
      bestWeights = model.snapshot();
    }
    wait++;
    if (isImprovement(current, best)) {
      best = current;
      bestEpoch = epoch;
      if (restoreBestWeights) {
        bestWeights = model.snapshot();
      }
      if (isImprovement(current, baseline)) { // any value beats no (null) baseline
        wait = 0;
      }
      stopAtThresholds(epoch, current);
      return;
    }
    if (wait >= patience && epoch > 0) {
      stop(epoch, "no improvement of " + monitor + " in " + wait + " epochs");
      return;
    }
    stopAtThresholds(epoch, current);
  }

  private void stopAtThresholds(int epoch, double current) {
    if (stoppingThreshold != null
        && (maximizes() ? current >= stoppingThreshold : current <= stoppingThreshold)) {
      stop(epoch, monitor + " = " + current + " reached stoppingThreshold " + stoppingThreshold);
    } else if (divergenceThreshold != null
        && (maximizes() ? current < divergenceThreshold : current > divergenceThreshold)) {
      stop(epoch, monitor + " = " + current + " is past divergenceThreshold " + divergenceThreshold);
    }
  }

  private void stop(int epoch, String why) {
    stoppedEpoch = epoch;
    model.stopTraining();
    if (verbose > 0) {
      Console.print("Epoch " + (epoch + 1) + ": early stopping (" + why + ")");
    }
  }

  @Override
  public void onTrainEnd(Logs logs) {
    if (restoreBestWeights && bestWeights != null) {
      if (verbose > 0) {
        Console.print("Restoring model weights from the end of the best epoch: " + (bestEpoch + 1)
            + ".");
      }
      model.restore(bestWeights);
    }
  }

  /** {@code EarlyStopping(val_loss)}. */
  @Override
  public String stateKey() {
    return "EarlyStopping(" + monitor + ")";
  }

  /**
   * What a backup keeps: {@code best} is null exactly when {@code bestEpoch} is -1 (no epoch
   * improved yet); NaN never improves, so it is never the best.
   */
  public record State(int waitCount, int stoppedEpoch, int bestEpoch, Double best) {
    public State {
      StateChecks.atLeast("waitCount", waitCount, 0);
      StateChecks.atLeast("stoppedEpoch", stoppedEpoch, -1);
      StateChecks.atLeast("bestEpoch", bestEpoch, -1);
      StateChecks.notNaN("best", best);
      if ((best == null) != (bestEpoch == -1)) {
        throw new IllegalArgumentException("best (" + best + ") and bestEpoch (" + bestEpoch
            + ") disagree: best is null exactly when bestEpoch is -1");
      }
    }
  }

  @Override
  public Class<State> stateType() {
    return State.class;
  }

  @Override
  public State saveState() {
    return new State(wait, stoppedEpoch, bestEpoch, best);
  }

  @Override
  public Map<String, ModelState> saveSnapshots() {
    return bestWeights == null ? Map.of() : Map.of("bestWeights", bestWeights);
  }

  @Override
  public Runnable prepareRestore(State state, Map<String, ModelState> snapshots) {
    ModelState savedBestWeights = snapshots.get("bestWeights");
    if (restoreBestWeights && state.bestEpoch() >= 0 && savedBestWeights == null) {
      throw new IllegalArgumentException("the state has a best epoch (" + state.bestEpoch()
          + ") but no bestWeights snapshot to restore at its end");
    }
    return () -> {
      wait = state.waitCount();
      stoppedEpoch = state.stoppedEpoch();
      bestEpoch = state.bestEpoch();
      best = state.best();
      bestWeights = savedBestWeights;
    };
  }

  /** The 0-based epoch at which training was stopped, or -1 if it was not. */
  public int stoppedEpoch() {
    return stoppedEpoch;
  }

  /** The 0-based epoch of the best monitored value, or -1 before any. */
  public int bestEpoch() {
    return bestEpoch;
  }

  /** The best monitored value so far, or null before any. */
  public Double best() {
    return best;
  }

  /** Epochs since the last improvement (Keras's {@code wait}). */
  public int waitCount() {
    return wait;
  }

  /** Keras 3's defaults: {@code val_loss}, patience 0, minDelta 0, AUTO. */
  public static final class Builder extends MonitorCallback.Builder<Builder> {
    private int patience;
    private Double baseline;
    private boolean restoreBestWeights;
    private int startFromEpoch;
    private boolean checkFinite;
    private Double stoppingThreshold;
    private Double divergenceThreshold;

    private Builder() {
      super(0);
    }

    @Override
    Builder self() {
      return this;
    }

    public Builder patience(int patience) {
      if (patience < 0) {
        throw new IllegalArgumentException("patience must be >= 0, got " + patience);
      }
      this.patience = patience;
      return this;
    }

    /** An improvement resets the patience count only when it also beats this value. */
    public Builder baseline(double baseline) {
      this.baseline = BuilderChecks.finite("baseline", baseline);
      return this;
    }

    public Builder restoreBestWeights(boolean restoreBestWeights) {
      this.restoreBestWeights = restoreBestWeights;
      return this;
    }

    /** Epochs (0-based) before this one are not monitored: a warm-up. */
    public Builder startFromEpoch(int startFromEpoch) {
      if (startFromEpoch < 0) {
        throw new IllegalArgumentException("startFromEpoch must be >= 0, got " + startFromEpoch);
      }
      this.startFromEpoch = startFromEpoch;
      return this;
    }

    /** Stop as soon as the monitor is NaN or infinite (Lightning's {@code check_finite}). */
    public Builder checkFinite(boolean checkFinite) {
      this.checkFinite = checkFinite;
      return this;
    }

    /** Stop as soon as the monitor is at least this good (Lightning's {@code stopping_threshold}). */
    public Builder stoppingThreshold(double stoppingThreshold) {
      this.stoppingThreshold = BuilderChecks.finite("stoppingThreshold", stoppingThreshold);
      return this;
    }

    /** Stop as soon as the monitor is worse than this (Lightning's {@code divergence_threshold}). */
    public Builder divergenceThreshold(double divergenceThreshold) {
      this.divergenceThreshold = BuilderChecks.finite("divergenceThreshold", divergenceThreshold);
      return this;
    }

    public EarlyStopping build() {
      return new EarlyStopping(this);
    }
  }
}
