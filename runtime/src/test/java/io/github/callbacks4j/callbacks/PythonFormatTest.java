package io.github.callbacks4j.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Expected strings are what CPython 3 prints for the same format and value. */
class PythonFormatTest {
  private static String format(String template, String key, double value) {
    return PythonFormat.parse(template).format(Map.of(key, value)::get, Set.of("epoch", "batch"),
        k -> new IllegalArgumentException(k));
  }

  @Test
  void formatsLikePython() {
    assertEquals("ckpt-03", format("ckpt-{epoch:02d}", "epoch", 3));
    assertEquals("7", format("{epoch}", "epoch", 7));
    assertEquals("0.1235", format("{val_loss:.4f}", "val_loss", 0.123456));
    assertEquals("0.12", format("{x:.2f}", "x", 0.125)); // round-half-even on the exact binary value
    assertEquals("1.234560e-05", format("{x:e}", "x", 1.23456e-5));
    assertEquals("1.2E+03", format("{x:.1E}", "x", 1234));
    assertEquals("1e-05", format("{x:g}", "x", 0.00001));
    assertEquals("0.0001", format("{x:g}", "x", 0.0001));
    assertEquals("12.5%", format("{x:.1%}", "x", 0.125));
    assertEquals("1,234,567.50", format("{x:,.2f}", "x", 1234567.5));
    assertEquals("  0.50", format("{x:6.2f}", "x", 0.5));
    assertEquals("0.50  ", format("{x:<6.2f}", "x", 0.5));
    assertEquals("+0.50", format("{x:+.2f}", "x", 0.5));
    assertEquals("-0000.50", format("{x:08.2f}", "x", -0.5));
    assertEquals("nan", format("{x:.2f}", "x", Double.NaN));
    assertEquals("{literal}-1", format("{{literal}}-{epoch}", "epoch", 1));
    assertEquals("0.5", format("{x}", "x", 0.5));
  }

  @Test
  void reprIsPythonsStrOfAFloat() {
    assertEquals("0.1", PythonFormat.repr(0.1));
    assertEquals("1.0", PythonFormat.repr(1.0));
    assertEquals("0.0001", PythonFormat.repr(0.0001));
    assertEquals("1e-05", PythonFormat.repr(0.00001));
    assertEquals("1.5e-07", PythonFormat.repr(1.5e-7));
    assertEquals("1e+16", PythonFormat.repr(1e16));
    assertEquals("123456789.0", PythonFormat.repr(123456789.0));
    assertEquals("-2.5", PythonFormat.repr(-2.5));
    assertEquals("nan", PythonFormat.repr(Double.NaN));
    assertEquals("inf", PythonFormat.repr(Double.POSITIVE_INFINITY));
    assertEquals("0.30000000000000004", PythonFormat.repr(0.1 + 0.2));
  }

  @Test
  void badTemplatesAreRejectedWithThePosition() {
    assertEquals("unclosed '{' at position 5 in 'ckpt-{epoch'", assertThrows(
        IllegalArgumentException.class, () -> PythonFormat.parse("ckpt-{epoch")).getMessage());
    assertEquals("single '}' at position 4 in 'ckpt}'; write '}}' for a literal brace", assertThrows(
        IllegalArgumentException.class, () -> PythonFormat.parse("ckpt}")).getMessage());
    assertEquals("unknown format code 'q' in '{x:q}'; supported: d f F e E g G % s", assertThrows(
        IllegalArgumentException.class, () -> format("{x:q}", "x", 1)).getMessage());
    assertEquals("format code 'd' in {loss:d} needs an integer, but loss is a float: use {loss:.0f}",
        assertThrows(IllegalArgumentException.class, () -> format("{loss:d}", "loss", 1)).getMessage());
  }
}
