package io.github.callbacks4j.callbacks;

import io.github.callbacks4j.Callback;
import io.github.callbacks4j.Logs;
import io.github.callbacks4j.Model;

/**
 * Swaps the exponential moving average (EMA) of the weights into the model for validation, and
 * the model's own weights back afterwards, as Keras 3's {@code SwapEMAWeights}: validation metrics
 * (and so monitors on {@code val_} keys) are those of the EMA weights, while training goes on with
 * the model's own. Needs a model that keeps an EMA: a {@code Sequential} compiled with an {@code
 * Ema} (Keras: an optimizer with {@code use_ema=True}); it fails at train begin otherwise.
 *
 * <p>With {@code swapOnEpoch(true)} the EMA weights also stay in from each epoch's end to the next
 * epoch's begin, so callbacks after this one see them at epoch end: a {@code ModelCheckpoint}
 * placed after it saves the EMA weights. The swaps are in place (no copy of the weights); the model
 * keeps track of which weights it holds, so its snapshots, saves and backups resume exactly.
 */
public class SwapEMAWeights implements Callback {
  private final boolean swapOnEpoch;
  private Model model;

  /** Swaps for validation only, as Keras's default {@code swap_on_epoch=False}. */
  public SwapEMAWeights() {
    this(false);
  }

  private SwapEMAWeights(boolean swapOnEpoch) {
    this.swapOnEpoch = swapOnEpoch;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Refuses a model that keeps no EMA now, before the loop runs any hook. */
  @Override
  public void setModel(Model model) {
    this.model = model;
    if (model != null) {
      requireEma();
    }
  }

  @Override
  public void onEpochBegin(int epoch, Logs logs) {
    if (swapOnEpoch) {
      swap(false);
    }
  }

  @Override
  public void onEpochEnd(int epoch, Logs logs) {
    if (swapOnEpoch) {
      swap(true);
    }
  }

  @Override
  public void onTestBegin(Logs logs) {
    swap(true);
  }

  @Override
  public void onTestEnd(Logs logs) {
    swap(false);
  }

  @Override
  public void onPredictBegin(Logs logs) {
    swap(true);
  }

  /** Puts the model's weights back (Keras 3.x leaves the EMA weights in after predict). */
  @Override
  public void onPredictEnd(Logs logs) {
    swap(false);
  }

  private void swap(boolean emaInModel) {
    requireEma();
    model.swapEmaWeights(emaInModel);
  }

  /** Keras raises the same way, at the first swap, when the optimizer has no {@code use_ema}. */
  private void requireEma() {
    if (model == null) {
      throw new IllegalStateException("SwapEMAWeights has no model: run it from fit, evaluate or"
          + " predict, which set one");
    }
    if (!model.hasEma()) {
      throw new IllegalStateException("SwapEMAWeights needs a model that keeps an exponential"
          + " moving average of its weights (Keras: use_ema=True on the optimizer), but "
          + model.getClass().getName() + " keeps none (Model.hasEma() is false): compile a"
          + " Sequential with one, compile(loss, updater, Ema.builder().build(), metrics...);"
          + " the Deeplearning4j engine keeps no EMA");
    }
  }

  /** {@code swapOnEpoch} defaults to false, as Keras's {@code swap_on_epoch}. */
  public static final class Builder {
    private boolean swapOnEpoch;

    private Builder() {}

    /**
     * Keep the EMA weights in the model from each epoch's end to the next epoch's begin, for the
     * callbacks after this one (a ModelCheckpoint then saves them); Keras's {@code swap_on_epoch}.
     */
    public Builder swapOnEpoch(boolean swapOnEpoch) {
      this.swapOnEpoch = swapOnEpoch;
      return this;
    }

    public SwapEMAWeights build() {
      return new SwapEMAWeights(swapOnEpoch);
    }
  }
}
