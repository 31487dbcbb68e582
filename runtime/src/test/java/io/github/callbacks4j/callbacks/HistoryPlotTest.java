package io.github.callbacks4j.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.callbacks4j.Logs;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryPlotTest {
  @Test
  void savesOnePanelPerMetricAsAPng(@TempDir Path dir) throws IOException {
    History history = new History();
    new ScriptedLoop().fit(history, List.of(
        Logs.of("loss", 1.0, "val_loss", 1.2, "accuracy", 0.5, "val_accuracy", 0.45),
        Logs.of("loss", 0.5, "val_loss", 0.8, "accuracy", 0.8, "val_accuracy", 0.7),
        Logs.of("loss", 0.3, "val_loss", 0.7, "accuracy", 0.9, "val_accuracy", 0.75)));
    BufferedImage image = plot(history, dir);
    assertEquals(960, image.getWidth()); // two panels side by side: loss, accuracy
    assertEquals(320, image.getHeight());
    assertNoBlankCell(image);
  }

  @Test
  void panelsFillEveryRow(@TempDir Path dir) throws IOException {
    History three = new History();
    new ScriptedLoop().fit(three, List.of(
        Logs.of("loss", 1.0, "accuracy", 0.5, "learning_rate", 1e-3),
        Logs.of("loss", 0.5, "accuracy", 0.8, "learning_rate", 5e-4)));
    BufferedImage row = plot(three, dir);
    assertEquals(320, row.getHeight()); // loss, accuracy, learning_rate in one row
    assertNoBlankCell(row);

    History five = new History();
    new ScriptedLoop().fit(five, List.of(
        Logs.of("loss", 1.0, "accuracy", 0.5, "mse", 0.2, "mae", 0.3).put("learning_rate", 1e-3),
        Logs.of("loss", 0.5, "accuracy", 0.8, "mse", 0.1, "mae", 0.2).put("learning_rate", 1e-3)));
    BufferedImage rows = plot(five, dir);
    assertEquals(640, rows.getHeight()); // three panels, then two wider ones
    assertNoBlankCell(rows);
  }

  @Test
  void anEmptyHistoryCannotBePlotted(@TempDir Path dir) {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new History().savePlot(dir.resolve("h.png")));
    assertEquals("History is empty: plot it after fit has run an epoch", e.getMessage());
  }

  private static BufferedImage plot(History history, Path dir) throws IOException {
    Path png = dir.resolve("history.png");
    history.savePlot(png);
    return ImageIO.read(png.toFile());
  }

  /**
   * Each chart has a grey margin, so a white pixel on the image's outer frame is a cell no chart
   * covers (as the empty quarter a 3-panel plot in a 2x2 grid had).
   */
  static void assertNoBlankCell(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    for (int x = 0; x < w; x++) {
      assertNotWhite(image, x, 0);
      assertNotWhite(image, x, h - 1);
    }
    for (int y = 0; y < h; y++) {
      assertNotWhite(image, 0, y);
      assertNotWhite(image, w - 1, y);
    }
  }

  private static void assertNotWhite(BufferedImage image, int x, int y) {
    assertTrue((image.getRGB(x, y) & 0xffffff) != 0xffffff,
        "pixel (" + x + ", " + y + ") is white: no chart covers that part of the plot");
  }
}
