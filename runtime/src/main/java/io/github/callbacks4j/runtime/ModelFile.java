package io.github.callbacks4j.runtime;

import io.github.callbacks4j.state.AtomicFiles;
import io.github.callbacks4j.state.JsonFields;
import io.github.callbacks4j.state.UntrustedJson;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
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
 *
 * <p>Every file read is untrusted: each required field is checked, each array entry's size is
 * checked against what the JSON implies before it is inflated, and any violation is an
 * {@link IOException} naming the file and the entry.
 */
final class ModelFile {
  static final String MODEL_FORMAT = "callbacks4j.Sequential";
  static final String WEIGHTS_FORMAT = "callbacks4j.weights";
  static final int VERSION = 2;
  /** model.json and weights.json take a few hundred bytes a layer: a larger one is not ours. */
  static final long MAX_JSON_BYTES = 1 << 20;
  private static final String PARAMETERS = "parameters.bin";
  private static final String UPDATER_STATE = "updater.bin";
  private static final String EMA = "ema.bin";
  private static final Pattern UPDATER_CLASS = Pattern.compile(
      "org\\.nd4j\\.linalg\\.(learning\\.config|schedule)\\.[A-Za-z0-9_]+");
  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelFile() {}

  /**
   * What a model file holds. {@code ema} is null without a moving average; {@code emaBuffer} is
   * the average, or the training weights when {@code emaInParameters}.
   */
  record Contents(
      List<Dense> layers, LossFunction loss, IUpdater updater, List<String> metrics, long seed,
      int iteration, INDArray parameters, INDArray updaterState, Ema ema, INDArray emaBuffer,
      boolean emaInParameters) {}

