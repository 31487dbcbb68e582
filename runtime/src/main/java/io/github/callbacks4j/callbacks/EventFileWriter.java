package io.github.callbacks4j.callbacks;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;

/**
 * Writes a TensorBoard event file: TFRecord framing (length, masked CRC32C of the length, data,
 * masked CRC32C of the data) around {@code tensorflow.Event} protos, encoded here field by field
 * because only a handful of fields are needed: {@code Event{wall_time=1, step=2, file_version=3,
 * graph_def=4, summary=5}}, {@code Summary{value=1}}, {@code Summary.Value{tag=1, simple_value=2,
 * image=4, histo=5}}, {@code Summary.Image{height=1, width=2, colorspace=3,
 * encoded_image_string=4}} and {@code HistogramProto{min..sum_squares=1..5, bucket_limit=6,
 * bucket=7}}.
 */
final class EventFileWriter implements AutoCloseable {
  private static final AtomicInteger SEQUENCE = new AtomicInteger();
  private final OutputStream out;

  EventFileWriter(Path directory) throws IOException {
    Files.createDirectories(directory);
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "localhost";
    }
    Path file = directory.resolve("events.out.tfevents." + System.currentTimeMillis() / 1000 + "."
        + host + "." + ProcessHandle.current().pid() + "." + SEQUENCE.getAndIncrement() + ".v2");
    out = new BufferedOutputStream(Files.newOutputStream(file));
    Proto event = new Proto().fixed64(1, wallTime()).bytes(3, "brain.Event:2".getBytes(StandardCharsets.UTF_8));
    record(event.toByteArray());
    out.flush();
  }

  void scalar(String tag, double value, long step) throws IOException {
    summary(new Proto().string(1, tag).fixed32(2, (float) value), step);
  }

  /** A histogram of {@code values} in {@code buckets} equal-width buckets. */
  void histogram(String tag, float[] values, long step, int buckets) throws IOException {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double sum = 0;
    double sumSquares = 0;
    for (float v : values) {
      min = Math.min(min, v);
      max = Math.max(max, v);
      sum += v;
      sumSquares += (double) v * v;
    }
    if (values.length == 0) {
      min = 0;
      max = 0;
    }
    double width = (max - min) / buckets;
    double[] limits = new double[buckets];
    double[] counts = new double[buckets];
    for (int i = 0; i < buckets; i++) {
      limits[i] = i == buckets - 1 ? max : min + width * (i + 1);
    }
    for (float v : values) {
      int i = width == 0 ? buckets - 1 : (int) Math.min(buckets - 1, (v - min) / width);
      counts[i]++;
    }
    Proto histo = new Proto().fixed64(1, min).fixed64(2, max).fixed64(3, values.length)
        .fixed64(4, sum).fixed64(5, sumSquares).packedDoubles(6, limits).packedDoubles(7, counts);
    summary(new Proto().string(1, tag).message(5, histo), step);
  }

  /** An image summary of a PNG, {@code colorspace} 1 for grayscale. */
  void image(String tag, int height, int width, int colorspace, byte[] png, long step)
      throws IOException {
    Proto image = new Proto().varint(1, height).varint(2, width).varint(3, colorspace)
        .bytes(4, png);
    summary(new Proto().string(1, tag).message(4, image), step);
  }

  /** A serialized {@code tensorflow.GraphDef}, which TensorBoard's Graphs tab shows. */
  void graph(byte[] graphDef) throws IOException {
    record(new Proto().fixed64(1, wallTime()).bytes(4, graphDef).toByteArray());
  }

  private void summary(Proto value, long step) throws IOException {
    Proto summary = new Proto().message(1, value);
    record(new Proto().fixed64(1, wallTime()).varint(2, step).message(5, summary).toByteArray());
  }

  void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }

  private static double wallTime() {
    return System.currentTimeMillis() / 1000.0;
  }

  private void record(byte[] data) throws IOException {
    byte[] length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(data.length).array();
    out.write(length);
    out.write(littleEndian(maskedCrc(length)));
    out.write(data);
    out.write(littleEndian(maskedCrc(data)));
  }

  /** TFRecord's mask: rotate the CRC32C right by 15 bits and add a constant. */
  static int maskedCrc(byte[] data) {
    CRC32C crc = new CRC32C();
    crc.update(data);
    int value = (int) crc.getValue();
    return ((value >>> 15) | (value << 17)) + 0xa282ead8;
  }

  private static byte[] littleEndian(int value) {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
  }
}
