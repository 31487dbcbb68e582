package io.github.callbacks4j.runtime;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Small real data sets, as {@code keras.datasets}: features scaled to 0..1, labels one-hot.
 *
 * <p>{@link #digits()} is bundled: the UCI Optical Recognition of Handwritten Digits (8x8 images,
 * 1797 samples, CC BY 4.0, as shipped in scikit-learn). {@link #mnist} reads the IDX files of
 * MNIST or Fashion-MNIST (Zalando Research, MIT licence), gzipped or not.
 */
public final class Datasets {
  /** Features (one sample per row) and one-hot labels. */
  public record LabeledData(INDArray x, INDArray y) {
    public long samples() {
      return x.rows();
    }

    /** Rows {@code [from, to)}, as views. */
    public LabeledData rows(long from, long to) {
      return new LabeledData(x.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()),
          y.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()));
    }

    /** The rows in an order drawn from {@code seed} (copies). */
    public LabeledData shuffled(long seed) {
      int[] order = new int[Math.toIntExact(samples())];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      Random random = new Random(seed);
      for (int i = order.length - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int swap = order[i];
        order[i] = order[j];
        order[j] = swap;
      }
      return new LabeledData(Nd4j.pullRows(x, 1, order), Nd4j.pullRows(y, 1, order));
    }
  }

  private Datasets() {}

  /** The bundled 8x8 digits: 1797 x 64 pixels (0..16 scaled to 0..1), 10 classes, file order. */
  public static LabeledData digits() {
    List<float[]> rows = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    try (InputStream raw = Datasets.class.getResourceAsStream("digits.csv.gz");
        BufferedReader in = new BufferedReader(
            new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.US_ASCII))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String[] fields = line.split(",");
        float[] row = new float[64];
        for (int i = 0; i < 64; i++) {
          row[i] = Float.parseFloat(fields[i]) / 16f;
        }
        rows.add(row);
        labels.add((int) Float.parseFloat(fields[64]));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("the bundled digits data cannot be read", e);
    }
    INDArray x = Nd4j.create(DataType.FLOAT, rows.size(), 64);
    for (int i = 0; i < rows.size(); i++) {
      x.putRow(i, Nd4j.createFromArray(rows.get(i)));
    }
    return new LabeledData(x, oneHot(labels.stream().mapToInt(Integer::intValue).toArray(), 10));
  }

  /**
   * MNIST-format IDX files from {@code directory}: {@code train-images-idx3-ubyte[.gz]} and
   * {@code train-labels-idx1-ubyte[.gz]}, or the {@code t10k-} pair when {@code train} is false.
   */
  public static LabeledData mnist(Path directory, boolean train) throws IOException {
    String prefix = train ? "train" : "t10k";
    INDArray images = images(directory, prefix + "-images-idx3-ubyte");
    int[] labels = labels(directory, prefix + "-labels-idx1-ubyte");
    if (labels.length != images.rows()) {
      throw new IOException("the " + prefix + " IDX files in " + directory + " disagree: "
          + images.rows() + " images but " + labels.length + " labels");
    }
    return new LabeledData(images, oneHot(labels, 10));
  }

  private static INDArray images(Path directory, String name) throws IOException {
    try (DataInputStream in = open(directory, name)) {
      expectMagic(directory, name, in.readInt(), 0x803);
      int count = in.readInt();
      int rows = in.readInt();
      int columns = in.readInt();
      if (count < 0 || rows < 1 || columns < 1
          || (long) count * rows * columns > Integer.MAX_VALUE - 8) {
        throw new IOException(directory.resolve(name) + " declares " + count + " images of "
            + rows + "x" + columns + " pixels: not an image set this loader can hold");
      }
      int pixels = rows * columns;
      byte[] raw = in.readNBytes(count * pixels);
      if (raw.length != count * pixels) {
        throw new IOException(directory.resolve(name) + " is truncated: " + raw.length + " of "
            + count * pixels + " bytes of pixels");
      }
      float[] scaled = new float[raw.length];
      for (int i = 0; i < raw.length; i++) {
        scaled[i] = (raw[i] & 0xff) / 255f;
      }
      return Nd4j.create(scaled, new long[] {count, pixels}, DataType.FLOAT);
    }
  }

  private static int[] labels(Path directory, String name) throws IOException {
    try (DataInputStream in = open(directory, name)) {
      expectMagic(directory, name, in.readInt(), 0x801);
      int count = in.readInt();
      if (count < 0) {
        throw new IOException(directory.resolve(name) + " declares " + count + " labels");
      }
      byte[] raw = in.readNBytes(count);
      if (raw.length != count) {
        throw new IOException(directory.resolve(name) + " is truncated: " + raw.length + " of "
            + count + " labels");
      }
      int[] labels = new int[count];
      for (int i = 0; i < count; i++) {
        labels[i] = raw[i] & 0xff;
        if (labels[i] > 9) {
          throw new IOException(directory.resolve(name) + " has label " + labels[i] + " at " + i
              + "; MNIST labels are 0 to 9");
        }
      }
      return labels;
    }
  }

  private static INDArray oneHot(int[] labels, int classes) {
    INDArray y = Nd4j.zeros(DataType.FLOAT, labels.length, classes);
    for (int i = 0; i < labels.length; i++) {
      y.putScalar(i, labels[i], 1f);
    }
    return y;
  }

  private static DataInputStream open(Path directory, String name) throws IOException {
    Path gz = directory.resolve(name + ".gz");
    Path plain = directory.resolve(name);
    InputStream in;
    if (Files.exists(gz)) {
      in = new GZIPInputStream(Files.newInputStream(gz), 1 << 16);
    } else if (Files.exists(plain)) {
      in = Files.newInputStream(plain);
    } else {
      throw new IOException("no " + name + " or " + name + ".gz in " + directory
          + " (expected the standard MNIST/Fashion-MNIST IDX files)");
    }
    return new DataInputStream(new BufferedInputStream(in, 1 << 16));
  }

  private static void expectMagic(Path directory, String name, int magic, int expected)
      throws IOException {
    if (magic != expected) {
      throw new IOException(directory.resolve(name) + " is not an IDX file: magic number 0x"
          + Integer.toHexString(magic) + ", expected 0x" + Integer.toHexString(expected));
    }
  }
}
