package io.github.callbacks4j.callbacks;

import io.github.callbacks4j.state.AtomicFiles;
import io.github.callbacks4j.state.JsonFields;
import io.github.callbacks4j.state.Resumable.ResumePoint;
import io.github.callbacks4j.state.UntrustedJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * The on-disk format of a {@link BackupAndRestore} folder, apart from any model: what is written
 * where, and how it is read back as untrusted input.
 *
 * <p>Generation N is {@code model-N.c4j}, one {@code snapshot-N-<i>-<name>.c4j} per model snapshot
 * of a stateful callback, then {@code state-N.json}, which names them with their SHA-256 and holds
 * the loop's position and every stateful callback's state record under its key. Each file is
 * written atomically and the state file last, so a generation is complete exactly when its state
 * file exists; older generations are deleted only once a newer one is complete.
 *
 * <p>Reading checks everything before returning anything: the state file's size, format, version,
 * own SHA-256 and every field; every file it names must be a plain name in the folder, a regular
 * file (not a link), with the recorded SHA-256; each callback's state is read strictly into its
 * record (see {@link StatefulCallback}). Any violation is an {@link IOException} naming the file
 * and the field.
 */
final class BackupFolder {
  static final String FORMAT = "callbacks4j.backup";
  /**
   * 3: callbacks' state as typed JSON (their records' fields) instead of strings. 2 keyed callbacks
   * by {@link StatefulCallback#stateKey()} instead of class and index.
   */
  static final int VERSION = 3;
  /** A state file holds counters and callback state: a few KB. A larger one is not ours. */
  static final long MAX_STATE_BYTES = 16L << 20;
  private static final String CHECKSUM = "stateSha256";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern STATE = Pattern.compile("state-(\\d{1,18})\\.json");
  private static final Pattern GENERATION_FILE =
      Pattern.compile("(?:state|model|snapshot)-(\\d{1,18})[.-].*");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  private final Path dir;
  private Runnable beforeStateWritten = () -> { };

  BackupFolder(Path dir) {
    this.dir = Objects.requireNonNull(dir, "dir");
  }

  /** A stateful callback's state to write, and a writer for each of its model snapshots. */
  record CallbackState(Record state, Map<String, AtomicFiles.FileWriter> snapshots) {}

  /** One generation, read and checked. */
  record Generation(Path stateFile, ResumePoint position, Path model,
      Map<String, SavedCallback> callbacks) {}

  /** A stateful callback's state record and its model snapshot files, by name. */
  record SavedCallback(Record state, Map<String, Path> snapshots) {}

  /** For tests: runs between writing a generation's model files and its state file. */
  void beforeStateWritten(Runnable hook) {
    this.beforeStateWritten = Objects.requireNonNull(hook);
  }

  /**
   * Writes generation {@code generation}: the model, the snapshots, then the state file.
   *
   * @param position where the loop is; its sums are written only when {@code batchesDone > 0}
   * @param callbacks each stateful callback's state, by its state key
   */
  void write(long generation, ResumePoint position, AtomicFiles.FileWriter model,
      Map<String, CallbackState> callbacks) throws IOException {
    Files.createDirectories(dir);
    ObjectNode state = JSON.createObjectNode()
        .put("format", FORMAT).put("version", VERSION)
        .put("generation", generation)
        .put("epoch", position.epoch()).put("batchesDone", position.batchesDone())
        .put("shuffleSeed", position.shuffleSeed()).put("samples", position.samples());
    if (position.batchesDone() > 0) {
      var sums = state.putArray("sums");
      for (double sum : position.sums()) {
        sums.add(sum);
      }
    }
    state.set("model", writeFile("model-" + generation + ".c4j", model));
    ObjectNode callbackNodes = state.putObject("callbacks");
    int index = 0;
    for (Map.Entry<String, CallbackState> entry : callbacks.entrySet()) {
      ObjectNode node = callbackNodes.putObject(entry.getKey());
      node.set("state", StateJson.write(entry.getValue().state()));
      ObjectNode snapshots = node.putObject("snapshots");
      int ordinal = 0;
      for (var snapshot : entry.getValue().snapshots().entrySet()) {
        // Numbered, never named after the snapshot's key, which may hold any character ("/",
        // ".."); the state file maps the key to its file.
        String name = "snapshot-" + generation + "-" + index + "-" + ordinal++ + ".c4j";
        snapshots.set(snapshot.getKey(), writeFile(name, snapshot.getValue()));
      }
      index++;
    }
    state.put(CHECKSUM, checksum(state));
    beforeStateWritten.run();
    AtomicFiles.write(stateFile(generation),
        JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(state));
  }

