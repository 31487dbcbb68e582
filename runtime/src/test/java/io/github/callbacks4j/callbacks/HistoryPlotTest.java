package io.github.callbacks4j.callbacks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.callbacks4j.Logs;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

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
   * Each chart has a grey margin, so the image's outer frame is all that grey unless a cell is
   * left blank: white (as the empty quarter a 3-panel plot in a 2x2 grid had) or black (the
   * image's own background, where no chart was drawn).
   */
  static void assertNoBlankCell(BufferedImage image) {
    int margin = image.getRGB(0, 0) & 0xffffff;
    assertTrue(margin != 0xffffff && margin != 0, "the top left corner is blank");
    int w = image.getWidth();
    int h = image.getHeight();
    for (int x = 0; x < w; x++) {
      assertMargin(image, margin, x, 0);
      assertMargin(image, margin, x, h - 1);
    }
    for (int y = 0; y < h; y++) {
      assertMargin(image, margin, 0, y);
      assertMargin(image, margin, w - 1, y);
    }
  }

  private static void assertMargin(BufferedImage image, int margin, int x, int y) {
    assertEquals(Integer.toHexString(margin), Integer.toHexString(image.getRGB(x, y) & 0xffffff),
        "pixel (" + x + ", " + y + ") is not a chart's margin: no chart covers that part");
  }

  /** R keras's order: loss first, the other metrics by name, the learning rate last. */
  @Test
  void lossComesFirstAndTheLearningRateLastEachWithItsValidationCurve() {
    Map<String, List<Double>> history = new LinkedHashMap<>();
    for (String key : List.of("accuracy", "mae", "learning_rate", "loss", "val_loss",
        "val_accuracy")) {
      history.put(key, List.of(1.0));
    }
    assertEquals(List.of(Map.entry("loss", List.of("loss", "val_loss")),
        Map.entry("accuracy", List.of("accuracy", "val_accuracy")),
        Map.entry("mae", List.of("mae")),
        Map.entry("learning_rate", List.of("learning_rate"))), HistoryPlot.panels(history));
  }

  /** Each panel plots its keys' values against the epochs, counted from 1. */
  @Test
  void aPanelPlotsEachKeyAgainstTheEpochsFromOne() {
    Map<String, List<Double>> history = Map.of("loss", List.of(0.5, 0.25, 0.125),
        "val_loss", List.of(0.75, 0.5, 0.5), "learning_rate", List.of(0.01, 0.01, 0.001));
    XYChart loss = HistoryPlot.chart(Map.entry("loss", List.of("loss", "val_loss")), history, 480);
    assertEquals(List.of("training", "validation"), List.copyOf(loss.getSeriesMap().keySet()));
    XYSeries training = loss.getSeriesMap().get("training");
    assertArrayEquals(new double[] {1, 2, 3}, training.getXData());
    assertArrayEquals(new double[] {0.5, 0.25, 0.125}, training.getYData());
    assertArrayEquals(new double[] {0.75, 0.5, 0.5},
        loss.getSeriesMap().get("validation").getYData());
    XYChart rate = HistoryPlot.chart(Map.entry("learning_rate", List.of("learning_rate")),
        history, 480);
    assertEquals(List.of("learning rate"), List.copyOf(rate.getSeriesMap().keySet()));
    assertArrayEquals(new double[] {1, 2, 3}, rate.getSeriesMap().get("learning rate").getXData());
  }
}
