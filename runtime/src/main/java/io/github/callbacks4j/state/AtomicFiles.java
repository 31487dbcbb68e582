package io.github.callbacks4j.state;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file so that a crash leaves either the old file or the complete new one: the content
 * goes to a temporary file beside it, is forced to disk, then renamed over the target.
 */
public final class AtomicFiles {
  /** Writes the content to a stream. */
  @FunctionalInterface
  public interface Writer {
    void write(OutputStream out) throws IOException;
  }

  /** Writes the content to a file it is given (such as {@code Model.save}). */
  @FunctionalInterface
  public interface FileWriter {
    void write(Path file) throws IOException;
  }

  private AtomicFiles() {}

  public static void write(Path target, Writer writer) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path directory = absolute.getParent();
    Files.createDirectories(directory);
    Path temporary = Files.createTempFile(directory, "." + absolute.getFileName(), ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel));
        // The writer may close what it is given (a ZipOutputStream does); the file must stay
        // open until it is forced to disk.
        writer.write(new FilterOutputStream(out) {
          @Override
          public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
          }

          @Override
          public void close() throws IOException {
            flush();
          }
        });
        out.flush();
        channel.force(true);
      }
      Files.move(temporary, absolute,
          StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException | Error e) {
      Files.deleteIfExists(temporary);
      throw e;
    }
  }

  /**
   * Has {@code writer} write a temporary file beside {@code target}, then renames it over the
   * target; for writers that take a path rather than a stream.
   */
  public static void writeFile(Path target, FileWriter writer) throws IOException {
    Path absolute = target.toAbsolutePath();
    Files.createDirectories(absolute.getParent());
    Path temporary = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".tmp");
    try {
      writer.write(temporary);
      Files.move(temporary, absolute,
          StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  /** Writes {@code bytes} atomically. */
  public static void write(Path target, byte[] bytes) throws IOException {
    write(target, out -> out.write(bytes));
  }
}