  /** Writes a file atomically; returns {"file", "sha256"}. */
  private ObjectNode writeFile(String name, AtomicFiles.FileWriter writer) throws IOException {
    Path target = dir.resolve(name);
    AtomicFiles.writeFile(target, writer);
    return JSON.createObjectNode().put("file", name).put("sha256", sha256(target));
  }

  /** The SHA-256 of the state's compact JSON: an edit or a flipped bit is seen on reading. */
  private static String checksum(ObjectNode state) {
    try {
      return hex(MessageDigest.getInstance("SHA-256").digest(JSON.writeValueAsBytes(state)));
    } catch (NoSuchAlgorithmException | IOException e) {
      throw new IllegalStateException("a JSON tree always serializes; every JVM has SHA-256", e);
    }
  }

  /** Complete generations (those with a state file), newest first; none without the folder. */
  List<Long> generations() throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Long> generations = new ArrayList<>();
    for (Path file : list()) {
      Matcher m = STATE.matcher(file.getFileName().toString());
      if (m.matches()) {
        generations.add(Long.parseLong(m.group(1)));
      }
    }
    generations.sort(Comparator.reverseOrder());
    return generations;
  }

  /**
   * Reads and checks generation {@code generation}.
   *
   * @param stateTypes the record type of each stateful callback's state, by its key; the backup
   *     must hold exactly these keys' state
   * @param steps the fit's batches per epoch, or 0 when unknown
   * @param sumCount how many running sums the fit keeps (the loss and each metric)
   */
  Generation read(long generation, Map<String, Class<? extends Record>> stateTypes, int steps,
      int sumCount) throws IOException {
    Path file = stateFile(generation);
    JsonFields fields = new JsonFields(file);
    JsonNode state = UntrustedJson.parseObject(readState(file), file.toString());
    if (!FORMAT.equals(state.path("format").asText())) {
      throw new IOException(file + " is not a callbacks4j backup: its format is '"
          + state.path("format").asText() + "'");
    }
    long version = fields.longValue(state, "version");
    if (version != VERSION) {
      throw new IOException(file + " is in backup format version " + version + ", and this"
          + " callbacks4j reads version " + VERSION + " only: delete " + dir + " to start over,"
          + " or resume with the callbacks4j that wrote it");
    }
    JsonNode checksum = fields.field(state, CHECKSUM);
    ObjectNode sealed = state.deepCopy();
    sealed.remove(CHECKSUM);
    if (!checksum.isTextual() || !checksum.asText().equals(checksum(sealed))) {
      throw new IOException(file + " is damaged: its " + CHECKSUM + " does not match its content");
    }
    if (fields.longValue(state, "generation", 1, Long.MAX_VALUE) != generation) {
      throw fields.invalid("generation", "must be " + generation + ", as in the file name",
          state.get("generation"));
    }
    int epoch = (int) fields.longValue(state, "epoch", 0, Integer.MAX_VALUE);
    int batchesDone = (int) fields.longValue(state, "batchesDone", 0,
        steps > 0 ? steps : Integer.MAX_VALUE);
    long shuffleSeed = fields.longValue(state, "shuffleSeed");
    long samples = fields.longValue(state, "samples", 0, Long.MAX_VALUE);
    double[] sums = batchesDone > 0 ? sums(fields, state, sumCount) : null;
    Path model = namedFile(fields, state.get("model"), "model");

    JsonNode callbackNodes = fields.object(state, "callbacks");
    Map<String, SavedCallback> callbacks = new LinkedHashMap<>();
    for (Map.Entry<String, Class<? extends Record>> type : stateTypes.entrySet()) {
      String key = type.getKey();
      String at = "callbacks." + key;
      // Looked up by the key itself: a key may hold dots (a file path), which a path cannot.
      JsonNode callback = callbackNodes.get(key);
      if (callback == null || callback.isNull()) {
        throw new IOException(file + " holds no state for " + key + "; it was written for"
            + " another list of callbacks");
      }
      if (!callback.isObject()) {
        throw fields.invalid(at, "must be an object", callback);
      }
      JsonNode stateNode = fields.object(callback, at + ".state");
      Record record;
      try {
        record = StateJson.read(stateNode, type.getValue());
      } catch (IllegalArgumentException e) {
        throw fields.invalid(at + ".state", "does not fit " + typeName(type.getValue()) + " ("
            + e.getMessage() + ")", stateNode);
      }
      Map<String, Path> snapshots = new LinkedHashMap<>();
      JsonNode snapshotNodes = fields.object(callback, at + ".snapshots");
      for (var it = snapshotNodes.fields(); it.hasNext(); ) {
        var snapshot = it.next();
        snapshots.put(snapshot.getKey(),
            namedFile(fields, snapshot.getValue(), at + ".snapshots." + snapshot.getKey()));
      }
      callbacks.put(key, new SavedCallback(record, snapshots));
    }
    return new Generation(file,
        new ResumePoint(epoch, batchesDone, shuffleSeed, samples, sums), model, callbacks);
  }

  /** {@code EarlyStopping.State} for a nested record, as the reader knows the callback. */
  private static String typeName(Class<?> type) {
    Class<?> enclosing = type.getEnclosingClass();
    return enclosing == null ? type.getSimpleName()
        : enclosing.getSimpleName() + "." + type.getSimpleName();
  }

  private static byte[] readState(Path file) throws IOException {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes((int) MAX_STATE_BYTES + 1);
    } catch (IOException e) {
      throw new IOException(file + " is unreadable (" + e + ")", e);
    }
    if (bytes.length > MAX_STATE_BYTES) {
      throw new IOException(file + " is larger than the " + MAX_STATE_BYTES + " bytes a backup's"
          + " state file can be");
    }
    return bytes;
  }

  private static double[] sums(JsonFields fields, JsonNode state, int count) throws IOException {
    JsonNode node = fields.field(state, "sums");
    if (!node.isArray() || node.size() != count) {
      throw fields.invalid("sums", "must list " + count + " numbers (the loss and each metric of"
          + " this fit)", node);
    }
    double[] sums = new double[count];
    for (int i = 0; i < count; i++) {
      sums[i] = fields.doubleValue(node, "sums." + i);
    }
    return sums;
  }

  /**
   * {@code {"file": plain name in the folder, "sha256": 64 hex digits}}, naming a regular file of
   * the folder with that SHA-256.
   *
   * @param record the node, looked up by the caller: a snapshot's name may hold dots
   * @param path where the node is, for messages
   */
  private Path namedFile(JsonFields fields, JsonNode record, String path) throws IOException {
    if (record == null || record.isNull()) {
      throw fields.missing(path);
    }
    if (!record.isObject()) {
      throw fields.invalid(path, "must be an object", record);
    }
    JsonNode nameNode = fields.field(record, path + ".file");
    String name = nameNode.asText();
    if (!nameNode.isTextual() || !isPlainName(name)) {
      throw fields.invalid(path + ".file", "must be a plain file name in " + dir, nameNode);
    }
    JsonNode sha = fields.field(record, path + ".sha256");
    if (!sha.isTextual() || !SHA256.matcher(sha.asText()).matches()) {
      throw fields.invalid(path + ".sha256", "must be 64 lowercase hex digits", sha);
    }
    Path resolved = dir.resolve(name);
    if (!dir.equals(resolved.getParent())) {
      throw fields.invalid(path + ".file", "must name a file in " + dir, nameNode);
    }
    if (!Files.isRegularFile(resolved, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(resolved + " is missing" + (Files.exists(resolved,
          LinkOption.NOFOLLOW_LINKS) ? ": it is not a regular file" : ""));
    }
    if (!sha256(resolved).equals(sha.asText())) {
      throw new IOException(resolved + " is damaged: its SHA-256 does not match the backup's"
          + " record");
    }
    return resolved;
  }

  /** No separator, no {@code .} or {@code ..}, not absolute: a name, not a path. */
  private static boolean isPlainName(String name) {
    return !name.isEmpty() && !name.equals(".") && !name.equals("..") && name.indexOf('/') < 0
        && name.indexOf('\\') < 0 && name.indexOf('\0') < 0 && name.indexOf(':') < 0;
  }

  /** Deletes every generation older than {@code keep}, and files a crash left half-made. */
  void deleteGenerationsBefore(long keep) throws IOException {
    for (Path file : list()) {
      String name = file.getFileName().toString();
      Matcher m = GENERATION_FILE.matcher(name);
      if ((m.matches() && Long.parseLong(m.group(1)) < keep) || name.endsWith(".tmp")) {
        Files.deleteIfExists(file);
      }
    }
  }

  /** Deletes every file of the format, then the folder if nothing else is in it. */
  void deleteAll() throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    for (Path file : list()) {
      String name = file.getFileName().toString();
      if (GENERATION_FILE.matcher(name).matches() || name.endsWith(".tmp")) {
        Files.deleteIfExists(file);
      }
    }
    if (list().isEmpty()) {
      Files.deleteIfExists(dir);
    }
  }

  private Path stateFile(long generation) {
    return dir.resolve("state-" + generation + ".json");
  }

  private List<Path> list() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.toList();
    }
  }

  private static String sha256(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return hex(digest.digest());
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