  static void writeModel(Path file, Contents model) throws IOException {
    ObjectNode json = JSON.createObjectNode()
        .put("format", MODEL_FORMAT)
        .put("version", model.ema() == null ? 1 : VERSION)
        .put("loss", model.loss().name())
        .put("seed", model.seed())
        .put("iteration", model.iteration());
    writeLayers(json, model.layers());
    ArrayNode metrics = json.putArray("metrics");
    model.metrics().forEach(metrics::add);
    json.set("updater", JSON.valueToTree(model.updater()));
    if (model.ema() != null) {
      json.putObject("ema")
          .put("momentum", model.ema().momentum())
          .put("overwriteFrequency", model.ema().overwriteFrequency().orElse(0))
          .put("inParameters", model.emaInParameters());
    }
    AtomicFiles.write(file, out -> {
      try (ZipOutputStream zip = new ZipOutputStream(out)) {
        entry(zip, "model.json", JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
        entry(zip, PARAMETERS, toBytes(model.parameters()));
        if (model.updaterState() != null) {
          entry(zip, UPDATER_STATE, toBytes(model.updaterState()));
        }
        if (model.ema() != null) {
          entry(zip, EMA, toBytes(model.emaBuffer()));
        }
      }
    });
  }

  /** Writes the weights with the layers they belong to, so that loading can check them. */
  static void writeWeights(Path file, List<Dense> layers, INDArray parameters) throws IOException {
    ObjectNode json = JSON.createObjectNode()
        .put("format", WEIGHTS_FORMAT)
        .put("version", VERSION)
        .put("parameters", parameters.length());
    writeLayers(json, layers);
    AtomicFiles.write(file, out -> {
      try (ZipOutputStream zip = new ZipOutputStream(out)) {
        entry(zip, "weights.json", JSON.writeValueAsBytes(json));
        entry(zip, PARAMETERS, toBytes(parameters));
      }
    });
  }

  private static void writeLayers(ObjectNode json, List<Dense> layers) {
    ArrayNode array = json.putArray("layers");
    for (Dense layer : layers) {
      array.addObject()
          .put("type", "Dense")
          .put("units", layer.units())
          .put("inputSize", layer.inputSize())
          .put("activation", layer.activation().name())
          .put("weightInit", layer.weightInit().name());
    }
  }

  /** Reads a whole model file, for a new model. */
  static Contents readModel(Path file) throws IOException {
    return readModel(file, null);
  }

  /**
   * Reads a whole model file for a model with {@code modelLayers} (null for a new model): the
   * architecture is compared before any array is read.
   */
  static Contents readModel(Path file, List<Dense> modelLayers) throws IOException {
    try (ZipFile zip = open(file)) {
      JsonNode json = readJson(zip, file, "model.json", MODEL_FORMAT);
      JsonFields fields = new JsonFields(file, "model.json");
      List<Dense> layers = layers(fields, json);
      if (modelLayers != null) {
        compareLayers(file, "model.json", layers, modelLayers);
      }
      LossFunction loss = fields.enumValue(json, "loss", LossFunction.class);
      List<String> metrics = new ArrayList<>();
      JsonNode metricNames = fields.array(json, "metrics");
      for (int i = 0; i < metricNames.size(); i++) {
        metrics.add(fields.text(metricNames, "metrics." + i));
      }
      long seed = fields.longValue(json, "seed");
      int iteration = fields.intValue(json, "iteration", 0);
      IUpdater updater = updater(file, fields, json);
      long count = parameterCount(fields, json, layers);
      long stateSize;
      try {
        stateSize = updater.stateSize(count);
      } catch (RuntimeException e) {
        throw new IOException(file + ": model.json's updater cannot size its state (" + e + ")", e);
      }
      INDArray parameters = readArray(zip, file, PARAMETERS, count, "model.json's layers");
      INDArray state = null;
      String updaterName = updater.getClass().getSimpleName();
      if (stateSize > 0) {
        state = readArray(zip, file, UPDATER_STATE, stateSize,
            "model.json's updater (" + updaterName + ") and layers");
      } else if (zip.getEntry(UPDATER_STATE) != null) {
        throw new IOException(file + ": " + UPDATER_STATE + " is present, but model.json's updater "
            + updaterName + " keeps no state");
      }
      Ema ema = null;
      INDArray emaBuffer = null;
      boolean emaInParameters = false;
      if (json.has("ema")) {
        JsonNode emaJson = fields.object(json, "ema");
        double momentum = fields.doubleValue(emaJson, "ema.momentum");
        int overwriteFrequency = fields.intValue(emaJson, "ema.overwriteFrequency", 0);
        try {
          ema = Ema.of(momentum, overwriteFrequency);
        } catch (IllegalArgumentException e) {
          throw new IOException(file + ": model.json field ema is not valid (" + e.getMessage()
              + ")", e);
        }
        JsonNode inParameters = fields.field(emaJson, "ema.inParameters");
        if (!inParameters.isBoolean()) {
          throw fields.invalid("ema.inParameters", "must be true or false", inParameters);
        }
        emaInParameters = inParameters.asBoolean();
        emaBuffer = readArray(zip, file, EMA, count, "model.json's layers");
      } else if (zip.getEntry(EMA) != null) {
        throw new IOException(file + ": " + EMA + " is present, but model.json has no ema field");
      }
      return new Contents(layers, loss, updater, metrics, seed, iteration, parameters, state, ema,
          emaBuffer, emaInParameters);
    }
  }

  /**
   * Reads the weights of a weights file or a whole model file for a model with
   * {@code modelLayers}; the architecture is compared before the weights are read.
   */
  static INDArray readWeights(Path file, List<Dense> modelLayers) throws IOException {
    try (ZipFile zip = open(file)) {
      boolean wholeModel =
          zip.getEntry("weights.json") == null && zip.getEntry("model.json") != null;
      String entry = wholeModel ? "model.json" : "weights.json";
      JsonNode json = readJson(zip, file, entry, wholeModel ? MODEL_FORMAT : WEIGHTS_FORMAT);
      JsonFields fields = new JsonFields(file, entry);
      List<Dense> layers = layers(fields, json);
      compareLayers(file, entry, layers, modelLayers);
      long count = parameterCount(fields, json, layers);
      if (!wholeModel && fields.longValue(json, "parameters") != count) {
        throw fields.invalid("parameters", "must be the " + count + " parameters of its layers",
            json.get("parameters"));
      }
      return readArray(zip, file, PARAMETERS, count, entry + "'s layers");
    }
  }

  private static List<Dense> layers(JsonFields fields, JsonNode json) throws IOException {
    JsonNode array = fields.array(json, "layers");
    if (array.isEmpty()) {
      throw fields.invalid("layers", "must list at least one layer", array);
    }
    List<Dense> layers = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      String at = "layers." + i;
      JsonNode layer = fields.object(array, at);
      String type = fields.text(layer, at + ".type");
      if (!type.equals("Dense")) {
        throw fields.invalid(at + ".type", "must be \"Dense\"", layer.get("type"));
      }
      int inputSize = fields.intValue(layer, at + ".inputSize", 1);
      if (i > 0 && inputSize != layers.get(i - 1).units()) {
        throw fields.invalid(at + ".inputSize", "must be the " + layers.get(i - 1).units()
            + " units of the layer before it", layer.get("inputSize"));
      }
      layers.add(new Dense(fields.intValue(layer, at + ".units", 1))
          .inputSize(inputSize)
          .activation(fields.enumValue(layer, at + ".activation", Activation.class))
          .weightInit(fields.enumValue(layer, at + ".weightInit", WeightInit.class)));
    }
    return layers;
  }

  private static long parameterCount(JsonFields fields, JsonNode json, List<Dense> layers)
      throws IOException {
    try {
      long count = 0;
      for (Dense layer : layers) {
        count = Math.addExact(count, layer.parameterCount());
      }
      RowVectorFormat.bytes(count);
      return count;
    } catch (ArithmeticException e) {
      throw fields.invalid("layers", "must describe fewer than 2^61 parameters",
          json.get("layers"));
    }
  }

