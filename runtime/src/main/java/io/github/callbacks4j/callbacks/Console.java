package io.github.callbacks4j.callbacks;

import java.io.PrintStream;

/**
 * Where built-ins print what {@code verbose(1)} asks for, as Keras's {@code io_utils.print_msg}:
 * standard output, the stream the progress bar draws on, whether or not an SLF4J provider is
 * present. Warnings are not printed here; they go to SLF4J.
 *
 * <p>A message that arrives while {@link ProgbarLogger} has a bar half drawn on the same stream
 * starts on a new line, so the bar is never overwritten.
 */
final class Console {
  /** The stream on which a bar line is drawn but not yet ended, or null. */
  private static PrintStream openLine;

  private Console() {}

  /** Prints one line on standard output (looked up each time, so redirection is honoured). */
  static synchronized void print(String message) {
    PrintStream out = System.out;
    if (openLine == out) {
      out.println();
      openLine = null;
    }
    out.println(message);
    out.flush();
  }

  /** A bar was drawn on {@code out} without ending its line. */
  static synchronized void lineOpened(PrintStream out) {
    openLine = out;
  }

  /** The bar's line on {@code out} was ended. */
  static synchronized void lineClosed(PrintStream out) {
    if (openLine == out) {
      openLine = null;
    }
  }
}
