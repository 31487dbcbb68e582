package io.github.callbacks4j.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.callbacks4j.Callback;
import io.github.callbacks4j.Logs;
import io.github.callbacks4j.ModelState;
import io.github.callbacks4j.Params;
import io.github.callbacks4j.callbacks.BackupAndRestore;
import io.github.callbacks4j.callbacks.EarlyStopping;
import io.github.callbacks4j.state.Resumable;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.JsonNodeFactory;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * Seeded fuzzing of the loaders: real files the library wrote (a model, its weights, a backup
 * folder) are mutated (bits flipped, truncated, spliced, entries replaced by ones that inflate to
 * 400 MB, sizes and CRCs forged, JSON fields removed or set to what they must not hold) and loaded.
 * Every outcome must be a clean IOException, or a load equal to the original's; never another
 * exception, never an error.
 */
class LoaderFuzzTest {
  private static final long SEED = 20261130;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  @TempDir static Path dir;
  private static byte[] modelFile;
  private static byte[] weightsFile;
  private static Map<String, byte[]> backup; // file name -> bytes
  private static String savedModel;
  private static String loadedWeights;
  private static String resumed;
  private static final Map<String, byte[]> BOMBS = new HashMap<>();

  private static Sequential newModel() {
    return new Sequential().seed(5)
        .add(new Dense(6).inputSize(8).activation(Activation.RELU))
        .add(new Dense(3).activation(Activation.SOFTMAX))
        .compile(LossFunction.MCXENT, new Adam(1e-2), "accuracy");
  }

  @BeforeAll
  static void writeRealFiles() throws IOException {
    Nd4j.getRandom().setSeed(SEED);
    INDArray x = Nd4j.rand(DataType.FLOAT, 40, 8);
    INDArray y = Nd4j.zeros(DataType.FLOAT, 40, 3);
    for (int row = 0; row < 40; row++) {
      y.putScalar(row, row % 3, 1);
    }
    Sequential model = newModel();
    Path backupDir = dir.resolve("backup");
    model.fit(x, y, FitOptions.builder().epochs(2).batchSize(10).seed(1).verbose(0).callbacks(
        earlyStopping(), BackupAndRestore.builder(backupDir).deleteCheckpoint(false).build())
        .build());
    model.save(dir.resolve("model.c4j"));
    model.saveWeights(dir.resolve("weights.c4j"));
    modelFile = Files.readAllBytes(dir.resolve("model.c4j"));
    weightsFile = Files.readAllBytes(dir.resolve("weights.c4j"));
    backup = new TreeMap<>();
    try (var files = Files.list(backupDir)) {
      for (Path file : files.toList()) {
        backup.put(file.getFileName().toString(), Files.readAllBytes(file));
      }
    }
    assertEquals(List.of("model-2.c4j", "snapshot-2-0-0.c4j",
        "state-2.json"), List.copyOf(backup.keySet()));

    savedModel = fingerprint(Sequential.load(dir.resolve("model.c4j")));
    Sequential fresh = newModel();
    fresh.loadWeights(dir.resolve("weights.c4j"));
    loadedWeights = fresh.parameters().toString() + Arrays.toString(fresh.parameters()
        .toFloatVector());
    resumed = resume(backupDir);
  }

  private static EarlyStopping earlyStopping() {
    return EarlyStopping.builder().monitor("loss").patience(50).restoreBestWeights(true).build();
  }

