package io.github.callbacks4j.callbacks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * The check file callbacks make at {@code onTrainBegin}: their directory exists, or can be made,
 * and takes a new file, so a bad path fails before the first batch rather than at the first save.
 * Nothing is left behind: a directory that does not exist yet is not made (Keras makes it at the
 * first save), only its nearest existing ancestor is probed.
 */
final class WritableDirectory {
  private WritableDirectory() {}

  /**
   * Writes and deletes an empty probe file in {@code directory}, or in its nearest existing
   * ancestor when it does not exist yet.
   *
   * @throws UncheckedIOException naming the callback, the directory and the reason
   */
  static void require(String callback, Path directory) {
    Path absolute = directory.toAbsolutePath();
    Path existing = absolute;
    while (!Files.exists(existing)) {
      existing = existing.getParent(); // the root always exists
    }
    try {
      if (!Files.isDirectory(existing)) {
        throw new NotDirectoryException(existing + " is a file, not a directory");
      }
      // Files.isWritable trusts permission bits, which root ignores; a real file says for sure.
      Path probe = Files.createTempFile(existing, ".callbacks4j-write-check", ".tmp");
      Files.delete(probe);
    } catch (IOException e) {
      throw new UncheckedIOException(callback + " cannot write to " + absolute + ": "
          + (e instanceof NotDirectoryException ? e.getMessage() : e.toString())
          + "; choose a directory it can create and write", e);
    }
  }
}
