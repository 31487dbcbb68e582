package io.github.callbacks4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 a JVM training a DL4J network mid-epoch, restart it, and get the uninterrupted result. */
class CrashTest {
  /** Runs the child until it says KILL-ME (then SIGKILLs it) or exits; returns its output. */
  private static List<String> run(String mode, Path dir) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        CrashTrainingMain.class.getName(), mode, dir.toString())
        .redirectErrorStream(true).start();
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

  private static MultiLayerNetwork finalNetwork(Path dir) throws Exception {
    return ModelSerializer.restoreMultiLayerNetwork(dir.resolve("final.zip").toFile(), true);
  }

  @Test
  void killedMidEpochItResumesAndEndsWithIdenticalParameters(@TempDir Path root)
      throws Exception {
    Path straight = Files.createDirectories(root.resolve("straight"));
    run("run", straight);
    Path crashed = Files.createDirectories(root.resolve("crashed"));
    assertTrue(run("hang-mid-epoch", crashed).contains("KILL-ME"));
    assertFalse(Files.exists(crashed.resolve("final.zip")));

    List<String> output = run("run", crashed);

    assertTrue(output.get(output.size() - 1).startsWith("FIRST-BATCH epoch=1 batch="),
        "resumed inside epoch 1: " + output);
    MultiLayerNetwork expected = finalNetwork(straight);
    MultiLayerNetwork resumed = finalNetwork(crashed);
    assertArrayEquals(expected.params().toFloatVector(), resumed.params().toFloatVector());
    assertArrayEquals(expected.getUpdater().getStateViewArray().toFloatVector(),
        resumed.getUpdater().getStateViewArray().toFloatVector());
    assertEquals(Files.readString(straight.resolve("log.csv")),
        Files.readString(crashed.resolve("log.csv")));
    assertFalse(Files.exists(crashed.resolve("backup")), "backup deleted after the resumed fit");
  }
}
