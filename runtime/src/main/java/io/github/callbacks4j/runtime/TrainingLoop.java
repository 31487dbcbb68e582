package io.github.callbacks4j.runtime;

import io.github.callbacks4j.Callback;
import io.github.callbacks4j.CallbackList;
import io.github.callbacks4j.Hook;
import io.github.callbacks4j.Logs;
import io.github.callbacks4j.Model;
import io.github.callbacks4j.Params;
import io.github.callbacks4j.callbacks.History;
import io.github.callbacks4j.callbacks.ProgbarLogger;
import io.github.callbacks4j.state.Resumable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keras 3's fit, evaluate and predict loops: the hooks, in Keras's order, around the model's
 * per-batch work.
 *
 * <p>Each batch's arrays live in a workspace that is reset for the next batch, so training
 * allocates no new native memory after the first batch; hooks run outside it, so callbacks may keep
 * what they create. A batch hook no callback implements is skipped before its logs are built.
 * However a loop ends, the callbacks that are {@link AutoCloseable} are closed.
 */
final class TrainingLoop {
  private static final String WORKSPACE = "callbacks4j-batch";

  private static final Logger LOG = LoggerFactory.getLogger(TrainingLoop.class);

  private TrainingLoop() {}

  /** Runs fit with the data already checked; the caller holds {@link OneCallAtATime}. */
  static History fit(TrainingEngine engine, StepSource train, StepSource validation,
      FitOptions options) {
    if (validation == null && options.setsValidationOptions()) {
      throw new IllegalArgumentException("validationSteps, validationBatchSize and"
          + " validationFreq apply to validation, but this fit has no validation data: add"
          + " validationData(...) or validationSplit(...), or drop them");
    }
    CallbackList callbacks = callbackList(options.callbacks(), options.verbose(), true);
    return closingAfterwards(callbacks, () -> fit(engine, train, validation, options, callbacks));
  }

  private static History fit(TrainingEngine engine, StepSource train, StepSource validation,
      FitOptions options, CallbackList callbacks) {
    History history = callbacks.callbacks().stream()
        .filter(History.class::isInstance).map(History.class::cast).findFirst().orElseThrow();
    Model model = engine.model();
    callbacks.setModel(model);
    int stepsPerEpoch = options.stepsPerEpoch().orElse(train.steps());
    callbacks.setParams(Params.of(options.epochs(), stepsPerEpoch, options.verbose(),
        options.batchSize(), train.samples(), logged(engine, validation != null)));
    RunningMeans means = new RunningMeans(engine.metricNames(), engine.statefulMetrics());
    Progress progress = new Progress(
        options.seed().orElseGet(() -> new Random().nextLong()), means);
    Resumable.ResumePoint resume = resume(model, callbacks, progress);
    int startEpoch = options.initialEpoch();
    if (resume != null) {
      progress.shuffleSeed = resume.shuffleSeed();
      startEpoch = resume.epoch();
    }
    PassCursor trainCursor = new PassCursor(train.steps(), stepsPerEpoch);
    PassCursor validationCursor = validation == null ? null : new PassCursor(validation.steps(),
        options.validationSteps().orElse(validation.steps()));
    // Where the epochs before a resumed one left both cursors: they depend on nothing else.
    for (int epoch = options.initialEpoch(); epoch < startEpoch; epoch++) {
      trainCursor.finishRun();
      if (validationCursor != null && options.validatesAfter(epoch)) {
        validationCursor.finishRun();
      }
    }
    ShortRunWarning shortRuns = new ShortRunWarning();

    engine.clearStopRequest();
    callbacks.onTrainBegin(new Logs());
    Logs epochLogs = null;
    for (int epoch = startEpoch; epoch < options.epochs(); epoch++) {
      engine.startEpoch(epoch);
      progress.epoch = epoch;
      progress.batchesDone = 0;
      means.reset();
      callbacks.onEpochBegin(epoch, new Logs());
      if (resume != null && epoch == resume.epoch() && resume.batchesDone() > 0) {
        // Continue the interrupted epoch where the backup left it (as tf.keras does, its
        // onEpochBegin runs again first).
        means.restore(resume.sums(), resume.samples());
        progress.batchesDone = resume.batchesDone();
      }
      shortRuns.check("stepsPerEpoch", stepsPerEpoch, "training", trainCursor, train.steps());
      // Each pass has its own order; an epoch inside a pass continues the one under way.
      boolean restart = epoch == startEpoch || trainCursor.position() == 0;
      Random shuffle = options.shuffle()
          ? progress.shuffleFor(options.initialEpoch() + trainCursor.pass()) : null;
      trainEpoch(engine, train, trainCursor, shuffle, restart,
          options.stepsPerExecution(), progress, means, callbacks);
      trainCursor.finishRun();
      // No batch at all (stopped before the first): no training keys, rather than a NaN loss
      // that callbacks watching for divergence would act on.
      epochLogs = means.samples() > 0 ? means.logs() : new Logs();
      if (validation != null && options.validatesAfter(epoch)) {
        shortRuns.check("validationSteps", options.validationSteps().orElse(validation.steps()),
            "validation", validationCursor, validation.steps());
        Logs validationLogs = test(engine, validation, validationCursor.position(),
            validationCursor.nextRunSteps(), options.stepsPerExecution(), callbacks);
        validationCursor.finishRun();
        Logs logs = epochLogs;
        validationLogs.forEach((key, value) -> logs.put("val_" + key, value));
      }
      callbacks.onEpochEnd(epoch, epochLogs.copy());
      if (model.stopTrainingRequested()) {
        break;
      }
    }
    engine.finishFit();
    // Keras passes the trainer's own last epoch logs: what callbacks added to theirs is not here.
    callbacks.onTrainEnd(epochLogs == null ? new Logs() : epochLogs.copy());
    return history;
  }

