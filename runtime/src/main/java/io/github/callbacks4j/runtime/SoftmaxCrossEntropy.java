package io.github.callbacks4j.runtime;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.api.ops.BaseOp;
import org.nd4j.linalg.api.ops.impl.transforms.comparison.CompareAndSet;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Log;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * A softmax output layer's categorical cross-entropy and its gradient from the layer's output,
 * computed once: ND4J's {@code LossMCXENT} computes the softmax again for the score and again for
 * the gradient, about ten native calls and 130-250 µs for a batch of 128 x 10. The gradient is
 * LossMCXENT's, {@code output - labels}, to the bit; the loss is its value to float rounding: the
 * mean of {@code -labels · log(output)} with the output clipped as ND4J clips it, summed by BLAS.
 */
final class SoftmaxCrossEntropy {
  /** ND4J's LossMCXENT keeps the output inside [eps, 1 - eps] before the log (its default). */
  private static final double CLIP = 1e-10;

  private final OpExecutioner executioner = Nd4j.getExecutioner();
  private final INDArray placeholder = Nd4j.scalar(0f);
  // ND4J's own clipping op (BooleanIndexing.replaceWhere's): a NaN output stays NaN, so a
  // diverging run logs a NaN loss as it would through LossMCXENT, where a max would hide it.
  private final CompareAndSet clipBelow =
      new CompareAndSet(placeholder, placeholder, CLIP, Conditions.lessThan(CLIP));
  private final CompareAndSet clipAbove =
      new CompareAndSet(placeholder, placeholder, 1 - CLIP, Conditions.greaterThan(1 - CLIP));
  private final Log log = new Log(placeholder, placeholder);

  /** Built outside any workspace, as the scalar ops' scalars must outlive every batch. */
  private SoftmaxCrossEntropy() {}

  /** The fused loss for {@code loss} after a softmax output, or null where it does not apply. */
  static SoftmaxCrossEntropy forOutput(LossFunction loss, Dense output) {
    boolean crossEntropy = loss == LossFunction.MCXENT
        || loss == LossFunction.NEGATIVELOGLIKELIHOOD;
    return crossEntropy && output.activation() == org.nd4j.linalg.activations.Activation.SOFTMAX
        ? new SoftmaxCrossEntropy() : null;
  }

  /**
   * The batch mean of the loss; {@code probabilities} is the softmax output, left intact, and
   * {@code logs} an array of its shape that this overwrites.
   */
  double meanLoss(INDArray labels, INDArray probabilities, INDArray logs) {
    run(clipBelow, probabilities, logs);
    run(clipAbove, logs, logs);
    run(log, logs, logs);
    return -Blas.dot(Blas.contiguous(labels), logs) / probabilities.rows();
  }

  /** dL/dz per sample, {@code probabilities - labels}, written over {@code probabilities}. */
  INDArray gradientInPlace(INDArray labels, INDArray probabilities) {
    Blas.axpy(-1f, Blas.contiguous(labels), probabilities);
    return probabilities;
  }

  private void run(BaseOp op, INDArray input, INDArray output) {
    op.setX(input);
    op.setZ(output);
    executioner.exec(op);
  }
}
