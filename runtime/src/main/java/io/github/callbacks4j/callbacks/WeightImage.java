package io.github.callbacks4j.callbacks;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Optional;
import javax.imageio.ImageIO;

/**
 * A weight array drawn as a grayscale PNG, as Keras's TensorBoard draws one
 * ({@code _log_weight_as_image} then {@code tf.summary.image}): dimensions of size 1 are dropped;
 * a vector becomes one row; a matrix is transposed when it has more rows than columns, so the
 * image is wider than tall. Values are read as intensities in [0, 1] and converted as TensorFlow's
 * {@code convert_image_dtype} does (times 255.5, clipped to [0, 255], truncated), so negative
 * weights are black. Arrays of more than two dimensions of size above 1 are not drawn (Keras draws
 * them only for convolutions, which the engine does not have).
 */
record WeightImage(int height, int width, byte[] png) {

  /**
   * The image of {@code values} (row-major) of {@code shape}, or empty when it has none (a scalar,
   * or more than two dimensions).
   */
  static Optional<WeightImage> of(float[] values, int[] shape) {
    int[] squeezed = Arrays.stream(shape).filter(size -> size != 1).toArray();
    if (squeezed.length == 0 || squeezed.length > 2) {
      return Optional.empty();
    }
    int rows = squeezed.length == 1 ? 1 : squeezed[0];
    int columns = squeezed.length == 1 ? squeezed[0] : squeezed[1];
    if (rows * columns != values.length) {
      throw new IllegalArgumentException("a weight of shape " + Arrays.toString(shape) + " has "
          + rows * columns + " values, got " + values.length);
    }
    boolean transpose = rows > columns;
    int height = transpose ? columns : rows;
    int width = transpose ? rows : columns;
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        float value = transpose ? values[x * columns + y] : values[y * columns + x];
        image.getRaster().setSample(x, y, 0, intensity(value));
      }
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", png);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode a weight image as PNG", e);
    }
    return Optional.of(new WeightImage(height, width, png.toByteArray()));
  }

  /** TensorFlow's saturating float to uint8 conversion (NaN gives 0). */
  static int intensity(float value) {
    return (int) Math.max(0, Math.min(255, value * 255.5));
  }
}
