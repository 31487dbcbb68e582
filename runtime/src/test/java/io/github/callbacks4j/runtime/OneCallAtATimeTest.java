package io.github.callbacks4j.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.callbacks4j.callbacks.LambdaCallback;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One model, one call at a time: fit, evaluate, predict or a batch call started from a callback
 * of a running fit, or from another thread, fails at once and names the call that is running.
 */
class OneCallAtATimeTest {
  private static final Digits DIGITS = Digits.load().head(12);
  private static final Digits VALIDATION = Digits.load().head(4);

  private static FitOptions.Builder options(Object... callbacks) {
    return FitOptions.builder().epochs(2).batchSize(4).verbose(0).callbacks(callbacks);
  }

  private static final String ONE_AT_A_TIME = " is still running on this model, which runs one"
      + " fit, evaluate or predict at a time; call it after that returns (not from one of its"
      + " callbacks), or use another model";

  /** Runs {@code call} from a callback of a fit on the same model; returns what fit threw. */
  private static IllegalStateException reentrant(String threadName, Sequential model,
      LambdaCallback.Builder hook) throws InterruptedException {
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread thread = new Thread(() -> {
      try {
        model.fit(DIGITS.x, DIGITS.y, options(hook.build()).build());
      } catch (Throwable e) {
        thrown.set(e);
      }
    }, threadName);
    thread.start();
    thread.join(TimeUnit.SECONDS.toMillis(60));
    return assertThrows(IllegalStateException.class, () -> {
      throw thrown.get();
    });
  }

  @Test
  void fitFromACallbackOfFit() throws InterruptedException {
    Sequential model = Models.digits(1);
    IllegalStateException e = reentrant("trainer", model, LambdaCallback.builder()
        .onEpochEnd((epoch, l) -> model.fit(DIGITS.x, DIGITS.y, options().build())));
    assertEquals("cannot start fit: fit on thread 'trainer'" + ONE_AT_A_TIME, e.getMessage());
  }

  @Test
  void evaluateFromABatchHookOfFit() throws InterruptedException {
    Sequential model = Models.digits(1);
    IllegalStateException e = reentrant("trainer", model, LambdaCallback.builder()
        .onTrainBatchEnd((batch, l) -> model.evaluate(VALIDATION.x, VALIDATION.y,
            EvaluateOptions.builder().verbose(0).build())));
    assertEquals("cannot start evaluate: fit on thread 'trainer'" + ONE_AT_A_TIME,
        e.getMessage());
  }

  @Test
  void predictFromEpochBeginOfFit() throws InterruptedException {
    Sequential model = Models.digits(1);
    IllegalStateException e = reentrant("trainer", model, LambdaCallback.builder()
        .onEpochBegin((epoch, l) -> model.predict(VALIDATION.x,
            PredictOptions.builder().verbose(0).build())));
    assertEquals("cannot start predict: fit on thread 'trainer'" + ONE_AT_A_TIME,
        e.getMessage());
  }

  @Test
  void trainOnBatchFromTrainBeginOfFit() throws InterruptedException {
    Sequential model = Models.digits(1);
    INDArray before = model.parameters();
    IllegalStateException e = reentrant("trainer", model, LambdaCallback.builder()
        .onTrainBegin(l -> model.trainOnBatch(VALIDATION.x, VALIDATION.y)));
    assertEquals("cannot start trainOnBatch: fit on thread 'trainer'" + ONE_AT_A_TIME,
        e.getMessage());
    assertEquals(before, model.parameters(), "nothing trained");
  }

  @Test
  void aSecondThreadsCallFailsAtOnceAndTheModelIsFreeAfterwards() throws InterruptedException {
    Sequential model = Models.digits(1);
    CountDownLatch training = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    LambdaCallback holds = LambdaCallback.builder().onTrainBatchEnd((batch, l) -> {
      training.countDown();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }).build();
    List<Throwable> firstFailures = new ArrayList<>();
    Thread first = new Thread(() -> {
      try {
        model.fit(DIGITS.x, DIGITS.y, options(holds).build());
      } catch (Throwable e) {
        firstFailures.add(e);
      }
    }, "first-fit");
    first.start();
    try {
      assertTrue(training.await(30, TimeUnit.SECONDS));
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> model.fit(DIGITS.x, DIGITS.y, options().build()));
      assertEquals("cannot start fit: fit on thread 'first-fit'" + ONE_AT_A_TIME, e.getMessage());
    } finally {
      release.countDown();
      first.join(TimeUnit.SECONDS.toMillis(60));
    }
    assertEquals(List.of(), firstFailures, "the first fit ran undisturbed");
    model.evaluate(DIGITS.x, DIGITS.y, EvaluateOptions.builder().verbose(0).build());
  }
}
