package io.github.callbacks4j.runtime;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ND4J's serialized form ({@code Nd4j.write}) of the float row vectors the model files hold: a
 * shape buffer, then a data buffer, each headed by its allocation mode, length and type. Every
 * header field is checked against the expected length before ND4J reads the array, because ND4J
 * allocates whatever length and shape a header names.
 */
final class RowVectorFormat {
  private static final String MODE = "MIXED_DATA_TYPES";
  private static final String SHAPE_TYPE = "LONG";
  private static final String DATA_TYPE = "FLOAT";

  private RowVectorFormat() {}

  /** The exact size of a serialized {@code [1, length]} float array. */
  static long bytes(long length) {
    long header = 2L * utfBytes(MODE) + 2L * Long.BYTES + utfBytes(SHAPE_TYPE)
        + (long) Long.BYTES * shapeInfo(1).length + utfBytes(DATA_TYPE);
    return Math.addExact(header, Math.multiplyExact(length, Float.BYTES));
  }

  /**
   * Reads a {@code [1, length]} float array from {@code in}, which holds exactly
   * {@link #bytes(long) bytes(length)} bytes.
   *
   * @param where the file and entry, for messages
   */
  static INDArray read(InputStream in, long length, String where) throws IOException {
    BufferedInputStream buffered = new BufferedInputStream(in);
    long[] expectedInfo = shapeInfo(length);
    buffered.mark((int) (bytes(1) - Float.BYTES));
    DataInputStream data = new DataInputStream(buffered);
    expect(where, "shape buffer mode", MODE, data.readUTF());
    expect(where, "shape buffer length", (long) expectedInfo.length, data.readLong());
    expect(where, "shape buffer type", SHAPE_TYPE, data.readUTF());
    long[] info = new long[expectedInfo.length];
    for (int i = 0; i < info.length; i++) {
      info[i] = data.readLong();
    }
    if (!Arrays.equals(expectedInfo, info)) {
      throw new IOException(where + " is not a [1, " + length + "] float array: its shape buffer"
          + " is " + Arrays.toString(info) + ", expected " + Arrays.toString(expectedInfo));
    }
    expect(where, "data buffer mode", MODE, data.readUTF());
    expect(where, "data buffer length", length, data.readLong());
    expect(where, "data buffer type", DATA_TYPE, data.readUTF());
    buffered.reset();
    INDArray array;
    try {
      array = Nd4j.read(new DataInputStream(buffered));
    } catch (RuntimeException e) {
      // ND4J wraps what the stream threw (twice), and that says what was wrong.
      for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
        if (cause instanceof IOException io) {
          throw io;
        }
      }
      throw new IOException(where + " cannot be read (" + e + ")", e);
    }
    if (buffered.read() != -1) {
      throw new IOException(where + " has bytes after its " + length + " values");
    }
    return array;
  }

  /** ND4J's shape buffer of a c-order {@code [1, length]} float array. */
  private static long[] shapeInfo(long length) {
    return Nd4j.getShapeInfoProvider()
        .createShapeInformation(new long[] {1, length}, 'c', DataType.FLOAT).getFirst().asLong();
  }

  private static void expect(String where, String field, Object expected, Object actual)
      throws IOException {
    if (!expected.equals(actual)) {
      throw new IOException(where + " is not a float array of the expected size: its " + field
          + " is " + actual + ", expected " + expected);
    }
  }

  private static int utfBytes(String ascii) {
    return Short.BYTES + ascii.getBytes(StandardCharsets.UTF_8).length;
  }
}
