package io.github.callbacks4j.runtime;

import static io.github.callbacks4j.runtime.EventFiles.histograms;
import static io.github.callbacks4j.runtime.EventFiles.onlyFile;
import static io.github.callbacks4j.runtime.EventFiles.read;
import static io.github.callbacks4j.runtime.EventFiles.scalars;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.callbacks4j.callbacks.History;
import io.github.callbacks4j.callbacks.TensorBoard;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.framework.HistogramProto;
import org.tensorflow.util.Event;

/** The event files parse with TensorFlow's own protos, with every TFRecord CRC checked. */
class TensorBoardTest {
  private static final Digits DIGITS = Digits.load();

  @Test
  void crc32cIsTheCastagnoliChecksum() {
    CRC32C crc = new CRC32C();
    crc.update("123456789".getBytes(StandardCharsets.US_ASCII));
    assertEquals(0xE3069283L, crc.getValue()); // the standard check value of CRC-32C
  }

  @Test
  void writesScalarsHistogramsAndBatchSummariesThatTensorFlowReads(@TempDir Path logDir)
      throws IOException {
    Digits train = DIGITS.head(10);
    Digits validation = DIGITS.head(5);
    History history = Models.digits(1).fit(train.x, train.y, FitOptions.builder()
        .epochs(2).batchSize(4).verbose(0).validationData(validation.x, validation.y)
        .callbacks(TensorBoard.builder(logDir).histogramFreq(1).updateFreq(2).build()).build());

    List<Event> trainEvents = read(onlyFile(logDir.resolve("train")));
    List<Event> validationEvents = read(onlyFile(logDir.resolve("validation")));
    assertEquals("brain.Event:2", trainEvents.get(0).getFileVersion());
    assertEquals("brain.Event:2", validationEvents.get(0).getFileVersion());

    Map<String, List<String>> trainScalars = scalars(trainEvents);
    assertEquals(List.of("0=" + f(history, "loss", 0), "1=" + f(history, "loss", 1)),
        trainScalars.get("epoch_loss"));
    assertEquals(List.of("0=" + f(history, "accuracy", 0), "1=" + f(history, "accuracy", 1)),
        trainScalars.get("epoch_accuracy"));
    assertEquals(List.of("0=0.01", "1=0.01"), trainScalars.get("epoch_learning_rate"));
    // 3 batches per epoch, global steps 1..6, written every 2nd.
    assertEquals(List.of(2L, 4L, 6L), trainScalars.get("batch_loss").stream()
        .map(s -> Long.parseLong(s.substring(0, s.indexOf('=')))).toList());
    assertTrue(!trainScalars.containsKey("epoch_val_loss"));

    Map<String, List<String>> validationScalars = scalars(validationEvents);
    assertEquals(List.of("0=" + f(history, "val_loss", 0), "1=" + f(history, "val_loss", 1)),
        validationScalars.get("epoch_loss"));
    assertEquals(List.of("0=" + f(history, "val_accuracy", 0), "1=" + f(history, "val_accuracy", 1)),
        validationScalars.get("epoch_accuracy"));

    List<HistogramProto> kernels = histograms(trainEvents).get("dense_0/kernel/histogram");
    assertEquals(2, kernels.size());
    HistogramProto kernel = kernels.get(0);
    assertEquals(64 * 32, kernel.getNum());
    assertEquals(64 * 32, kernel.getBucketList().stream().mapToDouble(Double::doubleValue).sum());
    assertEquals(30, kernel.getBucketLimitCount());
    assertEquals(kernel.getMax(), kernel.getBucketLimit(29));
  }

  private static String f(History history, String key, int epoch) {
    return Float.toString(history.history().get(key).get(epoch).floatValue());
  }
}
