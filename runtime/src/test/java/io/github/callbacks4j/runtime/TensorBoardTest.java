package io.github.callbacks4j.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.callbacks4j.callbacks.History;
import io.github.callbacks4j.callbacks.TensorBoard;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.framework.HistogramProto;
import org.tensorflow.framework.Summary;
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

    List<HistogramProto> kernels = new ArrayList<>();
    for (Event event : trainEvents) {
      for (Summary.Value value : event.getSummary().getValueList()) {
        if (value.getTag().equals("dense_0/kernel/histogram")) {
          kernels.add(value.getHisto());
        }
      }
    }
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

  private static Path onlyFile(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      List<Path> all = files.toList();
      assertEquals(1, all.size(), all::toString);
      assertTrue(all.get(0).getFileName().toString().startsWith("events.out.tfevents."));
      return all.get(0);
    }
  }

  /** Tag to "step=value" in file order. */
  private static Map<String, List<String>> scalars(List<Event> events) {
    Map<String, List<String>> scalars = new LinkedHashMap<>();
    for (Event event : events) {
      for (Summary.Value value : event.getSummary().getValueList()) {
        if (value.getValueCase() == Summary.Value.ValueCase.SIMPLE_VALUE) {
          scalars.computeIfAbsent(value.getTag(), t -> new ArrayList<>())
              .add(event.getStep() + "=" + value.getSimpleValue());
        }
      }
    }
    return scalars;
  }

  /** Reads TFRecords, checking both masked CRC32Cs of every record. */
  private static List<Event> read(Path file) throws IOException {
    List<Event> events = new ArrayList<>();
    try (InputStream raw = Files.newInputStream(file); DataInputStream in = new DataInputStream(raw)) {
      while (true) {
        byte[] header = new byte[8];
        try {
          in.readFully(header);
        } catch (EOFException end) {
          return events;
        }
        assertEquals(masked(header), littleEndianInt(in));
        long length = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getLong();
        byte[] data = new byte[Math.toIntExact(length)];
        in.readFully(data);
        assertEquals(masked(data), littleEndianInt(in));
        events.add(Event.parseFrom(data));
      }
    }
  }

  private static int littleEndianInt(DataInputStream in) throws IOException {
    byte[] bytes = new byte[4];
    in.readFully(bytes);
    return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt();
  }

  /** TFRecord's masked CRC, as TensorFlow's record_writer defines it. */
  private static int masked(byte[] data) {
    CRC32C crc = new CRC32C();
    crc.update(data);
    int value = (int) crc.getValue();
    return ((value >>> 15) | (value << 17)) + 0xa282ead8;
  }
}
