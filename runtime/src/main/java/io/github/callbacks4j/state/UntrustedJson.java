package io.github.callbacks4j.state;

import java.io.IOException;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * Parses JSON read from a file the library did not necessarily write (model files, backup state
 * files). Jackson parses any depth, but printing, copying or binding a tree recurses, so a file
 * nested thousands deep would end in a {@code StackOverflowError}: nesting beyond
 * {@link #MAX_DEPTH} is refused before parsing.
 */
public final class UntrustedJson {
  /** Deeper than anything the library writes (3 levels) by far. */
  public static final int MAX_DEPTH = 64;
  private static final ObjectMapper JSON = new ObjectMapper();

  private UntrustedJson() {}

  /**
   * The JSON object in {@code bytes}.
   *
   * @param where the file (and entry), for messages
   * @throws IOException naming {@code where} when the bytes are not a JSON object or nest too deep
   */
  public static JsonNode parseObject(byte[] bytes, String where) throws IOException {
    int depth = 0;
    boolean inString = false;
    for (int i = 0; i < bytes.length; i++) {
      byte b = bytes[i];
      if (inString) {
        if (b == '\\') {
          i++;
        } else if (b == '"') {
          inString = false;
        }
      } else if (b == '"') {
        inString = true;
      } else if ((b == '[' || b == '{') && ++depth > MAX_DEPTH) {
        throw new IOException(where + " nests deeper than " + MAX_DEPTH + " levels");
      } else if (b == ']' || b == '}') {
        depth--;
      }
    }
    JsonNode json;
    try {
      json = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new IOException(where + " is not readable JSON (" + e.getMessage() + ")", e);
    }
    if (json == null || !json.isObject()) {
      throw new IOException(where + " is not a JSON object");
    }
    return json;
  }
}