  /** Everything a model file holds: JSON as a tree, arrays by SHA-256. */
  private static String fingerprint(Sequential model) throws IOException {
    Path file = Files.createTempFile(dir, "fingerprint", ".c4j");
    model.save(file);
    Map<String, byte[]> entries = ZipEntries.read(Files.readAllBytes(file));
    Files.delete(file);
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
      out.append(entry.getKey()).append('=').append(entry.getKey().endsWith(".json")
          ? JSON.readTree(entry.getValue()).toString() : sha256(entry.getValue())).append('\n');
    }
    return out.toString();
  }

  /** Resumes from a backup folder as fit would; describes where it resumes and what it loaded. */
  private static String resume(Path backupDir) throws IOException {
    Sequential model = newModel();
    EarlyStopping earlyStopping = earlyStopping();
    BackupAndRestore restore = BackupAndRestore.builder(backupDir).deleteCheckpoint(false).build();
    restore.setParams(Params.of(5, 4, 0));
    List<Callback> callbacks = List.of(earlyStopping, restore);
    Resumable.ResumePoint point = restore.resume(model, callbacks, new Resumable.Progress() {
      @Override
      public int epoch() {
        return 0;
      }

      @Override
      public int batchesDone() {
        return 0;
      }

      @Override
      public long shuffleSeed() {
        return 0;
      }

      @Override
      public long samples() {
        return 0;
      }

      @Override
      public double[] sums() {
        return new double[2];
      }
    });
    // As fit goes on: each callback's onTrainBegin, the backup's last, which restores the state.
    callbacks.forEach(callback -> callback.onTrainBegin(new Logs()));
    String description = point.epoch() + " " + point.batchesDone() + " " + point.shuffleSeed()
        + " " + point.samples() + " " + Arrays.toString(point.sums()) + "\n" + fingerprint(model)
        + earlyStopping.saveState();
    ModelState best = earlyStopping.saveSnapshots().get("bestWeights");
    model.restore(best);
    return description + "\nbest weights " + fingerprint(model);
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** Loads what the mutation made; anything but an IOException or the original fails the test. */
  private interface Load {
    String run(Path file) throws IOException;
  }

  private static int[] fuzz(String what, int iterations, long seed, Load load, String original,
      Mutator mutator) throws IOException {
    Random random = new Random(seed);
    int refused = 0;
    int equal = 0;
    for (int i = 0; i < iterations; i++) {
      Path file = Files.createTempDirectory(dir, "case");
      String mutation = mutator.mutate(random, file);
      try {
        String loaded = load.run(file);
        assertEquals(original, loaded, what + " iteration " + i + " (" + mutation
            + ") loaded something other than the original");
        equal++;
      } catch (IOException expected) {
        refused++;
      } catch (Throwable e) {
        throw new AssertionError(what + " iteration " + i + " (" + mutation + ") threw " + e, e);
      }
      deleteTree(file);
    }
    return new int[] {refused, equal};
  }

  /** Writes a mutated file (or folder) into the given directory; says what it did. */
  private interface Mutator {
    String mutate(Random random, Path into) throws IOException;
  }

  @Test
  void modelFiles() throws IOException {
    int[] outcomes = fuzz("model", 1500, SEED, file -> fingerprint(
        Sequential.load(file.resolve("m.c4j"))), savedModel, (random, into) -> {
          Mutated mutated = mutateZip(modelFile, "model.json", MODEL_FIELDS, random);
          Files.write(into.resolve("m.c4j"), mutated.bytes);
          return mutated.description;
        });
    assertTrue(outcomes[0] > 1000 && outcomes[1] > 10, Arrays.toString(outcomes));
  }

  @Test
  void weightsFiles() throws IOException {
    int[] outcomes = fuzz("weights", 600, SEED + 1, file -> {
      Sequential model = newModel();
      model.loadWeights(file.resolve("w.c4j"));
      return model.parameters().toString() + Arrays.toString(model.parameters().toFloatVector());
    }, loadedWeights, (random, into) -> {
      Mutated mutated = mutateZip(weightsFile, "weights.json", WEIGHTS_FIELDS, random);
      Files.write(into.resolve("w.c4j"), mutated.bytes);
      return mutated.description;
    });
    assertTrue(outcomes[0] > 400 && outcomes[1] > 5, Arrays.toString(outcomes));
  }

  @Test
  void backupFolders() throws IOException {
    int[] outcomes = fuzz("backup", 900, SEED + 2, LoaderFuzzTest::resume, resumed,
        (random, into) -> {
          Map<String, byte[]> files = new LinkedHashMap<>(backup);
          String description;
          ObjectNode state = (ObjectNode) JSON.readTree(files.get("state-2.json"));
          int kind = random.nextInt(3);
          if (kind == 0) { // the state file's bytes, as a disk would damage them
            Mutated mutated = mutateBytes(files.get("state-2.json"), random);
            files.put("state-2.json", mutated.bytes);
            description = "state-2.json: " + mutated.description;
          } else if (kind == 1) { // its fields, as an attacker would edit them (resealed)
            description = "state-2.json: " + editJson(state, STATE_FIELDS, random);
            files.put("state-2.json", JSON.writeValueAsBytes(HostileBackupTest.seal(state)));
          } else { // a model file, with the state's checksum updated so that the loader sees it
            boolean snapshot = random.nextBoolean();
            String name = snapshot ? "snapshot-2-0-0.c4j" : "model-2.c4j";
            Mutated mutated = mutateZip(files.get(name), "model.json", MODEL_FIELDS, random);
            files.put(name, mutated.bytes);
            ObjectNode record = (ObjectNode) (snapshot
                ? state.get("callbacks").get("EarlyStopping(loss)").get("snapshots").get("bestWeights")
                : state.get("model"));
            record.put("sha256", sha256(mutated.bytes));
            files.put("state-2.json", JSON.writeValueAsBytes(HostileBackupTest.seal(state)));
            description = name + ": " + mutated.description;
          }
          for (Map.Entry<String, byte[]> file : files.entrySet()) {
            Files.write(into.resolve(file.getKey()), file.getValue());
          }
          return description;
        });
    assertTrue(outcomes[0] > 600 && outcomes[1] > 5, Arrays.toString(outcomes));
  }

  private record Mutated(byte[] bytes, String description) {}

  private static Mutated mutateBytes(byte[] original, Random random) {
    byte[] bytes = original.clone();
    switch (random.nextInt(3)) {
      case 0 -> {
        int flips = 1 + random.nextInt(4);
        StringBuilder at = new StringBuilder("flipped bits at");
        for (int i = 0; i < flips; i++) {
          int position = random.nextInt(bytes.length);
          bytes[position] ^= (byte) (1 << random.nextInt(8));
          at.append(' ').append(position);
        }
        return new Mutated(bytes, at.toString());
      }
      case 1 -> {
        int length = random.nextInt(bytes.length);
        return new Mutated(Arrays.copyOf(bytes, length), "truncated to " + length);
      }
      default -> {
        int from = random.nextInt(bytes.length);
        int to = random.nextInt(bytes.length);
        int length = 1 + random.nextInt(Math.min(64, bytes.length - Math.max(from, to)));
        System.arraycopy(original, from, bytes, to, length);
        return new Mutated(bytes, "spliced " + length + " bytes from " + from + " to " + to);
      }
    }
  }

  private static Mutated mutateZip(byte[] original, String jsonEntry, List<Field> fields,
      Random random) throws IOException {
    Map<String, byte[]> entries = ZipEntries.read(original);
    List<String> names = new ArrayList<>(entries.keySet());
    String name = names.get(random.nextInt(names.size()));
    switch (random.nextInt(7)) {
      case 0, 1 -> {
        return mutateBytes(original, random);
      }
      case 2 -> {
        long size = switch (random.nextInt(3)) {
          case 0 -> random.nextInt(200_000);
          case 1 -> 1_000_000 + random.nextInt(4_000_000);
          default -> 400_000_000;
        };
        return new Mutated(withZeros(entries, name, size),
            name + " replaced by " + size + " zeros");
      }
      case 3 -> {
        byte[] content = entries.get(name);
        byte[] replacement = switch (random.nextInt(4)) {
          case 0 -> entries.get(names.get(random.nextInt(names.size())));
          case 1 -> Arrays.copyOf(content, random.nextInt(content.length + 1));
          case 2 -> Arrays.copyOf(content, content.length + 1 + random.nextInt(100));
          default -> {
            byte[] noise = new byte[random.nextInt(20_000)];
            random.nextBytes(noise);
            yield noise;
          }
        };
        entries.put(name, replacement);
        return new Mutated(ZipEntries.write(entries), name + " replaced");
      }
      case 4 -> {
        boolean size = random.nextBoolean();
        long value = random.nextInt(3) == 0 ? 0 : random.nextInt() & 0xffffffffL;
        return new Mutated(ZipEntries.forgeCentralRecord(original, name, size ? value : null,
            size ? null : value), name + (size ? " size" : " CRC") + " forged to " + value);
      }
      case 5 -> {
        ObjectNode json = (ObjectNode) JSON.readTree(entries.get(jsonEntry));
        String edit = editJson(json, fields, random);
        entries.put(jsonEntry, JSON.writeValueAsBytes(json));
        return new Mutated(ZipEntries.write(entries), jsonEntry + ": " + edit);
      }
      default -> {
        if (random.nextBoolean()) {
          entries.remove(name);
          return new Mutated(ZipEntries.write(entries), name + " removed");
        }
        entries.put(random.nextBoolean() ? "../../outside.bin" : "extra.bin", new byte[10]);
        return new Mutated(ZipEntries.write(entries), "an entry added");
      }
    }
  }

  /** The ZIP with {@code name} replaced by zeros; the 400 MB ones are built once. */
  private static byte[] withZeros(Map<String, byte[]> entries, String name, long size)
      throws IOException {
    String key = entries.keySet() + name + size;
    if (BOMBS.containsKey(key)) {
      return BOMBS.get(key);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(entry.getKey()));
        if (entry.getKey().equals(name)) {
          byte[] zeros = new byte[1 << 20];
          for (long left = size; left > 0; left -= zeros.length) {
            zip.write(zeros, 0, (int) Math.min(left, zeros.length));
          }
        } else {
          zip.write(entry.getValue());
        }
        zip.closeEntry();
      }
    }
    if (size >= 100_000_000) {
      BOMBS.put(key, bytes.toByteArray());
    }
    return bytes.toByteArray();
  }

  /** What a JSON field holds, and so which values it must refuse. */
  private enum Kind { INT, ANY_LONG, NUMBER, TEXT, ARRAY, OBJECT, FILE, SHA }

  private record Field(String path, Kind kind) {}

  private static final List<Field> LAYER_FIELDS = List.of(
      new Field("layers", Kind.ARRAY), new Field("layers.0", Kind.OBJECT),
      new Field("layers.1.type", Kind.TEXT), new Field("layers.0.units", Kind.INT),
      new Field("layers.1.units", Kind.INT), new Field("layers.0.inputSize", Kind.INT),
      new Field("layers.1.inputSize", Kind.INT), new Field("layers.0.activation", Kind.TEXT),
      new Field("layers.1.weightInit", Kind.TEXT), new Field("format", Kind.TEXT),
      new Field("version", Kind.INT));
  private static final List<Field> MODEL_FIELDS = concat(LAYER_FIELDS, List.of(
      new Field("loss", Kind.TEXT), new Field("seed", Kind.ANY_LONG),
      new Field("iteration", Kind.INT), new Field("metrics", Kind.ARRAY),
      new Field("metrics.0", Kind.TEXT), new Field("updater", Kind.OBJECT),
      new Field("updater.@class", Kind.TEXT)));
  private static final List<Field> WEIGHTS_FIELDS = concat(LAYER_FIELDS, List.of(
      new Field("parameters", Kind.INT)));
  private static final List<Field> STATE_FIELDS = List.of(
      new Field("format", Kind.TEXT), new Field("version", Kind.INT),
      new Field("generation", Kind.INT), new Field("epoch", Kind.INT),
      new Field("batchesDone", Kind.INT), new Field("shuffleSeed", Kind.ANY_LONG),
      new Field("samples", Kind.INT), new Field("model", Kind.OBJECT),
      new Field("model.file", Kind.FILE), new Field("model.sha256", Kind.SHA),
      new Field("callbacks", Kind.OBJECT), new Field("callbacks.EarlyStopping(loss)", Kind.OBJECT),
      new Field("callbacks.EarlyStopping(loss).state", Kind.OBJECT),
      new Field("callbacks.EarlyStopping(loss).state.waitCount", Kind.INT),
      new Field("callbacks.EarlyStopping(loss).state.stoppedEpoch", Kind.INT),
      new Field("callbacks.EarlyStopping(loss).state.best", Kind.NUMBER),
      new Field("callbacks.EarlyStopping(loss).state.bestEpoch", Kind.INT),
      new Field("callbacks.EarlyStopping(loss).snapshots", Kind.OBJECT),
      new Field("callbacks.EarlyStopping(loss).snapshots.bestWeights", Kind.OBJECT),
      new Field("callbacks.EarlyStopping(loss).snapshots.bestWeights.file", Kind.FILE),
      new Field("callbacks.EarlyStopping(loss).snapshots.bestWeights.sha256", Kind.SHA));

  private static List<Field> concat(List<Field> a, List<Field> b) {
    List<Field> all = new ArrayList<>(a);
    all.addAll(b);
    return List.copyOf(all);
  }

  /** Values each kind of field must refuse (none of them is a valid alternative). */
  private static List<JsonNode> refused(Kind kind) {
    JsonNode deep = NODES.arrayNode();
    for (int i = 0; i < 2000; i++) {
      deep = NODES.arrayNode().add(deep);
    }
    List<JsonNode> common = List.of(NODES.nullNode(), NODES.booleanNode(true), deep);
    List<JsonNode> specific = switch (kind) {
      case INT -> List.of(NODES.numberNode(-1), NODES.numberNode(1e300), NODES.textNode("1"),
          NODES.arrayNode(), NODES.objectNode());
      case ANY_LONG -> List.of(NODES.numberNode(1.5), NODES.numberNode(1e300), NODES.textNode("1"),
          NODES.objectNode());
      case TEXT -> List.of(NODES.textNode(""), NODES.textNode("x"), NODES.textNode("../x"),
          NODES.numberNode(1), NODES.objectNode(), NODES.textNode("java.lang.ProcessBuilder"),
          NODES.textNode("org.nd4j.linalg.learning.config.Sgd"),
          NODES.textNode("org.nd4j.linalg.learning.config.Nope"));
      case ARRAY -> List.of(NODES.textNode("x"), NODES.numberNode(1), NODES.objectNode());
      case OBJECT -> List.of(NODES.textNode("x"), NODES.numberNode(1), NODES.arrayNode());
      case FILE -> List.of(NODES.textNode("../outside.c4j"), NODES.textNode("/etc/passwd"),
          NODES.textNode(""), NODES.textNode("."), NODES.textNode(".."), NODES.textNode("a/b"),
          NODES.textNode("a\\b"), NODES.textNode("nope.c4j"), NODES.textNode("state-2.json"),
          NODES.textNode("x\u0000y"), NODES.numberNode(1));
      case SHA -> List.of(NODES.textNode(""), NODES.textNode("X"),
          NODES.textNode("0".repeat(64)), NODES.textNode("A".repeat(64)), NODES.numberNode(1));
      case NUMBER -> List.of(NODES.textNode("x"), NODES.textNode(""), NODES.textNode("1"),
          NODES.textNode("NaN"), NODES.arrayNode(), NODES.objectNode());
    };
    List<JsonNode> all = new ArrayList<>(common);
    all.addAll(specific);
    return all;
  }

  /** Removes a field or sets it to a value it must refuse; says which. */
  private static String editJson(ObjectNode root, List<Field> fields, Random random) {
    Field field = fields.get(random.nextInt(fields.size()));
    int dot = field.path().lastIndexOf('.');
    JsonNode parent = root;
    if (dot > 0) {
      for (String step : field.path().substring(0, dot).split("\\.")) {
        parent = parent.isArray() ? parent.get(Integer.parseInt(step)) : parent.get(step);
      }
    }
    String name = field.path().substring(dot + 1);
    // Removing an array element could leave a valid, different file (no metrics at all).
    if (parent instanceof ObjectNode object && random.nextInt(3) == 0) {
      object.remove(name);
      return field.path() + " removed";
    }
    List<JsonNode> values = refused(field.kind());
    JsonNode value = values.get(random.nextInt(values.size()));
    if (parent instanceof ArrayNode array) {
      array.set(Integer.parseInt(name), value);
    } else {
      ((ObjectNode) parent).set(name, value);
    }
    String shown = value.toString();
    return field.path() + " set to " + (shown.length() > 40 ? shown.substring(0, 40) : shown);
  }

  private static void deleteTree(Path root) throws IOException {
    try (var paths = Files.walk(root)) {
      for (Path path : paths.sorted((a, b) -> b.compareTo(a)).toList()) {
        Files.delete(path);
      }
    }
  }
}
