package io.github.callbacks4j.callbacks;

import io.github.callbacks4j.Callback;
import io.github.callbacks4j.Logs;
import io.github.callbacks4j.Model;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops training when a training batch's loss is NaN or infinite, as Keras's
 * {@code TerminateOnNaN}. By default it asks the loop to stop (the epoch still validates and ends);
 * with {@code raiseError} it throws instead, which skips every callback's train end.
 */
public class TerminateOnNaN implements Callback {
  private static final Logger LOG = LoggerFactory.getLogger(TerminateOnNaN.class);

  private final boolean raiseError;
  private Model model;

  /** Stops training without raising, as Keras's default. */
  public TerminateOnNaN() {
    this(false);
  }

  private TerminateOnNaN(boolean raiseError) {
    this.raiseError = raiseError;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void setModel(Model model) {
    this.model = model;
  }

  @Override
  public void onTrainBatchEnd(int batch, Logs logs) {
    double loss = logs.get("loss", 0);
    if (Double.isFinite(loss)) {
      return;
    }
    String message = "Batch " + batch + ": Invalid loss " + loss + ", terminating training";
    if (raiseError) {
      throw new IllegalStateException(message);
    }
    LOG.warn(message);
    model.stopTraining();
  }

  /** {@code raiseError} defaults to false. */
  public static final class Builder {
    private boolean raiseError;

    private Builder() {}

    /** Throw an IllegalStateException instead of stopping quietly. */
    public Builder raiseError(boolean raiseError) {
      this.raiseError = raiseError;
      return this;
    }

    public TerminateOnNaN build() {
      return new TerminateOnNaN(raiseError);
    }
  }
}
