package io.github.callbacks4j.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.callbacks4j.callbacks.BackupAndRestore;
import io.github.callbacks4j.callbacks.CSVLogger;
import io.github.callbacks4j.callbacks.EarlyStopping;
import io.github.callbacks4j.callbacks.History;
import io.github.callbacks4j.callbacks.ModelCheckpoint;
import io.github.callbacks4j.callbacks.StandardError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * A backup folder is untrusted: each hostile state file fails with an IOException naming the state
 * file and the field, reads nothing outside the folder, and, under doubleCheckpoint, falls back to
 * the previous generation. Three epochs of 4 batches leave generations 2 (end of epoch 1) and 3.
 */
class HostileBackupTest {
  private static final Digits DIGITS = Digits.load().head(200);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private Path backupDir;
  private Path outside;

  /** The stateful callbacks a run keeps, then the backup; fresh objects, as in a new process. */
  private List<Object> callbacks(boolean doubleCheckpoint) {
    return List.of(
        EarlyStopping.builder().monitor("loss").patience(50).restoreBestWeights(true).build(),
        ModelCheckpoint.builder(dir.resolve("ckpt-{epoch}.c4j").toString()).monitor("loss")
            .saveTopK(2).build(),
        CSVLogger.builder(dir.resolve("log.csv")).build(),
        BackupAndRestore.builder(backupDir).doubleCheckpoint(doubleCheckpoint)
            .deleteCheckpoint(false).build());
  }

  /** ModelCheckpoint's key in a backup: its class and file template. */
  private String checkpointKey() {
    return "ModelCheckpoint(" + dir.resolve("ckpt-{epoch}.c4j") + ")";
  }

  private static FitOptions options(int epochs, List<Object> callbacks) {
    return FitOptions.builder().epochs(epochs).batchSize(50).seed(1).verbose(0)
        .callbacks(callbacks.toArray()).build();
  }

  @BeforeEach
  void backUpThreeEpochs() throws IOException {
    backupDir = dir.resolve("backup");
    Models.digits(3).fit(DIGITS.x, DIGITS.y, options(3, callbacks(true)));
    outside = dir.resolve("outside.c4j");
    Models.digits(77).save(outside); // loadable into the model, if anything let it through
  }

  private History resume(Sequential model, boolean doubleCheckpoint) {
    return model.fit(DIGITS.x, DIGITS.y, options(5, callbacks(doubleCheckpoint)));
  }

  /** Resumes without a previous generation to fall back to; returns why it failed. */
  private String failedResume(boolean doubleCheckpoint) {
    return failedResume(doubleCheckpoint, true);
  }

  private String failedResume(boolean doubleCheckpoint, boolean refusedBeforeTheModel) {
    Sequential model = Models.digits(3);
    UncheckedIOException e = assertThrows(UncheckedIOException.class,
        () -> resume(model, doubleCheckpoint));
    if (refusedBeforeTheModel) {
      assertEquals(Models.digits(3).parameters(), model.parameters(), "nothing was loaded");
    }
    return e.getCause().getMessage();
  }

  /** Edits a state file as an attacker would: resealed with a matching checksum. */
  private void editState(long generation, Consumer<ObjectNode> edit) throws IOException {
    Path file = backupDir.resolve("state-" + generation + ".json");
    ObjectNode state = (ObjectNode) JSON.readTree(file.toFile());
    edit.accept(state);
    Files.write(file, JSON.writeValueAsBytes(seal(state)));
  }

