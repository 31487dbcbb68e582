package io.github.callbacks4j.runtime;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** The arguments of Keras's {@code predict}: batch size, verbosity, callbacks. */
public final class PredictOptions {
  private final int batchSize;
  private final int verbose;
  private final List<Object> callbacks;

  private PredictOptions(int batchSize, int verbose, List<Object> callbacks) {
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
      if (batchSize < 1) {
        throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    public Builder verbose(int verbose) {
      if (verbose < 0 || verbose > 2) {
        throw new IllegalArgumentException("verbose must be 0, 1 or 2, got " + verbose);
      }
      this.verbose = verbose;
      return this;
    }

    public Builder callbacks(Object... callbacks) {
      for (int i = 0; i < callbacks.length; i++) {
        Objects.requireNonNull(callbacks[i], "callbacks[" + i + "]");
      }
      this.callbacks = List.copyOf(Arrays.asList(callbacks));
      return this;
    }

    public PredictOptions build() {
      return new PredictOptions(batchSize, verbose, callbacks);
    }
  }
}
