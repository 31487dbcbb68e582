package io.github.callbacks4j.runtime;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/** The arguments of Keras's {@code fit}, with its defaults; built by {@link #builder()}. */
public final class FitOptions {
  private final int epochs;
  private final int batchSize;
  private final double validationSplit;
  private final INDArray validationX;
  private final INDArray validationY;
  private final DataSetIterator validationIterator;
  private final int stepsPerEpoch;
  private final int validationSteps;
  private final int validationBatchSize;
  private final int validationFreq;
  private final Set<Integer> validationEpochs;
  private final boolean shuffle;
  private final OptionalLong seed;
  private final int verbose;
  private final int initialEpoch;
  private final int stepsPerExecution;
  private final List<Object> callbacks;

  private FitOptions(Builder b) {
    this.epochs = b.epochs;
    this.batchSize = b.batchSize;
    this.validationSplit = b.validationSplit;
    this.validationX = b.validationX;
    this.validationY = b.validationY;
    this.validationIterator = b.validationIterator;
    this.stepsPerEpoch = b.stepsPerEpoch;
    this.validationSteps = b.validationSteps;
    this.validationBatchSize = b.validationBatchSize;
    this.validationFreq = b.validationFreq;
    this.validationEpochs = b.validationEpochs;
    this.shuffle = b.shuffle;
    this.seed = b.seed;
    this.verbose = b.verbose;
    this.initialEpoch = b.initialEpoch;
    this.stepsPerExecution = b.stepsPerExecution;
    this.callbacks = b.callbacks;
  }

  public static Builder builder() {
    return new Builder();
  }

  public int epochs() {
    return epochs;
  }

  public int batchSize() {
    return batchSize;
  }

  public double validationSplit() {
    return validationSplit;
  }

  /** The validation features given to {@link Builder#validationData(INDArray, INDArray)}, or null. */
  public INDArray validationX() {
    return validationX;
  }

  /** The validation labels given with {@link #validationX()}, or null. */
  public INDArray validationY() {
    return validationY;
  }

  /** The iterator given to {@link Builder#validationData(DataSetIterator)}, or null. */
  public DataSetIterator validationIterator() {
    return validationIterator;
  }

  public boolean shuffle() {
    return shuffle;
  }

  public OptionalLong seed() {
    return seed;
  }

  public int verbose() {
    return verbose;
  }

  public int initialEpoch() {
    return initialEpoch;
  }

  public int stepsPerExecution() {
    return stepsPerExecution;
  }

  public List<Object> callbacks() {
    return callbacks;
  }

  /**
   * Training batches per epoch when set (Keras's {@code steps_per_epoch}); each epoch then
   * continues in the data where the previous one stopped.
   */
  public OptionalInt stepsPerEpoch() {
    return stepsPerEpoch == 0 ? OptionalInt.empty() : OptionalInt.of(stepsPerEpoch);
  }

  /** Validation batches per validation run when set (Keras's {@code validation_steps}). */
  public OptionalInt validationSteps() {
    return validationSteps == 0 ? OptionalInt.empty() : OptionalInt.of(validationSteps);
  }

  /** The batch size of validation arrays: validationBatchSize if set, else batchSize. */
  public int validationBatchSize() {
    return validationBatchSize == 0 ? batchSize : validationBatchSize;
  }

  /** Whether validationSteps, validationBatchSize or validationFreq was set. */
  boolean setsValidationOptions() {
    return validationSteps != 0 || validationBatchSize != 0 || validationFreq != 1
        || validationEpochs != null;
  }

  /**
   * Whether validation runs at the end of {@code epoch} (0-based): every {@code validationFreq}
   * epochs, or at the 1-based epochs listed, as Keras's {@code validation_freq}.
   */
  public boolean validatesAfter(int epoch) {
    return validationEpochs != null ? validationEpochs.contains(epoch + 1)
        : (epoch + 1) % validationFreq == 0;
  }

  /** Keras's defaults: 1 epoch, batch 32, shuffled, verbose 1, no validation. */
  public static final class Builder {
    private int epochs = 1;
    private int batchSize = 32;
    private double validationSplit;
    private INDArray validationX;
    private INDArray validationY;
    private DataSetIterator validationIterator;
    private boolean shuffle = true;
    private OptionalLong seed = OptionalLong.empty();
    private int verbose = 1;
    private int initialEpoch;
    private int stepsPerExecution = 1;
    private int stepsPerEpoch;
    private int validationSteps;
    private int validationBatchSize;
    private int validationFreq = 1;
    private Set<Integer> validationEpochs;
    private List<Object> callbacks = List.of();

    private Builder() {}

    /** The epoch to stop before, counting from 0 (so {@code epochs - initialEpoch} epochs run). */
    public Builder epochs(int epochs) {
      if (epochs < 0) {
        throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
      }
      this.epochs = epochs;
      return this;
    }

    public Builder batchSize(int batchSize) {
      this.batchSize = Checks.batchSize(batchSize);
      return this;
    }