  /** Says which layer differs, so that weights never go into a model they were not made for. */
  private static void compareLayers(Path file, String entry, List<Dense> saved, List<Dense> model)
      throws IOException {
    for (int i = 0; i < Math.max(saved.size(), model.size()); i++) {
      String inFile = i < saved.size() ? describe(saved.get(i)) : "no layer";
      String inModel = i < model.size() ? describe(model.get(i)) : "no layer";
      if (!inFile.equals(inModel)) {
        throw new IOException(file + ": " + entry + " records another architecture: layer " + i
            + " is " + inFile + " in the file but " + inModel + " in this model (file: "
            + summary(saved) + "; model: " + summary(model) + ")");
      }
    }
  }

  /** {@code Dense(64->32, RELU)}. */
  static String describe(Dense layer) {
    return "Dense(" + layer.inputSize() + "->" + layer.units() + ", " + layer.activation() + ")";
  }

  /** {@code Dense(64->32, RELU) -> Dense(32->10, SOFTMAX)}. */
  static String summary(List<Dense> layers) {
    return layers.stream().map(ModelFile::describe).collect(Collectors.joining(" -> "));
  }

  /**
   * ND4J's updater configuration, read by Jackson only once every class it names is one of ND4J's
   * updater or schedule configurations (Jackson loads the class a JSON names).
   */
  private static IUpdater updater(Path file, JsonFields fields, JsonNode json) throws IOException {
    JsonNode updater = fields.object(json, "updater");
    Deque<JsonNode> pending = new ArrayDeque<>(List.of(updater));
    while (!pending.isEmpty()) {
      JsonNode node = pending.pop();
      JsonNode type = node.get("@class");
      if (type != null && !(type.isTextual() && UPDATER_CLASS.matcher(type.asText()).matches())) {
        throw fields.invalid("updater", "may name only ND4J updater and schedule classes", type);
      }
      node.elements().forEachRemaining(pending::push);
    }
    try {
      return JSON.treeToValue(updater, IUpdater.class);
    } catch (IOException | RuntimeException e) {
      throw new IOException(file + ": model.json field updater is not an ND4J updater ("
          + e.getMessage() + ")", e);
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
    if (entry.getSize() < 0 || entry.getSize() > MAX_JSON_BYTES) {
      throw new IOException(file + ": " + name + " records a size of " + entry.getSize()
          + " bytes; a " + describe(format) + " file's is 0 to " + MAX_JSON_BYTES);
    }
    byte[] bytes;
    try (InputStream in = ZipEntryStream.open(zip, entry, file)) {
      bytes = in.readAllBytes();
    } catch (IOException e) {
      if (e.getMessage() != null && e.getMessage().startsWith(file + ": " + name)) {
        throw e;
      }
      throw new IOException(file + ": " + name + " is damaged (" + e + ")", e);
    }
    JsonNode json = UntrustedJson.parseObject(bytes, file + ": " + name);
    if (!format.equals(json.path("format").asText())) {
      throw new IOException(file + " is not a callbacks4j " + describe(format)
          + " file: format is '" + json.path("format").asText() + "'");
    }
    int version = new JsonFields(file, name).intValue(json, "version", 1);
    if (version > VERSION) {
      throw new IOException(file + " was written by a newer callbacks4j (format version "
          + version + "; this one reads up to " + VERSION + ")");
    }
    return json;
  }

  private static String describe(String format) {
    return format.equals(MODEL_FORMAT) ? "model" : "weights";
  }

  /**
   * Reads a {@code [1, length]} float array; its entry's size is checked against what
   * {@code source} implies before a byte is inflated.
   */
  private static INDArray readArray(ZipFile zip, Path file, String name, long length,
      String source) throws IOException {
    ZipEntry entry = zip.getEntry(name);
    if (entry == null) {
      throw new IOException(file + " is damaged: it has no " + name);
    }
    long expected;
    try {
      expected = RowVectorFormat.bytes(length);
    } catch (ArithmeticException e) {
      throw new IOException(file + ": " + source + " imply " + length + " values in " + name
          + ", more than a file can hold", e);
    }
    if (entry.getSize() != expected) {
      throw new IOException(file + ": " + name + " is " + entry.getSize() + " bytes, but "
          + source + " imply " + length + " values, " + expected + " bytes");
    }
    try (InputStream in = ZipEntryStream.open(zip, entry, file)) {
      return RowVectorFormat.read(in, length, file + ": " + name);
    } catch (IOException e) {
      if (e.getMessage() != null && e.getMessage().startsWith(file + ": " + name)) {
        throw e;
      }
      throw new IOException(file + ": " + name + " is damaged (" + e + ")", e);
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
