package io.github.callbacks4j.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.callbacks4j.runtime.EventFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.framework.HistogramProto;
import org.tensorflow.util.Event;

/** Histograms as TensorBoard reads them, read back with TensorFlow's own protos. */
class EventFileWriterTest {
  @TempDir Path dir;

  private HistogramProto written(float[] values, int buckets) throws IOException {
    try (EventFileWriter writer = new EventFileWriter(dir)) {
      writer.histogram("w", values, 3, buckets);
      writer.flush();
    }
    List<Event> events = EventFiles.read(EventFiles.onlyFile(dir));
    assertEquals(3, events.get(events.size() - 1).getStep());
    assertTrue(events.get(events.size() - 1).getWallTime() > 1.6e9, "seconds since 1970");
    return EventFiles.histograms(events).get("w").get(0);
  }

  @Test
  void equalWidthBucketsWithTheirUpperLimitsAndTheMoments() throws IOException {
    HistogramProto h = written(new float[] {-1, 0, 0.5f, 1, 3}, 4);
    assertEquals(-1, h.getMin());
    assertEquals(3, h.getMax());
    assertEquals(5, h.getNum());
    assertEquals(3.5, h.getSum());
    assertEquals(1 + 0 + 0.25 + 1 + 9, h.getSumSquares());
    // Width 1: (-1, 0], (0, 1], (1, 2], (2, 3]; a value on a limit goes to the bucket above it,
    // the maximum to the last.
    assertEquals(List.of(0.0, 1.0, 2.0, 3.0), h.getBucketLimitList());
    assertEquals(List.of(1.0, 2.0, 1.0, 1.0), h.getBucketList());
  }

  /** The last limit is the maximum itself, not {@code min + width * buckets} rounded above it. */
  @Test
  void theLastLimitIsTheMaximumAndWidthsOtherThanOneDivide() throws IOException {
    HistogramProto h = written(new float[] {0, 1, 2, 7.25f}, 7);
    double width = 7.25 / 7;
    assertEquals(7, h.getBucketLimitCount());
    assertEquals(width, h.getBucketLimit(0));
    assertEquals(7.25, h.getBucketLimit(6)); // 0 + width * 7 is 7.250000000000001
    // 1 / width = 0.97 and 2 / width = 1.93: the first and second buckets
    assertEquals(List.of(2.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0), h.getBucketList());
  }

  @Test
  void equalValuesFillTheLastBucket() throws IOException {
    HistogramProto same = written(new float[] {2, 2, 2}, 3);
    assertEquals(List.of(2.0, 2.0, 2.0), same.getBucketLimitList());
    assertEquals(List.of(0.0, 0.0, 3.0), same.getBucketList());
  }

  /**
   * TensorBoard reads a run while it trains: what the writer has flushed is in the file before it
   * is closed, the file version record from the start.
   */
  @Test
  void flushedEventsCanBeReadWhileTheFileIsOpen() throws IOException {
    try (EventFileWriter writer = new EventFileWriter(dir)) {
      Path file = EventFiles.onlyFile(dir);
      List<Event> opened = EventFiles.read(file);
      assertEquals(List.of("brain.Event:2"), opened.stream().map(Event::getFileVersion).toList());
      writer.scalar("epoch_loss", 0.5, 4);
      writer.flush();
      assertEquals(Map.of("epoch_loss", List.of("4=0.5")), EventFiles.scalars(EventFiles.read(file)));
    }
  }

  /**
   * As TensorFlow names them, {@code events.out.tfevents.<seconds>.<host>.<pid>.<n>.v2}, and each
   * event's wall time in seconds since 1970, both within the time of the writing.
   */
  @Test
  void theFileNameAndWallTimesAreInSeconds() throws IOException {
    long before = System.currentTimeMillis();
    try (EventFileWriter writer = new EventFileWriter(dir)) {
      writer.scalar("loss", 1, 0);
    }
    long after = System.currentTimeMillis();
    Path file = EventFiles.onlyFile(dir);
    String[] parts = file.getFileName().toString().split("\\.");
    long seconds = Long.parseLong(parts[3]);
    assertTrue(seconds >= before / 1000 && seconds <= after / 1000, file.toString());
    assertEquals(String.valueOf(ProcessHandle.current().pid()), parts[parts.length - 3]);
    List<Event> events = EventFiles.read(file);
    assertEquals(2, events.size());
    for (Event event : events) {
      assertTrue(event.getWallTime() >= before / 1000.0 && event.getWallTime() <= after / 1000.0,
          before + " <= " + event.getWallTime() + " <= " + after + " (ms)");
    }
  }

  @Test
  void noValuesGiveAnEmptyHistogramAtZero() throws IOException {
    HistogramProto none = written(new float[0], 2);
    assertEquals(List.of(0.0, 0.0, 0.0), List.of(none.getMin(), none.getMax(), none.getNum()));
    assertEquals(List.of(0.0, 0.0), none.getBucketList());
  }
}
