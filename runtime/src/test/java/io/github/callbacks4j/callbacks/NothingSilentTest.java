package io.github.callbacks4j.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.callbacks4j.Metric;
import io.github.callbacks4j.OnEpochEnd;
import io.github.callbacks4j.runtime.Digits;
import io.github.callbacks4j.runtime.FitOptions;
import io.github.callbacks4j.runtime.Models;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What a user must hear of: keys that are never logged, and the built-ins' verbose messages. */
class NothingSilentTest {
  private static final Digits DATA = Digits.load().head(200);

  /** A Keras 2 habit: {@code val_acc} where Keras 3 (and this library) log {@code val_accuracy}. */
  public static class MisspeltReport {
    final List<Double> seen = new ArrayList<>();

    @OnEpochEnd
    void epochEnd(@Metric("val_acc") double valAccuracy) {
      seen.add(valAccuracy);
    }
  }

  @Test
  void aMisspeltMetricKeyIsReportedOnceOnSlf4jWithTheKeyItMeant() {
    MisspeltReport report = new MisspeltReport();
    EarlyStopping earlyStopping = EarlyStopping.builder().monitor("val_acc").patience(1).build();
    String log = StandardError.of(() -> Models.digits(1).fit(DATA.x, DATA.y, FitOptions.builder()
        .epochs(3).batchSize(50).validationSplit(0.25).verbose(0)
        .callbacks(report, earlyStopping).build()));

    assertEquals(3, report.seen.size(), "the callback still ran every epoch");
    assertTrue(report.seen.stream().allMatch(v -> v.isNaN()), report.seen::toString);
    String expected = "WARN io.github.callbacks4j.CallbackList - io.github.callbacks4j.callbacks"
        + ".NothingSilentTest.MisspeltReport.epochEnd's @Metric reads \"val_acc\" on @OnEpochEnd,"
        + " but those logs have no such key; they hold accuracy, loss, val_accuracy, val_loss."
        + " Did you mean \"val_accuracy\"?";
    assertEquals(1, StandardError.count(log, expected), log);
    assertEquals(1, StandardError.count(log, "EarlyStopping's monitor reads \"val_acc\" on @OnEpochEnd, but those"
        + " logs have no such key; they hold accuracy, loss, val_accuracy, val_loss. Did you mean"
        + " \"val_accuracy\"?"), log);
    assertEquals(2, StandardError.count(log, "WARN"), "nothing else, and nothing twice: " + log);
  }

  @Test
  void keysThatAreLoggedAreNotReported() {
    String log = StandardError.of(() -> Models.digits(1).fit(DATA.x, DATA.y, FitOptions.builder()
        .epochs(2).batchSize(50).validationSplit(0.25).verbose(0)
        .callbacks(EarlyStopping.builder().monitor("val_accuracy").build(),
            ReduceLROnPlateau.builder().monitor("loss").build())
        .build()));
    assertFalse(log.contains("WARN"), log);
  }

  @Test
  void verboseMessagesReachStandardOutputWithoutAnySlf4jProvider(@org.junit.jupiter.api.io.TempDir
      Path dir) throws Exception {
    String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> !entry.contains("slf4j-simple"))
        .collect(Collectors.joining(File.pathSeparator));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-cp", classpath, VerboseMain.class.getName(),
        dir.resolve("ckpt.c4j").toString())
        .redirectOutput(dir.resolve("out.txt").toFile())
        .redirectError(dir.resolve("err.txt").toFile())
        .start();
    assertTrue(child.waitFor(120, TimeUnit.SECONDS), "child did not end");
    String out = read(dir.resolve("out.txt"));
    String err = read(dir.resolve("err.txt"));
    assertEquals(0, child.exitValue(), out + err);
    assertTrue(err.contains("No SLF4J providers were found"), "the child has no provider: " + err);
    List<String> lines = out.lines().toList();
    assertEquals(5, lines.size(), out);
    Matcher first = Pattern.compile("Epoch 1: val_loss improved from inf to ([0-9]+\\.[0-9]{5}),"
        + " saving model to (.*)").matcher(lines.get(0));
    assertTrue(first.matches(), lines.get(0));
    assertEquals(dir.resolve("ckpt.c4j").toString(), first.group(2));
    assertEquals(List.of(
        "Epoch 2: val_loss did not improve from " + first.group(1),
        "Epoch 2: ReduceLROnPlateau reducing learning rate to 0.005.",
        "Epoch 2: early stopping (no improvement of val_loss in 1 epochs)",
        "Restoring model weights from the end of the best epoch: 1."), lines.subList(1, 5));
  }

  private static String read(Path file) throws IOException {
    return java.nio.file.Files.readString(file, StandardCharsets.UTF_8);
  }
}
