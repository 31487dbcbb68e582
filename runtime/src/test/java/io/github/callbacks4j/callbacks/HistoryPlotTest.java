package io.github.callbacks4j.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
    Path png = dir.resolve("history.png");
    history.savePlot(png);
    BufferedImage image = ImageIO.read(png.toFile());
    assertEquals(960, image.getWidth()); // two panels side by side: accuracy, loss
    assertEquals(320, image.getHeight());
  }

  @Test
  void anEmptyHistoryCannotBePlotted(@TempDir Path dir) {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new History().savePlot(dir.resolve("h.png")));
    assertEquals("History is empty: plot it after fit has run an epoch", e.getMessage());
  }
}
