package io.github.callbacks4j.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The pieces of TensorBoard's graph and images that a fit of the digits model does not reach. */
class TensorBoardDrawingTest {
  @Test
  void activationsBecomeTensorFlowOpNames() {
    assertEquals(List.of("Identity", "Relu", "LeakyRelu", "HardSigmoid", "Relu6", "Softmax"),
        List.of("linear", "relu", "leaky_relu", "hard_sigmoid", "relu6", "softmax").stream()
            .map(DenseGraph::activationOp).toList());
  }

  /** {@code tf.image.convert_image_dtype(x, tf.uint8, saturate=True)}: x * 255.5, clipped, cast. */
  @Test
  void intensitiesConvertAsTensorFlowDoes() {
    assertEquals(List.of(0, 0, 0, 127, 255, 255, 0),
        List.of(-0.5f, 0f, 0.003f, 0.5f, 1f, 7f, Float.NaN).stream()
            .map(WeightImage::intensity).toList());
  }

  /** Keras squeezes the weight first: no image of a scalar or of more than two dimensions. */
  @Test
  void onlyVectorsAndMatricesAreDrawn() {
    assertTrue(WeightImage.of(new float[] {0.5f}, new int[] {1, 1}).isEmpty());
    assertTrue(WeightImage.of(new float[8], new int[] {2, 2, 2}).isEmpty());
    WeightImage column = WeightImage.of(new float[3], new int[] {3, 1}).orElseThrow();
    assertEquals(List.of(1, 3), List.of(column.height(), column.width()));
  }

  /** The pixels of a weight image, [y][x], decoded from its PNG. */
  private static List<List<Integer>> pixels(WeightImage image) {
    try {
      BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(image.png()));
      assertEquals(List.of(image.height(), image.width()),
          List.of(decoded.getHeight(), decoded.getWidth()));
      int[][] rows = new int[decoded.getHeight()][decoded.getWidth()];
      for (int y = 0; y < rows.length; y++) {
        for (int x = 0; x < rows[y].length; x++) {
          rows[y][x] = decoded.getRaster().getSample(x, y, 0);
        }
      }
      return Arrays.stream(rows).map(row -> Arrays.stream(row).boxed().toList()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A square kernel is drawn as it is (row-major, rows as image rows), a tall one transposed. */
  @Test
  void squareMatricesAreDrawnAsTheyAreTallOnesTransposed() {
    assertEquals(List.of(List.of(0, 255), List.of(0, 127)),
        pixels(WeightImage.of(new float[] {0, 1, 0, 0.5f}, new int[] {2, 2}).orElseThrow()));
    // [3, 2]: rows (0, 0.2), (0.4, 0.6), (0.8, 1) become the columns of a 2 x 3 image
    assertEquals(List.of(List.of(0, 102, 204), List.of(51, 153, 255)),
        pixels(WeightImage.of(new float[] {0, 0.2f, 0.4f, 0.6f, 0.8f, 1}, new int[] {3, 2})
            .orElseThrow()));
  }

  @Test
  void valuesThatDoNotFillTheShapeAreRefused() {
    IllegalArgumentException e = assertThrows(
        IllegalArgumentException.class, () -> WeightImage.of(new float[5], new int[] {2, 3}));
    assertEquals("a weight of shape [2, 3] has 6 values, got 5", e.getMessage());
  }
}
