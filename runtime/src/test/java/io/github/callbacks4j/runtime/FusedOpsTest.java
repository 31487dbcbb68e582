package io.github.callbacks4j.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The engine's own calls for a ReLU layer, a softmax cross-entropy output and Adam's update give
 * ND4J's values: those of ActivationReLU, LossMCXENT and Adam's GradientUpdater, which DL4J and
 * the engine before them used.
 */
class FusedOpsTest {
  private static final int ROWS = 37;
  private static final int CLASSES = 10;

  private static Dense bound(Dense layer) {
    long count = layer.parameterCount();
    layer.bind(Nd4j.create(DataType.FLOAT, 1, count), Nd4j.create(DataType.FLOAT, 1, count), 0);
    return layer;
  }

  private static INDArray oneHot(int rows, int classes) {
    INDArray y = Nd4j.zeros(DataType.FLOAT, rows, classes);
    for (int i = 0; i < rows; i++) {
      y.putScalar(i, (i * 7) % classes, 1f);
    }
    return y;
  }

  private static void assertSameValues(INDArray expected, INDArray actual) {
    float[] e = expected.dup().reshape(expected.length()).toFloatVector();
    float[] a = actual.dup().reshape(actual.length()).toFloatVector();
    assertEquals(e.length, a.length);
    for (int i = 0; i < e.length; i++) {
      // == rather than bits: the step-and-multiply gradient may give -0 where relu_bp gives 0.
      assertTrue(e[i] == a[i] || Float.isNaN(e[i]) && Float.isNaN(a[i]),
          "element " + i + ": expected " + e[i] + ", got " + a[i]);
    }
  }

  @Test
  void softmaxCrossEntropyGivesLossMcxentsScoreAndGradient() {
    for (LossFunction loss : new LossFunction[] {LossFunction.MCXENT,
        LossFunction.NEGATIVELOGLIKELIHOOD}) {
      // Logits up to +-60 put some probabilities under LossMCXENT's 1e-10 clip.
      INDArray preOutput = Nd4j.rand(DataType.FLOAT, ROWS, CLASSES).subi(0.5).muli(120);
      INDArray labels = oneHot(ROWS, CLASSES);
      Pair<Double, INDArray> expected = loss.getILossFunction().computeGradientAndScore(
          labels, preOutput.dup(), new ActivationSoftmax(), null, true);

      Dense output = bound(new Dense(CLASSES).inputSize(3).activation(Activation.SOFTMAX));
      SoftmaxCrossEntropy fused = SoftmaxCrossEntropy.forOutput(loss, output);
      assertNotNull(fused, loss + " after softmax");
      INDArray probabilities = output.activate(preOutput, true);
      double score = fused.meanLoss(labels, probabilities, probabilities.ulike());
      INDArray gradient = fused.gradientInPlace(labels, probabilities);

      assertEquals(expected.getFirst(), score, 1e-6 * Math.abs(expected.getFirst()), loss.name());
      assertSameValues(expected.getSecond(), gradient);
    }
  }

  @Test
  void softLabelsGiveLossMcxentsScore() {
    INDArray preOutput = Nd4j.randn(DataType.FLOAT, ROWS, CLASSES);
    INDArray labels = Nd4j.rand(DataType.FLOAT, ROWS, CLASSES);
    labels.diviColumnVector(labels.sum(true, 1));
    double expected = LossFunction.MCXENT.getILossFunction().computeScore(
        labels, preOutput.dup(), new ActivationSoftmax(), null, true);
    Dense output = bound(new Dense(CLASSES).inputSize(3).activation(Activation.SOFTMAX));
    double score = SoftmaxCrossEntropy.forOutput(LossFunction.MCXENT, output)
        .meanLoss(labels, output.activate(preOutput, true), labels.ulike());
    assertEquals(expected, score, 1e-6 * expected);
  }

  @Test
  void aNanOutputGivesANanLoss() {
    INDArray preOutput = Nd4j.randn(DataType.FLOAT, ROWS, CLASSES);
    preOutput.putScalar(5, 2, Float.NaN);
    Dense output = bound(new Dense(CLASSES).inputSize(3).activation(Activation.SOFTMAX));
    double score = SoftmaxCrossEntropy.forOutput(LossFunction.MCXENT, output)
        .meanLoss(oneHot(ROWS, CLASSES), output.activate(preOutput, true), preOutput.ulike());
    assertTrue(Double.isNaN(score), "loss " + score);
  }

