package io.github.callbacks4j.callbacks;

import io.github.callbacks4j.state.UntrustedJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * One generation's state file of a {@link BackupAndRestore} folder, read as untrusted input: every
 * required field is checked, and every file it names must be a plain file name, resolved inside the
 * backup folder. Any violation is an {@link IOException} naming the state file and the field.
 */
record BackupState(Path file, int epoch, int batchesDone, long shuffleSeed, long samples,
    double[] sums, FileRecord model, Map<String, CallbackRecord> callbacks) {
  static final String FORMAT = "callbacks4j.backup";
  /** 2: callbacks keyed by {@link StatefulCallback#stateKey()} instead of class and index. */
  static final int VERSION = 2;
  /** A state file holds counters and callback state: a few KB. A larger one is not ours. */
  static final long MAX_BYTES = 16L << 20;
  private static final String CHECKSUM = "stateSha256";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final Set<String> NON_FINITE = Set.of("NaN", "Infinity", "-Infinity");

  /**
   * Adds the SHA-256 of the state's compact JSON, so that an edit or a flipped bit (which could
   * turn epoch 2 into epoch 3) is seen on reading.
   */
  static ObjectNode seal(ObjectNode state) {
    return state.put(CHECKSUM, checksum(state));
  }

  private static String checksum(ObjectNode state) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(JSON.writeValueAsBytes(state)));
    } catch (NoSuchAlgorithmException | IOException e) {
      throw new IllegalStateException("a JSON tree always serializes; every JVM has SHA-256", e);
    }
  }

  /** A file of the backup, and the SHA-256 it had when the backup was written. */
  record FileRecord(Path path, String sha256) {}

  /** A stateful callback's values, and its model snapshots by name. */
  record CallbackRecord(Map<String, String> values, Map<String, FileRecord> snapshots) {}

  /**
   * Reads {@code state-<generation>.json} of {@code backupDir}.
   *
   * @param callbackKeys the stateful callbacks whose state the backup must hold
   * @param steps the fit's batches per epoch, or 0 when unknown
   * @param sums how many running sums the fit keeps (the loss and each metric)
   */
  static BackupState read(Path backupDir, long generation, Set<String> callbackKeys, int steps,
      int sums) throws IOException {
    Path file = backupDir.resolve("state-" + generation + ".json");
    Fields fields = new Fields(file, backupDir);
    JsonNode state = fields.parse();
    if (!FORMAT.equals(state.path("format").asText())) {
      throw new IOException(file + " is not a callbacks4j backup: its format is '"
          + state.path("format").asText() + "'");
    }
    fields.number(state, "version", VERSION, VERSION);
    JsonNode checksum = fields.field(state, CHECKSUM);
    ObjectNode sealed = state.deepCopy();
    sealed.remove(CHECKSUM);
    if (!checksum.isTextual() || !checksum.asText().equals(checksum(sealed))) {
      throw new IOException(file + " is damaged: its " + CHECKSUM + " does not match its content");
    }
    if (fields.number(state, "generation", 1, Long.MAX_VALUE) != generation) {
      throw fields.invalid("generation", "must be " + generation + ", as in the file name",
          state.get("generation"));
    }
    int epoch = (int) fields.number(state, "epoch", 0, Integer.MAX_VALUE);
    int batchesDone = (int) fields.number(state, "batchesDone", 0,
        steps > 0 ? steps : Integer.MAX_VALUE);
    long shuffleSeed = fields.number(state, "shuffleSeed", Long.MIN_VALUE, Long.MAX_VALUE);
    long samples = fields.number(state, "samples", 0, Long.MAX_VALUE);
    double[] sumValues = null;
    if (batchesDone > 0) {
      sumValues = fields.sums(state, sums);
    }
    FileRecord model = fields.fileRecord(state, "model");
    JsonNode callbackNodes = fields.object(state, "callbacks");
    Map<String, CallbackRecord> callbacks = new HashMap<>();
    for (String key : callbackKeys) {
      String at = "callbacks." + key;
      if (callbackNodes.get(key) == null) {
        throw new IOException(file + " holds no state for " + key + "; it was written for"
            + " another list of callbacks");
      }
      // Looked up by the key itself: a key may hold dots (a file path), which a path cannot.
      JsonNode callback = callbackNodes.get(key);
      if (callback.isNull()) {
        throw new IOException(file + " has no " + at);
      }
      if (!callback.isObject()) {
        throw fields.invalid(at, "must be an object", callback);
      }
      Map<String, String> values = new HashMap<>();
      JsonNode valueNodes = fields.object(callback, at + ".state");
      for (var it = valueNodes.fields(); it.hasNext(); ) {
        var value = it.next();
        if (!value.getValue().isTextual()) {
          throw fields.invalid(at + ".state." + value.getKey(), "must be a string",
              value.getValue());
        }
        values.put(value.getKey(), value.getValue().asText());
      }
      Map<String, FileRecord> snapshots = new HashMap<>();
      JsonNode snapshotNodes = fields.object(callback, at + ".snapshots");
      for (var it = snapshotNodes.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        snapshots.put(name, fields.fileRecord(snapshotNodes, at + ".snapshots." + name));
      }
      callbacks.put(key, new CallbackRecord(values, snapshots));
    }
    return new BackupState(file, epoch, batchesDone, shuffleSeed, samples, sumValues, model,
        callbacks);
  }

  /** The checks, with messages that name the state file and the field. */
  private record Fields(Path file, Path backupDir) {
    JsonNode parse() throws IOException {
      byte[] bytes;
      try (InputStream in = Files.newInputStream(file)) {
        bytes = in.readNBytes((int) MAX_BYTES + 1);
      } catch (IOException e) {
        throw new IOException(file + " is unreadable (" + e + ")", e);
      }
      if (bytes.length > MAX_BYTES) {
        throw new IOException(file + " is larger than the " + MAX_BYTES + " bytes a backup's"
            + " state file can be");
      }
      return UntrustedJson.parseObject(bytes, file.toString());
    }

    JsonNode field(JsonNode parent, String path) throws IOException {
      JsonNode node = parent.get(path.substring(path.lastIndexOf('.') + 1));
      if (node == null || node.isNull()) {
        throw new IOException(file + " has no " + path);
      }
      return node;
    }

    JsonNode object(JsonNode parent, String path) throws IOException {
      JsonNode node = field(parent, path);
      if (!node.isObject()) {
        throw invalid(path, "must be an object", node);
      }
      return node;
    }

    long number(JsonNode parent, String path, long min, long max) throws IOException {
      JsonNode node = field(parent, path);
      if (!node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < min
          || node.asLong() > max) {
        throw invalid(path, "must be a whole number from " + min + " to " + max, node);
      }
      return node.asLong();
    }

    double[] sums(JsonNode state, int count) throws IOException {
      JsonNode node = field(state, "sums");
      if (!node.isArray() || node.size() != count) {
        throw invalid("sums", "must list " + count + " numbers (the loss and each metric of"
            + " this fit)", node);
      }
      double[] sums = new double[count];
      for (int i = 0; i < count; i++) {
        JsonNode sum = node.get(i);
        // Jackson writes NaN and the infinities as strings.
        if (!sum.isNumber() && !(sum.isTextual() && NON_FINITE.contains(sum.asText()))) {
          throw invalid("sums." + i, "must be a number", sum);
        }
        sums[i] = sum.asDouble();
      }
      return sums;
    }

    /** {@code {"file": plain name in the backup folder, "sha256": 64 hex digits}}. */
    FileRecord fileRecord(JsonNode parent, String path) throws IOException {
      JsonNode record = object(parent, path);
      JsonNode nameNode = field(record, path + ".file");
      String name = nameNode.asText();
      if (!nameNode.isTextual() || !isPlainName(name)) {
        throw invalid(path + ".file", "must be a plain file name in " + backupDir, nameNode);
      }
      JsonNode sha = field(record, path + ".sha256");
      if (!sha.isTextual() || !SHA256.matcher(sha.asText()).matches()) {
        throw invalid(path + ".sha256", "must be 64 lowercase hex digits", sha);
      }
      Path resolved = backupDir.resolve(name);
      if (!backupDir.equals(resolved.getParent())) {
        throw invalid(path + ".file", "must name a file in " + backupDir, nameNode);
      }
      return new FileRecord(resolved, sha.asText());
    }

    IOException invalid(String path, String rule, JsonNode value) {
      String shown = String.valueOf(value);
      if (shown.length() > 80) {
        shown = shown.substring(0, 80) + "...";
      }
      return new IOException(file + ": " + path + " " + rule + ", got " + shown);
    }
  }

  /** No separator, no {@code .} or {@code ..}, not absolute: a name, not a path. */
  private static boolean isPlainName(String name) {
    return !name.isEmpty() && !name.equals(".") && !name.equals("..") && name.indexOf('/') < 0
        && name.indexOf('\\') < 0 && name.indexOf('\0') < 0 && name.indexOf(':') < 0;
  }
}
