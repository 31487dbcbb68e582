package io.github.callbacks4j.runtime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * The on-disk form of a {@link Sequential}: one ZIP file holding {@code model.json} (architecture,
 * loss, metrics, and the updater as ND4J's own Jackson form), {@code parameters.bin} and
 * {@code updater.bin} (ND4J's array format). A weights file holds {@code weights.json} and
 * {@code parameters.bin}. Every write is atomic; a read either returns everything or throws.
 */
final class ModelFile {
  static final String MODEL_FORMAT = "callbacks4j.Sequential";
  static final String WEIGHTS_FORMAT = "callbacks4j.weights";
  static final int VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelFile() {}

  /** What a model file holds. */
  record Contents(
      List<Dense> layers, LossFunction loss, IUpdater updater, List<String> metrics, long seed,
      int iteration, INDArray parameters, INDArray updaterState) {}

  static void writeModel(Path file, Contents model) throws IOException {
    ObjectNode json = JSON.createObjectNode()
        .put("format", MODEL_FORMAT)
        .put("version", VERSION)
        .put("loss", model.loss().name())
        .put("seed", model.seed())
        .put("iteration", model.iteration());
    ArrayNode layers = json.putArray("layers");
    for (Dense layer : model.layers()) {
      layers.addObject()
          .put("type", "Dense")
          .put("units", layer.units())
          .put("inputSize", layer.inputSize())
          .put("activation", layer.activation().name())
          .put("weightInit", layer.weightInit().name());
    }
    ArrayNode metrics = json.putArray("metrics");
    model.metrics().forEach(metrics::add);
    json.set("updater", JSON.valueToTree(model.updater()));
    AtomicFiles.write(file, out -> {
      try (ZipOutputStream zip = new ZipOutputStream(out)) {
        entry(zip, "model.json", JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
        entry(zip, "parameters.bin", toBytes(model.parameters()));
        if (model.updaterState() != null) {
          entry(zip, "updater.bin", toBytes(model.updaterState()));
        }
      }
    });
  }

  static void writeWeights(Path file, INDArray parameters) throws IOException {
    ObjectNode json = JSON.createObjectNode()
        .put("format", WEIGHTS_FORMAT)
        .put("version", VERSION)
        .put("parameters", parameters.length());
    AtomicFiles.write(file, out -> {
      try (ZipOutputStream zip = new ZipOutputStream(out)) {
        entry(zip, "weights.json", JSON.writeValueAsBytes(json));
        entry(zip, "parameters.bin", toBytes(parameters));
      }
    });
  }

  static Contents readModel(Path file) throws IOException {
    try (ZipFile zip = open(file)) {
      JsonNode json = readJson(zip, file, "model.json", MODEL_FORMAT);
      try {
        List<Dense> layers = new ArrayList<>();
        for (JsonNode layer : json.get("layers")) {
          layers.add(new Dense(layer.get("units").asInt())
              .inputSize(layer.get("inputSize").asInt())
              .activation(Activation.valueOf(layer.get("activation").asText()))
              .weightInit(WeightInit.valueOf(layer.get("weightInit").asText())));
        }
        List<String> metrics = new ArrayList<>();
        json.get("metrics").forEach(m -> metrics.add(m.asText()));
        IUpdater updater = JSON.treeToValue(json.get("updater"), IUpdater.class);
        ZipEntry state = zip.getEntry("updater.bin");
        return new Contents(layers, LossFunction.valueOf(json.get("loss").asText()), updater,
            metrics, json.get("seed").asLong(), json.get("iteration").asInt(),
            readArray(zip, file, "parameters.bin"),
            state == null ? null : readArray(zip, file, "updater.bin"));
      } catch (RuntimeException | IOException e) {
        throw new IOException(file + " has a damaged model.json: " + e.getMessage(), e);
      }
    }
  }

  static INDArray readWeights(Path file) throws IOException {
    try (ZipFile zip = open(file)) {
      ZipEntry weights = zip.getEntry("weights.json");
      if (weights == null && zip.getEntry("model.json") != null) {
        readJson(zip, file, "model.json", MODEL_FORMAT); // a whole-model file holds weights too
      } else {
        readJson(zip, file, "weights.json", WEIGHTS_FORMAT);
      }
      return readArray(zip, file, "parameters.bin");
    }
  }

  private static ZipFile open(Path file) throws IOException {
    try {
      return new ZipFile(file.toFile());
    } catch (ZipException e) {
      throw new IOException(file + " is not a callbacks4j model or weights file, or it is"
          + " truncated (" + e.getMessage() + ")", e);
    }
  }

  private static JsonNode readJson(ZipFile zip, Path file, String name, String format)
      throws IOException {
    ZipEntry entry = zip.getEntry(name);
    if (entry == null) {
      throw new IOException(file + " is not a callbacks4j " + describe(format) + " file: it has"
          + " no " + name);
    }
    JsonNode json;
    try (InputStream in = zip.getInputStream(entry)) {
      json = JSON.readTree(in);
    }
    if (!format.equals(json.path("format").asText())) {
      throw new IOException(file + " is not a callbacks4j " + describe(format) + " file: format is '"
          + json.path("format").asText() + "'");
    }
    if (json.path("version").asInt() > VERSION) {
      throw new IOException(file + " was written by a newer callbacks4j (format version "
          + json.path("version").asInt() + "; this one reads up to " + VERSION + ")");
    }
    return json;
  }

  private static String describe(String format) {
    return format.equals(MODEL_FORMAT) ? "model" : "weights";
  }

  private static INDArray readArray(ZipFile zip, Path file, String name) throws IOException {
    ZipEntry entry = zip.getEntry(name);
    if (entry == null) {
      throw new IOException(file + " is damaged: it has no " + name);
    }
    byte[] bytes;
    try (InputStream in = zip.getInputStream(entry)) {
      bytes = in.readAllBytes();
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      return Nd4j.read(in);
    } catch (RuntimeException | IOException e) {
      throw new IOException(file + " is damaged: cannot read " + name + " (" + e + ")", e);
    }
  }

  private static byte[] toBytes(INDArray array) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      Nd4j.write(array, out);
    }
    return bytes.toByteArray();
  }

  private static void entry(ZipOutputStream zip, String name, byte[] content) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(content);
    zip.closeEntry();
  }
}
