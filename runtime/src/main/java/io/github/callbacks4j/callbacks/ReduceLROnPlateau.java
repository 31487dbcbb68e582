package io.github.callbacks4j.callbacks;

import io.github.callbacks4j.Logs;
import io.github.callbacks4j.Model;
import io.github.callbacks4j.ModelState;
import java.util.Map;

/**
 * Multiplies the learning rate by {@code factor} once the monitored metric has not improved for
 * {@code patience} epochs, as Keras 3's {@code ReduceLROnPlateau}, and writes the learning rate
 * (before any reduction) into the epoch logs as {@code learning_rate}.
 *
 * <p>Keras's arithmetic is kept exactly: in cooldown, the counter is decremented and {@code wait}
 * reset before the improvement test, and {@code wait} grows only when not in cooldown after that
 * decrement, so {@code cooldown = c} holds {@code wait} at 0 for c - 1 epochs. The rate never goes
 * below {@code minLr}, and once there {@code wait} is no longer reset.
 */
public class ReduceLROnPlateau extends MonitorCallback
    implements StatefulCallback<ReduceLROnPlateau.State> {
  private final double factor;
  private final int patience;
  private final int verbose;
  private final int cooldown;
  private final double minLr;

  private Double best;
  private int wait;
  private int cooldownCounter;

  private ReduceLROnPlateau(Builder b) {
    super(b.monitor, b.mode, b.minDelta, null);
    this.factor = b.factor;
    this.patience = b.patience;
    this.verbose = b.verbose;
    this.cooldown = b.cooldown;
    this.minLr = b.minLr;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Refuses a model whose rate follows a schedule now, before the loop runs any hook. */
  @Override
  public void setModel(Model model) {
    super.setModel(model);
    SettableLearningRate.require("ReduceLROnPlateau", model);
  }

  @Override
  public void onTrainBegin(Logs logs) {
    best = null;
    wait = 0;
    cooldownCounter = 0;
  }

  @Override
  public void onEpochEnd(int epoch, Logs logs) {
    logs.put("learning_rate", model.learningRate());
    Double current = monitorValue(logs);
    if (current == null) {
      return;
    }
    if (inCooldown()) {
      cooldownCounter--;
      wait = 0;
    }
    if (isImprovement(current, best)) {
      best = current;
      wait = 0;
    } else if (!inCooldown()) {
      wait++;
      if (wait >= patience) {
        double oldLr = model.learningRate();
        if (oldLr > (float) minLr) { // Keras compares with float32(min_lr)
          double newLr = Math.max(oldLr * factor, minLr);
          model.setLearningRate(newLr);
          if (verbose > 0) {
            Console.print("Epoch " + (epoch + 1) + ": ReduceLROnPlateau reducing learning rate to "
                + newLr + ".");
          }
          cooldownCounter = cooldown;
          wait = 0;
        }
      }
    }
  }

  /** {@code ReduceLROnPlateau(val_loss)}. */
  @Override
  public String stateKey() {
    return "ReduceLROnPlateau(" + monitor + ")";
  }

  /** What a backup keeps; {@code best} is null before any epoch improved, never NaN. */
  public record State(Double best, int waitCount, int cooldownCounter) {
    public State {
      StateChecks.notNaN("best", best);
      StateChecks.atLeast("waitCount", waitCount, 0);
      StateChecks.atLeast("cooldownCounter", cooldownCounter, 0);
    }
  }

  @Override
  public Class<State> stateType() {
    return State.class;
  }

  @Override
  public State saveState() {
    return new State(best, wait, cooldownCounter);
  }

  @Override
  public Runnable prepareRestore(State state, Map<String, ModelState> snapshots) {
    return () -> {
      best = state.best();
      wait = state.waitCount();
      cooldownCounter = state.cooldownCounter();
    };
  }

  private boolean inCooldown() {
    return cooldownCounter > 0;
  }

  /** Epochs without improvement counted so far (Keras's {@code wait}). */
  public int waitCount() {
    return wait;
  }

  public int cooldownCounter() {
    return cooldownCounter;
  }

  public Double best() {
    return best;
  }

  /** Keras 3's defaults: {@code val_loss}, factor 0.1, patience 10, minDelta 1e-4. */
  public static final class Builder extends MonitorCallback.Builder<Builder> {
    private double factor = 0.1;
    private int patience = 10;
    private int cooldown;
    private double minLr;

    private Builder() {
      super(1e-4);
    }

    @Override
    Builder self() {
      return this;
    }

    /** The new rate is {@code rate * factor}; must be in (0, 1). */
    public Builder factor(double factor) {
      BuilderChecks.finite("factor", factor);
      if (!(factor < 1.0)) {
        throw new IllegalArgumentException("ReduceLROnPlateau does not support a factor >= 1.0,"
            + " got " + factor + ": use a factor in (0, 1), e.g. 0.1");
      }
      if (!(factor > 0)) {
        throw new IllegalArgumentException("factor must be > 0, got " + factor);
      }
      this.factor = factor;
      return this;
    }

    public Builder patience(int patience) {
      if (patience < 0) {
        throw new IllegalArgumentException("patience must be >= 0, got " + patience);
      }
      this.patience = patience;
      return this;
    }

    /** Epochs to wait after a reduction before counting again. */
    public Builder cooldown(int cooldown) {
      if (cooldown < 0) {
        throw new IllegalArgumentException("cooldown must be >= 0, got " + cooldown);
      }
      this.cooldown = cooldown;
      return this;
    }

    public Builder minLr(double minLr) {
      if (!(minLr >= 0) || minLr == Double.POSITIVE_INFINITY) {
        throw new IllegalArgumentException("minLr must be a finite number >= 0, got " + minLr);
      }
      this.minLr = minLr;
      return this;
    }

    public ReduceLROnPlateau build() {
      return new ReduceLROnPlateau(this);
    }
  }
}
