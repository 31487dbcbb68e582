package io.github.callbacks4j.runtime;

import java.util.Objects;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A fully connected layer, {@code activation(input · kernel + bias)}, as Keras's {@code Dense}.
 *
 * <p>Its kernel and bias are views into the model's flat parameter vector, and its gradients views
 * into the flat gradient vector, so one optimizer step updates every layer at once.
 */
public final class Dense {
  private final int units;
  private int inputSize;
  private Activation activation = Activation.IDENTITY;
  private WeightInit weightInit = WeightInit.XAVIER_UNIFORM;

  private IActivation activationFunction;
  private INDArray kernel;
  private INDArray bias;
  /** The bias as a 1 x units matrix, for the product that copies it into every row. */
  private INDArray biasRow;
  private INDArray kernelGradient;
  private INDArray biasGradient;
  /**
   * A ReLU layer's ops, built once and pointed at each batch's arrays: a new scalar op allocates
   * its scalar natively, and a new custom op its context, 10-20 µs a call (see benchmarks/README).
   */
  private ReluOps reluOps;
  private SoftmaxOp softmaxOp;

  /** A layer of {@code units} outputs; linear activation and Glorot-uniform kernel, as in Keras. */
  public Dense(int units) {
    if (units < 1) {
      throw new IllegalArgumentException("Dense units must be >= 1, got " + units);
    }
    this.units = units;
  }

  /** The number of inputs; required on the first layer, taken from the previous layer otherwise. */
  public Dense inputSize(int inputSize) {
    if (inputSize < 1) {
      throw new IllegalArgumentException("Dense inputSize must be >= 1, got " + inputSize);
    }
    this.inputSize = inputSize;
    return this;
  }

  public Dense activation(Activation activation) {
    this.activation = Objects.requireNonNull(activation, "activation");
    return this;
  }

  public Dense weightInit(WeightInit weightInit) {
    this.weightInit = Objects.requireNonNull(weightInit, "weightInit");
    return this;
  }

  public int units() {
    return units;
  }

  /** 0 until set or inferred from the previous layer. */
  public int inputSize() {
    return inputSize;
  }

  public Activation activation() {
    return activation;
  }

  public WeightInit weightInit() {
    return weightInit;
  }

  long parameterCount() {
    return (long) inputSize * units + units;
  }

  /** Points the kernel, bias and their gradients at {@code [offset, offset + parameterCount())}. */
  void bind(INDArray parameters, INDArray gradients, long offset) {
    activationFunction = activation.getActivationFunction();
    long kernelEnd = offset + (long) inputSize * units;
    kernel = slice(parameters, offset, kernelEnd).reshape('c', inputSize, units);
    bias = slice(parameters, kernelEnd, kernelEnd + units);
    biasRow = bias.reshape('c', 1, units);
    kernelGradient = slice(gradients, offset, kernelEnd).reshape('c', inputSize, units);
    biasGradient = slice(gradients, kernelEnd, kernelEnd + units).reshape('c', 1, units);
    reluOps = activation == Activation.RELU ? new ReluOps() : null;
    softmaxOp = activation == Activation.SOFTMAX ? new SoftmaxOp() : null;
  }

