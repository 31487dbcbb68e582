package io.github.callbacks4j.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.tensorflow.framework.GraphDef;
import org.tensorflow.framework.HistogramProto;
import org.tensorflow.framework.Summary;
import org.tensorflow.util.Event;

/**
 * Reads TensorBoard event files back with TensorFlow's own protos, checking every TFRecord CRC;
 * shared by the tests of every module whose training writes them.
 */
public final class EventFiles {
  private EventFiles() {}

  /** The one event file in {@code directory}. */
  public static Path onlyFile(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      List<Path> all = files.toList();
      assertEquals(1, all.size(), all::toString);
      assertTrue(all.get(0).getFileName().toString().startsWith("events.out.tfevents."));
      return all.get(0);
    }
  }

  /** Reads TFRecords, checking both masked CRC32Cs of every record. */
  public static List<Event> read(Path file) throws IOException {
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

  /** Tag to "step=value" in file order. */
  public static Map<String, List<String>> scalars(List<Event> events) {
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

  /** Tag to its histograms in file order. */
  public static Map<String, List<HistogramProto>> histograms(List<Event> events) {
    Map<String, List<HistogramProto>> histograms = new LinkedHashMap<>();
    for (Event event : events) {
      for (Summary.Value value : event.getSummary().getValueList()) {
        if (value.getValueCase() == Summary.Value.ValueCase.HISTO) {
          histograms.computeIfAbsent(value.getTag(), t -> new ArrayList<>()).add(value.getHisto());
        }
      }
    }
    return histograms;
  }

  /** The graphs the events hold, parsed as TensorFlow's {@code GraphDef}, in file order. */
  public static List<GraphDef> graphs(List<Event> events) throws IOException {
    List<GraphDef> graphs = new ArrayList<>();
    for (Event event : events) {
      if (event.getWhatCase() == Event.WhatCase.GRAPH_DEF) {
        graphs.add(GraphDef.parseFrom(event.getGraphDef()));
      }
    }
    return graphs;
  }

  /** Tag to its (step, image) pairs, in file order. */
  public static Map<String, List<Map.Entry<Long, Summary.Image>>> images(List<Event> events) {
    Map<String, List<Map.Entry<Long, Summary.Image>>> images = new LinkedHashMap<>();
    for (Event event : events) {
      for (Summary.Value value : event.getSummary().getValueList()) {
        if (value.getValueCase() == Summary.Value.ValueCase.IMAGE) {
          images.computeIfAbsent(value.getTag(), t -> new ArrayList<>())
              .add(Map.entry(event.getStep(), value.getImage()));
        }
      }
    }
    return images;
  }

  private static int littleEndianInt(DataInputStream in) throws IOException {
    byte[] bytes = new byte[4];
    in.readFully(bytes);
    return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt();
  }

  /** TFRecord's masked CRC, as TensorFlow's record_writer defines it. */
  static int masked(byte[] data) {
    CRC32C crc = new CRC32C();
    crc.update(data);
    int value = (int) crc.getValue();
    return ((value >>> 15) | (value << 17)) + 0xa282ead8;
  }
}
