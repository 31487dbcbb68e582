package io.github.callbacks4j.benchmarks;

/**
 * {@code CALLBACKS4J_SMOKE=1} shrinks every benchmark to a run that only proves the command works:
 * CI runs the README's commands that way. Its figures mean nothing, and each benchmark says so.
 */
final class Smoke {
  static final boolean ON = "1".equals(System.getenv("CALLBACKS4J_SMOKE"));

  static {
    if (ON) {
      System.out.println("CALLBACKS4J_SMOKE=1: a shortened smoke run; its figures are not"
          + " measurements");
    }
  }

  private Smoke() {}
}
