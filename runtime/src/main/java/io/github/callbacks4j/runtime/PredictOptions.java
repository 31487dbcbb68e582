package io.github.callbacks4j.runtime;

/** The arguments of Keras's {@code predict}: batch size, verbosity, callbacks. */
public final class PredictOptions extends LoopOptions {
  private PredictOptions(Builder builder) {
    super(builder);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Keras's defaults: batch 32, verbose 1. */
  public static final class Builder extends LoopOptions.Builder<Builder, PredictOptions> {
    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    @Override
    public PredictOptions build() {
      return new PredictOptions(this);
    }
  }
}