  /** The state file's stateSha256: the SHA-256 of its compact JSON without that field. */
  static ObjectNode seal(ObjectNode state) throws IOException {
    state.remove("stateSha256");
    try {
      return state.put("stateSha256", HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(JSON.writeValueAsBytes(state))));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private static String sha256(Path file) throws IOException {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private String refusal(String field, String value) {
    return "cannot resume from " + backupDir + ": " + backupDir.resolve("state-3.json")
        + " field " + field + " " + value;
  }

  private static final String NO_FALLBACK =
      "; doubleCheckpoint(true) keeps a previous backup to fall back to";

  @Test
  void aModelFileOutsideTheFolderIsRefusedEvenWithItsChecksum() throws IOException {
    String sha = sha256(outside);
    editState(3, state -> ((ObjectNode) state.get("model"))
        .put("file", "../outside.c4j").put("sha256", sha));

    assertEquals(refusal("model.file", "must be a plain file name in " + backupDir
        + ", got \"../outside.c4j\"") + NO_FALLBACK, failedResume(false));
    // With a previous generation, the run goes on from it: epoch 2 (generation 2 ended epoch 1).
    assertEquals(List.of(2, 3, 4), resume(Models.digits(3), true).epoch());
  }

  @Test
  void anAbsoluteModelPathIsRefused() throws IOException {
    String sha = sha256(outside);
    editState(3, state -> ((ObjectNode) state.get("model"))
        .put("file", outside.toString()).put("sha256", sha));
    assertEquals(refusal("model.file", "must be a plain file name in " + backupDir + ", got \""
        + outside + "\"") + NO_FALLBACK, failedResume(false));
  }

  @Test
  void aSnapshotFileOutsideTheFolderIsRefused() throws IOException {
    String sha = sha256(outside);
    editState(3, state -> ((ObjectNode) state.get("callbacks").get("EarlyStopping(loss)")
        .get("snapshots").get("bestWeights")).put("file", "..").put("sha256", sha));
    assertEquals(refusal("callbacks.EarlyStopping(loss).snapshots.bestWeights.file",
        "must be a plain file name in " + backupDir + ", got \"..\"") + NO_FALLBACK,
        failedResume(false));
  }

  @Test
  void aLinkInTheFolderToAFileOutsideIsRefused() throws IOException {
    Path model = backupDir.resolve("model-3.c4j");
    Files.delete(model);
    Files.createSymbolicLink(model, outside);
    String sha = sha256(outside);
    editState(3, state -> ((ObjectNode) state.get("model")).put("sha256", sha));
    assertEquals("cannot resume from " + backupDir + ": " + model + " is missing: it is not a"
        + " regular file" + NO_FALLBACK, failedResume(false));
  }

  @Test
  void aMissingFieldIsAnIoExceptionAndFallsBackToThePreviousGenerationWithOneWarning()
      throws IOException {
    editState(3, state -> state.remove("epoch"));
    assertEquals("cannot resume from " + backupDir + ": " + backupDir.resolve("state-3.json")
        + " has no epoch" + NO_FALLBACK, failedResume(false));

    String log = StandardError.of(
        () -> assertEquals(List.of(2, 3, 4), resume(Models.digits(3), true).epoch()));
    List<String> warnings = log.lines()
        .filter(line -> line.contains(" WARN ")).toList();
    assertEquals(List.of("[main] WARN io.github.callbacks4j.callbacks.BackupAndRestore - Backup 3"
        + " in " + backupDir + " cannot be restored (" + backupDir.resolve("state-3.json")
        + " has no epoch); trying the previous one"), warnings);
  }

  @Test
  void aStateFileEditedWithoutItsChecksumIsDamagedAndFallsBack() throws IOException {
    Path file = backupDir.resolve("state-3.json");
    Files.writeString(file, Files.readString(file).replace("\"epoch\" : 3", "\"epoch\" : 4"));
    assertEquals("cannot resume from " + backupDir + ": " + file + " is damaged: its stateSha256"
        + " does not match its content" + NO_FALLBACK, failedResume(false));
    assertEquals(List.of(2, 3, 4), resume(Models.digits(3), true).epoch());
  }

  @Test
  void aPositionBeyondTheEpochIsRefused() throws IOException {
    editState(3, state -> state.put("batchesDone", 99));
    assertEquals(refusal("batchesDone", "must be a whole number from 0 to 4, got 99")
        + NO_FALLBACK, failedResume(false));
  }

  @Test
  void aGenerationOtherThanTheFileNameIsRefused() throws IOException {
    editState(3, state -> state.put("generation", 7));
    assertEquals(refusal("generation", "must be 3, as in the file name, got 7") + NO_FALLBACK,
        failedResume(false));
  }

  @Test
  void aStateFileOver16MegabytesIsRefusedUnread() throws IOException {
    Path state = backupDir.resolve("state-3.json");
    Files.write(state, new byte[17 << 20]);
    assertEquals("cannot resume from " + backupDir + ": " + state + " is larger than the 16777216"
        + " bytes a backup's state file can be" + NO_FALLBACK, failedResume(false));
  }

  @Test
  void checkpointsToKeepOutsideTheTemplateAreRefusedAndNotDeleted() throws IOException {
    Path victim = Files.writeString(dir.resolve("victim.c4j"), "not a checkpoint");
    // A row written after the last backup: a resume would cut it, a failed one must not.
    byte[] log = Files.readAllBytes(Files.writeString(dir.resolve("log.csv"), "3,0.5\r\n",
        StandardOpenOption.APPEND));
    editState(3, state -> ((ObjectNode) state.get("callbacks").get(checkpointKey())
        .get("state").get("kept").get(0)).put("path", dir.resolve("../victim.c4j").toString()));
    assertEquals(refusal("callbacks." + checkpointKey() + ".state", "does not fit ModelCheckpoint"
        + " (kept.0.path " + dir.resolve("../victim.c4j") + " is not a file the template '"
        + dir.resolve("ckpt-{epoch}.c4j") + "' names)") + NO_FALLBACK, failedResume(false, false));
    // Whatever order the callbacks' state was restored in, the CSV log was not cut.
    assertArrayEquals(log, Files.readAllBytes(dir.resolve("log.csv")));
    resume(Models.digits(3), true);
    assertTrue(Files.exists(victim));
  }

  @Test
  void anotherArchitectureFailsBeforeAnyCallbackStateOrFileIsTouched() throws IOException {
    Path log = Files.writeString(dir.resolve("log.csv"), "3,0.5\r\n",
        StandardOpenOption.APPEND); // a row a resume would cut
    byte[] logBefore = Files.readAllBytes(log);
    Sequential tanh = new Sequential().seed(3)
        .add(new Dense(32).inputSize(64).activation(Activation.TANH))
        .add(new Dense(10).activation(Activation.SOFTMAX))
        .compile(LossFunction.MCXENT, new Adam(1e-2), "accuracy");
    List<Object> callbacks = callbacks(true);
    EarlyStopping earlyStopping = (EarlyStopping) callbacks.get(0);

    UncheckedIOException e = assertThrows(UncheckedIOException.class,
        () -> tanh.fit(DIGITS.x, DIGITS.y, options(5, callbacks)));
    assertTrue(e.getCause().getMessage().startsWith("cannot resume from " + backupDir + ": "
        + backupDir.resolve("model-3.c4j") + ": model.json records another architecture: layer 0"
        + " is Dense(64->32, RELU) in the file but Dense(64->32, TANH) in this model"),
        e.getMessage());
    assertArrayEquals(logBefore, Files.readAllBytes(log), "the CSV log was not cut");
    assertNull(earlyStopping.best(), "EarlyStopping's state was not restored");
  }

  @Test
  void aModelFileOfAnotherArchitectureWithAMatchingChecksumFallsBack() throws IOException {
    Path model = backupDir.resolve("model-3.c4j");
    new Sequential().seed(3)
        .add(new Dense(32).inputSize(64).activation(Activation.TANH))
        .add(new Dense(10).activation(Activation.SOFTMAX))
        .compile(LossFunction.MCXENT, new Adam(1e-2), "accuracy").save(model);
    String sha = sha256(model);
    editState(3, state -> ((ObjectNode) state.get("model")).put("sha256", sha));
    assertEquals(List.of(2, 3, 4), resume(Models.digits(3), true).epoch());
  }
}
