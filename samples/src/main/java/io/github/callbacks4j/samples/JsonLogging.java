package io.github.callbacks4j.samples;

import io.github.callbacks4j.callbacks.LambdaCallback;
import io.github.callbacks4j.runtime.Datasets;
import io.github.callbacks4j.runtime.FitOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Keras's LambdaCallback example: stream one JSON object per epoch to a file, and close it when
 * training ends.
 */
public final class JsonLogging {
  private JsonLogging() {}

  public static void main(String[] args) throws IOException {
    run(Path.of("target", "json-logging", "log.jsonl"), 10);
  }

  static Path run(Path file, int epochs) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    PrintWriter jsonLog = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
    LambdaCallback jsonLogging = LambdaCallback.builder()
        .onEpochEnd((epoch, logs) -> {
          jsonLog.printf(Locale.ROOT, "{\"epoch\": %d, \"loss\": %s, \"val_loss\": %s}%n",
              epoch, logs.get("loss"), logs.get("val_loss"));
          jsonLog.flush();
        })
        .onTrainEnd(logs -> jsonLog.close())
        .build();
    Datasets.TrainTest data = Datasets.digits();
    DigitsModel.create().fit(data.train().x(), data.train().y(), FitOptions.builder()
        .epochs(epochs).validationSplit(0.2).verbose(0).callbacks(jsonLogging).build());
    if (jsonLog.checkError()) {
      throw new UncheckedIOException(new IOException("could not write " + file));
    }
    System.out.println("wrote " + file);
    return file;
  }
}
