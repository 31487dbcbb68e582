package io.github.callbacks4j.runtime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/** Builds the hostile ZIP files the loader tests use: entries replaced, sizes and CRCs forged. */
public final class ZipEntries {
  private ZipEntries() {}

  /** Every entry of a ZIP file's bytes, by name, in order. */
  public static Map<String, byte[]> read(byte[] zip) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        entries.put(entry.getName(), in.readAllBytes());
      }
    }
    return entries;
  }

  /** A well-formed ZIP (true sizes and CRCs) of these entries. */
  public static byte[] write(Map<String, byte[]> entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(entry.getKey()));
        zip.write(entry.getValue());
        zip.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  /** Overwrites the size or CRC-32 the central directory records for {@code name}. */
  public static byte[] forgeCentralRecord(byte[] zip, String name, Long size, Long crc) {
    byte[] copy = zip.clone();
    ByteBuffer buffer = ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN);
    byte[] wanted = name.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i + 46 < copy.length; i++) {
      if (buffer.getInt(i) != 0x02014b50) {
        continue;
      }
      int nameLength = buffer.getShort(i + 28) & 0xffff;
      String found = new String(copy, i + 46, nameLength, StandardCharsets.UTF_8);
      if (found.equals(name) && nameLength == wanted.length) {
        if (crc != null) {
          buffer.putInt(i + 16, (int) (long) crc);
        }
        if (size != null) {
          buffer.putInt(i + 24, (int) (long) size);
        }
        return copy;
      }
    }
    throw new IllegalArgumentException("no central directory record for " + name);
  }
}
