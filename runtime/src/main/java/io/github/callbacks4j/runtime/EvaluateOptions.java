package io.github.callbacks4j.runtime;

/** The arguments of Keras's {@code evaluate}: batch size, verbosity, callbacks. */
public final class EvaluateOptions extends LoopOptions {
  private EvaluateOptions(Builder builder) {
    super(builder);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Keras's defaults: batch 32, verbose 1. */
  public static final class Builder extends LoopOptions.Builder<Builder, EvaluateOptions> {
    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    @Override
    public EvaluateOptions build() {
      return new EvaluateOptions(this);
    }
  }
}
