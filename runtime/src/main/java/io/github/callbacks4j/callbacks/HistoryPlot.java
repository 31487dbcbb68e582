package io.github.callbacks4j.callbacks;

import io.github.callbacks4j.state.AtomicFiles;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Draws a History as R keras's {@code plot(history)} does: one panel per metric with its training
 * and {@code val_} curves, {@code loss} first and {@code learning_rate} (the schedule ReduceLROnPlateau
 * and LearningRateScheduler change, which explains the steps in the curves) last. Up to three panels
 * a row; a row with fewer panels widens them, so no cell of the image is left empty.
 */
final class HistoryPlot {
  private static final int WIDTH = 480;
  private static final int HEIGHT = 320;
  private static final int MAX_COLUMNS = 3;
  private static final String LEARNING_RATE = "learning_rate";

  private HistoryPlot() {}

  static void save(Map<String, List<Double>> history, Path png) throws IOException {
    if (history.isEmpty()) {
      throw new IllegalStateException("History is empty: plot it after fit has run an epoch");
    }
    System.setProperty("java.awt.headless", System.getProperty("java.awt.headless", "true"));
    List<Map.Entry<String, List<String>>> panels = panels(history);
    int columns = Math.min(MAX_COLUMNS, panels.size());
    int rows = (panels.size() + columns - 1) / columns;
    BufferedImage grid =
        new BufferedImage(columns * WIDTH, rows * HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = grid.createGraphics();
    int next = 0;
    for (int row = 0; row < rows; row++) {
      int inRow = (panels.size() - next + rows - row - 1) / (rows - row); // spread evenly
      for (int i = 0; i < inRow; i++, next++) {
        int left = grid.getWidth() * i / inRow;
        int width = grid.getWidth() * (i + 1) / inRow - left;
        XYChart chart = chart(panels.get(next), history, width);
        g.drawImage(BitmapEncoder.getBufferedImage(chart), left, row * HEIGHT, null);
      }
    }
    g.dispose();
    AtomicFiles.write(png, out -> ImageIO.write(grid, "png", out));
  }

  /** Panel title to its keys ({@code loss} and {@code val_loss}), in drawing order. */
  static List<Map.Entry<String, List<String>>> panels(Map<String, List<Double>> history) {
    Map<String, List<String>> panels = new LinkedHashMap<>();
    history.keySet().stream().sorted().forEach(key -> panels.computeIfAbsent(
        key.startsWith("val_") ? key.substring(4) : key, k -> new ArrayList<>()).add(key));
    Comparator<String> order = Comparator.comparingInt(
        metric -> metric.equals("loss") ? 0 : metric.equals(LEARNING_RATE) ? 2 : 1);
    return panels.entrySet().stream()
        .sorted(Map.Entry.comparingByKey(order.thenComparing(Comparator.naturalOrder())))
        .toList();
  }

  /** One panel: a series per key against the epochs from 1, as R keras labels them. */
  static XYChart chart(Map.Entry<String, List<String>> panel,
      Map<String, List<Double>> history, int width) {
    XYChart chart = new XYChartBuilder().width(width).height(HEIGHT)
        .title(panel.getKey()).xAxisTitle("epoch").yAxisTitle(panel.getKey()).build();
    // below the plot, never over the curves; in every panel, so that the plots line up
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    for (String key : panel.getValue()) {
      List<Double> values = history.get(key);
      double[] epochs = new double[values.size()];
      double[] ys = new double[values.size()];
      for (int i = 0; i < ys.length; i++) {
        epochs[i] = i + 1;
        ys[i] = values.get(i);
      }
      chart.addSeries(key.startsWith("val_") ? "validation"
          : key.equals(LEARNING_RATE) ? "learning rate" : "training", epochs, ys);
    }
    return chart;
  }
}
