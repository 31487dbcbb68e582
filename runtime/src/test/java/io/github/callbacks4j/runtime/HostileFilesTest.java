package io.github.callbacks4j.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * Model and weights files are untrusted: each hostile file fails with an IOException naming the
 * file and the entry, before anything is inflated beyond what model.json implies, and the model
 * it was loaded into is unchanged. The digits model (64-32-10, Adam) has 2410 parameters: its
 * parameters.bin is 9769 bytes.
 */
class HostileFilesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long BOMB = 400_000_000;

  @TempDir Path dir;

  private Path saved() throws IOException {
    Path file = dir.resolve("model.c4j");
    Models.digits(1).save(file);
    return file;
  }

  private Map<String, byte[]> entries(Path file) throws IOException {
    return ZipEntries.read(Files.readAllBytes(file));
  }

  private Path write(String name, Map<String, byte[]> entries) throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, ZipEntries.write(entries));
    return file;
  }

  /** Rewrites model.json (or weights.json) with {@code edit} applied. */
  private Path editJson(Path file, String entry, java.util.function.Consumer<ObjectNode> edit)
      throws IOException {
    Map<String, byte[]> entries = entries(file);
    ObjectNode json = (ObjectNode) JSON.readTree(entries.get(entry));
    edit.accept(json);
    entries.put(entry, JSON.writeValueAsBytes(json));
    return write("edited.c4j", entries);
  }

  /** A ZIP whose {@code name} entry is {@code prefix}, then zeros up to {@code size} bytes. */
  private Path withInflatingEntry(Path file, String name, byte[] prefix, long size)
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> entry : entries(file).entrySet()) {
        zip.putNextEntry(new ZipEntry(entry.getKey()));
        if (entry.getKey().equals(name)) {
          zip.write(prefix);
          byte[] zeros = new byte[1 << 20];
          for (long left = size - prefix.length; left > 0; left -= zeros.length) {
            zip.write(zeros, 0, (int) Math.min(left, zeros.length));
          }
        } else {
          zip.write(entry.getValue());
        }
        zip.closeEntry();
      }
    }
    Path bomb = dir.resolve("bomb.c4j");
    Files.write(bomb, bytes.toByteArray());
    return bomb;
  }

  @Test
  void anArrayEntryInflatingTo400MbIsRefusedFromItsRecordedSizeBeforeItIsRead() throws IOException {
    Path bomb = withInflatingEntry(saved(), "parameters.bin", new byte[0], BOMB);
    assertTrue(Files.size(bomb) < 1_000_000, "a small file: " + Files.size(bomb));
    String expected = bomb + ": parameters.bin is 400000000 bytes, but model.json's layers imply"
        + " 2410 values, 9769 bytes";

    assertEquals(expected,
        assertThrows(IOException.class, () -> Sequential.load(bomb)).getMessage());
    Sequential model = Models.digits(2);
    INDArray before = model.parameters();
    assertEquals(expected,
        assertThrows(IOException.class, () -> model.loadWeights(bomb)).getMessage());
    assertEquals(expected,
        assertThrows(IOException.class, () -> model.loadState(bomb)).getMessage());
    assertEquals(before, model.parameters());
  }

  @Test
  void anEntryInflatingBeyondTheSizeItRecordsStopsOneByteAfterIt() throws IOException {
    Path file = saved();
    byte[] parameters = entries(file).get("parameters.bin");
    Path bomb = withInflatingEntry(file, "parameters.bin", parameters, BOMB);
    Files.write(bomb, ZipEntries.forgeCentralRecord(Files.readAllBytes(bomb), "parameters.bin",
        (long) parameters.length, null));

    IOException e = assertThrows(IOException.class, () -> Sequential.load(bomb));
    assertEquals(bomb + ": parameters.bin inflates to more than its recorded 9769 bytes",
        e.getMessage());
  }

  @Test
  void anArrayWhoseContentDoesNotMatchItsCrcIsRefused() throws IOException {
    Path file = saved();
    Map<String, byte[]> entries = entries(file);
    byte[] parameters = entries.get("parameters.bin");
    CRC32 crc = new CRC32();
    crc.update(parameters);
    byte[] changed = parameters.clone();
    changed[changed.length - 1] ^= 1; // one weight's last bit
    entries.put("parameters.bin", changed);
    Path damaged = write("damaged.c4j", entries);
    Files.write(damaged, ZipEntries.forgeCentralRecord(Files.readAllBytes(damaged),
        "parameters.bin", null, crc.getValue()));

    IOException e = assertThrows(IOException.class, () -> Sequential.load(damaged));
    assertEquals(damaged + ": parameters.bin is damaged: its CRC-32 does not match the archive's"
        + " record", e.getMessage());
  }

  @Test
  void anArrayHeaderNamingAnotherLengthIsRefusedBeforeNd4jAllocatesIt() throws IOException {
    Path file = saved();
    Map<String, byte[]> entries = entries(file);
    byte[] parameters = entries.get("parameters.bin");
    // The data buffer's length follows the shape buffer (96 bytes) and its mode (18 bytes).
    ByteBuffer.wrap(parameters).putLong(114, 1_000_000_000L);
    entries.put("parameters.bin", parameters);
    Path lying = write("lying.c4j", entries);

    IOException e = assertThrows(IOException.class, () -> Sequential.load(lying));
    assertEquals(lying + ": parameters.bin is not a float array of the expected size: its data"
        + " buffer length is 1000000000, expected 2410", e.getMessage());
  }

  @Test
  void aModelJsonOverOneMegabyteIsRefusedBeforeItIsParsed() throws IOException {
    Map<String, byte[]> entries = entries(saved());
    byte[] json = entries.get("model.json");
    byte[] padded = new byte[2_000_000];
    System.arraycopy(json, 0, padded, 0, json.length);
    java.util.Arrays.fill(padded, json.length, padded.length, (byte) ' ');
    entries.put("model.json", padded);
    Path big = write("big.c4j", entries);

    IOException e = assertThrows(IOException.class, () -> Sequential.load(big));
    assertEquals(big + ": model.json records a size of 2000000 bytes; a model file's is 0 to"
        + " 1048576", e.getMessage());
  }

  @Test
  void aMissingRequiredFieldIsNamed() throws IOException {
    Path edited = editJson(saved(), "model.json", json -> json.remove("loss"));
    IOException e = assertThrows(IOException.class, () -> Sequential.load(edited));
    assertEquals(edited + ": model.json has no loss", e.getMessage());
  }

  @Test
  void aFieldOfTheWrongTypeIsNamedWithWhatItHolds() throws IOException {
    Path edited = editJson(saved(), "model.json",
        json -> ((ObjectNode) json.get("layers").get(0)).put("units", "32"));
    IOException e = assertThrows(IOException.class, () -> Sequential.load(edited));
    assertEquals(edited + ": model.json field layers.0.units must be a whole number from 1 to"
        + " 2147483647, got \"32\"", e.getMessage());
  }

  @Test
  void layersThatDoNotChainAreRefused() throws IOException {
    Path edited = editJson(saved(), "model.json",
        json -> ((ObjectNode) json.get("layers").get(1)).put("inputSize", 33));
    IOException e = assertThrows(IOException.class, () -> Sequential.load(edited));
    assertEquals(edited + ": model.json field layers.1.inputSize must be the 32 units of the"
        + " layer before it, got 33", e.getMessage());
  }

  @Test
  void anUpdaterNamingAClassOutsideNd4jsUpdatersIsRefusedBeforeJacksonLoadsIt() throws IOException {
    Path edited = editJson(saved(), "model.json",
        json -> ((ObjectNode) json.get("updater")).put("@class", "java.lang.ProcessBuilder"));
    IOException e = assertThrows(IOException.class, () -> Sequential.load(edited));
    assertEquals(edited + ": model.json field updater may name only ND4J updater and schedule"
        + " classes, got \"java.lang.ProcessBuilder\"", e.getMessage());
  }

  @Test
  void weightsOfTheSameParameterCountButOtherLayersAreRefusedNamingTheLayer() throws IOException {
    Path weights = dir.resolve("weights.c4j");
    Models.digits(1).saveWeights(weights);
    Sequential tanh = new Sequential().seed(2)
        .add(new Dense(32).inputSize(64).activation(Activation.TANH))
        .add(new Dense(10).activation(Activation.SOFTMAX))
        .compile(LossFunction.MCXENT, new Adam(1e-3));
    assertEquals(Models.digits(1).parameterCount(), tanh.parameterCount());
    INDArray before = tanh.parameters();

    IOException e = assertThrows(IOException.class, () -> tanh.loadWeights(weights));
    assertEquals(weights + ": weights.json records another architecture: layer 0 is"
        + " Dense(64->32, RELU) in the file but Dense(64->32, TANH) in this model (file:"
        + " Dense(64->32, RELU) -> Dense(32->10, SOFTMAX); model: Dense(64->32, TANH) ->"
        + " Dense(32->10, SOFTMAX))", e.getMessage());
    e = assertThrows(IOException.class, () -> tanh.loadState(saved()));
    assertTrue(e.getMessage().startsWith(dir.resolve("model.c4j") + ": model.json records"
        + " another architecture: layer 0 is Dense(64->32, RELU) in the file but Dense(64->32,"
        + " TANH) in this model"), e.getMessage());
    assertEquals(before, tanh.parameters());
  }

  @Test
  void aModelWithAnotherLayerCountIsRefusedNamingTheFirstMissingLayer() throws IOException {
    Path file = saved();
    Sequential deeper = new Sequential().seed(2)
        .add(new Dense(32).inputSize(64).activation(Activation.RELU))
        .add(new Dense(10).activation(Activation.SOFTMAX))
        .add(new Dense(10).activation(Activation.SOFTMAX))
        .compile(LossFunction.MCXENT, new Adam(1e-3));
    IOException e = assertThrows(IOException.class, () -> deeper.loadWeights(file));
    assertTrue(e.getMessage().startsWith(file + ": model.json records another architecture:"
        + " layer 2 is no layer in the file but Dense(10->10, SOFTMAX) in this model"),
        e.getMessage());
  }

  @Test
  void aWeightsFileWithoutItsLayersIsRefused() throws IOException {
    Path weights = dir.resolve("weights.c4j");
    Models.digits(1).saveWeights(weights);
    Map<String, byte[]> entries = entries(weights);
    ObjectNode json = (ObjectNode) JSON.readTree(entries.get("weights.json"));
    json.remove("layers");
    entries.put("weights.json", JSON.writeValueAsBytes(json));
    Path stripped = write("stripped.c4j", entries);

    IOException e = assertThrows(IOException.class, () -> Models.digits(2).loadWeights(stripped));
    assertEquals(stripped + ": weights.json has no layers", e.getMessage());
  }

  @Test
  void theRecordedParameterCountMustMatchTheLayers() throws IOException {
    Path weights = dir.resolve("weights.c4j");
    Models.digits(1).saveWeights(weights);
    Path edited = editJson(weights, "weights.json", json -> json.put("parameters", 2411));
    IOException e = assertThrows(IOException.class, () -> Models.digits(2).loadWeights(edited));
    assertEquals(edited + ": weights.json field parameters must be the 2410 parameters of its"
        + " layers, got 2411", e.getMessage());
  }

  @Test
  void anUpdaterStateEntryForAStatelessUpdaterIsRefused() throws IOException {
    Path edited = editJson(saved(), "model.json", json -> json.set("updater",
        JSON.valueToTree(new org.nd4j.linalg.learning.config.Sgd(0.1))));
    IOException e = assertThrows(IOException.class, () -> Sequential.load(edited));
    assertEquals(edited + ": updater.bin is present, but model.json's updater Sgd keeps no state",
        e.getMessage());
  }

  /** An IDX file: magic, then the dimensions, then the bytes. */
  private Path idx(String name, int magic, int[] dimensions, byte[] content) throws IOException {
    ByteBuffer bytes = ByteBuffer.allocate(4 + 4 * dimensions.length + content.length);
    bytes.putInt(magic);
    for (int dimension : dimensions) {
      bytes.putInt(dimension);
    }
    bytes.put(content);
    return Files.write(dir.resolve(name), bytes.array());
  }

  @Test
  void idxImagesWhoseDimensionsOverflowAreRefusedBeforeAllocating() throws IOException {
    idx("train-images-idx3-ubyte", 0x803, new int[] {65536, 256, 256}, new byte[16]);
    idx("train-labels-idx1-ubyte", 0x801, new int[] {1}, new byte[1]);
    IOException e = assertThrows(IOException.class, () -> Datasets.mnist(dir, true));
    assertEquals(dir.resolve("train-images-idx3-ubyte") + " declares 65536 images of 256x256"
        + " pixels: not an image set this loader can hold", e.getMessage());
  }

  @Test
  void idxLabelsOutsideTheTenClassesOrCountsThatDisagreeAreRefused() throws IOException {
    idx("train-images-idx3-ubyte", 0x803, new int[] {2, 2, 2}, new byte[8]);
    idx("train-labels-idx1-ubyte", 0x801, new int[] {2}, new byte[] {3, 12});
    IOException e = assertThrows(IOException.class, () -> Datasets.mnist(dir, true));
    assertEquals(dir.resolve("train-labels-idx1-ubyte") + ": label 12 at index 1 is not a class"
        + " 0..9", e.getMessage());

    idx("train-labels-idx1-ubyte", 0x801, new int[] {3}, new byte[] {3, 1, 2});
    e = assertThrows(IOException.class, () -> Datasets.mnist(dir, true));
    assertEquals(dir.resolve("train-labels-idx1-ubyte") + " has 3 labels but "
        + dir.resolve("train-images-idx3-ubyte") + " has 2 images: the files are from different"
        + " data sets", e.getMessage());
  }
}
