package io.github.callbacks4j.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * A model file's EMA (its settings in model.json, the average in ema.bin) is read as untrusted as
 * the rest: each damage fails naming the file and the entry, and the model loaded into is unchanged.
 */
class EmaFileTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private static Sequential model(Ema ema) {
    Sequential model = new Sequential().seed(5)
        .add(new Dense(4).inputSize(3).activation(Activation.TANH))
        .add(new Dense(2).activation(Activation.IDENTITY));
    return ema == null ? model.compile(LossFunction.MSE, new Sgd(0.1), "mse")
        : model.compile(LossFunction.MSE, new Sgd(0.1), ema, "mse");
  }

  private Path saved(Ema ema) throws IOException {
    Path file = dir.resolve("model.c4j");
    model(ema).save(file);
    return file;
  }

  private Path edited(Path file, Consumer<Map<String, byte[]>> edit) throws IOException {
    Map<String, byte[]> entries = ZipEntries.read(Files.readAllBytes(file));
    edit.accept(entries);
    Path out = dir.resolve("edited.c4j");
    Files.write(out, ZipEntries.write(entries));
    return out;
  }

  private Path editedJson(Path file, Consumer<ObjectNode> edit) throws IOException {
    return edited(file, entries -> {
      try {
        ObjectNode json = (ObjectNode) JSON.readTree(entries.get("model.json"));
        edit.accept(json);
        entries.put("model.json", JSON.writeValueAsBytes(json));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  @Test
  void settingsAndFormatVersionRoundTrip() throws IOException {
    Ema ema = Ema.builder().momentum(0.75).overwriteFrequency(4).build();
    Path file = saved(ema);
    ObjectNode json = (ObjectNode) JSON.readTree(
        ZipEntries.read(Files.readAllBytes(file)).get("model.json"));
    assertEquals(2, json.get("version").asInt(), "older readers must refuse, not drop, the EMA");
    assertEquals(0.75, json.get("ema").get("momentum").asDouble());
    Sequential loaded = Sequential.load(file);
    assertTrue(loaded.hasEma());
    assertEquals(java.util.Optional.of(ema), loaded.ema());

    Path plain = dir.resolve("plain.c4j");
    model(null).save(plain);
    Map<String, byte[]> entries = ZipEntries.read(Files.readAllBytes(plain));
    assertEquals(1, JSON.readTree(entries.get("model.json")).get("version").asInt());
    assertFalse(entries.containsKey("ema.bin"));
    assertFalse(Sequential.load(plain).hasEma());
  }

  @Test
  void anEmaEntryWithoutSettingsIsRefused() throws IOException {
    Path file = editedJson(saved(Ema.builder().build()), json -> json.remove("ema"));
    IOException e = assertThrows(IOException.class, () -> Sequential.load(file));
    assertEquals(file + ": ema.bin is present, but model.json has no ema field", e.getMessage());
  }

  @Test
  void aMomentumOutsideKerassRangeIsRefused() throws IOException {
    Path file = editedJson(saved(Ema.builder().build()),
        json -> ((ObjectNode) json.get("ema")).put("momentum", 2.0));
    IOException e = assertThrows(IOException.class, () -> Sequential.load(file));
    assertEquals(file + ": model.json field ema is not valid (EMA momentum must be in the range"
        + " [0, 1] (Keras's ema_momentum), got 2.0)", e.getMessage());
  }

  @Test
  void aMissingOrResizedAverageIsRefusedAndTheModelKeepsItsState() throws IOException {
    Path file = saved(Ema.builder().build());
    Path missing = edited(file, entries -> entries.remove("ema.bin"));
    IOException e = assertThrows(IOException.class, () -> Sequential.load(missing));
    assertEquals(missing + " is damaged: it has no ema.bin", e.getMessage());

    Path wrongSize = edited(file, entries -> entries.put("ema.bin",
        java.util.Arrays.copyOf(entries.get("ema.bin"), entries.get("ema.bin").length + 4)));
    Sequential target = model(Ema.builder().build());
    target.trainOnBatch(org.nd4j.linalg.factory.Nd4j.ones(2, 3),
        org.nd4j.linalg.factory.Nd4j.zeros(2, 2));
    var before = target.emaParameters();
    e = assertThrows(IOException.class, () -> target.loadState(wrongSize));
    assertTrue(e.getMessage().startsWith(wrongSize + ": ema.bin is "), e.getMessage());
    assertEquals(before, target.emaParameters());
  }

  @Test
  void inParametersMustBeABoolean() throws IOException {
    Path file = editedJson(saved(Ema.builder().build()),
        json -> ((ObjectNode) json.get("ema")).put("inParameters", "yes"));
    IOException e = assertThrows(IOException.class, () -> Sequential.load(file));
    assertEquals(file + ": model.json field ema.inParameters must be true or false, got \"yes\"",
        e.getMessage());
  }
}
