package io.github.callbacks4j.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.callbacks4j.CallbackList;
import io.github.callbacks4j.Logs;
import io.github.callbacks4j.Params;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
}
