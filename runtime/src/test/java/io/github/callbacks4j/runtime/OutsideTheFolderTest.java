package io.github.callbacks4j.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.callbacks4j.callbacks.BackupAndRestore;
import io.github.callbacks4j.callbacks.EarlyStopping;
import io.github.callbacks4j.callbacks.ModelCheckpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * After hostile backups (state files naming files outside the folder, with those files' checksums),
 * no file outside the backup folder is read into the model or written: every file under the temp
 * root is the same before and after, and the model holds none of the hostile weights.
 */
class OutsideTheFolderTest {
  private static final Digits DIGITS = Digits.load().head(200);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static List<Object> callbacks(Path run) {
    return List.of(
        EarlyStopping.builder().monitor("loss").patience(50).restoreBestWeights(true).build(),
        ModelCheckpoint.builder(run.resolve("ckpt-{epoch}.c4j").toString()).monitor("loss")
            .saveTopK(1).build(),
        BackupAndRestore.builder(run.resolve("backup")).doubleCheckpoint(true)
            .deleteCheckpoint(false).build());
  }

  private static Sequential fit(Path run, int epochs) {
    Sequential model = Models.digits(3);
    model.fit(DIGITS.x, DIGITS.y, FitOptions.builder().epochs(epochs).batchSize(50).seed(1)
        .verbose(0).callbacks(callbacks(run).toArray()).build());
    return model;
  }

  /** Every file and directory under {@code root}: its size, modification time and SHA-256. */
  private static Map<String, String> walk(Path root) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.toList()) {
        String what = Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)
            ? Files.size(path) + " " + Files.getLastModifiedTime(path) + " " + sha256(path)
            : "directory";
        files.put(root.relativize(path).toString(), what);
      }
    }
    return files;
  }

  private static String sha256(Path file) throws IOException {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private static void editState(Path file, Consumer<ObjectNode> edit) throws IOException {
    ObjectNode state = (ObjectNode) JSON.readTree(file.toFile());
    edit.accept(state);
    Files.write(file, JSON.writeValueAsBytes(HostileBackupTest.seal(state)));
  }

  @Test
  void hostileBackupsReadAndWriteNothingOutsideTheirFolder(@TempDir Path root) throws IOException {
    Path run = root.resolve("run");
    fit(run, 3); // leaves generations 2 and 3
    Path backup = run.resolve("backup");
    byte[] generation2 = Files.readAllBytes(backup.resolve("state-2.json"));

    Path outside = Files.createDirectories(root.resolve("outside"));
    Path hostile = outside.resolve("hostile.c4j");
    Models.digits(77).save(hostile); // would load into the model, if anything let it through
    Path victim = Files.writeString(outside.resolve("victim.c4j"), "not a checkpoint");
    String sha = sha256(hostile);
    editState(backup.resolve("state-3.json"), state -> ((ObjectNode) state.get("model"))
        .put("file", "../../outside/hostile.c4j").put("sha256", sha));
    editState(backup.resolve("state-2.json"), state -> {
      ((ObjectNode) state.get("callbacks").get("EarlyStopping(loss)").get("snapshots")
          .get("bestWeights")).put("file", hostile.toString()).put("sha256", sha);
      String checkpointKey = "ModelCheckpoint(" + run.resolve("ckpt-{epoch}.c4j") + ")";
      ((ObjectNode) state.get("callbacks").get(checkpointKey).get("state").get("kept").get(0))
          .put("path", victim.toString());
    });
    Map<String, String> before = walk(root);

    Sequential model = Models.digits(3);
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> model.fit(DIGITS.x,
        DIGITS.y, FitOptions.builder().epochs(5).batchSize(50).seed(1).verbose(0)
            .callbacks(callbacks(run).toArray()).build()));
    assertTrue(e.getMessage().contains("state-3.json field model.file must be a plain file name"),
        e.getMessage());
    assertEquals(before, walk(root), "no file anywhere under the temp root changed");
    assertEquals(Models.digits(3).parameters(), model.parameters(), "nothing was loaded");
    assertNotEquals(Sequential.load(hostile).parameters(), model.parameters());

    // With generation 2 put back, the run resumes from it and from nothing else: it ends exactly
    // as a clean run resumed from its generation 2 does, and nothing outside its folder changed.
    Files.write(backup.resolve("state-2.json"), generation2);
    Path clean = root.resolve("clean");
    fit(clean, 3);
    for (String newest : List.of("state-3.json", "model-3.c4j")) {
      Files.delete(clean.resolve("backup").resolve(newest));
    }
    Map<String, String> outsideBefore = walk(outside);
    assertEquals(fit(clean, 5).parameters(), fit(run, 5).parameters());
    assertEquals(outsideBefore, walk(outside));
  }
}
