package io.github.callbacks4j.callbacks;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The argument checks the built-ins' builders share: each failure is an IllegalArgumentException
 * that names the callback, the option, the value and what is allowed.
 */
final class BuilderChecks {
  private BuilderChecks() {}

  /** A finite number: NaN and the infinities would make every comparison meaningless. */
  static double finite(String option, double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(option + " must be a finite number, got " + value);
    }
    return value;
  }

  /** A name with at least one non-whitespace character. */
  static String notBlank(String option, String value, String example) {
    Objects.requireNonNull(value, option);
    if (value.isBlank()) {
      throw new IllegalArgumentException(option + " must not be blank, got '" + value
          + "'; give a name such as " + example);
    }
    return value;
  }

  /** A path whose text is not empty or blank ({@code Path.of("")} is the working directory). */
  static Path path(String option, Path value, String example) {
    Objects.requireNonNull(value, option);
    if (value.toString().isBlank()) {
      throw new IllegalArgumentException(option + " must not be an empty or blank path, got '"
          + value + "'; give a path such as " + example);
    }
    return value;
  }
}
