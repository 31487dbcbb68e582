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
import java.util.Set;
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

    // one story: the epoch with the lowest val_loss in the CSV is the one EarlyStopping restored
    // and the best checkpoint's
    int valLossColumn = List.of(csv.get(0).split(",")).indexOf("val_loss");
    int lowest = 0;
    for (int epoch = 1; epoch < epochs; epoch++) {
      if (valLoss(csv, epoch, valLossColumn) < valLoss(csv, lowest, valLossColumn)) {
        lowest = epoch;
      }
    }
    assertEquals(lowest, result.bestEpoch());
    List<Path> checkpoints = result.checkpoints();
    assertEquals(Set.copyOf(checkpoints), Set.copyOf(list(out.resolve("checkpoints"))),
        "the report names the files that exist");
    assertTrue(checkpoints.get(0).getFileName().toString()
        .startsWith(String.format("epoch-%02d-val_loss-", lowest + 1)), checkpoints::toString);
    assertEquals("last.c4j", checkpoints.get(checkpoints.size() - 1).getFileName().toString());
    for (Path checkpoint : checkpoints) {
      assertEquals(4810, Sequential.load(checkpoint).parameterCount()); // 64*64+64 + 64*10+10
    }

    BufferedImage plot = ImageIO.read(out.resolve("history.png").toFile());
    assertNotNull(plot, "the plot decodes as an image");
    assertNoBlankCell(plot);
    assertTrue(result.testAccuracy() > 0.8, "test accuracy " + result.testAccuracy());
  }

  @Test
  void sparkQuickStartTrainsOnTwoPartitionsWithTheCallbacksOnTheDriver(@TempDir Path out)
      throws IOException {
    SparkQuickStart.Result result = SparkQuickStart.run(out, 3);
    assertEquals(List.of(0, 1, 2), result.history().epoch());
    // 1149 training rows in 2 partitions of 574 and 575: 18 local steps, 4 rounds of 5 an epoch
    assertEquals(3 * 4, result.rounds());
    assertEquals(4, Files.readAllLines(out.resolve("training.csv")).size());
    assertEquals(4810, Sequential.load(out.resolve("best.c4j")).parameterCount());
    assertTrue(result.testAccuracy() > 0.8, "test accuracy " + result.testAccuracy());
  }

  @Test
  void lossHistoryRecordsEveryBatch() {
    LossHistory history = LossHistory.run(2);
    assertEquals(2 * 45, history.losses().size()); // 1437 samples in batches of 32
    assertTrue(history.losses().get(89) < history.losses().get(0));
  }

  @Test
  void dl4jConvNetKeepsTheBestEpochInDl4jsFormat(@TempDir Path out) throws IOException {
    Dl4jConvNet.Result result = Dl4jConvNet.run(out, 3);
    List<Double> valLoss = result.history().history().get("val_loss");
    assertEquals(3, valLoss.size());
    assertEquals(List.of(0.005, 0.005, 0.005), result.history().history().get("learning_rate"));
    assertTrue(Files.size(result.bestCheckpoint()) > 0);
    assertEquals(4, Files.readAllLines(out.resolve("training.csv")).size());
    assertTrue(result.testAccuracy() > 0.5, "test accuracy " + result.testAccuracy());
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
    List<Path> all = list(dir);
    assertEquals(1, all.size(), all::toString);
    return all.get(0);
  }

  private static List<Path> list(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.toList();
    }
  }

  private static double valLoss(List<String> csv, int epoch, int column) {
    return Double.parseDouble(csv.get(1 + epoch).split(",")[column]);
  }

  /**
   * Each chart has a grey margin, so a white pixel on the image's outer frame is a cell no chart
   * covers (as the empty quarter a 3-panel plot in a 2x2 grid had).
   */
  private static void assertNoBlankCell(BufferedImage image) {
    for (int x = 0; x < image.getWidth(); x++) {
      for (int y : new int[] {0, image.getHeight() - 1}) {
        assertTrue((image.getRGB(x, y) & 0xffffff) != 0xffffff, "white pixel at " + x + "," + y);
      }
    }
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x : new int[] {0, image.getWidth() - 1}) {
        assertTrue((image.getRGB(x, y) & 0xffffff) != 0xffffff, "white pixel at " + x + "," + y);
      }
    }
  }
}
