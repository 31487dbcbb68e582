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

  /** Each row: template, value of x, what CPython 3.11 prints for {@code template.format(x=value)}. */
  @Test
  void everyPartOfTheSpecFormatsLikePython() {
    Object[][] rows = {
        {"{x:F}", Double.NaN, "NAN"}, {"{x:G}", Double.NaN, "NAN"},
        {"{x:F}", Double.POSITIVE_INFINITY, "INF"}, {"{x:E}", Double.POSITIVE_INFINITY, "INF"},
        {"{x:e}", Double.POSITIVE_INFINITY, "inf"}, {"{x:f}", Double.NEGATIVE_INFINITY, "-inf"},
        {"{x:F}", 2.5, "2.500000"}, {"{x:%}", 0.25, "25.000000%"}, {"{x:.2%}", -0.125, "-12.50%"},
        {"{x:e}", 1234.5, "1.234500e+03"}, {"{x:.0e}", 1234.5, "1e+03"}, {"{x:.0e}", 0.0, "0e+00"},
        {"{x:e}", 0.0, "0.000000e+00"}, {"{x:.1E}", 0.000123, "1.2E-04"},
        {"{x:E}", 1e100, "1.000000E+100"},
        {"{x:.0g}", 1234.5, "1e+03"}, {"{x:G}", 1.5e-7, "1.5E-07"}, {"{x:g}", 123456.0, "123456"},
        {"{x:g}", 1234567.0, "1.23457e+06"}, {"{x:g}", 100.0, "100"}, {"{x:g}", 0.0, "0"},
        {"{x:g}", 1.5, "1.5"}, {"{x:.2g}", 0.000123, "0.00012"},
        {"{x:.3}", 0.0, "0.0"}, {"{x:.3}", 1.5, "1.5"}, {"{x:.3}", 12345.0, "1.23e+04"},
        {"{x:.0}", 0.25, "0.2"}, {"{x:.3}", 100.0, "1e+02"}, {"{x:.2}", 12.5, "1.2e+01"},
        {"{x:.1}", 5.0, "5e+00"}, {"{x:.3}", 99.5, "99.5"}, {"{x:.3}", 999.5, "1e+03"},
        {"{x:.4}", 123.0, "123.0"}, {"{x:.3}", 0.0001234, "0.000123"},
        {"{x:,.1f}", 123456.0, "123,456.0"}, {"{x:_.0f}", 1234567.0, "1_234_567"},
        {"{x:,.0f}", 123.0, "123"}, {"{x:,.2f}", -1234.5, "-1,234.50"},
        {"{x: .2f}", 0.5, " 0.50"}, {"{x: .2f}", -0.5, "-0.50"},
        {"{x:.2f}", -0.0, "-0.00"}, {"{x:+.1f}", -0.0, "-0.0"}, {"{x}", -0.0, "-0.0"},
        {"{x}", 0.0, "0.0"},
        {"{x:^9.2f}", 0.5, "  0.50   "}, {"{x:*^8.1f}", 2.5, "**2.5***"},
        {"{x:*<7.1f}", 2.5, "2.5****"}, {"{x:*>7.1f}", 2.5, "****2.5"},
        {"{x:*=+7.1f}", 2.5, "+***2.5"}, {"{x:=+7.1f}", 2.5, "+   2.5"},
        {"{x:4.2f}", 0.5, "0.50"}, {"{x:3.1f}", 2.5, "2.5"}, {"{x:>5}", 0.5, "  0.5"},
        {"a{x}b", 1.0, "a1.0b"}, {"{x}", 1e-5, "1e-05"}, {"{x}", 1.5e20, "1.5e+20"},
        {"{x}", -1.5e20, "-1.5e+20"}, {"{x}", 2e-7, "2e-07"}, {"{x}", -1e-10, "-1e-10"},
        {"{x}", 9999999999999998.0, "9999999999999998.0"}, {"{x}", 1e15, "1000000000000000.0"},
        {"{x:.2f}", 0.0, "0.00"}, {"{x:.0%}", 0.25, "25%"}, {"{x:.1f}", 1234.5, "1234.5"},
        {"{x:*<}", 0.5, "0.5"}, {"{x:.2}", 0.0, "0.0"},
    };
    for (Object[] row : rows) {
      assertEquals(row[2], format((String) row[0], "x", (Double) row[1]), () -> row[0] + " of " + row[1]);
    }
  }

  /** The integer names, epoch and batch, format as Python's int. */
  @Test
  void integerNamesFormatLikePythonsInt() {
    Object[][] rows = {
        {"{epoch:,}", 1234567, "1,234,567"}, {"{epoch:_d}", 1234, "1_234"},
        {"{epoch:,d}", 123, "123"}, {"{epoch:>5}", 12, "   12"}, {"{epoch:+}", 3, "+3"},
        {"{epoch: d}", 3, " 3"}, {"{epoch:03}", 7, "007"},
        // a float code on an int formats it as a float, as Python's int.__format__ does
        {"{epoch:.2f}", 3, "3.00"}, {"{epoch:e}", 12, "1.200000e+01"}, {"{epoch:.0%}", 2, "200%"},
        // 's', beyond Python (whose int and float refuse it): as str() prints the int
        {"{epoch:s}", 3, "3"},
    };
    for (Object[] row : rows) {
      assertEquals(row[2], format((String) row[0], "epoch", (Integer) row[1]), () -> (String) row[0]);
    }
  }

  @Test
  void bracesAtTheEndsOfATemplate() {
    assertEquals("{", format("{{", "x", 0));
    assertEquals("}", format("}}", "x", 0));
    assertEquals("1.0{", format("{x}{{", "x", 1));
    assertEquals("unclosed '{' at position 4 in 'ckpt{'", assertThrows(
        IllegalArgumentException.class, () -> PythonFormat.parse("ckpt{")).getMessage());
    assertEquals("empty field {} at position 0 in '{:.2f}': name a key, e.g. {epoch} or"
        + " {val_loss:.4f}", assertThrows(IllegalArgumentException.class,
        () -> PythonFormat.parse("{:.2f}")).getMessage());
    assertEquals("format spec '.f' in '{x:.f}' has a '.' without a precision", assertThrows(
        IllegalArgumentException.class, () -> PythonFormat.parse("{x:.f}")).getMessage());
    assertEquals("invalid format spec '.2ff' in '{x:.2ff}'", assertThrows(
        IllegalArgumentException.class, () -> PythonFormat.parse("{x:.2ff}")).getMessage());
    assertEquals(java.util.List.of("epoch", "val_loss"),
        PythonFormat.parse("e{epoch}-{val_loss:.2f}{{x}}").fields());
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
    assertEquals("-0.0", PythonFormat.repr(-0.0));
    assertEquals("0.0", PythonFormat.repr(0.0));
    assertEquals("-inf", PythonFormat.repr(Double.NEGATIVE_INFINITY));
    assertEquals("-1e-10", PythonFormat.repr(-1e-10));
    assertEquals("-1.5e+20", PythonFormat.repr(-1.5e20));
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
