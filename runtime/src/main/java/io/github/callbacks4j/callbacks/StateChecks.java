package io.github.callbacks4j.callbacks;

/**
 * Checks for the built-ins' state records, which a backup file fills: each throws an
 * {@link IllegalArgumentException} naming the component and the value it got.
 */
final class StateChecks {
  private StateChecks() {}

  static void atLeast(String name, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be >= " + min + ", got " + value);
    }
  }

  /** Null (none) or a number; NaN is never a best value, since it never improves. */
  static void notNaN(String name, Double value) {
    if (value != null && value.isNaN()) {
      throw new IllegalArgumentException(name + " must be a number or null, got NaN");
    }
  }

  static void present(String name, Object value) {
    if (value == null) {
      throw new IllegalArgumentException(name + " is missing");
    }
  }
}
