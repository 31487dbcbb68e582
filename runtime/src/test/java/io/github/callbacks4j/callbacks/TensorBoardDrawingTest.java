package io.github.callbacks4j.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
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
}
