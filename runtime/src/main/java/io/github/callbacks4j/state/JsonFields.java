package io.github.callbacks4j.state;

import java.io.IOException;
import java.nio.file.Path;
import org.nd4j.shade.jackson.databind.JsonNode;

/**
 * Reads the required fields of a JSON file (or of one JSON entry of an archive), each checked for
 * presence and type; a violation is an {@link IOException} naming the file, the entry, the field
 * and what it holds. Shared by the model files' reader and the backup format, which read untrusted
 * JSON alike.
 *
 * <p>A field's path ends with its name in {@code parent}: {@code layers.0.units} is field
 * {@code units} of {@code layers.0}, and {@code layers.0} is element 0 of the array {@code layers}.
 */
public final class JsonFields {
  private static final int SHOWN = 80;
  private final String where;

  /** Fields of one entry of {@code file}, such as {@code model.json} of a model archive. */
  public JsonFields(Path file, String entry) {
    this.where = file + ": " + entry;
  }

  /** Fields of {@code file}, a JSON file of its own. */
  public JsonFields(Path file) {
    this.where = file.toString();
  }

  /** The field, present and not null, whatever its type. */
  public JsonNode field(JsonNode parent, String path) throws IOException {
    String last = path.substring(path.lastIndexOf('.') + 1);
    JsonNode node = parent.isArray() ? parent.get(Integer.parseInt(last)) : parent.get(last);
    if (node == null || node.isNull()) {
      throw missing(path);
    }
    return node;
  }

  /** The error for a field that is absent or null. */
  public IOException missing(String path) {
    return new IOException(where + " has no " + path);
  }

  public JsonNode object(JsonNode parent, String path) throws IOException {
    JsonNode node = field(parent, path);
    if (!node.isObject()) {
      throw invalid(path, "must be an object", node);
    }
    return node;
  }

  public JsonNode array(JsonNode parent, String path) throws IOException {
    JsonNode node = field(parent, path);
    if (!node.isArray()) {
      throw invalid(path, "must be an array", node);
    }
    return node;
  }

  public String text(JsonNode parent, String path) throws IOException {
    JsonNode node = field(parent, path);
    if (!node.isTextual()) {
      throw invalid(path, "must be a string", node);
    }
    return node.asText();
  }

  /** Any whole number a {@code long} holds. */
  public long longValue(JsonNode parent, String path) throws IOException {
    JsonNode node = field(parent, path);
    if (!node.isIntegralNumber() || !node.canConvertToLong()) {
      throw invalid(path, "must be a whole number", node);
    }
    return node.asLong();
  }

  /** A whole number in {@code [min, max]}. */
  public long longValue(JsonNode parent, String path, long min, long max) throws IOException {
    JsonNode node = field(parent, path);
    if (!node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < min
        || node.asLong() > max) {
      throw invalid(path, "must be a whole number from " + min + " to " + max, node);
    }
    return node.asLong();
  }

  /** An int in {@code [min, Integer.MAX_VALUE]}. */
  public int intValue(JsonNode parent, String path, int min) throws IOException {
    return (int) longValue(parent, path, min, Integer.MAX_VALUE);
  }

  /**
   * A number, or one of the strings {@code NaN}, {@code Infinity}, {@code -Infinity}, as Jackson
   * writes the non-finite doubles.
   */
  public double doubleValue(JsonNode parent, String path) throws IOException {
    JsonNode node = field(parent, path);
    if (node.isNumber()) {
      return node.asDouble();
    }
    if (node.isTextual()) {
      switch (node.asText()) {
        case "NaN":
          return Double.NaN;
        case "Infinity":
          return Double.POSITIVE_INFINITY;
        case "-Infinity":
          return Double.NEGATIVE_INFINITY;
        default:
          break;
      }
    }
    throw invalid(path, "must be a number", node);
  }

  public <E extends Enum<E>> E enumValue(JsonNode parent, String path, Class<E> type)
      throws IOException {
    JsonNode node = field(parent, path);
    if (node.isTextual()) {
      for (E constant : type.getEnumConstants()) {
        if (constant.name().equals(node.asText())) {
          return constant;
        }
      }
    }
    throw invalid(path, "must name a " + type.getSimpleName(), node);
  }

  /** The error for a field that is present but breaks {@code rule}; shows what it holds. */
  public IOException invalid(String path, String rule, JsonNode value) {
    String shown = String.valueOf(value);
    if (shown.length() > SHOWN) {
      shown = shown.substring(0, SHOWN) + "...";
    }
    return new IOException(where + " field " + path + " " + rule + ", got " + shown);
  }
}