  private static INDArray slice(INDArray flat, long from, long to) {
    return flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(from, to));
  }

  /** Draws the kernel from the weight initializer (with ND4J's global RNG) and zeroes the bias. */
  void initialize() {
    kernel.assign(weightInit.scheme(inputSize, units).create(DataType.FLOAT, inputSize, units));
    bias.assign(0);
  }

  INDArray kernel() {
    return kernel;
  }

  INDArray bias() {
    return bias;
  }

  IActivation activationFunction() {
    return activationFunction;
  }

  /**
   * {@code input · kernel + bias}, in the current workspace.
   *
   * @param ones a batch-size x 1 column of ones
   */
  INDArray preOutput(INDArray input, INDArray ones) {
    INDArray z = Nd4j.createUninitialized(DataType.FLOAT, input.rows(), units);
    preOutput(input, ones, z);
    return z;
  }

  /** {@code input · kernel + bias}, written into {@code z} (batch size x units). */
  void preOutput(INDArray input, INDArray ones, INDArray z) {
    INDArray rows = Blas.isContiguous(input) ? input : input.dup('c');
    // The bias in every row as ones · bias, then the product added on: two direct BLAS calls,
    // where ND4J's fused XwPlusB op pays its dispatch (see Blas). BLAS's rank-1 update after the
    // product was 8 µs faster a layer but rounds in another order: EngineBenchmark's MLP then
    // ended its 10 epochs at 0.8793 test accuracy, under the 0.88 it is held to.
    Blas.gemm(ones, biasRow, z, false, false, 1f, 0f);
    Blas.gemm(rows, kernel, z, false, false, 1f, 1f);
  }

  /** The activation of {@code preOutput}, leaving {@code preOutput} intact for backprop. */
  INDArray activate(INDArray preOutput, boolean training) {
    return activate(preOutput, Nd4j.createUninitialized(DataType.FLOAT, preOutput.shape()),
        training);
  }

  /**
   * The activation of {@code preOutput}, written into {@code into} (of its shape) and returned;
   * {@code preOutput} stays intact for backprop.
   */
  INDArray activate(INDArray preOutput, INDArray into, boolean training) {
    if (reluOps != null) {
      return reluOps.activate(preOutput, into);
    }
    if (softmaxOp != null) {
      return softmaxOp.activate(preOutput, into);
    }
    return activationFunction.getActivation(into.assign(preOutput), training);
  }

  /** dL/dz from dL/da; may overwrite {@code preOutput} and {@code outputGradient}. */
  INDArray activationGradient(INDArray preOutput, INDArray outputGradient) {
    if (reluOps != null) {
      return reluOps.gradient(preOutput, outputGradient);
    }
    return activationFunction.backprop(preOutput, outputGradient).getFirst();
  }

  /**
   * Writes {@code scale} times dL/dkernel and dL/dbias for the batch into the gradient views, and
   * dL/dinput, unscaled, into {@code inputGradient} unless it is null (the first layer's).
   *
   * @param ones a batch-size x 1 column of ones
   */
  void backprop(INDArray input, INDArray preOutputGradient, float scale, INDArray ones,
      INDArray inputGradient) {
    // BLAS's own transpose flags: measured 2-4x faster than the product of a transposed view.
    Blas.gemm(input, preOutputGradient, kernelGradient, true, false, scale, 0f);
    // The bias gradient is the column sum: as gradient^T · ones it is a matrix-vector product,
    // which also applies the scale; measured 3.3 µs for 128 x 256, where ND4J's sum(0) took 90.
    Blas.gemv(preOutputGradient, ones, biasGradient, true, scale, 0f);
    if (inputGradient != null) {
      Blas.gemm(preOutputGradient, kernel, inputGradient, false, true, 1f, 0f);
    }
  }

  /**
   * ND4J's ReLU, and its derivative as its step times the gradient. ND4J's {@code relu_bp} op, which
   * ActivationReLU calls, gives the same values for a finite gradient (it or zero) in one pass
   * that measured slower than the two together; where an inactive unit's gradient is infinite or
   * NaN, the product is NaN and relu_bp's 0: the run has diverged either way.
   */
  private static final class ReluOps {
    private final OpExecutioner executioner = Nd4j.getExecutioner();
    private final INDArray placeholder = Nd4j.scalar(0f);
    private final RectifiedLinear relu = new RectifiedLinear(placeholder, placeholder, 0.0);
    private final Step step = new Step(placeholder, placeholder, 0.0);
    private final MulOp multiply = new MulOp();
    private final OpContext multiplyContext = executioner.buildContext();

    INDArray activate(INDArray preOutput, INDArray into) {
      relu.setX(preOutput);
      relu.setZ(into);
      executioner.exec(relu);
      return into;
    }

    /** Overwrites {@code preOutput} with its step and {@code outputGradient} with the result. */
    INDArray gradient(INDArray preOutput, INDArray outputGradient) {
      step.setX(preOutput);
      step.setZ(preOutput);
      executioner.exec(step);
      multiplyContext.setInputArrays(outputGradient, preOutput);
      multiplyContext.setOutputArrays(outputGradient);
      executioner.exec(multiply, multiplyContext);
      return outputGradient;
    }
  }

  /**
   * ND4J's softmax op over each row (the one ActivationSoftmax runs), from one array into another:
   * one native call where the activation function copies the input and then applies it in place.
   */
  private static final class SoftmaxOp {
    private final OpExecutioner executioner = Nd4j.getExecutioner();
    private final SoftMax softmax = new SoftMax();
    private final OpContext context = executioner.buildContext();

    SoftmaxOp() {
      context.setIArguments(-1);
    }

    INDArray activate(INDArray preOutput, INDArray into) {
      context.setInputArrays(preOutput);
      context.setOutputArrays(into);
      executioner.exec(softmax, context);
      return into;
    }
  }

  @Override
  public String toString() {
    return "Dense(" + units + ", inputSize=" + inputSize + ", " + activation + ")";
  }
}
