package io.github.callbacks4j.runtime;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** The argument checks the option builders share, with messages that name the value. */
final class Checks {
  private Checks() {}

  static int batchSize(int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
    }
    return batchSize;
  }

  static int verbose(int verbose) {
    if (verbose < 0 || verbose > 2) {
      throw new IllegalArgumentException("verbose must be 0, 1 or 2, got " + verbose);
    }
    return verbose;
  }

  /** An immutable copy, rejecting nulls by position. */
  static List<Object> callbacks(Object... callbacks) {
    for (int i = 0; i < callbacks.length; i++) {
      Objects.requireNonNull(callbacks[i],
          "callbacks[" + i + "] is null: pass only callback objects, or leave that one out");
    }
    return List.copyOf(Arrays.asList(callbacks));
  }
}