  @Test
  void onlyCrossEntropyAfterSoftmaxIsFused() {
    Dense softmax = new Dense(CLASSES).activation(Activation.SOFTMAX);
    Dense sigmoid = new Dense(CLASSES).activation(Activation.SIGMOID);
    assertNull(SoftmaxCrossEntropy.forOutput(LossFunction.MSE, softmax));
    assertNull(SoftmaxCrossEntropy.forOutput(LossFunction.XENT, softmax));
    assertNull(SoftmaxCrossEntropy.forOutput(LossFunction.MCXENT, sigmoid));
  }

  @Test
  void aReluLayerGivesActivationRelusValuesAndGradients() {
    INDArray preOutput = Nd4j.randn(DataType.FLOAT, ROWS, 24);
    preOutput.putScalar(0, 0, 0f); // ReLU's kink: its gradient there is 0, as in ND4J
    preOutput.putScalar(1, 1, -0f);
    INDArray outputGradient = Nd4j.randn(DataType.FLOAT, ROWS, 24);
    ActivationReLU relu = new ActivationReLU();
    INDArray expectedActivation = relu.getActivation(preOutput.dup(), true);
    INDArray expectedGradient = relu.backprop(preOutput.dup(), outputGradient.dup()).getFirst();

    Dense layer = bound(new Dense(24).inputSize(3).activation(Activation.RELU));
    INDArray activation = layer.activate(preOutput, true);
    assertSameValues(expectedActivation, activation);
    assertSameValues(expectedGradient, layer.activationGradient(preOutput, outputGradient));
  }

  @Test
  void aNonFiniteGradientAtAnInactiveReluUnitGivesNan() {
    // relu_bp would give 0 there; a run whose gradients are infinite has diverged either way.
    INDArray preOutput = Nd4j.create(new float[] {-1f, 2f, -3f}, 1, 3);
    INDArray outputGradient = Nd4j.create(new float[] {Float.POSITIVE_INFINITY, 5f, 7f}, 1, 3);
    Dense layer = bound(new Dense(3).inputSize(3).activation(Activation.RELU));
    INDArray gradient = layer.activationGradient(preOutput, outputGradient);
    assertTrue(Float.isNaN(gradient.getFloat(0)), gradient::toString);
    assertEquals(5f, gradient.getFloat(1));
    assertEquals(0f, gradient.getFloat(2));
  }

  @Test
  void adamStepsGiveNd4jsAdamUpdaterToTheBit() {
    int count = 3000;
    INDArray parameters = Nd4j.rand(DataType.FLOAT, 1, count);
    INDArray expectedParameters = parameters.dup();
    Optimizer optimizer = new Optimizer(new Adam(1e-2), null, count);
    Adam config = new Adam(1e-2);
    INDArray state = Nd4j.create(DataType.FLOAT, 1, config.stateSize(count));
    GradientUpdater<?> reference = config.instantiate(state, true);
    // One gradient array for every step, as a model's, then another, as a rebuilt model's.
    INDArray gradients = Nd4j.create(DataType.FLOAT, 1, count);
    for (int step = 0; step < 12; step++) {
      if (step == 6) { // as ReduceLROnPlateau does, between batches
        optimizer.setLearningRate(1e-3);
        config.setLrAndSchedule(1e-3, null);
      }
      if (step == 9) {
        gradients = Nd4j.create(DataType.FLOAT, 1, count);
      }
      INDArray gradient = Nd4j.randn(DataType.FLOAT, 1, count);
      INDArray expectedUpdate = gradient.dup();
      reference.applyUpdater(expectedUpdate, step, 0);
      expectedParameters.subi(expectedUpdate);
      gradients.assign(gradient);
      optimizer.step(parameters, gradients, 0);
    }
    assertSameValues(expectedParameters, parameters);
    assertSameValues(state, optimizer.state());
  }
}
