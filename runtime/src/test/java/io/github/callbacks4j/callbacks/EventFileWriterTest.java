package io.github.callbacks4j.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.callbacks4j.runtime.EventFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
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

  @Test
  void equalValuesFillTheLastBucket() throws IOException {
    HistogramProto same = written(new float[] {2, 2, 2}, 3);
    assertEquals(List.of(2.0, 2.0, 2.0), same.getBucketLimitList());
    assertEquals(List.of(0.0, 0.0, 3.0), same.getBucketList());
  }

  @Test
  void noValuesGiveAnEmptyHistogramAtZero() throws IOException {
    HistogramProto none = written(new float[0], 2);
    assertEquals(List.of(0.0, 0.0, 0.0), List.of(none.getMin(), none.getMax(), none.getNum()));
    assertEquals(List.of(0.0, 0.0), none.getBucketList());
  }
}
