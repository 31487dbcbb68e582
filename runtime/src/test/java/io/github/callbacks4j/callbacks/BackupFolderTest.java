package io.github.callbacks4j.callbacks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.callbacks4j.state.AtomicFiles;
import io.github.callbacks4j.state.Resumable.ResumePoint;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * The backup format on plain files, with fake model bytes: what a generation holds, how each kind
 * of damage or hostile edit is refused (an IOException naming the state file and the field), and
 * how callbacks' state records are read strictly.
 */
class BackupFolderTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** A key holding dots and separators, as the built-ins' file-named keys do. */
  private static final String KEY = "Counter(/tmp/log.csv)";
  private static final String OTHER = "Other";

  /** A callback's state, with the kinds of component the built-ins use. */
  record Counter(int count, Double best, List<String> names, boolean done, long nanos) {
    Counter {
      if (count < 0) {
        throw new IllegalArgumentException("count must be >= 0, got " + count);
      }
    }
  }

  record Other(double rate) {}

  @TempDir Path root;
  private Path dir;
  private BackupFolder folder;

  @BeforeEach
  void folder() {
    dir = root.resolve("backup");
    folder = new BackupFolder(dir);
  }

  private static final Map<String, Class<? extends Record>> TYPES =
      Map.of(KEY, Counter.class, OTHER, Other.class);

  private static byte[] model(long generation) {
    return ("model of generation " + generation).getBytes(StandardCharsets.UTF_8);
  }

  /** Generation {@code generation} at batch 2 of epoch 1, with a snapshot for {@link #KEY}. */
  private void write(long generation) throws IOException {
    folder.write(generation, new ResumePoint(1, 2, -7L, 64, new double[] {0.5, Double.NaN}),
        file -> Files.write(file, model(generation)),
        new TreeMap<>(Map.of(KEY, new BackupFolder.CallbackState(
                new Counter(3, Double.NEGATIVE_INFINITY, List.of("loss", "val_loss"), true, 9L),
                Map.of("best.weights", file -> Files.writeString(file, "best"))),
            OTHER, new BackupFolder.CallbackState(new Other(0.25), Map.of()))));
  }

  private BackupFolder.Generation read(long generation) throws IOException {
    return folder.read(generation, TYPES, 4, 2);
  }

  private String refusal(long generation) {
    return assertThrows(IOException.class, () -> read(generation)).getMessage();
  }

  private Path state(long generation) {
    return dir.resolve("state-" + generation + ".json");
  }

  /** Edits a state file as an attacker would: resealed with a matching checksum. */
  private void edit(long generation, Consumer<ObjectNode> edit) throws IOException {
    ObjectNode state = (ObjectNode) JSON.readTree(state(generation).toFile());
    edit.accept(state);
    state.remove("stateSha256");
    try {
      state.put("stateSha256", HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(JSON.writeValueAsBytes(state))));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
    Files.write(state(generation), JSON.writeValueAsBytes(state));
  }

  private void editCounter(Consumer<ObjectNode> edit) throws IOException {
    edit(1, state -> edit.accept((ObjectNode) state.get("callbacks").get(KEY).get("state")));
  }

  private List<String> names() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aGenerationReadsBackAsWritten() throws IOException {
    write(1);
    assertEquals(List.of("model-1.c4j", "snapshot-1-0-0.c4j", "state-1.json"), names());

    BackupFolder.Generation read = read(1);
    assertEquals(state(1), read.stateFile());
    assertEquals(1, read.position().epoch());
    assertEquals(2, read.position().batchesDone());
    assertEquals(-7L, read.position().shuffleSeed());
    assertEquals(64, read.position().samples());
    assertArrayEquals(new double[] {0.5, Double.NaN}, read.position().sums());
    assertArrayEquals(model(1), Files.readAllBytes(read.model()));
    assertEquals(new Counter(3, Double.NEGATIVE_INFINITY, List.of("loss", "val_loss"), true, 9L),
        read.callbacks().get(KEY).state());
    assertEquals(new Other(0.25), read.callbacks().get(OTHER).state());
    Path best = read.callbacks().get(KEY).snapshots().get("best.weights");
    assertEquals("best", Files.readString(best));
    assertEquals(Map.of(), read.callbacks().get(OTHER).snapshots());
  }

  /** A snapshot's key is the callback's word, not a file name: "../x" stays inside the folder. */
  @Test
  void snapshotKeysNeverBecomePaths() throws IOException {
    folder.write(1, new ResumePoint(1, 0, 0, 0, null), file -> Files.write(file, model(1)),
        new TreeMap<>(Map.of(OTHER, new BackupFolder.CallbackState(new Other(0.5),
            Map.of("../escaped", file -> Files.writeString(file, "best"))))));
    assertEquals(List.of("model-1.c4j", "snapshot-1-0-0.c4j", "state-1.json"), names());
    assertFalse(Files.exists(dir.resolveSibling("escaped")));
    Path best = folder.read(1, Map.of(OTHER, Other.class), 4, 2).callbacks().get(OTHER)
        .snapshots().get("../escaped");
    assertEquals("best", Files.readString(best));
  }

  @Test
  void theStateIsTypedJsonAndAnEpochEndKeepsNoSums() throws IOException {
    folder.write(1, new ResumePoint(2, 0, 5, 0, null), file -> Files.write(file, model(1)),
        Map.of(KEY, new BackupFolder.CallbackState(
            new Counter(0, null, null, false, 0), Map.of())));
    ObjectNode state = (ObjectNode) JSON.readTree(state(1).toFile());
    assertEquals(JSON.readTree("{\"count\":0,\"best\":null,\"names\":null,\"done\":false,"
        + "\"nanos\":0}"), state.get("callbacks").get(KEY).get("state"));
    assertEquals(3, state.get("version").asInt());
    assertFalse(state.has("sums"));
    BackupFolder.Generation read = folder.read(1, Map.of(KEY, Counter.class), 0, 2);
    assertNull(read.position().sums());
    assertEquals(new Counter(0, null, null, false, 0), read.callbacks().get(KEY).state());
  }

  @Test
  void generationsAreTheCompleteOnesNewestFirst() throws IOException {
    assertEquals(List.of(), folder.generations(), "no folder yet");
    write(1);
    write(2);
    write(10);
    // A crash between the model files and the state file leaves an incomplete generation.
    folder.beforeStateWritten(() -> {
      throw new IllegalStateException("killed");
    });
    assertThrows(IllegalStateException.class, () -> write(11));
    assertTrue(Files.exists(dir.resolve("model-11.c4j")));
    assertEquals(List.of(10L, 2L, 1L), folder.generations());
  }

  @Test
  void olderGenerationsAndLeftoversAreDeletedAndOnlyTheFormatsFilesAtTheEnd() throws IOException {
    write(1);
    write(2);
    Files.writeString(dir.resolve(".state-3.json123.tmp"), "half written");
    Files.writeString(dir.resolve("notes.txt"), "the user's");
    folder.deleteGenerationsBefore(2);
    assertEquals(List.of("model-2.c4j", "notes.txt", "snapshot-2-0-0.c4j",
        "state-2.json"), names());

    folder.deleteAll();
    assertEquals(List.of("notes.txt"), names(), "a file not of the format is kept, and its folder");
    Files.delete(dir.resolve("notes.txt"));
    write(3);
    folder.deleteAll();
    assertFalse(Files.exists(dir));
  }

  @Test
  void anOlderFormatVersionIsRefusedWithWhatToDo() throws IOException {
    write(1);
    edit(1, state -> state.put("version", 2));
    assertEquals(state(1) + " is in backup format version 2, and this callbacks4j reads version 3"
        + " only: delete " + dir + " to start over, or resume with the callbacks4j that wrote it",
        refusal(1));
  }

  @Test
  void aStateFileEditedWithoutItsChecksumIsDamaged() throws IOException {
    write(1);
    Files.writeString(state(1), Files.readString(state(1)).replace("\"epoch\" : 1",
        "\"epoch\" : 2"));
    assertEquals(state(1) + " is damaged: its stateSha256 does not match its content",
        refusal(1));
  }

  @Test
  void anotherFormatAnOversizedFileAndDeepNestingAreRefused() throws IOException {
    write(1);
    edit(1, state -> state.put("format", "keras"));
    assertEquals(state(1) + " is not a callbacks4j backup: its format is 'keras'", refusal(1));

    Files.write(state(1), new byte[(16 << 20) + 1]);
    assertEquals(state(1) + " is larger than the 16777216 bytes a backup's state file can be",
        refusal(1));

    Files.writeString(state(1), "[".repeat(100) + "]".repeat(100));
    assertEquals(state(1) + " nests deeper than 64 levels", refusal(1));
  }

  @Test
  void theLoopsPositionIsChecked() throws IOException {
    write(1);
    edit(1, state -> state.put("batchesDone", 5));
    assertEquals(state(1) + " field batchesDone must be a whole number from 0 to 4, got 5",
        refusal(1));
    edit(1, state -> state.put("batchesDone", 2).put("generation", 2));
    assertEquals(state(1) + " field generation must be 1, as in the file name, got 2",
        refusal(1));
    edit(1, state -> state.put("generation", 1).putArray("sums").add(1.0));
    assertEquals(state(1) + " field sums must list 2 numbers (the loss and each metric of this"
        + " fit), got [1.0]", refusal(1));
    edit(1, state -> state.putArray("sums").add(1.0).add("nan"));
    assertEquals(state(1) + " field sums.1 must be a number, got \"nan\"", refusal(1));
    edit(1, state -> state.remove("samples"));
    assertEquals(state(1) + " has no samples", refusal(1));
  }

  @Test
  void namedFilesMustBePlainNamesOfRegularFilesWithTheirChecksum() throws IOException {
    write(1);
    Path outside = Files.write(root.resolve("outside.c4j"), model(1));
    edit(1, state -> ((ObjectNode) state.get("model")).put("file", "../outside.c4j"));
    assertEquals(state(1) + " field model.file must be a plain file name in " + dir
        + ", got \"../outside.c4j\"", refusal(1));

    write(1);
    edit(1, state -> ((ObjectNode) state.get("callbacks").get(KEY).get("snapshots")
        .get("best.weights")).put("file", outside.toString()));
    assertEquals(state(1) + " field callbacks." + KEY + ".snapshots.best.weights.file must be a"
        + " plain file name in " + dir + ", got \"" + outside + "\"", refusal(1));

    write(2);
    edit(2, state -> ((ObjectNode) state.get("model")).put("sha256", "0".repeat(64)));
    assertEquals(dir.resolve("model-2.c4j") + " is damaged: its SHA-256 does not match the"
        + " backup's record", refusal(2));

    write(3);
    Files.delete(dir.resolve("model-3.c4j"));
    Files.createSymbolicLink(dir.resolve("model-3.c4j"), outside);
    assertEquals(dir.resolve("model-3.c4j") + " is missing: it is not a regular file", refusal(3));
    Files.delete(dir.resolve("model-3.c4j"));
    assertEquals(dir.resolve("model-3.c4j") + " is missing", refusal(3));
  }

  @Test
  void aCallbackTheBackupDoesNotHoldIsRefused() throws IOException {
    write(1);
    edit(1, state -> ((ObjectNode) state.get("callbacks")).remove(OTHER));
    assertEquals(state(1) + " holds no state for " + OTHER + "; it was written for another list"
        + " of callbacks", refusal(1));
  }

  /** Each edit of the Counter's state, and the reason the read gives after "does not fit". */
  @Test
  void aCallbacksStateIsReadStrictly() throws IOException {
    write(1);
    String prefix = state(1) + " field callbacks." + KEY + ".state does not fit"
        + " BackupFolderTest.Counter (";
    Map<Consumer<ObjectNode>, String> edits = new java.util.LinkedHashMap<>();
    edits.put(s -> s.put("extra", 1), "Unrecognized field \"extra\"");
    edits.put(s -> s.remove("nanos"), "Missing creator property 'nanos'");
    edits.put(s -> s.putNull("count"), "Cannot map `null` into type `int`");
    edits.put(s -> s.put("count", "3"), "Cannot coerce String value (\"3\") to `int` value");
    edits.put(s -> s.put("count", 3.5), "Cannot coerce Floating-point value (3.5) to `int`");
    edits.put(s -> s.put("count", true), "Cannot deserialize value of type `int` from Boolean value");
    edits.put(s -> s.put("count", -1), "count must be >= 0, got -1");
    edits.put(s -> s.put("done", 1), "Cannot coerce Integer value (1) to `boolean` value");
    edits.put(s -> s.put("done", "true"), "Cannot coerce String value (\"true\") to `boolean`");
    edits.put(s -> s.put("best", "1.5"), "Cannot coerce String value (\"1.5\") to `java.lang");
    edits.put(s -> s.putArray("names").add(1), "Cannot deserialize value of type `java.lang.String` from Integer");
    edits.put(s -> s.put("names", "loss"), "Cannot construct instance of `java.util.ArrayList`");
    edits.put(s -> s.put("nanos", 1e30), "Cannot coerce Floating-point value (1.0E30) to `long`");
    List<String> wrong = new java.util.ArrayList<>();
    for (Map.Entry<Consumer<ObjectNode>, String> edit : edits.entrySet()) {
      write(1);
      editCounter(edit.getKey());
      try {
        read(1);
        wrong.add("accepted, instead of: " + edit.getValue());
      } catch (IOException e) {
        if (!e.getMessage().startsWith(prefix + edit.getValue())) {
          wrong.add(e.getMessage());
        }
      }
    }
    assertEquals(List.of(), wrong);
  }

  @Test
  void snapshotFilesAreNumberedByCallbackAndSnapshot() throws IOException {
    Map<String, AtomicFiles.FileWriter> two = new LinkedHashMap<>();
    two.put("first", file -> Files.writeString(file, "first"));
    two.put("second", file -> Files.writeString(file, "second"));
    Map<String, BackupFolder.CallbackState> callbacks = new LinkedHashMap<>();
    callbacks.put(KEY, new BackupFolder.CallbackState(
        new Counter(1, null, null, false, 0), two));
    callbacks.put(OTHER, new BackupFolder.CallbackState(new Other(0.5), two));
    folder.write(1, new ResumePoint(1, 0, 0, 0, null), file -> Files.write(file, model(1)),
        callbacks);
    assertEquals(List.of("model-1.c4j", "snapshot-1-0-0.c4j", "snapshot-1-0-1.c4j",
        "snapshot-1-1-0.c4j", "snapshot-1-1-1.c4j", "state-1.json"), names());
    BackupFolder.Generation read = read(1);
    for (String key : List.of(KEY, OTHER)) {
      Map<String, Path> snapshots = read.callbacks().get(key).snapshots();
      assertEquals("first", Files.readString(snapshots.get("first")), key);
      assertEquals("second", Files.readString(snapshots.get("second")), key);
    }
  }

  /** A fit that does not know its batches per epoch takes any count of batches done. */
  @Test
  void withUnknownStepsAnyBatchCountIsTaken() throws IOException {
    write(1);
    assertEquals(2, folder.read(1, TYPES, 0, 2).position().batchesDone());
  }

  @Test
  void aStateFileOfExactlyTheLimitIsRead() throws IOException {
    write(1);
    byte[] state = Files.readAllBytes(state(1));
    byte[] padded = new byte[(int) BackupFolder.MAX_STATE_BYTES];
    Arrays.fill(padded, (byte) ' ');
    System.arraycopy(state, 0, padded, 0, state.length);
    Files.write(state(1), padded);
    assertEquals(1, read(1).position().epoch());
  }

  @Test
  void aCallbackEntryThatIsNullOrNotAnObjectIsRefused() throws IOException {
    write(1);
    edit(1, state -> ((ObjectNode) state.get("callbacks")).putNull(OTHER));
    assertEquals(state(1) + " holds no state for " + OTHER + "; it was written for another list"
        + " of callbacks", refusal(1));
    edit(1, state -> ((ObjectNode) state.get("callbacks")).put(OTHER, 5));
    assertEquals(state(1) + " field callbacks." + OTHER + " must be an object, got 5", refusal(1));
  }

  @Test
  void aTopLevelStateRecordIsNamedByItsSimpleName() throws IOException {
    folder.write(1, new ResumePoint(1, 0, 0, 0, null), file -> Files.write(file, model(1)),
        Map.of(OTHER, new BackupFolder.CallbackState(new TopLevelState(3), Map.of())));
    edit(1, state -> ((ObjectNode) state.get("callbacks").get(OTHER).get("state"))
        .put("count", "3"));
    String message = assertThrows(IOException.class,
        () -> folder.read(1, Map.of(OTHER, TopLevelState.class), 4, 2)).getMessage();
    assertTrue(message.startsWith(state(1) + " field callbacks." + OTHER + ".state does not fit"
        + " TopLevelState (Cannot coerce String value"), message);
  }

  @Test
  void theModelEntryMustBeAnObject() throws IOException {
    write(1);
    edit(1, state -> state.remove("model"));
    assertEquals(state(1) + " has no model", refusal(1));
    edit(1, state -> state.putNull("model"));
    assertEquals(state(1) + " has no model", refusal(1));
    edit(1, state -> state.put("model", "model-1.c4j"));
    assertEquals(state(1) + " field model must be an object, got \"model-1.c4j\"", refusal(1));
  }

  /** Only lowercase hex text: an uppercase digest or a 64-digit number is not one, whatever it is. */
  @Test
  void aChecksumMustBeSixtyFourLowercaseHexDigits() throws IOException {
    write(1);
    String sha = state1ModelSha();
    edit(1, state -> ((ObjectNode) state.get("model")).put("sha256", sha.toUpperCase(Locale.ROOT)));
    assertEquals(state(1) + " field model.sha256 must be 64 lowercase hex digits, got \""
        + sha.toUpperCase(Locale.ROOT) + "\"", refusal(1));
    BigInteger digits = new BigInteger("1".repeat(64));
    edit(1, state -> ((ObjectNode) state.get("model")).put("sha256", digits));
    assertEquals(state(1) + " field model.sha256 must be 64 lowercase hex digits, got " + digits,
        refusal(1));
  }

  private String state1ModelSha() throws IOException {
    return JSON.readTree(state(1).toFile()).get("model").get("sha256").asText();
  }

  /** A separator, NUL or drive colon is refused wherever it is in the name, first included. */
  @Test
  void aNameStartingWithAForbiddenCharacterIsNotPlain() throws IOException {
    for (String name : List.of("/model-1.c4j", "\\model-1.c4j", "\0model-1.c4j", ":model-1.c4j",
        "model\\1.c4j", "model:1.c4j", ".", "..", "")) {
      write(1);
      edit(1, state -> ((ObjectNode) state.get("model")).put("file", name));
      assertEquals(state(1) + " field model.file must be a plain file name in " + dir + ", got "
          + JSON.writeValueAsString(name), refusal(1), name);
    }
  }

  @Test
  void deleteAllWithoutAFolderDoesNothingAndRemovesLeftovers() throws IOException {
    folder.deleteAll();
    assertFalse(Files.exists(dir));
    write(1);
    Files.writeString(dir.resolve(".model-2.c4j123.tmp"), "half written");
    folder.deleteAll();
    assertFalse(Files.exists(dir), "the leftover is the format's, and the folder is then empty");
  }

  /**
   * The built-ins' state records as a hostile backup may hold them: each value a built-in can never
   * hold is refused, naming the state file, the callback's entry, its record and the value.
   */
  @Test
  void aBuiltInsImpossibleStateIsRefusedNamingFileEntryAndValue() throws IOException {
    Map<String, Record> valid = new LinkedHashMap<>();
    valid.put("EarlyStopping(val_loss)", new EarlyStopping.State(1, -1, 0, 0.5));
    valid.put("ReduceLROnPlateau(val_loss)", new ReduceLROnPlateau.State(0.5, 1, 0));
    valid.put("ModelCheckpoint(ckpt.c4j)", new ModelCheckpoint.State(0.5, 1, 3, 1,
        List.of(new ModelCheckpoint.Kept(0.5, "ckpt.c4j"))));
    valid.put("LearningRateScheduler", new LearningRateScheduler.State(1, 0.01));
    Map<String, Class<? extends Record>> types = new LinkedHashMap<>();
    Map<String, BackupFolder.CallbackState> states = new LinkedHashMap<>();
    valid.forEach((key, state) -> {
      types.put(key, state.getClass());
      states.put(key, new BackupFolder.CallbackState(state, Map.of()));
    });
    // The entry, the edit, and the reason after "does not fit <record> (".
    List<Hostile> edits = List.of(
        hostile("EarlyStopping(val_loss)", s -> s.put("waitCount", -1),
            "EarlyStopping.State (waitCount must be >= 0, got -1)"),
        hostile("EarlyStopping(val_loss)", s -> s.put("bestEpoch", -2).putNull("best"),
            "EarlyStopping.State (bestEpoch must be >= -1, got -2)"),
        hostile("ReduceLROnPlateau(val_loss)", s -> s.put("best", "NaN"),
            "ReduceLROnPlateau.State (best must be a number or null, got NaN)"),
        hostile("ReduceLROnPlateau(val_loss)", s -> s.put("waitCount", -1),
            "ReduceLROnPlateau.State (waitCount must be >= 0, got -1)"),
        hostile("ModelCheckpoint(ckpt.c4j)", s -> s.put("best", "NaN"),
            "ModelCheckpoint.State (best must be a number or null, got NaN)"),
        hostile("ModelCheckpoint(ckpt.c4j)", s -> s.put("currentEpoch", -1),
            "ModelCheckpoint.State (currentEpoch must be >= 0, got -1)"),
        hostile("ModelCheckpoint(ckpt.c4j)", s -> s.put("lastBatchSeen", -2),
            "ModelCheckpoint.State (lastBatchSeen must be >= -1, got -2)"),
        hostile("ModelCheckpoint(ckpt.c4j)", s -> s.put("batchesSinceLastSave", -1),
            "ModelCheckpoint.State (batchesSinceLastSave must be >= 0, got -1)"),
        hostile("ModelCheckpoint(ckpt.c4j)", s -> s.putArray("kept").addNull(),
            "ModelCheckpoint.State (kept must not hold null, got [null])"),
        hostile("ModelCheckpoint(ckpt.c4j)",
            s -> s.putArray("kept").addObject().put("value", 0.5).putNull("path"),
            "ModelCheckpoint.State (path is missing)"),
        hostile("LearningRateScheduler", s -> s.put("epoch", -2),
            "LearningRateScheduler.State (epoch must be >= -1, got -2)"),
        hostile("LearningRateScheduler", s -> s.put("rateBeforeEpoch", -0.5),
            "LearningRateScheduler.State (rateBeforeEpoch must be a finite number >= 0, got -0.5)"));
    List<String> wrong = new ArrayList<>();
    for (Hostile edit : edits) {
      folder.write(1, new ResumePoint(1, 0, 0, 0, null), file -> Files.write(file, model(1)),
          states);
      edit(1, state -> edit.edit().accept(
          (ObjectNode) state.get("callbacks").get(edit.key()).get("state")));
      String expected = state(1) + " field callbacks." + edit.key() + ".state does not fit "
          + edit.reason();
      try {
        folder.read(1, types, 4, 2);
        wrong.add("accepted, instead of: " + expected);
      } catch (IOException e) {
        if (!e.getMessage().startsWith(expected)) {
          wrong.add(e.getMessage());
        }
      }
    }
    assertEquals(List.of(), wrong);
  }

  /** An edit of the state of the callback under {@code key}, and why it is refused. */
  private record Hostile(String key, Consumer<ObjectNode> edit, String reason) {}

  private static Hostile hostile(String key, Consumer<ObjectNode> edit, String reason) {
    return new Hostile(key, edit, reason);
  }
}
