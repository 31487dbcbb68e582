package io.github.callbacks4j.runtime;

import java.util.OptionalInt;

/**
 * Keeps an exponential moving average (EMA) of a {@link Sequential}'s weights, as a Keras optimizer
 * built with {@code use_ema=True}: give it to {@link Sequential#compile(
 * org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction, org.nd4j.linalg.learning.config.IUpdater,
 * Ema, String...)} beside the updater, where Keras takes it on the optimizer.
 *
 * <pre>{@code
 * model.compile(LossFunction.MSE, new Sgd(0.1), Ema.builder().momentum(0.9).build(), "mse");
 * }</pre>
 *
 * <p>After each optimizer step, as Keras: the first step sets the average to the weights, each
 * later one to {@code momentum * average + (1 - momentum) * weights}; with an overwrite frequency
 * of n, every n-th step also copies the average into the weights; and the end of each fit copies
 * it into the weights (Keras's {@code finalize_variable_values}). {@link
 * io.github.callbacks4j.callbacks.SwapEMAWeights} swaps it in for validation and checkpoints.
 */
public final class Ema {
  /** Keras's default {@code ema_momentum}. */
  public static final double DEFAULT_MOMENTUM = 0.99;

  private final double momentum;
  private final int overwriteFrequency;

  private Ema(double momentum, int overwriteFrequency) {
    this.momentum = momentum;
    this.overwriteFrequency = overwriteFrequency;
  }

  /** Momentum 0.99 and no overwriting during training, Keras's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Keras's {@code ema_momentum}: the weight of the old average in each update. */
  public double momentum() {
    return momentum;
  }

  /** Keras's {@code ema_overwrite_frequency}: every how many steps the average replaces the weights. */
  public OptionalInt overwriteFrequency() {
    return overwriteFrequency == 0 ? OptionalInt.empty() : OptionalInt.of(overwriteFrequency);
  }

  /** The same as {@code builder()...build()} with these values; 0 is no overwriting. */
  static Ema of(double momentum, int overwriteFrequency) {
    Builder builder = builder().momentum(momentum);
    return overwriteFrequency == 0 ? builder.build()
        : builder.overwriteFrequency(overwriteFrequency).build();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Ema ema && ema.momentum == momentum
        && ema.overwriteFrequency == overwriteFrequency;
  }

  @Override
  public int hashCode() {
    return Double.hashCode(momentum) * 31 + overwriteFrequency;
  }

  @Override
  public String toString() {
    return "Ema[momentum=" + momentum + (overwriteFrequency == 0 ? ""
        : ", overwriteFrequency=" + overwriteFrequency) + "]";
  }

  /** Builds an {@link Ema}; each setter checks its value as Keras's optimizer does. */
  public static final class Builder {
    private double momentum = DEFAULT_MOMENTUM;
    private int overwriteFrequency;

    private Builder() {}

    /** Keras's {@code ema_momentum}, in [0, 1]; default 0.99. */
    public Builder momentum(double momentum) {
      if (!(momentum >= 0 && momentum <= 1)) {
        throw new IllegalArgumentException("EMA momentum must be in the range [0, 1] (Keras's"
            + " ema_momentum), got " + momentum);
      }
      this.momentum = momentum;
      return this;
    }

    /**
     * Keras's {@code ema_overwrite_frequency}: every {@code steps} optimizer steps (counted from the
     * first of this compile) the average replaces the weights. Without it the weights are replaced
     * at the end of each fit only.
     */
    public Builder overwriteFrequency(int steps) {
      if (steps < 1) {
        throw new IllegalArgumentException("EMA overwriteFrequency must be an integer >= 1 (Keras's"
            + " ema_overwrite_frequency), got " + steps + "; leave it unset not to overwrite");
      }
      this.overwriteFrequency = steps;
      return this;
    }

    public Ema build() {
      return new Ema(momentum, overwriteFrequency);
    }
  }
}
