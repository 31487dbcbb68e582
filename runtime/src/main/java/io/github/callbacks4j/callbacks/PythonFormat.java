package io.github.callbacks4j.callbacks;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Python's {@code str.format} for file-name templates such as {@code "ckpt-{epoch:02d}-{val_loss:.4f}"},
 * and Python's {@code str(float)}, so that names and CSV cells come out as Keras writes them.
 * Supports fill, align, sign, {@code 0}, width, {@code ,} grouping, precision and the types
 * {@code d f F e E g G % s}.
 */
final class PythonFormat {
  private final List<Object> parts; // String literals and Field placeholders

  /** A placeholder, its spec text as written and parsed (at parse time, so errors come early). */
  private record Field(String name, String specText, Spec spec) {}

  private PythonFormat(List<Object> parts) {
    this.parts = parts;
  }

  /** Parses a template; {@code {{}} and {@code }}} are literal braces. */
  static PythonFormat parse(String template) {
    List<Object> parts = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    for (int i = 0; i < template.length(); i++) {
      char c = template.charAt(i);
      if (c == '{' && i + 1 < template.length() && template.charAt(i + 1) == '{') {
        literal.append('{');
        i++;
      } else if (c == '}' && i + 1 < template.length() && template.charAt(i + 1) == '}') {
        literal.append('}');
        i++;
      } else if (c == '{') {
        int end = template.indexOf('}', i);
        if (end < 0) {
          throw new IllegalArgumentException("unclosed '{' at position " + i + " in '" + template + "'");
        }
        String field = template.substring(i + 1, end);
        int colon = field.indexOf(':');
        String name = colon < 0 ? field : field.substring(0, colon);
        if (name.isEmpty()) {
          throw new IllegalArgumentException("empty field {} at position " + i + " in '" + template
              + "': name a key, e.g. {epoch} or {val_loss:.4f}");
        }
        if (!literal.isEmpty()) {
          parts.add(literal.toString());
          literal.setLength(0);
        }
        String spec = colon < 0 ? "" : field.substring(colon + 1);
        parts.add(new Field(name, spec, Spec.parse(spec, template)));
        i = end;
      } else if (c == '}') {
        throw new IllegalArgumentException("single '}' at position " + i + " in '" + template
            + "'; write '}}' for a literal brace");
      } else {
        literal.append(c);
      }
    }
    if (!literal.isEmpty()) {
      parts.add(literal.toString());
    }
    return new PythonFormat(parts);
  }

  /** The field names used, in order. */
  List<String> fields() {
    return parts.stream().filter(Field.class::isInstance).map(p -> ((Field) p).name()).toList();
  }

  /**
   * Rejects format code {@code d} on a name outside {@code integers}, which always holds a float,
   * so that such a template fails when it is built rather than at its first use.
   */
  void requireIntegersFor(Set<String> integers) {
    for (Object part : parts) {
      if (part instanceof Field field && field.spec().type == 'd'
          && !integers.contains(field.name())) {
        throw integerCodeOnFloat(field);
      }
    }
  }

  private static IllegalArgumentException integerCodeOnFloat(Field field) {
    return new IllegalArgumentException("format code 'd' in {" + field.name() + ":"
        + field.specText() + "} needs an integer, but " + field.name() + " is a float: use {"
        + field.name() + ":.0f}");
  }

  /**
   * Formats with {@code values}; a name in {@code integers} is formatted as an int.
   *
   * @param values the value of a name, or null when it has none
   * @param missing builds the exception for a name without a value
   */
  String format(Function<String, Double> values, Set<String> integers,
      Function<String, RuntimeException> missing) {
    StringBuilder out = new StringBuilder();
    for (Object part : parts) {
      if (part instanceof Field field) {
        Double value = values.apply(field.name());
        if (value == null) {
          throw missing.apply(field.name());
        }
        out.append(formatValue(field, value, integers.contains(field.name())));
      } else {
        out.append(part);
      }
    }
    return out.toString();
  }

