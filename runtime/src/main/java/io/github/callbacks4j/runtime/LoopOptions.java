package io.github.callbacks4j.runtime;

import java.util.List;

/** What {@link EvaluateOptions} and {@link PredictOptions} share: batch size, verbosity, callbacks. */
public abstract class LoopOptions {
  private final int batchSize;
  private final int verbose;
  private final List<Object> callbacks;

  LoopOptions(Builder<?, ?> builder) {
    this.batchSize = builder.batchSize;
    this.verbose = builder.verbose;
    this.callbacks = builder.callbacks;
  }

  public int batchSize() {
    return batchSize;
  }

  public int verbose() {
    return verbose;
  }

  public List<Object> callbacks() {
    return callbacks;
  }

  /** Keras's defaults: batch 32, verbose 1, no callbacks. */
  public abstract static class Builder<B extends Builder<B, O>, O extends LoopOptions> {
    private int batchSize = 32;
    private int verbose = 1;
    private List<Object> callbacks = List.of();

    Builder() {}

    abstract B self();

    public B batchSize(int batchSize) {
      this.batchSize = Checks.batchSize(batchSize);
      return self();
    }

    /** 0 silent, 1 progress bar, 2 one line. */
    public B verbose(int verbose) {
      this.verbose = Checks.verbose(verbose);
      return self();
    }

    /** {@code Callback}s and objects with hook annotations, called in this order. */
    public B callbacks(Object... callbacks) {
      this.callbacks = Checks.callbacks(callbacks);
      return self();
    }

    public abstract O build();
  }
}
