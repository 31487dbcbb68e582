package io.github.callbacks4j.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.callbacks4j.ModelState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;

/** save/load and snapshot/restore give back exactly the model that was saved. */
class SaveLoadTest {
  private static final Digits DIGITS = Digits.load();

  private static Sequential trained(long seed) {
    Sequential model = Models.digits(seed);
    model.fit(DIGITS.x, DIGITS.y, FitOptions.builder().epochs(2).seed(seed).verbose(0).build());
    return model;
  }

  private static INDArray predict(Sequential model) {
    return model.predict(DIGITS.x, PredictOptions.builder().verbose(0).build());
  }

  @Test
  void saveAndLoadRoundTripsToIdenticalPredictionsAndTraining(@TempDir Path dir) throws IOException {
    Sequential model = trained(1);
    Path file = dir.resolve("model.c4j");
    model.save(file);
    Sequential loaded = Sequential.load(file);

    assertEquals(model.summary(), loaded.summary());
    assertEquals(model.parameters(), loaded.parameters());
    assertEquals(predict(model), predict(loaded));
    assertEquals(model.learningRate(), loaded.learningRate());

    // The optimizer state (Adam's moments, iteration) came along: training on continues identically.
    FitOptions more = FitOptions.builder().epochs(1).seed(9).verbose(0).build();
    model.fit(DIGITS.x, DIGITS.y, more);
    loaded.fit(DIGITS.x, DIGITS.y, more);
    assertEquals(model.parameters(), loaded.parameters());
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList()); // no temporary file left behind
    }
  }

  @Test
  void saveWeightsAndLoadWeights(@TempDir Path dir) throws IOException {
    Sequential model = trained(2);
    Path file = dir.resolve("weights.c4j");
    model.saveWeights(file);
    Sequential fresh = Models.digits(99);
    assertNotEquals(model.parameters(), fresh.parameters());
    fresh.loadWeights(file);
    assertEquals(predict(model), predict(fresh));
    // A whole-model file carries weights too.
    model.save(dir.resolve("model.c4j"));
    Sequential other = Models.digits(98);
    other.loadWeights(dir.resolve("model.c4j"));
    assertEquals(model.parameters(), other.parameters());
  }

  @Test
  void truncatedOrForeignFilesFailClearlyAndLeaveTheModelAlone(@TempDir Path dir) throws IOException {
    Sequential model = trained(3);
    Path file = dir.resolve("model.c4j");
    model.save(file);
    byte[] bytes = Files.readAllBytes(file);
    Path truncated = dir.resolve("truncated.c4j");
    Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
    Path foreign = dir.resolve("foreign.c4j");
    Files.writeString(foreign, "epoch,loss\n0,0.5\n");

    IOException e = assertThrows(IOException.class, () -> Sequential.load(truncated));
    assertTrue(e.getMessage().contains("is not a callbacks4j model or weights file, or it is"
        + " truncated"), e.getMessage());
    e = assertThrows(IOException.class, () -> Sequential.load(foreign));
    assertTrue(e.getMessage().startsWith(foreign.toString()), e.getMessage());

    INDArray before = model.parameters();
    assertThrows(IOException.class, () -> model.loadWeights(truncated));
    assertEquals(before, model.parameters());

    Path weightsOnly = dir.resolve("weights.c4j");
    model.saveWeights(weightsOnly);
    e = assertThrows(IOException.class, () -> Sequential.load(weightsOnly));
    assertTrue(e.getMessage().contains("is not a callbacks4j model file: it has no model.json"),
        e.getMessage());
  }

  @Test
  void weightsOfAnotherArchitectureAreRefused(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("w.c4j");
    trained(4).saveWeights(file);
    Sequential wider = new Sequential().seed(1)
        .add(new Dense(48).inputSize(64).activation(org.nd4j.linalg.activations.Activation.RELU))
        .add(new Dense(10).activation(org.nd4j.linalg.activations.Activation.SOFTMAX))
        .compile(org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction.MCXENT, new Adam(1e-3));
    IOException e = assertThrows(IOException.class, () -> wider.loadWeights(file));
    assertTrue(e.getMessage().contains("weights.json records another architecture: layer 0 is"
        + " Dense(64->32, RELU) in the file but Dense(64->48, RELU) in this model"),
        e.getMessage());
  }

  @Test
  void snapshotIsUnaffectedByTrainingAndRestoreBringsItBack() {
    Sequential model = trained(5);
    ModelState snapshot = model.snapshot();
    INDArray saved = model.parameters();
    FitOptions more = FitOptions.builder().epochs(1).seed(1).verbose(0).build();
    model.fit(DIGITS.x, DIGITS.y, more);
    INDArray afterMore = model.parameters();
    assertNotEquals(saved, afterMore);

    model.restore(snapshot);
    assertEquals(saved, model.parameters());
    model.fit(DIGITS.x, DIGITS.y, more); // optimizer state restored too: same step again
    assertEquals(afterMore, model.parameters());

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> trained(6).restore(snapshot));
    assertTrue(e.getMessage().startsWith("restore takes a ModelState from this model's snapshot()"));
  }
}
