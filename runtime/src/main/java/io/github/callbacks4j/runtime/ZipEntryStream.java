package io.github.callbacks4j.runtime;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A ZIP entry's content, held to what the archive records: {@code ZipFile} inflates past an
 * entry's recorded size and does not check its CRC-32, so this stream fails on the first byte
 * beyond the size, and at the end unless exactly the size came through with the recorded CRC-32.
 */
final class ZipEntryStream extends FilterInputStream {
  private final String name;
  private final long size;
  private final long crc;
  private final CRC32 actual = new CRC32();
  private long count;

  private ZipEntryStream(InputStream in, String name, long size, long crc) {
    super(in);
    this.name = name;
    this.size = size;
    this.crc = crc;
  }

  /** Opens {@code entry}, whose recorded size the caller has checked. */
  static InputStream open(ZipFile zip, ZipEntry entry, Path file) throws IOException {
    return new ZipEntryStream(zip.getInputStream(entry), file + ": " + entry.getName(),
        entry.getSize(), entry.getCrc());
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    // Ask for one byte beyond the recorded size, so that content past it is seen and refused.
    int n = super.read(buffer, offset, (int) Math.min(length, size - count + 1));
    if (n < 0) {
      if (count != size) {
        throw new IOException(name + " ends after " + count + " of its recorded " + size
            + " bytes");
      }
      if (actual.getValue() != crc) {
        throw new IOException(name + " is damaged: its CRC-32 does not match the archive's record");
      }
      return -1;
    }
    count += n;
    if (count > size) {
      throw new IOException(name + " inflates to more than its recorded " + size + " bytes");
    }
    actual.update(buffer, offset, n);
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    int length = (int) Math.max(0, Math.min(n, 8192));
    return Math.max(0, read(new byte[length], 0, length));
  }

  @Override
  public boolean markSupported() {
    return false;
  }
}
