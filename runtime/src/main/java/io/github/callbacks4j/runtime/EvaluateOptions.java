package io.github.callbacks4j.runtime;

import java.util.List;

/** The arguments of Keras's {@code evaluate}: batch size, verbosity, callbacks. */
public final class EvaluateOptions {
  private final int batchSize;
  private final int verbose;
  private final List<Object> callbacks;

  private EvaluateOptions(int batchSize, int verbose, List<Object> callbacks) {
    this.batchSize = batchSize;
    this.verbose = verbose;
    this.callbacks = callbacks;
  }

  public static Builder builder() {
    return new Builder();
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

  /** Keras's defaults: batch 32, verbose 1. */
  public static final class Builder {
    private int batchSize = 32;
    private int verbose = 1;
    private List<Object> callbacks = List.of();

    private Builder() {}

    public Builder batchSize(int batchSize) {
      this.batchSize = Checks.batchSize(batchSize);
      return this;
    }

    public Builder verbose(int verbose) {
      this.verbose = Checks.verbose(verbose);
      return this;
    }

    public Builder callbacks(Object... callbacks) {
      this.callbacks = Checks.callbacks(callbacks);
      return this;
    }

    public EvaluateOptions build() {
      return new EvaluateOptions(batchSize, verbose, callbacks);
    }
  }
}
