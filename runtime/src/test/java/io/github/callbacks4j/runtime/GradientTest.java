package io.github.callbacks4j.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** One SGD step with rate 1 moves every parameter by minus its gradient: check it numerically. */
class GradientTest {
  private static Sequential model() {
    return new Sequential().seed(3)
        .add(new Dense(5).inputSize(4).activation(Activation.TANH))
        .add(new Dense(3).activation(Activation.SOFTMAX))
        .compile(LossFunction.MCXENT, new Sgd(1.0));
  }

  @Test
  void everyWeightAndBiasMovesByTheBatchMeanGradient() {
    // 7 samples, so the batch mean's 1/n is not a power of two.
    INDArray x = Nd4j.rand(DataType.FLOAT, 7, 4).subi(0.5).muli(2);
    INDArray y = Nd4j.zeros(DataType.FLOAT, 7, 3);
    for (int i = 0; i < 7; i++) {
      y.putScalar(i, i % 3, 1f);
    }
    Sequential model = model();
    INDArray before = model.parameters();
    model.trainOnBatch(x, y);
    INDArray step = before.sub(model.parameters());

    Sequential probe = model();
    double h = 1e-2;
    for (int i = 0; i < before.length(); i++) {
      INDArray plus = before.dup();
      plus.putScalar(i, before.getDouble(i) + h);
      probe.setParameters(plus);
      double lossPlus = probe.testOnBatch(x, y).get("loss");
      INDArray minus = before.dup();
      minus.putScalar(i, before.getDouble(i) - h);
      probe.setParameters(minus);
      double lossMinus = probe.testOnBatch(x, y).get("loss");
      double numerical = (lossPlus - lossMinus) / (2 * h);
      assertEquals(numerical, step.getDouble(i), 2e-3, "parameter " + i);
    }
  }

  @Test
  void setParametersRejectsTheWrongCount() {
    Sequential model = model();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> model.setParameters(Nd4j.zeros(DataType.FLOAT, 1, 10)));
    assertEquals("setParameters needs 43 values (this model's parameterCount()), got 10",
        e.getMessage());
  }
}
