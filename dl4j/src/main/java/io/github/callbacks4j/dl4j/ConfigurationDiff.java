package io.github.callbacks4j.dl4j;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * Where two DL4J network configurations (their JSON) differ, leaving out what training itself
 * changes: the iteration and epoch counters, and updaters' learning rates (callbacks change those;
 * a loaded state brings its own).
 */
final class ConfigurationDiff {
  /** How many differences a message names; the first few say enough to find the cause. */
  static final int SHOWN = 3;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String UPDATER_PACKAGE = "org.nd4j.linalg.learning.config.";

  private ConfigurationDiff() {}

  /**
   * Up to {@link #SHOWN} differences as {@code path: file VALUE, network VALUE}, e.g.
   * {@code confs[2].layer.nout: file 16, network 10}; empty when the architectures match.
   */
  static List<String> differences(String fileJson, String networkJson) {
    List<String> found = new ArrayList<>();
    compare("", normalized(fileJson), normalized(networkJson), found);
    return found;
  }

  private static JsonNode normalized(String json) {
    JsonNode tree;
    try {
      tree = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a DL4J configuration: " + e.getOriginalMessage(), e);
    }
    strip(tree);
    return tree;
  }

  private static void strip(JsonNode node) {
    if (node instanceof ObjectNode object) {
      object.remove("iterationCount");
      object.remove("epochCount");
      if (object.path("@class").asText().startsWith(UPDATER_PACKAGE)) {
        object.remove("learningRate");
      }
    }
    node.forEach(ConfigurationDiff::strip);
  }

  private static void compare(String path, JsonNode file, JsonNode network, List<String> found) {
    if (found.size() >= SHOWN || file.equals(network)) {
      return;
    }
    if (file.isObject() && network.isObject()) {
      TreeSet<String> names = new TreeSet<>();
      file.fieldNames().forEachRemaining(names::add);
      network.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        compare(path.isEmpty() ? name : path + "." + name,
            file.path(name), network.path(name), found);
      }
    } else if (file.isArray() && network.isArray() && file.size() == network.size()) {
      Iterator<JsonNode> fileItems = file.elements();
      Iterator<JsonNode> networkItems = network.elements();
      for (int i = 0; fileItems.hasNext(); i++) {
        compare(path + "[" + i + "]", fileItems.next(), networkItems.next(), found);
      }
    } else {
      found.add((path.isEmpty() ? "configuration" : path)
          + ": file " + shown(file) + ", network " + shown(network));
    }
  }

  private static String shown(JsonNode node) {
    if (node.isMissingNode()) {
      return "(absent)";
    }
    if (node.isArray() && node.size() > 0 && node.get(0).isObject()) {
      return node.size() + (node.size() == 1 ? " entry" : " entries");
    }
    String text = node.toString();
    return text.length() > 80 ? text.substring(0, 77) + "..." : text;
  }

  /** For messages: {@code [a, b, c]} as {@code a; b; c}. */
  static String joined(List<String> differences) {
    return String.join("; ", differences);
  }
}
