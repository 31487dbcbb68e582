package io.github.callbacks4j.dl4j;

import io.github.callbacks4j.Callback;
import io.github.callbacks4j.CallbackList;
import io.github.callbacks4j.Logs;
import io.github.callbacks4j.Params;
import io.github.callbacks4j.callbacks.BackupAndRestore;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

/**
 * Runs callbacks from DL4J's own training loop, for code that keeps calling
 * {@code net.fit(iterator, epochs)}; made by {@link Dl4jModel#listener}. The partial path: it fires
 * what DL4J tells a listener, and no more.
 *
 * <pre>{@code
 * Dl4jModel model = Dl4jModel.of(net);
 * try (CallbackListener listener = model.listener(new EarlyStopping(...), myAnnotatedPojo)) {
 *   net.addListeners(listener);
 *   net.fit(model.stoppable(trainIterator), 20);
 * }
 * }</pre>
 *
 * <p>What fires: {@code onTrainBegin} at DL4J's first event (the first epoch's start); then per
 * epoch {@code onEpochBegin} and {@code onEpochEnd}, numbered by the network's epoch count (so a
 * network trained before continues its numbering); {@code onTrainBatchEnd} after each step, the
 * batch counted from 0 within the epoch; and {@code onTrainEnd} when a callback stops training or
 * when the listener is {@linkplain #close() closed}, whichever comes first. (Calling
 * {@code net.fit(DataSet)} batch by batch gives DL4J no epochs: then only batch hooks fire, their
 * index and running loss counting on through the run.) Never: batch-begin,
 * test or predict hooks; there are no validation ({@code val_}) logs; and no resuming, so
 * {@code BackupAndRestore} is refused.
 *
 * <p>Logs: batch-end logs hold {@code loss}, the running mean over the epoch so far of each batch's
 * loss weighted by its size, and {@code size}, the batch's examples. DL4J reports a step after the
 * update, but its score is the loss of the forward pass before the update (Keras's batch loss),
 * including any L1/L2 penalty the configuration adds. Epoch-end logs hold that {@code loss} over
 * the whole epoch. {@link Params} hold 0 epochs and 0 steps: DL4J does not tell a listener either.
 *
 * <p>Stopping: DL4J's loop cannot be told to stop, so train on {@link Dl4jModel#stoppable}'s
 * iterator, which runs dry once a callback asked. After a stop no further epoch or batch hooks
 * fire, though DL4J goes on through the remaining (empty) epochs; {@code onTrainEnd} fires once,
 * right after the hook that asked.
 *
 * <p>{@link #close()} ends the run: it fires {@code onTrainEnd} if the run had not ended (not after
 * a callback failed), closes the callbacks that are {@link AutoCloseable}, and clears the stop
 * request, so the next {@code fit} with this listener starts a new run with {@code onTrainBegin}.
 * Events after a stop and before {@code close()} belong to the stopped run and are ignored.
 */
public final class CallbackListener extends BaseTrainingListener implements AutoCloseable {
  private enum Run { WAITING, RUNNING, ENDED }

  private final Dl4jModel model;
  private final CallbackList callbacks;
  private Run run = Run.WAITING;
  private boolean failed;
  private int epoch;
  private int batch;
  private double weightedLoss;
  private long weight;
  private Logs lastEpochLogs;

  CallbackListener(Dl4jModel model, CallbackList callbacks) {
    for (Callback callback : callbacks.callbacks()) {
      if (callback instanceof BackupAndRestore) {
        throw new IllegalArgumentException("BackupAndRestore cannot resume through a DL4J "
            + "listener: DL4J's fit(iterator) cannot start again at the batch a backup was taken. "
            + "Save checkpoints with ModelCheckpoint instead, or train with the callbacks4j loop");
      }
    }
    this.model = model;
    this.callbacks = callbacks;
  }

  /** The callbacks in call order (annotated objects appear as their adapters); unmodifiable. */
  public List<Callback> callbacks() {
    return callbacks.callbacks();
  }

  @Override
  public void onEpochStart(Model network) {
    if (!running(network)) {
      return;
    }
    epoch = model.epochCount();
    batch = 0;
    weightedLoss = 0;
    weight = 0;
    calling(() -> callbacks.onEpochBegin(epoch, new Logs()));
  }

  @Override
  public void iterationDone(Model network, int iteration, int dl4jEpoch) {
    if (!running(network)) {
      return;
    }
    int size = network.batchSize();
    // Weighted by examples when DL4J knows the batch's size, else each batch counts once.
    long batchWeight = size > 0 ? size : 1;
    weightedLoss += network.score() * batchWeight;
    weight += batchWeight;
    Logs logs = new Logs().put("loss", weightedLoss / weight);
    if (size > 0) {
      logs.put("size", size);
    }
    int index = batch++;
    calling(() -> callbacks.onTrainBatchEnd(index, logs));
  }

  @Override
  public void onEpochEnd(Model network) {
    if (!running(network)) {
      return;
    }
    // No batch at all: no loss, rather than a NaN that divergence checks would act on.
    Logs logs = weight > 0 ? Logs.of("loss", weightedLoss / weight) : new Logs();
    lastEpochLogs = logs.copy();
    calling(() -> callbacks.onEpochEnd(epoch, logs));
  }

  /** Starts the run at its first event; false once it ended (stopped), until {@link #close()}. */
  private boolean running(Model network) {
    if (network != model.network()) {
      throw new IllegalStateException("this listener was made for " + model
          + " by Dl4jModel.of(net).listener(..), but is attached to another network ("
          + network.getClass().getSimpleName() + "); make one per network");
    }
    if (run == Run.WAITING) {
      run = Run.RUNNING;
      failed = false;
      lastEpochLogs = null;
      model.clearStopRequest();
      callbacks.setModel(model);
      callbacks.setParams(Params.of(0, 0, 0));
      calling(() -> callbacks.onTrainBegin(new Logs()));
    }
    return run == Run.RUNNING;
  }

  /** Runs a hook; ends the run if it asked to stop; remembers a failure so close() skips the end. */
  private void calling(Runnable hook) {
    try {
      hook.run();
    } catch (RuntimeException | Error e) {
      failed = true;
      throw e;
    }
    if (model.stopTrainingRequested()) {
      endRun();
    }
  }

  private void endRun() {
    run = Run.ENDED;
    Logs logs = lastEpochLogs == null ? new Logs() : lastEpochLogs.copy();
    try {
      callbacks.onTrainEnd(logs);
    } catch (RuntimeException | Error e) {
      failed = true;
      throw e;
    }
  }

  /**
   * Ends the run (fires {@code onTrainEnd} unless it fired already or a callback failed), closes
   * the {@link AutoCloseable} callbacks, and readies the listener for another run.
   *
   * @throws IllegalStateException when closing a callback failed (the others are closed still;
   *     further failures are suppressed into it)
   */
  @Override
  public void close() {
    RuntimeException failure = null;
    try {
      if (run == Run.RUNNING && !failed) {
        endRun();
      }
    } catch (RuntimeException e) {
      failure = e;
    } finally {
      run = Run.WAITING;
      model.clearStopRequest();
    }
    for (Callback callback : callbacks.callbacks()) {
      if (callback instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception e) {
          RuntimeException closing = new IllegalStateException(
              "closing " + callback.getClass().getName() + " failed: " + e, e);
          if (failure == null) {
            failure = closing;
          } else {
            failure.addSuppressed(closing);
          }
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public String toString() {
    return "CallbackListener[" + model + ", " + callbacks + "]";
  }
}
