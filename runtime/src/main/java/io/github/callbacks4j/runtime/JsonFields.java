package io.github.callbacks4j.runtime;

import java.io.IOException;
import java.nio.file.Path;
import org.nd4j.shade.jackson.databind.JsonNode;

/**
 * Reads the required fields of one JSON entry of a file, each checked for presence and type; a
 * violation is an {@link IOException} naming the file, the entry, the field and what it holds.
 */
final class JsonFields {
  private final Path file;
  private final String entry;

  JsonFields(Path file, String entry) {
    this.file = file;
    this.entry = entry;
  }

  JsonNode object(JsonNode parent, String path) throws IOException {
    JsonNode node = field(parent, path);
    if (!node.isObject()) {
      throw invalid(path, "must be an object", node);
    }
    return node;
  }

  JsonNode array(JsonNode parent, String path) throws IOException {
    JsonNode node = field(parent, path);
    if (!node.isArray()) {
      throw invalid(path, "must be an array", node);
    }
    return node;
  }

  String text(JsonNode parent, String path) throws IOException {
    JsonNode node = field(parent, path);
    if (!node.isTextual()) {
      throw invalid(path, "must be a string", node);
    }
    return node.asText();
  }

  long longValue(JsonNode parent, String path) throws IOException {
    JsonNode node = field(parent, path);
    if (!node.isIntegralNumber() || !node.canConvertToLong()) {
      throw invalid(path, "must be a whole number", node);
    }
    return node.asLong();
  }

  /** An int in {@code [min, Integer.MAX_VALUE]}. */
  int intValue(JsonNode parent, String path, int min) throws IOException {
    JsonNode node = field(parent, path);
    if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < min) {
      throw invalid(path, "must be a whole number from " + min + " to " + Integer.MAX_VALUE, node);
    }
    return node.asInt();
  }

  <E extends Enum<E>> E enumValue(JsonNode parent, String path, Class<E> type) throws IOException {
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

  /**
   * {@code path} ends with a field of {@code parent}: {@code layers.0.units} is field units of
   * {@code layers.0}, and {@code layers.0} is element 0 of the array {@code layers}.
   */
  private JsonNode field(JsonNode parent, String path) throws IOException {
    String last = path.substring(path.lastIndexOf('.') + 1);
    JsonNode node = parent.isArray() ? parent.get(Integer.parseInt(last)) : parent.get(last);
    if (node == null || node.isNull()) {
      throw new IOException(file + ": " + entry + " has no " + path);
    }
    return node;
  }

  IOException invalid(String path, String rule, JsonNode value) {
    String shown = value.toString();
    if (shown.length() > 60) {
      shown = shown.substring(0, 60) + "...";
    }
    return new IOException(file + ": " + entry + " field " + path + " " + rule + ", got " + shown);
  }
}
