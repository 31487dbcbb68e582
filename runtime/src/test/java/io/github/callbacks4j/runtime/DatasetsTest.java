package io.github.callbacks4j.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.callbacks4j.runtime.Datasets.LabeledData;
import io.github.callbacks4j.runtime.Datasets.TrainTest;
import io.github.callbacks4j.runtime.Datasets.TrainValidation;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DatasetsTest {

  @Test
  void digitsAreSplitEightyTwentyWithOneHotLabels() {
    TrainTest digits = Datasets.digits();
    assertArrayEquals(new long[] {1437, 64}, digits.train().x().shape());
    assertArrayEquals(new long[] {1437, 10}, digits.train().y().shape());
    assertArrayEquals(new long[] {360, 64}, digits.test().x().shape());
    assertArrayEquals(new long[] {360, 10}, digits.test().y().shape());
    for (LabeledData part : new LabeledData[] {digits.train(), digits.test()}) {
      assertOneHot(part.y());
      assertEquals(0.0, part.x().minNumber().doubleValue());
      assertEquals(1.0, part.x().maxNumber().doubleValue());
    }
  }

  @Test
  void theDigitsShuffleIsFixedBySeed() {
    TrainTest first = Datasets.digits();
    TrainTest again = Datasets.digits(Datasets.DIGITS_SEED);
    TrainTest other = Datasets.digits(7);
    assertEquals(first.train().x(), again.train().x());
    assertEquals(first.test().y(), again.test().y());
    assertNotEquals(first.test().x(), other.test().x());
    // another seed reorders the same 1797 samples: same class counts, same pixel total
    assertEquals(classCounts(first.train().y()).add(classCounts(first.test().y())),
        classCounts(other.train().y()).add(classCounts(other.test().y())));
    assertEquals(first.train().x().sumNumber().doubleValue() + first.test().x().sumNumber().doubleValue(),
        other.train().x().sumNumber().doubleValue() + other.test().x().sumNumber().doubleValue(), 1e-2);
    // the file is ordered by writer, so a shuffled test set has every class
    assertTrue(classCounts(first.test().y()).minNumber().doubleValue() > 20, "every class is tested");
  }

  @Test
  void validationSplitHoldsOutTheLastRows() {
    LabeledData data = numbered(10);
    TrainValidation split = data.validationSplit(0.25); // floor(10 * 0.75) = 7 train rows
    assertEquals(7, split.train().samples());
    assertEquals(3, split.validation().samples());
    assertEquals(6.0, split.train().x().getDouble(6, 0));
    assertEquals(7.0, split.validation().x().getDouble(0, 0));
    assertEquals(9.0, split.validation().y().getDouble(2, 0));
  }

  @Test
  void validationSplitNamesABadFraction() {
    for (double fraction : new double[] {0, 1, -0.1, 1.5, Double.NaN}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> numbered(10).validationSplit(fraction));
      assertTrue(e.getMessage().contains("got " + fraction), e.getMessage());
    }
    IllegalArgumentException noTraining = assertThrows(IllegalArgumentException.class,
        () -> numbered(3).validationSplit(0.9)); // floor(3 * 0.1) = 0 training rows
    assertEquals("validationSplit(0.9) of 3 samples leaves no training rows; use a fraction"
        + " that keeps at least one row on each side", noTraining.getMessage());
    IllegalArgumentException noValidation = assertThrows(IllegalArgumentException.class,
        () -> numbered(3).validationSplit(1e-17)); // 1 - 1e-17 rounds to 1
    assertTrue(noValidation.getMessage().contains("leaves no validation rows"),
        noValidation.getMessage());
  }

  @Test
  void readsGzippedAndPlainIdxFilesInFileOrder(@TempDir Path dir) throws IOException {
    // training pair gzipped (as downloaded), test pair unpacked
    writeImages(dir.resolve("train-images-idx3-ubyte.gz"), 0, 255, 51);
    writeLabels(dir.resolve("train-labels-idx1-ubyte.gz"), 7, 0, 9);
    writeImages(dir.resolve("t10k-images-idx3-ubyte"), 255, 0);
    writeLabels(dir.resolve("t10k-labels-idx1-ubyte"), 3, 4);

    TrainTest data = Datasets.fashionMnist(dir);
    assertArrayEquals(new long[] {3, 4}, data.train().x().shape()); // 2x2 images, flattened
    assertArrayEquals(new long[] {3, 10}, data.train().y().shape());
    assertArrayEquals(new long[] {2, 4}, data.test().x().shape());
    assertEquals(0.0, data.train().x().getDouble(0, 0));   // file order kept: image 0 is 0s
    assertEquals(1.0, data.train().x().getDouble(1, 3));   // 255 scales to 1
    assertEquals(0.2, data.train().x().getDouble(2, 1), 1e-6); // 51 / 255
    assertEquals(1.0, data.train().y().getDouble(0, 7));
    assertEquals(1.0, data.train().y().getDouble(2, 9));
    assertEquals(1.0, data.test().y().getDouble(1, 4));
    assertOneHot(data.train().y());
    assertEquals(data.test().x(), Datasets.mnist(dir).test().x());
    assertEquals(data.train().y(), Datasets.mnist(dir, true).y());
  }

  @Test
  void aMissingFileIsNamedWithTheExpectedNames(@TempDir Path dir) throws IOException {
    writeImages(dir.resolve("train-images-idx3-ubyte.gz"), 1, 0);
    IOException e = assertThrows(IOException.class, () -> Datasets.fashionMnist(dir));
    assertEquals("no " + dir.resolve("train-labels-idx1-ubyte.gz") + " (nor"
        + " train-labels-idx1-ubyte unpacked): Fashion-MNIST needs the four IDX files"
        + " train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte,"
        + " t10k-labels-idx1-ubyte in one directory, each gzipped with .gz or not", e.getMessage());
  }

  @Test
  void brokenIdxFilesAreNamed(@TempDir Path dir) throws IOException {
    Path images = dir.resolve("train-images-idx3-ubyte");
    Path labels = dir.resolve("train-labels-idx1-ubyte");
    writeImages(images, 0, 0);
    writeLabels(labels, 1, 2, 3);
    assertMessage("has 3 labels but " + images + " has 2 images", () -> Datasets.mnist(dir, true));

    writeLabels(labels, 1, 2);
    Files.write(images, Arrays.copyOf(Files.readAllBytes(images), 20));
    assertMessage(images + " is truncated: 4 of 8 pixel bytes", () -> Datasets.mnist(dir, true));

    Files.write(images, new byte[] {0, 0, 8});
    assertMessage(images + " is truncated: it ends inside the IDX header",
        () -> Datasets.mnist(dir, true));

    Files.copy(labels, images, StandardCopyOption.REPLACE_EXISTING);
    assertMessage(images + " is not an IDX image file: magic number 0x801, expected 0x803",
        () -> Datasets.mnist(dir, true));

    Files.delete(images);
    Files.write(dir.resolve("train-images-idx3-ubyte.gz"), new byte[] {1, 2, 3, 4});
    assertMessage("train-images-idx3-ubyte.gz is not gzipped", () -> Datasets.mnist(dir, true));

    writeImages(dir.resolve("train-images-idx3-ubyte.gz"), 1, 0);
    writeLabels(labels, 10);
    assertMessage(labels + ": label 10 at index 0 is not a class 0..9",
        () -> Datasets.mnist(dir, true));
  }

  /** The real files, when Debian's dataset-fashion-mnist or the shared copy is on this machine. */
  @Test
  void readsDebiansFashionMnist() throws IOException {
    Path dir = Stream.of(Path.of("/usr/share/datasets/fashion-mnist"),
            Path.of("../../shared/datasets/fashion-mnist"), Path.of("../shared/datasets/fashion-mnist"))
        .filter(d -> Files.isRegularFile(d.resolve("t10k-images-idx3-ubyte.gz")))
        .findFirst().orElse(null);
    assumeTrue(dir != null, "Fashion-MNIST's IDX files are not installed");
    TrainTest data = Datasets.fashionMnist(dir);
    assertArrayEquals(new long[] {60000, 784}, data.train().x().shape());
    assertArrayEquals(new long[] {10000, 784}, data.test().x().shape());
    assertOneHot(data.test().y());
    // Fashion-MNIST is balanced: 6000 training and 1000 test images per class
    assertEquals(Nd4j.valueArrayOf(new long[] {10}, 6000f), classCounts(data.train().y()));
    assertEquals(Nd4j.valueArrayOf(new long[] {10}, 1000f), classCounts(data.test().y()));
    assertEquals(1.0, data.test().x().maxNumber().doubleValue());
  }

  private static void assertOneHot(INDArray y) {
    assertEquals(Nd4j.ones(DataType.FLOAT, y.rows()), y.sum(1));
    assertEquals(1.0, y.maxNumber().doubleValue());
    assertEquals(0.0, y.minNumber().doubleValue());
  }

  private static INDArray classCounts(INDArray oneHot) {
    return oneHot.sum(0);
  }

  private static void assertMessage(String expectedPart,
      Executable load) {
    IOException e = assertThrows(IOException.class, load);
    assertTrue(e.getMessage().contains(expectedPart), e.getMessage());
  }

  /** Rows whose features and labels are both the row number: row i is (i, i). */
  private static LabeledData numbered(int rows) {
    INDArray column = Nd4j.arange(rows).castTo(DataType.FLOAT).reshape(rows, 1);
    return new LabeledData(column, column.dup());
  }

  /** One 2x2 image per value, all four pixels that value. */
  private static void writeImages(Path file, int... values) throws IOException {
    try (DataOutputStream out = idx(file)) {
      out.writeInt(0x803);
      out.writeInt(values.length);
      out.writeInt(2);
      out.writeInt(2);
      for (int value : values) {
        for (int pixel = 0; pixel < 4; pixel++) {
          out.writeByte(value);
        }
      }
    }
  }

  private static void writeLabels(Path file, int... labels) throws IOException {
    try (DataOutputStream out = idx(file)) {
      out.writeInt(0x801);
      out.writeInt(labels.length);
      for (int label : labels) {
        out.writeByte(label);
      }
    }
  }

  private static DataOutputStream idx(Path file) throws IOException {
    OutputStream out = Files.newOutputStream(file);
    return new DataOutputStream(file.toString().endsWith(".gz") ? new GZIPOutputStream(out) : out);
  }
}
