package io.github.callbacks4j.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.callbacks4j.runtime.Models;
import io.github.callbacks4j.runtime.Sequential;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/** kill -9 a training JVM mid-epoch and mid-save, restart it, and get an uninterrupted result. */
class CrashTest {

  private static Process start(String mode, Path dir) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        CrashTrainingMain.class.getName(), mode, dir.toString())
        .redirectErrorStream(true).start();
  }

  /** Runs until the child says KILL-ME (then SIGKILLs it) or exits; returns its output. */
  private static List<String> run(String mode, Path dir) throws Exception {
    Process process = start(mode, dir);
    List<String> lines = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        lines.add(line);
        if (line.equals("KILL-ME")) {
          process.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
          break;
        }
      }
    }
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "child did not end");
    if (lines.contains("KILL-ME")) {
      assertEquals(137, process.exitValue(), "killed by SIGKILL");
    } else {
      assertEquals(0, process.exitValue(), String.join("\n", lines));
    }
    return lines;
  }

  @Test
  void killedMidEpochAndMidSaveItResumesAndEndsWithIdenticalWeights(@TempDir Path root)
      throws Exception {
    Path straight = Files.createDirectories(root.resolve("straight"));
    run("run", straight);
    Sequential expected = Models.digits(3);
    expected.loadWeights(straight.resolve("final.c4j"));

    for (String mode : List.of("hang-mid-epoch", "hang-mid-save")) {
      Path dir = Files.createDirectories(root.resolve(mode));
      run(mode, dir);
      Path backupDir = dir.resolve("backup");
      JsonNode newest = checkNoCorruptFile(backupDir);

      List<String> output = run("run", dir);
      String resumedAt = output.get(output.size() - 1);
      assertEquals("FIRST-BATCH epoch=" + newest.get("epoch").asInt() + " batch="
          + newest.get("batchesDone").asInt(), resumedAt, mode);
      if (mode.equals("hang-mid-epoch")) {
        assertEquals(2, newest.get("epoch").asInt()); // killed at epoch 2, batch 5
        assertTrue(newest.get("batchesDone").asInt() <= 5);
      }

      Sequential resumed = Models.digits(3);
      resumed.loadWeights(dir.resolve("final.c4j"));
      assertEquals(expected.parameters(), resumed.parameters(), mode);
      assertEquals(Files.readString(straight.resolve("log.csv")),
          Files.readString(dir.resolve("log.csv")), mode);
      assertFalse(Files.exists(backupDir), "backup deleted after the successful resumed fit");
    }
  }

  /** Every state file's model files exist and match their SHA-256; returns the newest state. */
  private static JsonNode checkNoCorruptFile(Path backupDir) throws IOException {
    ObjectMapper json = new ObjectMapper();
    JsonNode newest = null;
    try (Stream<Path> files = Files.list(backupDir)) {
      for (Path file : files.toList()) {
        String name = file.getFileName().toString();
        if (name.matches("state-\\d+\\.json")) {
          JsonNode state = json.readTree(file.toFile()); // parses: not half-written
          Path model = backupDir.resolve(state.get("model").get("file").asText());
          Sequential loaded = Sequential.load(model); // loads: not half-written
          assertEquals(2410, loaded.parameterCount());
          if (newest == null || state.get("generation").asLong() > newest.get("generation").asLong()) {
            newest = state;
          }
        }
      }
    }
    assertTrue(newest != null, "a complete backup exists");
    return newest;
  }
}
