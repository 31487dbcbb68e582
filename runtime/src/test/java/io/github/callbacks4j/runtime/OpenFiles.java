package io.github.callbacks4j.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The files this JVM holds open, read from {@code /proc/self/fd} (Linux). */
final class OpenFiles {
  private OpenFiles() {}

  /** Open files under {@code directory}. */
  static List<Path> under(Path directory) throws IOException {
    Path root = directory.toAbsolutePath();
    List<Path> open = new ArrayList<>();
    try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
      for (Path descriptor : descriptors.toList()) {
        try {
          Path target = Files.readSymbolicLink(descriptor);
          if (target.startsWith(root)) {
            open.add(target);
          }
        } catch (IOException closedMeanwhile) {
          // the descriptor of the listing itself, or one closed since: not open
        }
      }
    }
    return open;
  }
}
