package io.github.callbacks4j.runtime;

import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * One ND4J updater over the model's flat parameter vector: one step updates every layer. With an
 * {@link Ema}, it also keeps the weights' moving average, as a Keras optimizer with {@code use_ema}.
 */
final class Optimizer {
  private final IUpdater config;
  private final INDArray state;
  private final GradientUpdater<?> updater;
  /** Adam's update through an op built once; null for the other updaters. */
  private final AdamStep adamStep;
  /** Null without an {@link Ema}. */
  private final MovingAverage movingAverage;
  private int iteration;

  Optimizer(IUpdater config, Ema ema, long parameterCount) {
    this.config = config.clone();
    this.movingAverage = ema == null ? null : new MovingAverage(ema, parameterCount);
    long stateSize = this.config.stateSize(parameterCount);
    // ND4J's Sgd has no state and refuses a view; the others keep theirs in one flat row vector.
    this.state = stateSize == 0 ? null : Nd4j.create(DataType.FLOAT, 1, stateSize);
    this.updater = this.config.instantiate(state, true);
    this.adamStep = updater instanceof AdamUpdater adam ? new AdamStep(adam) : null;
  }

  /** Turns {@code gradients} into the update in place and subtracts it from {@code parameters}. */
  void step(INDArray parameters, INDArray gradients, int epoch) {
    if (movingAverage != null) {
      movingAverage.settleBeforeStep(parameters);
    }
    if (adamStep != null) {
      adamStep.apply(gradients, iteration, epoch);
    } else {
      updater.applyUpdater(gradients, iteration, epoch);
    }
    // Straight to BLAS: faster than ND4J's subi over the reference MLP's 235k parameters
    // (UpdaterBenchmark), and bit-identical.
    Blas.axpy(-1f, gradients, parameters);
    if (movingAverage != null) {
      movingAverage.update(parameters, iteration);
    }
    iteration++;
  }

  /** The moving average of the weights, or null when compiled without an {@link Ema}. */
  MovingAverage movingAverage() {
    return movingAverage;
  }

  IUpdater config() {
    return config;
  }

  /** The updater's state (Adam's moments, ...), or null for a stateless updater. */
  INDArray state() {
    return state;
  }

  int iteration() {
    return iteration;
  }

  void restore(INDArray savedState, int savedIteration) {
    if (state != null) {
      state.assign(savedState);
    }
    iteration = savedIteration;
  }

  double learningRate(int epoch) {
    return config.getLearningRate(iteration, epoch);
  }

  boolean hasSchedule() {
    return Updaters.hasSchedule(config);
  }

  void setLearningRate(double learningRate) {
    if (!config.hasLearningRate()) {
      throw new IllegalStateException(config.getClass().getSimpleName()
          + " has no learning rate to set; use an updater such as Adam, Sgd, Nesterovs or RmsProp");
    }
    if (hasSchedule()) {
      throw new IllegalStateException(config.getClass().getSimpleName() + " follows a"
          + " learning-rate schedule, which a fixed rate of " + learningRate + " would replace:"
          + " give the updater a fixed rate to let callbacks change it, or drop the callback"
          + " that sets it (ReduceLROnPlateau, LearningRateScheduler)");
    }
    // The live GradientUpdater reads its config's rate at every step, so this applies next batch.
    config.setLrAndSchedule(learningRate, null);
  }

  /**
   * ND4J's {@code adam_updater} op with its context, built once over the flat gradients and Adam's
   * two moments: Adam's GradientUpdater builds the op, a context and a reshaped gradient on every
   * step, and took 530-770 µs a step where the kept op took 400-420 µs (235,146 parameters; the
   * same op, so the same values to the bit).
   */
  private static final class AdamStep {
    private final AdamUpdater updater;
    private final org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater op =
        new org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater();
    private final OpContext context = Nd4j.getExecutioner().buildContext();
    private INDArray boundGradients;

    AdamStep(AdamUpdater updater) {
      this.updater = updater;
    }

    void apply(INDArray gradients, int iteration, int epoch) {
      if (gradients != boundGradients) {
        bind(gradients);
      }
      Adam config = updater.getConfig();
      // The rate is read every step: schedules and callbacks that set it apply at the next batch.
      context.setTArguments(config.getLearningRate(iteration, epoch), config.getBeta1(),
          config.getBeta2(), config.getEpsilon());
      context.setIArguments(iteration);
      Nd4j.getExecutioner().exec(op, context);
    }

    /** Updates in place, in {@code gradients} itself: the op takes them in the moments' shape. */
    private void bind(INDArray gradients) {
      INDArray moments = updater.getV();
      INDArray flat;
      try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
        flat = gradients.reshape(moments.shape());
      }
      if (address(flat) != address(gradients)) {
        throw new IllegalStateException("Adam needs the gradients as one contiguous vector, got "
            + gradients.shapeInfoToString());
      }
      context.setInputArrays(flat, moments, updater.getM());
      context.setOutputArrays(flat, moments, updater.getM());
      boundGradients = gradients;
    }

    private static long address(INDArray array) {
      return ((Pointer) array.data().addressPointer()).address();
    }
  }
}