    /** The fraction of samples, taken from the end before shuffling, held out for validation. */
    public Builder validationSplit(double validationSplit) {
      if (!(validationSplit >= 0 && validationSplit < 1)) {
        throw new IllegalArgumentException(
            "validationSplit must be in [0, 1), got " + validationSplit);
      }
      this.validationSplit = validationSplit;
      return this;
    }

    public Builder validationData(INDArray x, INDArray y) {
      this.validationX = Objects.requireNonNull(x, "validation x");
      this.validationY = Objects.requireNonNull(y, "validation y");
      this.validationIterator = null;
      return this;
    }

    public Builder validationData(DataSetIterator validation) {
      this.validationIterator = Objects.requireNonNull(validation, "validation iterator");
      this.validationX = null;
      this.validationY = null;
      return this;
    }

    public Builder shuffle(boolean shuffle) {
      this.shuffle = shuffle;
      return this;
    }

    /** Seeds the shuffling, so that the same seed, data and model seed give identical weights. */
    public Builder seed(long seed) {
      this.seed = OptionalLong.of(seed);
      return this;
    }

    /** 0 silent, 1 progress bar, 2 one line per epoch. */
    public Builder verbose(int verbose) {
      this.verbose = Checks.verbose(verbose);
      return this;
    }

    public Builder initialEpoch(int initialEpoch) {
      if (initialEpoch < 0) {
        throw new IllegalArgumentException("initialEpoch must be >= 0, got " + initialEpoch);
      }
      this.initialEpoch = initialEpoch;
      return this;
    }

    /** Run batch hooks once every N steps, with the index of the last step, as Keras does. */
    public Builder stepsPerExecution(int stepsPerExecution) {
      if (stepsPerExecution < 1) {
        throw new IllegalArgumentException(
            "stepsPerExecution must be >= 1, got " + stepsPerExecution);
      }
      this.stepsPerExecution = stepsPerExecution;
      return this;
    }

    /**
     * Training batches per epoch (Keras's {@code steps_per_epoch}). Each epoch continues in the
     * data where the previous one stopped; a new pass (reshuffled) starts once the data is used
     * up, and an epoch that reaches the end of the data first ends there, with a warning, as in
     * Keras.
     */
    public Builder stepsPerEpoch(int steps) {
      this.stepsPerEpoch = atLeastOne("stepsPerEpoch", steps);
      return this;
    }

    /**
     * Validation batches per validation run (Keras's {@code validation_steps}); each run
     * continues in the validation data where the previous one stopped, as Keras's does.
     */
    public Builder validationSteps(int steps) {
      this.validationSteps = atLeastOne("validationSteps", steps);
      return this;
    }

    /** The batch size of validation arrays (Keras's {@code validation_batch_size}). */
    public Builder validationBatchSize(int batchSize) {
      this.validationBatchSize = Checks.batchSize(batchSize);
      return this;
    }

    /** Validate at the end of every {@code epochs}-th epoch (Keras's {@code validation_freq}). */
    public Builder validationFreq(int epochs) {
      this.validationFreq = atLeastOne("validationFreq", epochs);
      this.validationEpochs = null;
      return this;
    }

    /** Validate at the end of the listed epochs, counted from 1 as Keras lists them. */
    public Builder validationFreq(Set<Integer> epochs) {
      Objects.requireNonNull(epochs, "validationFreq");
      for (Integer epoch : epochs) {
        if (epoch == null || epoch < 1) {
          throw new IllegalArgumentException("validationFreq lists epochs counted from 1, got "
              + epoch + " in " + epochs);
        }
      }
      this.validationEpochs = Set.copyOf(epochs);
      return this;
    }

    private static int atLeastOne(String option, int value) {
      if (value < 1) {
        throw new IllegalArgumentException(option + " must be >= 1, got " + value);
      }
      return value;
    }

    /** {@code Callback}s and objects with hook annotations, called in this order. */
    public Builder callbacks(Object... callbacks) {
      this.callbacks = Checks.callbacks(callbacks);
      return this;
    }

    public FitOptions build() {
      if (initialEpoch >= epochs) {
        throw new IllegalArgumentException("initialEpoch must be below epochs, got initialEpoch "
            + initialEpoch + " and epochs " + epochs + ": epochs is the epoch to stop before, so"
            + " nothing would train; set epochs to at least " + (initialEpoch + 1));
      }
      if (validationSplit > 0 && (validationX != null || validationIterator != null)) {
        throw new IllegalArgumentException("set either validationSplit (" + validationSplit
            + ") or validationData, not both");
      }
      if (validationBatchSize != 0 && validationIterator != null) {
        throw new IllegalArgumentException("validationBatchSize (" + validationBatchSize + ")"
            + " applies to validation arrays; an iterator's batches are its own: set the batch"
            + " size on the validation iterator instead");
      }
      return new FitOptions(this);
    }
  }
}
