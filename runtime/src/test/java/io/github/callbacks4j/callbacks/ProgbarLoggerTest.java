package io.github.callbacks4j.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.callbacks4j.CallbackList;
import io.github.callbacks4j.Logs;
import io.github.callbacks4j.Params;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgbarLoggerTest {

  private static String run(int verbose, boolean interactive) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ProgbarLogger bar = ProgbarLogger.builder()
        .output(new PrintStream(bytes, true, StandardCharsets.UTF_8)).interactive(interactive).build();
    CallbackList callbacks = CallbackList.of(bar);
    callbacks.setParams(Params.of(2, 3, verbose));
    callbacks.onTrainBegin(new Logs());
    for (int epoch = 0; epoch < 2; epoch++) {
      callbacks.onEpochBegin(epoch, new Logs());
      for (int b = 0; b < 3; b++) {
        callbacks.onTrainBatchEnd(b, Logs.of("loss", 0.43121, "accuracy", 0.871, "size", 32));
      }
      callbacks.onTestBegin(new Logs()); // validation inside fit: silent
      callbacks.onTestBatchEnd(0, Logs.of("loss", 9));
      callbacks.onTestEnd(Logs.of("loss", 9));
      callbacks.onEpochEnd(epoch, Logs.of("loss", 0.43121, "accuracy", 0.871, "val_loss", 0.0001234));
    }
    callbacks.onTrainEnd(new Logs());
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** Keras's order: loss, the compiled metrics as compiled, val_loss, the val_ metrics. */
  @Test
  void printsTheEnginesKeysInItsOrderThenTheRest() {
    Logs logs = Logs.of("accuracy", 0.5, "loss", 0.25, "mse", 0.125, "val_accuracy", 0.75)
        .put("val_loss", 1).put("val_mse", 2).put("learning_rate", 0.01).put("size", 32);
    assertEquals(" - loss: 0.2500 - mse: 0.1250 - accuracy: 0.5000 - val_loss: 1.0000"
        + " - val_mse: 2.0000 - val_accuracy: 0.7500 - learning_rate: 0.0100",
        ProgbarLogger.metrics(logs, List.of("loss", "mse", "accuracy", "val_loss", "val_mse",
            "val_accuracy")));
    assertEquals(" - loss: 0.2500 - accuracy: 0.5000 - learning_rate: 0.0100 - mse: 0.1250"
        + " - val_accuracy: 0.7500 - val_loss: 1.0000 - val_mse: 2.0000",
        ProgbarLogger.metrics(logs, List.of()), "no order given: loss, then key order");

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CallbackList callbacks = CallbackList.of(ProgbarLogger.builder()
        .output(new PrintStream(bytes, true, StandardCharsets.UTF_8)).interactive(false).build());
    callbacks.setParams(Params.of(1, 1, 2, 32, 32, List.of("loss", "mse", "accuracy")));
    callbacks.onTrainBegin(new Logs());
    callbacks.onEpochBegin(0, new Logs());
    callbacks.onEpochEnd(0, Logs.of("accuracy", 0.5, "loss", 0.25, "mse", 0.125));
    assertTrue(bytes.toString(StandardCharsets.UTF_8).contains(
        " - loss: 0.2500 - mse: 0.1250 - accuracy: 0.5000"), bytes::toString);
  }

  @Test
  void logFileModePrintsOneFinishedLinePerEpoch() {
    String out = run(1, false);
    String[] lines = out.split("\n");
    assertEquals(4, lines.length, out);
    assertEquals("Epoch 1/2", lines[0]);
    assertTrue(lines[1].matches("3/3 \\[==============================\\] - \\d+s \\d+(us|ms|s)/step"
        + " - loss: 0\\.4312 - accuracy: 0\\.8710 - val_loss: 1\\.2340e-04"), lines[1]);
    assertEquals("Epoch 2/2", lines[2]);
  }

  @Test
  void terminalModeRedrawsTheBarInPlace() {
    String out = run(1, true);
    assertTrue(out.contains("\r1/3 [=========>....................] - ETA: "), out);
    assertTrue(out.contains("\r2/3 [===================>..........] - ETA: "), out);
    assertTrue(out.contains(" - loss: 0.4312 - accuracy: 0.8710"), out);
  }

  @Test
  void verboseTwoPrintsOneShortLinePerEpoch() {
    String[] lines = run(2, true).split("\n");
    assertEquals(4, lines.length);
    assertTrue(lines[1].matches("3/3 - \\d+s - \\d+(us|ms|s)/step - loss: 0\\.4312 - accuracy:"
        + " 0\\.8710 - val_loss: 1\\.2340e-04"), lines[1]);
  }

  @Test
  void silentAtVerboseZero() {
    assertEquals("", run(0, true));
  }

  @Test
  void formatsLikeKeras() {
    // Keras 2: prog_width = int(30 * 12 / 94) = 3, so two "=" and a ">".
    assertEquals("[==>...........................]", ProgbarLogger.bar(12, 94));
    assertEquals("[..............................]", ProgbarLogger.bar(0, 94));
    assertEquals("0.4312", ProgbarLogger.value(0.43121));
    assertEquals("1.0000e-03", ProgbarLogger.value(0.001));
    assertEquals("1:05", ProgbarLogger.duration(65));
    assertEquals("21ms/step", ProgbarLogger.perStep(0.021));
    assertEquals("850us/step", ProgbarLogger.perStep(0.00085));
  }

  @Test
  void barsValuesAndTimesAtTheirEdges() {
    assertEquals("[==============================]", ProgbarLogger.bar(94, 94));
    assertEquals("[============================>.]", ProgbarLogger.bar(93, 94));
    assertEquals("[>.............................]", ProgbarLogger.bar(1, 30));
    assertEquals("[==============================]", ProgbarLogger.bar(0, 0), "no target: full");
    // Keras: .4f above 1e-3 in magnitude (and for 0), .4e at or below it, the sign kept.
    assertEquals("0.0000", ProgbarLogger.value(0));
    assertEquals("-0.5000", ProgbarLogger.value(-0.5));
    assertEquals("-1.0000e-03", ProgbarLogger.value(-0.001));
    assertEquals("0.0010", ProgbarLogger.value(0.0010001));
    assertEquals("59s", ProgbarLogger.duration(59));
    assertEquals("2:05", ProgbarLogger.duration(125));
    assertEquals("1:02:05", ProgbarLogger.duration(3725));
    assertEquals("1s/step", ProgbarLogger.perStep(1.0));
    assertEquals("2s/step", ProgbarLogger.perStep(2.4));
    assertEquals("1ms/step", ProgbarLogger.perStep(0.001));
    assertEquals("999ms/step", ProgbarLogger.perStep(0.999));
  }

  @Test
  void evaluateOutsideFitDrawsItsOwnBarAndPredictPrintsNoMetrics() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CallbackList callbacks = CallbackList.of(ProgbarLogger.builder()
        .output(new PrintStream(bytes, true, StandardCharsets.UTF_8)).interactive(false).build());
    callbacks.setParams(Params.of(1, 2, 2));
    callbacks.onTestBegin(new Logs());
    callbacks.onTestBatchEnd(0, Logs.of("loss", 0.5));
    callbacks.onTestBatchEnd(1, Logs.of("loss", 0.5));
    callbacks.onTestEnd(Logs.of("loss", 0.25));
    callbacks.onPredictBegin(new Logs());
    callbacks.onPredictBatchEnd(0, Logs.of("size", 2));
    callbacks.onPredictEnd(new Logs());
    String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
    assertEquals(2, lines.length, bytes::toString);
    assertTrue(lines[0].matches("2/2 - \\d+s - \\d+[mu]?s/step - loss: 0\\.2500"), lines[0]);
    assertTrue(lines[1].matches("2/2 - \\d+s - \\d+[mu]?s/step"), lines[1]);
  }

  /**
   * In a terminal each unfinished batch redraws the line, the finished epoch redraws it once more
   * and ends it, padding over what a longer line left; a one-epoch fit prints no epoch header.
   */
  @Test
  void terminalModeRedrawsEachUnfinishedBatchThenEndsTheLine() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CallbackList callbacks = CallbackList.of(ProgbarLogger.builder()
        .output(new PrintStream(bytes, true, StandardCharsets.UTF_8)).interactive(true).build());
    callbacks.setParams(Params.of(1, 3, 1));
    callbacks.onTrainBegin(new Logs());
    callbacks.onEpochBegin(0, new Logs());
    callbacks.onTrainBatchEnd(0, Logs.of("loss", 0.5, "a_long_metric_name", 1, "another_one", 2));
    callbacks.onTrainBatchEnd(1, Logs.of("loss", 0.5));
    callbacks.onTrainBatchEnd(2, Logs.of("loss", 0.5));
    callbacks.onEpochEnd(0, Logs.of("loss", 0.5));
    callbacks.onTrainEnd(new Logs());
    String out = bytes.toString(StandardCharsets.UTF_8);
    String[] draws = out.split("\r", -1);
    assertEquals(4, draws.length, out); // nothing before the first draw, then three draws
    assertEquals("", draws[0]);
    assertTrue(draws[1].startsWith("1/3 [=========>....................] - ETA: "), draws[1]);
    assertTrue(draws[2].matches("2/3 \\[===================>\\.{10}\\] - ETA: \\d+s - loss:"
        + " 0\\.5000 +"), "padded over the longer first line: " + draws[2]);
    assertTrue(draws[3].matches("3/3 \\[={30}\\] - \\d+s \\d+(us|ms|s)/step - loss: 0\\.5000\\n"),
        draws[3]);
  }

  @Test
  void aMessageWhileTheBarIsDrawnStartsOnANewLine() {
    PrintStream original = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      CallbackList callbacks = CallbackList.of(ProgbarLogger.builder().interactive(true).build());
      callbacks.setParams(Params.of(1, 3, 1));
      callbacks.onEpochBegin(0, new Logs());
      callbacks.onTrainBatchEnd(0, Logs.of("loss", 0.5));
      Console.print("a message");
      callbacks.onTrainBatchEnd(1, Logs.of("loss", 0.5));
      callbacks.onTrainBatchEnd(2, Logs.of("loss", 0.5));
      callbacks.onEpochEnd(0, Logs.of("loss", 0.5));
      Console.print("after the epoch");
    } finally {
      System.setOut(original);
    }
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(out.matches("(?s)\\r1/3 [^\\n]*\\na message\\n\\r2/3 .*"), out);
    assertTrue(out.endsWith(" - loss: 0.5000\nafter the epoch\n"), out);
  }

  @Test
  void evaluateOutsideFitDrawsItsBatchesInATerminal() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CallbackList callbacks = CallbackList.of(ProgbarLogger.builder()
        .output(new PrintStream(bytes, true, StandardCharsets.UTF_8)).interactive(true).build());
    callbacks.setParams(Params.of(1, 2, 1));
    callbacks.onTestBegin(new Logs());
    callbacks.onTestBatchEnd(0, Logs.of("loss", 0.5));
    callbacks.onTestBatchEnd(1, Logs.of("loss", 0.5));
    callbacks.onTestEnd(Logs.of("loss", 0.5));
    callbacks.onPredictBegin(new Logs());
    callbacks.onPredictBatchEnd(0, Logs.of("size", 2));
    callbacks.onPredictBatchEnd(1, Logs.of("size", 2));
    callbacks.onPredictEnd(new Logs());
    String out = bytes.toString(StandardCharsets.UTF_8);
    String[] lines = out.split("\n");
    assertEquals(2, lines.length, out);
    assertTrue(lines[0].startsWith("\r1/2 [==============>...............] - ETA: "), lines[0]);
    assertTrue(lines[0].contains("\r2/2 [==============================] - "), lines[0]);
    // Predict starts its own line: the ETA draw has no padding left from evaluate's longer line.
    assertTrue(lines[1].matches("\\r1/2 \\[={14}>\\.{15}\\] - ETA: \\d+s\\r2/2 .*"),
        lines[1]);
  }

  private static final long SECOND = 1_000_000_000L;

  /** A bar on {@code bytes} whose clock reads {@code now}. */
  private static CallbackList timed(ByteArrayOutputStream bytes, AtomicLong now, int steps,
      int verbose, boolean interactive) {
    CallbackList callbacks = CallbackList.of(ProgbarLogger.builder()
        .output(new PrintStream(bytes, true, StandardCharsets.UTF_8)).interactive(interactive)
        .clock(now::get).build());
    callbacks.setParams(Params.of(1, steps, verbose));
    return callbacks;
  }

  /**
   * Keras's estimate leaves the first (warm-up) step out once a second one has run: 5 s for the
   * first step, then 1 s a step, is an ETA of 45 s after it and 8 s after the second.
   */
  @Test
  void etaAndTimePerStepLeaveTheFirstStepOut() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    AtomicLong now = new AtomicLong(-100 * SECOND); // nanoTime may be negative
    CallbackList callbacks = timed(bytes, now, 10, 1, true);
    callbacks.onTrainBegin(new Logs());
    callbacks.onEpochBegin(0, new Logs());
    now.addAndGet(5 * SECOND);
    callbacks.onTrainBatchEnd(0, new Logs());
    for (int batch = 1; batch < 10; batch++) {
      now.addAndGet(SECOND);
      callbacks.onTrainBatchEnd(batch, new Logs());
    }
    now.addAndGet(SECOND / 2);
    callbacks.onEpochEnd(0, Logs.of("loss", 0.5));
    String[] draws = bytes.toString(StandardCharsets.UTF_8).split("\r");
    assertEquals(" 1/10 [==>...........................] - ETA: 45s", draws[1].stripTrailing());
    assertEquals(" 2/10 [=====>........................] - ETA: 8s", draws[2].stripTrailing());
    assertEquals(" 9/10 [==========================>...] - ETA: 1s", draws[9].stripTrailing());
    // 14.5 s in all, rounded to even as Python's "%.0f" does; (14.5 - 5) / 9 s a step after the first
    assertEquals("10/10 [==============================] - 14s 1s/step - loss: 0.5000\n",
        draws[10]);
  }

  /** A one-step epoch has no step after the first: its time per step is the whole time. */
  @Test
  void aOneStepEpochTakesItsWholeTimeAsTheTimePerStep() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    AtomicLong now = new AtomicLong(-50 * SECOND); // nanoTime may be negative
    CallbackList callbacks = timed(bytes, now, 1, 1, true);
    callbacks.onEpochBegin(0, new Logs());
    now.addAndGet(3 * SECOND);
    callbacks.onTrainBatchEnd(0, new Logs());
    callbacks.onEpochEnd(0, new Logs());
    assertEquals("\r1/1 [==============================] - 3s 3s/step\n",
        bytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void theFinishedLineGivesTheEpochsTimeInSecondsAndTheTimePerStep() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    AtomicLong now = new AtomicLong();
    CallbackList callbacks = timed(bytes, now, 4, 2, false);
    callbacks.onTrainBegin(new Logs());
    callbacks.onEpochBegin(0, new Logs());
    now.addAndGet(125 * SECOND);
    callbacks.onEpochEnd(0, Logs.of("loss", 0.5));
    callbacks.onTestBegin(new Logs()); // validation inside fit: silent
    callbacks.onTrainEnd(new Logs());
    now.addAndGet(SECOND);
    callbacks.onTestBegin(new Logs());
    now.addAndGet(SECOND * 7 / 2);
    callbacks.onTestEnd(Logs.of("loss", 0.25));
    now.addAndGet(SECOND);
    callbacks.onPredictBegin(new Logs());
    now.addAndGet(SECOND / 1000);
    callbacks.onPredictEnd(new Logs());
    // Keras prints elapsed time as "%.0fs" (not 2:05), and the time per step over all 4 steps
    // when it saw none of them end.
    assertEquals("4/4 - 125s - 31s/step - loss: 0.5000\n"
        + "4/4 - 4s - 875ms/step - loss: 0.2500\n"
        + "4/4 - 0s - 250us/step\n", bytes.toString(StandardCharsets.UTF_8));
  }

  /** Keras's ETA: "%ds" up to a minute, "%d:%02d" up to an hour, then "%d:%02d:%02d", truncated. */
  @Test
  void etaFormatsAsKerasDoes() {
    assertEquals("0s", ProgbarLogger.duration(0.9));
    assertEquals("59s", ProgbarLogger.duration(59.9));
    assertEquals("60s", ProgbarLogger.duration(60));
    assertEquals("1:00", ProgbarLogger.duration(60.5));
    assertEquals("1:05", ProgbarLogger.duration(65.99));
    assertEquals("60:00", ProgbarLogger.duration(3600));
    assertEquals("1:00:00", ProgbarLogger.duration(3600.5));
    assertEquals("1:02:05", ProgbarLogger.duration(3725));
    assertEquals("0s/step", ProgbarLogger.perStep(0), "Keras gives no time per step in s");
    assertEquals("2s/step", ProgbarLogger.perStep(2.5), "rounded to even");
    assertEquals("4ms/step", ProgbarLogger.perStep(0.0036));
    assertEquals("1us/step", ProgbarLogger.perStep(0.0000014));
  }

  /** An epoch of no steps (params say 0) took no time per step, however long it lasted. */
  @Test
  void anEpochOfNoStepsHasNoTimePerStep() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    AtomicLong now = new AtomicLong();
    CallbackList callbacks = timed(bytes, now, 0, 2, false);
    callbacks.onEpochBegin(0, new Logs());
    now.addAndGet(2 * SECOND);
    callbacks.onEpochEnd(0, Logs.of("loss", 0.5));
    assertEquals("0/0 - 2s - 0s/step - loss: 0.5000\n", bytes.toString(StandardCharsets.UTF_8));
  }

  /**
   * Standard output redirected to a file is buffered and flushes only whole lines by itself: the
   * bar, which never ends its line while it moves, and each finished line are flushed as drawn,
   * so a user watching the output sees the progress.
   */
  @Test
  void eachDrawIsFlushedOnABufferedStream() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream buffered = new PrintStream(new BufferedOutputStream(bytes, 1 << 16), false,
        StandardCharsets.UTF_8);
    CallbackList callbacks = CallbackList.of(ProgbarLogger.builder().output(buffered)
        .interactive(true).build());
    callbacks.setParams(Params.of(1, 2, 1));
    callbacks.onEpochBegin(0, new Logs());
    callbacks.onTrainBatchEnd(0, Logs.of("loss", 0.5));
    assertTrue(bytes.toString(StandardCharsets.UTF_8).startsWith("\r1/2 [==============>"),
        bytes::toString);
    callbacks.onTrainBatchEnd(1, Logs.of("loss", 0.5));
    callbacks.onEpochEnd(0, Logs.of("loss", 0.25));
    assertTrue(bytes.toString(StandardCharsets.UTF_8).endsWith(" - loss: 0.2500\n"),
        bytes::toString);

    bytes.reset();
    CallbackList logFile = CallbackList.of(ProgbarLogger.builder().output(buffered)
        .interactive(false).build());
    logFile.setParams(Params.of(1, 2, 2));
    logFile.onEpochBegin(0, new Logs());
    logFile.onEpochEnd(0, Logs.of("loss", 0.25));
    assertTrue(bytes.toString(StandardCharsets.UTF_8).endsWith(" - loss: 0.2500\n"),
        bytes::toString);
  }

  /** The built-ins' verbose messages, like the bar, are on a buffered standard output at once. */
  @Test
  void consoleMessagesAreFlushedOnABufferedStandardOutput() {
    PrintStream original = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(new BufferedOutputStream(bytes, 1 << 16), false,
        StandardCharsets.UTF_8));
    try {
      Console.print("Epoch 3: early stopping");
      assertEquals("Epoch 3: early stopping\n", bytes.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(original);
    }
  }
}
