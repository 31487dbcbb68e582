package io.github.callbacks4j.runtime;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The UCI 8x8 handwritten digits (1797 samples, CC BY 4.0), as shipped in scikit-learn: 64 pixels
 * in 0..16 scaled to 0..1, labels one-hot over 10 classes. The file is ordered by writer, so the
 * rows are shuffled once with a fixed seed, as scikit-learn's {@code train_test_split} would.
 */
public final class Digits {
  public final INDArray x;
  public final INDArray y;

  private Digits(INDArray x, INDArray y) {
    this.x = x;
    this.y = y;
  }

  /** The first {@code rows} samples. */
  public Digits head(int rows) {
    return new Digits(x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, rows),
            org.nd4j.linalg.indexing.NDArrayIndex.all()).dup(),
        y.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, rows),
            org.nd4j.linalg.indexing.NDArrayIndex.all()).dup());
  }

  public static Digits load() {
    List<float[]> pixels = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    try (InputStream raw = Digits.class.getResourceAsStream("/datasets/digits.csv.gz");
        BufferedReader in = new BufferedReader(
            new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.US_ASCII))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String[] fields = line.split(",");
        float[] row = new float[64];
        for (int i = 0; i < 64; i++) {
          row[i] = Float.parseFloat(fields[i]) / 16f;
        }
        pixels.add(row);
        labels.add((int) Float.parseFloat(fields[64]));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < pixels.size(); i++) {
      order.add(i);
    }
    java.util.Collections.shuffle(order, new java.util.Random(2017));
    INDArray x = Nd4j.create(DataType.FLOAT, pixels.size(), 64);
    INDArray y = Nd4j.zeros(DataType.FLOAT, labels.size(), 10);
    for (int i = 0; i < order.size(); i++) {
      x.putRow(i, Nd4j.createFromArray(pixels.get(order.get(i))));
      y.putScalar(i, labels.get(order.get(i)), 1f);
    }
    return new Digits(x, y);
  }
}
