package io.github.callbacks4j.runtime;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exponential moving average of a flat parameter vector that an {@link Ema} asks for, and
 * where it is: in its own buffer, or swapped into the parameters (then the buffer holds the
 * training weights).
 *
 * <p>Callers allocate it, like the parameters, outside any workspace.
 */
final class MovingAverage {
  private static final Logger LOG = LoggerFactory.getLogger(MovingAverage.class);

  private final Ema config;
  /** Keras computes {@code 1 - momentum} in the weights' float type; so does this. */
  private final float momentum;
  /** Overwrite the weights with the average every this many steps; 0 never. */
  private final int overwriteFrequency;
  private final INDArray average;
  /** A 1x1 one: the update is {@code average = (1 - m) * one x parameters + m * average}. */
  private final INDArray one;
  private boolean inParameters;
  private boolean warnedTrainingOnAverage;

  MovingAverage(Ema config, long parameterCount) {
    this.config = config;
    this.momentum = (float) config.momentum();
    this.overwriteFrequency = config.overwriteFrequency().orElse(0);
    // Keras starts its averages at zero; the first step replaces them whatever they hold.
    this.average = Nd4j.create(DataType.FLOAT, 1, parameterCount);
    this.one = Nd4j.ones(DataType.FLOAT, 1, 1);
  }

  Ema config() {
    return config;
  }

  /**
   * Follows one optimizer step, {@code stepsBefore} being the steps taken before it (Keras's
   * {@code iterations} at that point): the first one sets the average to the parameters. One fused
   * native op (a gemm with beta = momentum) rather than a scale, a multiply and an add.
   */
  void update(INDArray parameters, int stepsBefore) {
    float m = stepsBefore == 0 ? 0f : momentum;
    Nd4j.gemm(one, parameters, average, false, false, 1f - m, m);
    if (overwriteFrequency > 0 && (stepsBefore + 1) % overwriteFrequency == 0) {
      parameters.assign(average);
    }
  }

  /** Puts the average into the parameters ({@code true}) or takes it back out, by swapping. */
  void swapInto(INDArray parameters, boolean intoParameters) {
    if (inParameters != intoParameters) {
      Nd4j.getBlasWrapper().level1().swap(parameters, average);
      inParameters = intoParameters;
    }
  }

  boolean inParameters() {
    return inParameters;
  }

  /**
   * The end of a fit (Keras's {@code finalize_variable_values}): the parameters become the
   * average. When it is swapped in already, the buffer takes the average back too, as Keras's
   * {@code SwapEMAWeights} does after the last epoch.
   */
  void finalizeInto(INDArray parameters) {
    if (inParameters) {
      average.assign(parameters);
      inParameters = false;
    } else {
      parameters.assign(average);
    }
  }

  /** The live buffer: the average, or the training weights while it is swapped in. */
  INDArray buffer() {
    return average;
  }

  void restore(INDArray buffer, boolean swappedIn) {
    average.assign(buffer.reshape(average.shape()));
    inParameters = swappedIn;
  }

  /** The average wherever it is. */
  INDArray averageOf(INDArray parameters) {
    return (inParameters ? parameters : average).dup();
  }

  /**
   * Before a step with the average swapped in (a snapshot taken so, restored after fit, or a swap
   * by hand): as a Keras model trains on from finalized weights, the swapped-in average becomes
   * the weights to train and the average both; the weights it displaced are dropped.
   */
  void settleBeforeStep(INDArray parameters) {
    if (inParameters) {
      if (!warnedTrainingOnAverage) {
        warnedTrainingOnAverage = true;
        LOG.warn("Training with the EMA weights swapped into the model: training goes on from"
            + " them, and the model's own weights they replaced are dropped; call"
            + " swapEmaWeights(false) before training to keep training those (said once per"
            + " model)");
      }
      average.assign(parameters);
      inParameters = false;
    }
  }
}