  /** Asks the first {@link Resumable} callback, if any, where to resume. */
  private static Resumable.ResumePoint resume(
      Model model, CallbackList callbacks, Progress progress) {
    for (Callback callback : callbacks.callbacks()) {
      if (callback instanceof Resumable resumable) {
        try {
          return resumable.resume(model, callbacks.callbacks(), progress);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return null;
  }

  /**
   * Trains the cursor's next run of steps. {@code restart} starts the pass over ({@code shuffle}
   * its order) and skips to the run's first step not done yet; otherwise the source continues
   * from the previous epoch, which ended exactly where this one begins.
   */
  private static void trainEpoch(TrainingEngine engine, StepSource train, PassCursor cursor,
      Random shuffle, boolean restart, int group, Progress progress, RunningMeans means,
      CallbackList callbacks) {
    Model model = engine.model();
    boolean batchBegin = callbacks.implementsHook(Hook.TRAIN_BATCH_BEGIN);
    boolean batchEnd = callbacks.implementsHook(Hook.TRAIN_BATCH_END);
    if (model.stopTrainingRequested()) {
      return; // asked in onTrainBegin or onEpochBegin: not one batch more
    }
    int offset = cursor.position();
    if (restart) {
      train.startPass(shuffle);
      train.skip(offset + progress.batchesDone);
    }
    int steps = cursor.nextRunSteps();
    for (int first = progress.batchesDone; first < steps; first += group) {
      int last = Math.min(first + group, steps) - 1;
      if (batchBegin) {
        callbacks.onTrainBatchBegin(first,
            new Logs().put("size", train.batchSize(offset + first)));
      }
      for (int step = first; step <= last; step++) {
        try (MemoryWorkspace ignored =
            BatchWorkspace.open(WORKSPACE)) {
          double loss = train.trainNext(engine, means.batchMetricSums());
          means.add(loss, train.lastStepSamples());
        }
      }
      progress.batchesDone = last + 1;
      if (batchEnd) {
        callbacks.onTrainBatchEnd(last,
            means.logs().put("size", train.batchSize(offset + last)));
      }
      if (model.stopTrainingRequested()) {
        break;
      }
    }
  }

  /** Says once per fit and kind of run that a run ends early because its data ran out. */
  private static final class ShortRunWarning {
    private final Set<String> warned = new HashSet<>();

    void check(String option, int stepsPerRun, String data, PassCursor cursor, int passSteps) {
      if (cursor.nextRunCutShort() && warned.add(option)) {
        LOG.warn("{}({}) asks for more {} batches than remain in this pass over the data ({} of"
            + " {}): this run ends after {} and the next starts a new pass, as in Keras. A"
            + " {} that divides {} keeps runs equal", option, stepsPerRun, data,
            cursor.nextRunSteps(), passSteps, cursor.nextRunSteps(), option, passSteps);
      }
    }
  }

  /** The loop's position, as a {@link Resumable} callback reads it. */
  private static final class Progress implements Resumable.Progress {
    private final RunningMeans means;
    long shuffleSeed;
    int epoch;
    int batchesDone;

    Progress(long shuffleSeed, RunningMeans means) {
      this.shuffleSeed = shuffleSeed;
      this.means = means;
    }

    /** Each epoch's order depends only on the seed and the epoch, so any epoch can be replayed. */
    Random shuffleFor(int epoch) {
      return new Random(shuffleSeed ^ (0x9E3779B97F4A7C15L * (epoch + 1)));
    }

    @Override
    public int epoch() {
      return epoch;
    }

    @Override
    public int batchesDone() {
      return batchesDone;
    }

    @Override
    public long shuffleSeed() {
      return shuffleSeed;
    }

    @Override
    public long samples() {
      return means.samples();
    }

    @Override
    public double[] sums() {
      return means.sums();
    }
  }

  /**
   * Evaluation through the test hooks of {@code steps} steps from step {@code first} of a pass;
   * returns the final logs (loss and metrics).
   */
  private static Logs test(TrainingEngine engine, StepSource data, int first, int steps,
      int group, CallbackList callbacks) {
    boolean batchBegin = callbacks.implementsHook(Hook.TEST_BATCH_BEGIN);
    boolean batchEnd = callbacks.implementsHook(Hook.TEST_BATCH_END);
    // Fresh metric state for each evaluation, as Keras resets its metrics (the training epoch's
    // logs are taken before validation runs).
    RunningMeans means = new RunningMeans(engine.metricNames(), engine.statefulMetrics());
    means.reset();
    callbacks.onTestBegin(new Logs());
    data.startPass(null);
    data.skip(first);
    for (int begin = 0; begin < steps; begin += group) {
      int last = Math.min(begin + group, steps) - 1;
      if (batchBegin) {
        callbacks.onTestBatchBegin(begin, new Logs().put("size", data.batchSize(first + begin)));
      }
      for (int step = begin; step <= last; step++) {
        try (MemoryWorkspace ignored =
            BatchWorkspace.open(WORKSPACE)) {
          double loss = data.testNext(engine, means.batchMetricSums());
          means.add(loss, data.lastStepSamples());
        }
      }
      if (batchEnd) {
        callbacks.onTestBatchEnd(last, means.logs().put("size", data.batchSize(first + last)));
      }
    }
    Logs logs = means.logs();
    callbacks.onTestEnd(logs.copy());
    return logs;
  }

  /** Runs evaluate with the data already checked; the caller holds {@link OneCallAtATime}. */
  static Logs evaluate(TrainingEngine engine, BatchSource data, EvaluateOptions options) {
    CallbackList callbacks = callbackList(options.callbacks(), options.verbose(), false);
    return closingAfterwards(callbacks, () -> {
      callbacks.setModel(engine.model());
      callbacks.setParams(Params.of(1, data.steps(), options.verbose(), options.batchSize(),
          data.samples(), logged(engine, false)));
      return test(engine, data, 0, data.steps(), 1, callbacks);
    });
  }

  /** Runs predict with the data already checked; the caller holds {@link OneCallAtATime}. */
  static INDArray predict(TrainingEngine engine, BatchSource data, PredictOptions options) {
    CallbackList callbacks = callbackList(options.callbacks(), options.verbose(), false);
    return closingAfterwards(callbacks, () -> predict(engine, data, options, callbacks));
  }

  private static INDArray predict(TrainingEngine engine, BatchSource data,
      PredictOptions options, CallbackList callbacks) {
    callbacks.setModel(engine.model());
    callbacks.setParams(Params.of(1, data.steps(), options.verbose(), options.batchSize(),
        data.samples()));
    boolean batchBegin = callbacks.implementsHook(Hook.PREDICT_BATCH_BEGIN);
    boolean batchEnd = callbacks.implementsHook(Hook.PREDICT_BATCH_END);
    INDArray predictions = null;
    callbacks.onPredictBegin(new Logs());
    data.startPass(null);
    long row = 0;
    for (int step = 0; step < data.steps(); step++) {
      int size = data.batchSize(step);
      if (batchBegin) {
        callbacks.onPredictBatchBegin(step, new Logs().put("size", size));
      }
      try (MemoryWorkspace ignored =
          BatchWorkspace.open(WORKSPACE)) {
        data.next();
        INDArray output = engine.predictBatch(data.features());
        if (predictions == null) {
          predictions = outputFor(data.samples(), output);
        }
        predictions.get(NDArrayIndex.interval(row, row + size)).assign(output);
      }
      row += size;
      if (batchEnd) {
        callbacks.onPredictBatchEnd(step, new Logs().put("size", size));
      }
    }
    callbacks.onPredictEnd(new Logs());
    return predictions;
  }

  /** Room for every sample's output, shaped as the first batch's output (the engine's sizes). */
  private static INDArray outputFor(long samples, INDArray firstOutput) {
    long[] shape = firstOutput.shape().clone(); // shape() is the array's own: never write to it
    shape[0] = samples;
    try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      return Nd4j.create(firstOutput.dataType(), shape);
    }
  }

  /**
   * Runs {@code loop}, then closes every callback that is {@link AutoCloseable} (the built-ins that
   * hold files or threads), however the loop ends. A loop's exception comes out unchanged, with any
   * close failure suppressed in it; as in Keras, {@code onTrainEnd} does not run then.
   */
  private static <T> T closingAfterwards(CallbackList callbacks, Supplier<T> loop) {
    T result;
    try {
      result = loop.get();
    } catch (Throwable failure) {
      close(callbacks, failure);
      throw failure;
    }
    close(callbacks, null);
    return result;
  }

  /** Closes each AutoCloseable callback; failures join {@code failure}, or are thrown. */
  private static void close(CallbackList callbacks, Throwable failure) {
    RuntimeException closeFailure = null;
    for (Callback callback : callbacks.callbacks()) {
      if (callback instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception e) {
          if (failure != null) {
            failure.addSuppressed(e);
          } else if (closeFailure == null) {
            closeFailure = e instanceof RuntimeException unchecked ? unchecked
                : new IllegalStateException("closing " + callback.getClass().getName()
                    + " at the end of the loop failed: " + e, e);
          } else {
            closeFailure.addSuppressed(e);
          }
        }
      }
    }
    if (closeFailure != null) {
      throw closeFailure;
    }
  }

  /**
   * The user's callbacks, then a History (fit only) and a ProgbarLogger (when verbose), unless the
   * user passed their own, as Keras's CallbackList does.
   */
  private static CallbackList callbackList(List<Object> user, int verbose, boolean addHistory) {
    CallbackList callbacks = CallbackList.of(user.toArray());
    List<Callback> given = callbacks.callbacks();
    if (addHistory && given.stream().noneMatch(History.class::isInstance)) {
      callbacks.append(new History());
    }
    if (verbose > 0 && given.stream().noneMatch(ProgbarLogger.class::isInstance)) {
      callbacks.append(new ProgbarLogger());
    }
    return callbacks;
  }

  /** The keys the engine logs, in Keras's order: loss, its metrics, then their val_ forms. */
  private static List<String> logged(TrainingEngine engine, boolean validating) {
    List<String> keys = new ArrayList<>();
    keys.add("loss");
    keys.addAll(engine.metricNames());
    if (validating) {
      for (int i = 0, n = keys.size(); i < n; i++) {
        keys.add("val_" + keys.get(i));
      }
    }
    return keys;
  }
}
