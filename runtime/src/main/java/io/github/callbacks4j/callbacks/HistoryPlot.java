package io.github.callbacks4j.callbacks;

import io.github.callbacks4j.runtime.AtomicFiles;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/** Draws a History as R keras's {@code plot(history)} does: one panel per metric, train and val_. */
final class HistoryPlot {
  private static final int WIDTH = 480;
  private static final int HEIGHT = 320;

  private HistoryPlot() {}

  static void save(Map<String, List<Double>> history, Path png) throws IOException {
    if (history.isEmpty()) {
      throw new IllegalStateException("History is empty: plot it after fit has run an epoch");
    }
    System.setProperty("java.awt.headless", System.getProperty("java.awt.headless", "true"));
    Map<String, List<String>> panels = new TreeMap<>();
    for (String key : history.keySet()) {
      String metric = key.startsWith("val_") ? key.substring(4) : key;
      panels.computeIfAbsent(metric, k -> new ArrayList<>()).add(key);
    }
    List<BufferedImage> images = new ArrayList<>();
    for (Map.Entry<String, List<String>> panel : panels.entrySet()) {
      XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
          .title(panel.getKey()).xAxisTitle("epoch").yAxisTitle(panel.getKey()).build();
      chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
      for (String key : panel.getValue()) {
        List<Double> values = history.get(key);
        double[] epochs = new double[values.size()];
        double[] ys = new double[values.size()];
        for (int i = 0; i < ys.length; i++) {
          epochs[i] = i + 1;
          ys[i] = values.get(i);
        }
        chart.addSeries(key.startsWith("val_") ? "validation" : "training", epochs, ys);
      }
      images.add(BitmapEncoder.getBufferedImage(chart));
    }
    int columns = Math.min(2, images.size());
    int rows = (images.size() + columns - 1) / columns;
    BufferedImage grid = new BufferedImage(columns * WIDTH, rows * HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = grid.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, grid.getWidth(), grid.getHeight());
    for (int i = 0; i < images.size(); i++) {
      g.drawImage(images.get(i), (i % columns) * WIDTH, (i / columns) * HEIGHT, null);
    }
    g.dispose();
    AtomicFiles.write(png, out -> ImageIO.write(grid, "png", out));
  }
}
