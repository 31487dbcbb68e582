package io.github.callbacks4j.callbacks;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a piece of code writes on standard error, where slf4j-simple (the tests' SLF4J provider)
 * writes the log, for tests of what the library logs.
 */
public final class StandardError {
  private StandardError() {}

  /** Runs {@code action} and returns what it (and any thread meanwhile) wrote on standard error. */
  public static String of(Runnable action) {
    PrintStream original = System.err;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(original);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** How many times {@code part} occurs in {@code text}. */
  public static int count(String text, String part) {
    return matches(text, Pattern.quote(part));
  }

  /** How many times {@code regex} matches in {@code text}. */
  public static int matches(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}
