package io.github.callbacks4j.callbacks;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** The protobuf wire format, for the few field kinds TensorBoard's event files need. */
final class Proto {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

  private void tag(int field, int wireType) {
    rawVarint(((long) field << 3) | wireType);
  }

  private void rawVarint(long value) {
    while ((value & ~0x7FL) != 0) {
      bytes.write((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    bytes.write((int) value);
  }

  Proto varint(int field, long value) {
    tag(field, 0);
    rawVarint(value);
    return this;
  }

  Proto fixed64(int field, double value) {
    tag(field, 1);
    bytes.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(value).array());
    return this;
  }

  Proto fixed32(int field, float value) {
    tag(field, 5);
    bytes.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(value).array());
    return this;
  }

  Proto bytes(int field, byte[] value) {
    tag(field, 2);
    rawVarint(value.length);
    bytes.writeBytes(value);
    return this;
  }

  Proto string(int field, String value) {
    return bytes(field, value.getBytes(StandardCharsets.UTF_8));
  }

  Proto message(int field, Proto message) {
    return bytes(field, message.toByteArray());
  }

  Proto packedDoubles(int field, double[] values) {
    ByteBuffer buffer = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : values) {
      buffer.putDouble(v);
    }
    return bytes(field, buffer.array());
  }

  byte[] toByteArray() {
    return bytes.toByteArray();
  }
}
