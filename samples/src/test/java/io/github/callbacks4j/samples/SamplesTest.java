package io.github.callbacks4j.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.callbacks4j.callbacks.History;
import io.github.callbacks4j.runtime.Sequential;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every sample runs, with short settings, and leaves well-formed artifacts. */
class SamplesTest {

  @Test
  void quickStartWritesEveryArtifact(@TempDir Path out) throws IOException {
    QuickStart.Result result = QuickStart.run(null, 4, out, 0);
    int epochs = result.history().epoch().size();
    assertEquals(4, epochs);

    List<String> csv = Files.readAllLines(out.resolve("training.csv"));
    assertEquals("epoch,accuracy,learning_rate,loss,val_accuracy,val_loss", csv.get(0));
    assertEquals(1 + epochs, csv.size());
    assertTrue(csv.get(1).startsWith("0,"), csv.get(1));

    Path events = only(out.resolve("tensorboard/train"));
    byte[] bytes = Files.readAllBytes(events);
    long firstRecord = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertTrue(firstRecord > 0 && firstRecord < bytes.length, "a TFRecord-framed event file");
    assertNotNull(only(out.resolve("tensorboard/validation")));

    assertNotNull(result.bestCheckpoint());
    assertEquals(4810, Sequential.load(result.bestCheckpoint()).parameterCount()); // 64*64+64 + 64*10+10
    assertEquals(4810, Sequential.load(out.resolve("checkpoints/last.c4j")).parameterCount());

    BufferedImage plot = ImageIO.read(out.resolve("history.png").toFile());
    assertNotNull(plot, "the plot decodes as an image");
    assertEquals(960, plot.getWidth());
    assertTrue(result.testAccuracy() > 0.8, "test accuracy " + result.testAccuracy());
  }

  @Test
  void lossHistoryRecordsEveryBatch() {
    LossHistory history = LossHistory.run(2);
    assertEquals(2 * 45, history.losses().size()); // 1437 samples in batches of 32
    assertTrue(history.losses().get(89) < history.losses().get(0));
  }

  @Test
  void checkpointAndReduceLrKeepsTheBestModel(@TempDir Path out) throws IOException {
    History history = CheckpointAndReduceLr.run(out, 4);
    assertEquals(4, history.history().get("learning_rate").size());
    assertEquals(4810, Sequential.load(out.resolve("best.c4j")).parameterCount());
  }

  @Test
  void jsonLoggingWritesOneObjectPerEpoch(@TempDir Path out) throws IOException {
    List<String> lines = Files.readAllLines(JsonLogging.run(out.resolve("log.jsonl"), 3));
    assertEquals(3, lines.size());
    for (int epoch = 0; epoch < 3; epoch++) {
      assertTrue(lines.get(epoch).matches("\\{\"epoch\": " + epoch
          + ", \"loss\": [0-9.E-]+, \"val_loss\": [0-9.E-]+}"), lines.get(epoch));
    }
  }

  @Test
  void customLoopDrivesCallbacksByHand() {
    History history = CustomLoop.run(3);
    assertEquals(List.of(0, 1, 2), history.epoch());
    List<Double> loss = history.history().get("loss");
    assertTrue(loss.get(2) < loss.get(0), loss::toString);
  }

  @Test
  void trainingFinishedSetsTheFlag() {
    assertTrue(TrainingFinished.run(1).finished());
  }

  private static Path only(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> all = files.toList();
      assertEquals(1, all.size(), all::toString);
      return all.get(0);
    }
  }
}