  /**
   * Whether {@link #format} could have produced {@code text}: each literal as it is, each field a
   * run of characters with no path separator, and no {@code ..} path element. Repeated slashes
   * count as one, as {@code Path.of} writes them.
   */
  boolean couldProduce(String text) {
    StringBuilder regex = new StringBuilder();
    for (Object part : parts) {
      regex.append(part instanceof Field
          ? "[^/\\\\]*" : Pattern.quote(((String) part).replaceAll("/+", "/")));
    }
    return text.matches(regex.toString())
        && Arrays.stream(text.split("[/\\\\]")).noneMatch(".."::equals);
  }

  private String formatValue(Field field, double value, boolean integer) {
    Spec spec = field.spec();
    String body;
    char type = spec.type;
    if (integer && (type == 0 || type == 'd' || type == 's')) {
      body = group(Long.toString(Math.abs((long) value)), spec.grouping);
    } else if (type == 'd') {
      throw integerCodeOnFloat(field);
    } else {
      body = formatFloat(Math.abs(value), spec);
    }
    boolean negative = value < 0 || (value == 0 && 1 / value < 0 && !integer);
    String sign = negative ? "-" : spec.sign == '+' ? "+" : spec.sign == ' ' ? " " : "";
    return pad(sign, body, spec);
  }

  private static String formatFloat(double v, Spec spec) {
    if (Double.isNaN(v)) {
      return Character.isUpperCase(spec.type) ? "NAN" : "nan";
    }
    if (Double.isInfinite(v)) {
      return Character.isUpperCase(spec.type) ? "INF" : "inf";
    }
    int precision = spec.precision;
    return switch (spec.type) {
      case 'f', 'F' -> group(fixed(v, precision < 0 ? 6 : precision), spec.grouping);
      case '%' -> group(fixed(v * 100, precision < 0 ? 6 : precision), spec.grouping) + "%";
      case 'e', 'E' -> {
        String s = scientific(v, precision < 0 ? 6 : precision, false);
        yield spec.type == 'E' ? s.toUpperCase(Locale.ROOT) : s;
      }
      case 'g', 'G' -> {
        String s = general(v, precision < 0 ? 6 : Math.max(precision, 1), false);
        yield spec.type == 'G' ? s.toUpperCase(Locale.ROOT) : s;
      }
      default -> precision < 0 ? repr(v) : general(v, Math.max(precision, 1), true);
    };
  }

