package io.github.callbacks4j.runtime;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.EOFException;
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
 * Small real data sets, as {@code keras.datasets}: each loader returns the training and test sets
 * ({@code (x_train, y_train), (x_test, y_test) = load_data()}), features scaled to 0..1 and
 * flattened to one sample per row, labels one-hot.
 *
 * <p>Row order: where the data comes with its own split (MNIST, Fashion-MNIST), the files' order,
 * exactly as Keras's {@code load_data()} returns it; where it does not (the digits, one file
 * ordered by writer), a shuffle drawn from a seed, then the last 20% as the test set, as
 * scikit-learn's {@code train_test_split}. Either way the order is fixed, so a run is repeatable;
 * {@code fit} shuffles the training batches every epoch ({@code FitOptions.shuffle}).
 *
 * <p>{@link #digits()} is bundled: the UCI Optical Recognition of Handwritten Digits (8x8 images,
 * 1797 samples, CC BY 4.0, as shipped in scikit-learn). {@link #mnist(Path)} and
 * {@link #fashionMnist(Path)} read the four IDX files of MNIST (Yann LeCun and Corinna Cortes) or
 * Fashion-MNIST (Zalando Research, MIT licence), gzipped as downloaded or unpacked; Debian's
 * {@code dataset-fashion-mnist} package installs them in {@code /usr/share/datasets/fashion-mnist}.
 */
public final class Datasets {
  /** The seed {@link #digits()} shuffles with. */
  public static final long DIGITS_SEED = 42;

  private static final double TEST_FRACTION = 0.2;
  private static final int CLASSES = 10;
  private static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
  private static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
  private static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
  private static final String TEST_LABELS = "t10k-labels-idx1-ubyte";
  private static final List<String> IDX_FILES =
      List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);

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

    /**
     * Holds out the last {@code fraction} of the rows, as Keras's {@code validation_split} and
     * {@code FitOptions.validationSplit} do: the first {@code floor(samples * (1 - fraction))} rows
     * train, the rest validate (views, in order: shuffle first if the rows are sorted).
     *
     * @throws IllegalArgumentException unless {@code 0 < fraction < 1} and both parts have rows
     */
    public TrainValidation validationSplit(double fraction) {
      if (!(fraction > 0 && fraction < 1)) {
        throw new IllegalArgumentException("validationSplit fraction must be between 0 and 1"
            + " (exclusive), got " + fraction + "; 0.2 holds out the last 20% of the rows");
      }
      long samples = samples();
      long split = (long) Math.floor(samples * (1.0 - fraction));
      if (split == 0 || split == samples) {
        throw new IllegalArgumentException("validationSplit(" + fraction + ") of " + samples
            + " samples leaves " + (split == 0 ? "no training" : "no validation")
            + " rows; use a fraction that keeps at least one row on each side");
      }
      return new TrainValidation(rows(0, split), rows(split, samples));
    }
  }

  /** A data set's training and test sets, as Keras's {@code load_data()} returns them. */
  public record TrainTest(LabeledData train, LabeledData test) {}

  /** A training set and the validation rows held out of it. */
  public record TrainValidation(LabeledData train, LabeledData validation) {}

  private Datasets() {}

  /**
   * The bundled 8x8 digits, shuffled with {@link #DIGITS_SEED} and split 80/20: 1437 training and
   * 360 test samples of 64 pixels (0..16 scaled to 0..1), 10 classes.
   */
  public static TrainTest digits() {
    return digits(DIGITS_SEED);
  }

  /** The bundled 8x8 digits as {@link #digits()}, shuffled with {@code seed} instead. */
  public static TrainTest digits(long seed) {
    TrainValidation split = readDigits().shuffled(seed).validationSplit(TEST_FRACTION);
    return new TrainTest(split.train(), split.validation());
  }

  /**
   * MNIST from its four IDX files in {@code directory} ({@code train-images-idx3-ubyte},
   * {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte},
   * each gzipped with {@code .gz} or not): 60000 training and 10000 test samples of 784 pixels
   * (0..255 scaled to 0..1), 10 classes, in the files' order.
   *
   * @throws IOException naming the file when one is missing, truncated or not in IDX format
   */
  public static TrainTest mnist(Path directory) throws IOException {
    return idx(directory, "MNIST");
  }

  /**
   * Fashion-MNIST from its four IDX files in {@code directory}, named and laid out as MNIST's (see
   * {@link #mnist(Path)}): Keras's downloads as they are, or Debian's {@code dataset-fashion-mnist}
   * package, {@code Datasets.fashionMnist(Path.of("/usr/share/datasets/fashion-mnist"))}.
   */
  public static TrainTest fashionMnist(Path directory) throws IOException {
    return idx(directory, "Fashion-MNIST");
  }

  /**
   * One half of {@link #mnist(Path)}: the {@code train-} pair of IDX files, or the {@code t10k-}
   * pair when {@code train} is false.
   */
  public static LabeledData mnist(Path directory, boolean train) throws IOException {
    return train
        ? idx(directory, TRAIN_IMAGES, TRAIN_LABELS, "MNIST")
        : idx(directory, TEST_IMAGES, TEST_LABELS, "MNIST");
  }

  private static TrainTest idx(Path directory, String dataset) throws IOException {
    return new TrainTest(idx(directory, TRAIN_IMAGES, TRAIN_LABELS, dataset),
        idx(directory, TEST_IMAGES, TEST_LABELS, dataset));
  }

  private static LabeledData idx(Path directory, String imageFile, String labelFile,
      String dataset) throws IOException {
    Path imagePath = find(directory, imageFile, dataset);
    Path labelPath = find(directory, labelFile, dataset);
    INDArray x = images(imagePath);
    int[] labels = labels(labelPath);
    if (labels.length != x.rows()) {
      throw new IOException(labelPath + " has " + labels.length + " labels but " + imagePath
          + " has " + x.rows() + " images: the files are from different data sets");
    }
    return new LabeledData(x, oneHot(labels));
  }

  private static LabeledData readDigits() {
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
    return new LabeledData(x, oneHot(labels.stream().mapToInt(Integer::intValue).toArray()));
  }

  private static INDArray images(Path file) throws IOException {
    try (DataInputStream in = open(file)) {
      expectMagic(file, in.readInt(), 0x803);
      int count = in.readInt();
      int rows = in.readInt();
      int columns = in.readInt();
      if (count < 0 || rows < 1 || columns < 1
          || (long) count * rows * columns > Integer.MAX_VALUE - 8) {
        throw new IOException(file + " declares " + count + " images of "
            + rows + "x" + columns + " pixels: not an image set this loader can hold");
      }
      int pixels = rows * columns;
      byte[] raw = in.readNBytes(count * pixels);
      if (raw.length != count * pixels) {
        throw new IOException(file + " is truncated: " + raw.length + " of " + count * pixels
            + " pixel bytes");
      }
      float[] scaled = new float[raw.length];
      for (int i = 0; i < raw.length; i++) {
        scaled[i] = (raw[i] & 0xff) / 255f;
      }
      return Nd4j.create(scaled, new long[] {count, pixels}, DataType.FLOAT);
    } catch (EOFException e) {
      throw new IOException(file + " is truncated: it ends inside the IDX header", e);
    }
  }

  private static int[] labels(Path file) throws IOException {
    try (DataInputStream in = open(file)) {
      expectMagic(file, in.readInt(), 0x801);
      int count = in.readInt();
      if (count < 0) {
        throw new IOException(file + " declares " + count + " labels");
      }
      byte[] raw = in.readNBytes(count);
      if (raw.length != count) {
        throw new IOException(file + " is truncated: " + raw.length + " of " + count + " labels");
      }
      int[] labels = new int[count];
      for (int i = 0; i < count; i++) {
        labels[i] = raw[i] & 0xff;
        if (labels[i] >= CLASSES) {
          throw new IOException(file + ": label " + labels[i] + " at index " + i
              + " is not a class 0.." + (CLASSES - 1));
        }
      }
      return labels;
    } catch (EOFException e) {
      throw new IOException(file + " is truncated: it ends inside the IDX header", e);
    }
  }

  private static INDArray oneHot(int[] labels) {
    INDArray y = Nd4j.zeros(DataType.FLOAT, labels.length, CLASSES);
    for (int i = 0; i < labels.length; i++) {
      y.putScalar(i, labels[i], 1f);
    }
    return y;
  }

  /** {@code name.gz} or {@code name} in the directory, the gzipped one first. */
  private static Path find(Path directory, String name, String dataset) throws IOException {
    for (Path candidate : List.of(directory.resolve(name + ".gz"), directory.resolve(name))) {
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IOException("no " + directory.resolve(name + ".gz") + " (nor " + name + " unpacked):"
        + " " + dataset + " needs the four IDX files " + String.join(", ", IDX_FILES)
        + " in one directory, each gzipped with .gz or not");
  }

  private static DataInputStream open(Path file) throws IOException {
    InputStream in = Files.newInputStream(file);
    if (file.getFileName().toString().endsWith(".gz")) {
      try {
        in = new GZIPInputStream(in, 1 << 16);
      } catch (IOException e) {
        in.close();
        throw new IOException(file + " is not gzipped: " + e.getMessage()
            + "; unpacked IDX files are read without the .gz suffix", e);
      }
    }
    return new DataInputStream(new BufferedInputStream(in, 1 << 16));
  }

  private static void expectMagic(Path file, int magic, int expected) throws IOException {
    if (magic != expected) {
      throw new IOException(file + " is not an IDX " + (expected == 0x803 ? "image" : "label")
          + " file: magic number 0x" + Integer.toHexString(magic) + ", expected 0x"
          + Integer.toHexString(expected));
    }
  }
}