  /** Python's {@code str(float)}: the shortest repr, scientific below 1e-4 and from 1e16. */
  static String repr(double v) {
    if (Double.isNaN(v)) {
      return "nan";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    if (v == 0) {
      return 1 / v < 0 ? "-0.0" : "0.0";
    }
    BigDecimal shortest = new BigDecimal(Double.toString(v)).stripTrailingZeros();
    int exponent = shortest.precision() - shortest.scale() - 1;
    if (exponent >= -4 && exponent < 16) {
      String plain = shortest.toPlainString();
      return plain.contains(".") ? plain : plain + ".0";
    }
    String digits = shortest.unscaledValue().abs().toString();
    String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    return (v < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+")
        + String.format(Locale.ROOT, "%02d", Math.abs(exponent));
  }

  private static String fixed(double v, int precision) {
    return new BigDecimal(v).setScale(precision, RoundingMode.HALF_EVEN).toPlainString();
  }

  private static String scientific(double v, int precision, boolean strip) {
    if (v == 0) {
      String zeros = precision > 0 && !strip ? "." + "0".repeat(precision) : "";
      return "0" + zeros + "e+00";
    }
    BigDecimal rounded = new BigDecimal(v).round(new MathContext(precision + 1, RoundingMode.HALF_EVEN));
    int exponent = rounded.precision() - rounded.scale() - 1;
    String digits = rounded.unscaledValue().toString();
    digits = (digits + "0".repeat(precision + 1)).substring(0, precision + 1);
    String fraction = digits.substring(1);
    if (strip) {
      fraction = fraction.replaceAll("0+$", "");
    }
    return digits.charAt(0) + (fraction.isEmpty() ? "" : "." + fraction) + "e"
        + (exponent < 0 ? "-" : "+") + String.format(Locale.ROOT, "%02d", Math.abs(exponent));
  }

  /**
   * Python's 'g': fixed or scientific by exponent, trailing zeros removed. With {@code keepPoint}
   * (a precision and no type) fixed keeps one decimal, and scientific starts one exponent sooner,
   * at {@code precision - 1}: {@code format(100.0, '.3')} is {@code 1e+02}.
   */
  private static String general(double v, int precision, boolean keepPoint) {
    if (v == 0) {
      return keepPoint ? "0.0" : "0";
    }
    BigDecimal rounded = new BigDecimal(v).round(new MathContext(precision, RoundingMode.HALF_EVEN));
    int exponent = rounded.precision() - rounded.scale() - 1;
    int scientificFrom = keepPoint ? precision - 1 : precision;
    if (exponent >= -4 && exponent < scientificFrom) {
      String s = rounded.setScale(Math.max(0, precision - 1 - exponent), RoundingMode.HALF_EVEN)
          .toPlainString();
      // With keepPoint the scale is at least 1 here (exponent < precision - 1): s has a point.
      if (s.contains(".")) {
        s = s.replaceAll("0+$", "").replaceAll("\\.$", keepPoint ? ".0" : "");
      }
      return s;
    }
    return scientific(v, precision - 1, true);
  }

  private static String group(String number, char grouping) {
    if (grouping == 0) {
      return number;
    }
    int point = number.indexOf('.');
    String whole = point < 0 ? number : number.substring(0, point);
    StringBuilder grouped = new StringBuilder();
    for (int i = 0; i < whole.length(); i++) {
      if (i > 0 && (whole.length() - i) % 3 == 0) {
        grouped.append(grouping);
      }
      grouped.append(whole.charAt(i));
    }
    return grouped + (point < 0 ? "" : number.substring(point));
  }

  private static String pad(String sign, String body, Spec spec) {
    int length = sign.length() + body.length();
    if (spec.width <= length) {
      return sign + body;
    }
    String fill = String.valueOf(spec.fill).repeat(spec.width - length);
    return switch (spec.align) {
      case '<' -> sign + body + fill;
      case '^' -> {
        int left = (spec.width - length) / 2;
        yield fill.substring(0, left) + sign + body + fill.substring(left);
      }
      case '=' -> sign + fill + body;
      default -> fill + sign + body; // '>' and numbers' default
    };
  }

  /** A parsed {@code [[fill]align][sign][0][width][,][.precision][type]}. */
  private static final class Spec {
    char fill = ' ';
    char align = '>';
    char sign = '-';
    int width;
    char grouping;
    int precision = -1;
    char type;

    static Spec parse(String text, String template) {
      Spec spec = new Spec();
      int i = 0;
      if (text.length() >= 2 && "<>^=".indexOf(text.charAt(1)) >= 0) {
        spec.fill = text.charAt(0);
        spec.align = text.charAt(1);
        i = 2;
      } else if (!text.isEmpty() && "<>^=".indexOf(text.charAt(0)) >= 0) {
        spec.align = text.charAt(0);
        i = 1;
      }
      if (i < text.length() && "+- ".indexOf(text.charAt(i)) >= 0) {
        spec.sign = text.charAt(i++);
      }
      if (i < text.length() && text.charAt(i) == '0') {
        spec.fill = '0';
        spec.align = '=';
        i++;
      }
      int start = i;
      while (i < text.length() && Character.isDigit(text.charAt(i))) {
        i++;
      }
      if (i > start) {
        spec.width = Integer.parseInt(text.substring(start, i));
      }
      if (i < text.length() && (text.charAt(i) == ',' || text.charAt(i) == '_')) {
        spec.grouping = text.charAt(i++);
      }
      if (i < text.length() && text.charAt(i) == '.') {
        start = ++i;
        while (i < text.length() && Character.isDigit(text.charAt(i))) {
          i++;
        }
        if (i == start) {
          throw new IllegalArgumentException("format spec '" + text + "' in '" + template
              + "' has a '.' without a precision");
        }
        spec.precision = Integer.parseInt(text.substring(start, i));
      }
      if (i < text.length()) {
        spec.type = text.charAt(i++);
        if ("dfFeEgG%s".indexOf(spec.type) < 0) {
          throw new IllegalArgumentException("unknown format code '" + spec.type + "' in '"
              + template + "'; supported: d f F e E g G % s");
        }
      }
      if (i < text.length()) {
        throw new IllegalArgumentException("invalid format spec '" + text + "' in '" + template + "'");
      }
      return spec;
    }
  }
}
