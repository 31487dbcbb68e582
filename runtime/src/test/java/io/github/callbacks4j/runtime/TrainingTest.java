package io.github.callbacks4j.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.callbacks4j.Callback;
import io.github.callbacks4j.Logs;
import io.github.callbacks4j.Model;
import io.github.callbacks4j.callbacks.History;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** The engine learns real data, reproducibly, and obeys the callbacks. */
class TrainingTest {
  private static final Digits DIGITS = Digits.load();

  @Test
  void learnsDigitsToAtLeast93PercentValidationAccuracy() {
    Sequential model = Models.digits(7);
    History history = model.fit(DIGITS.x, DIGITS.y, FitOptions.builder()
        .epochs(15).batchSize(32).validationSplit(0.2).seed(7).verbose(0).build());
    List<Double> valAccuracy = history.history().get("val_accuracy");
    double last = valAccuracy.get(valAccuracy.size() - 1);
    assertTrue(last >= 0.93, "validation accuracy " + valAccuracy);

    // evaluate on the same held-out rows (the last 20%, as Keras splits) gives the same numbers.
    long split = (long) Math.floor(DIGITS.x.rows() * 0.8);
    INDArray xVal = DIGITS.x.get(NDArrayIndex.interval(split, DIGITS.x.rows()), NDArrayIndex.all());
    INDArray yVal = DIGITS.y.get(NDArrayIndex.interval(split, DIGITS.y.rows()), NDArrayIndex.all());
    Logs evaluated = model.evaluate(xVal, yVal, EvaluateOptions.builder().verbose(0).build());
    assertEquals(last, evaluated.get("accuracy"), 1e-12);
    assertEquals(history.history().get("val_loss").get(valAccuracy.size() - 1),
        evaluated.get("loss"), 1e-6);
  }

  @Test
  void everyUpdaterLearns() {
    for (var updater : List.of(new Sgd(0.5), new Nesterovs(0.1, 0.9), new RmsProp(1e-2),
        new Adam(1e-2))) {
      History history = Models.digits(3, updater).fit(DIGITS.x, DIGITS.y,
          FitOptions.builder().epochs(5).seed(3).verbose(0).build());
      List<Double> loss = history.history().get("loss");
      assertTrue(loss.get(4) < loss.get(0) * 0.5, updater + " loss " + loss);
    }
  }

  @Test
  void sameSeedsGiveBitIdenticalWeightsAndAnotherShuffleSeedDoesNot() {
    INDArray first = trainedWeights(11, 5);
    INDArray second = trainedWeights(11, 5);
    INDArray otherShuffle = trainedWeights(11, 6);
    assertEquals(first, second);
    assertNotEquals(first, otherShuffle);
  }

  private static INDArray trainedWeights(long modelSeed, long shuffleSeed) {
    Sequential model = Models.digits(modelSeed);
    model.fit(DIGITS.x, DIGITS.y,
        FitOptions.builder().epochs(2).batchSize(64).seed(shuffleSeed).verbose(0).build());
    return model.parameters();
  }

  /** Sets the learning rate after one batch and snapshots the weights then. */
  static final class FreezeAfterFirstBatch implements Callback {
    private Model model;
    INDArray afterFirstBatch;
    double rateSeen;

    @Override
    public void setModel(Model model) {
      this.model = model;
    }

    @Override
    public void onTrainBatchEnd(int batch, Logs logs) {
      if (afterFirstBatch == null) {
        afterFirstBatch = ((Sequential) model).parameters();
        model.setLearningRate(1e-30);
        rateSeen = model.learningRate();
      }
    }
  }

  @Test
  void learningRateSetByACallbackTakesEffectOnTheNextBatch() {
    Sequential model = Models.digits(5, new Sgd(0.5));
    FreezeAfterFirstBatch freeze = new FreezeAfterFirstBatch();
    model.fit(DIGITS.x, DIGITS.y,
        FitOptions.builder().epochs(2).seed(5).verbose(0).callbacks(freeze).build());
    assertEquals(1e-30, freeze.rateSeen);
    assertEquals(1e-30, model.learningRate());
    // An SGD step of 1e-30 x gradient is below float resolution: no weight moved after batch 0.
    assertEquals(freeze.afterFirstBatch, model.parameters());
    assertNotEquals(Models.digits(5, new Sgd(0.5)).parameters(), model.parameters());
  }

  @Test
  void trainsFromADataSetIterator() {
    ViewIterator train = new ViewIterator(new DataSet(DIGITS.x, DIGITS.y), 100);
    HookRecorder recorder = new HookRecorder();
    History history = Models.digits(9).fit(train,
        FitOptions.builder().epochs(6).verbose(0).callbacks(recorder).build());
    assertEquals(18, recorder.params.steps()); // 1797 samples in batches of 100
    assertEquals(1797, recorder.params.samples().orElseThrow());
    List<Double> accuracy = history.history().get("accuracy");
    assertTrue(accuracy.get(5) > 0.9, accuracy::toString);
  }

  @Test
  void binaryAccuracyForASigmoidOutput() {
    // Is the digit a zero? One sigmoid unit, binary cross-entropy.
    INDArray isZero = DIGITS.y.getColumn(0).reshape(DIGITS.y.rows(), 1).dup();
    Sequential model = new Sequential().seed(2)
        .add(new Dense(16).inputSize(64).activation(Activation.RELU))
        .add(new Dense(1).activation(Activation.SIGMOID))
        .compile(LossFunction.XENT, new Adam(1e-2), "accuracy", "mse");
    History history = model.fit(DIGITS.x, isZero,
        FitOptions.builder().epochs(5).seed(2).verbose(0).build());
    assertTrue(history.history().get("accuracy").get(4) > 0.97, history.toString());

    INDArray predictions = model.predict(DIGITS.x, PredictOptions.builder().verbose(0).build());
    double correct = predictions.gt(0.5).eq(isZero.gt(0.5))
        .castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).sumNumber().doubleValue();
    Logs evaluated = model.evaluate(DIGITS.x, isZero, EvaluateOptions.builder().verbose(0).build());
    assertEquals(correct / DIGITS.x.rows(), evaluated.get("accuracy"), 1e-12);
    double mse = predictions.squaredDistance(isZero) / DIGITS.x.rows();
    assertEquals(mse, evaluated.get("mse"), 1e-6);
  }

  @Test
  void meanSquaredErrorRegression() {
    // Learn the mean pixel intensity of each image.
    INDArray target = DIGITS.x.mean(true, 1).reshape(DIGITS.x.rows(), 1);
    Sequential model = new Sequential().seed(4)
        .add(new Dense(8).inputSize(64).activation(Activation.TANH))
        .add(new Dense(1))
        .compile(LossFunction.MSE, new Adam(1e-2), "mae");
    History history = model.fit(DIGITS.x, target,
        FitOptions.builder().epochs(10).seed(4).verbose(0).build());
    List<Double> loss = history.history().get("loss");
    assertTrue(loss.get(9) < 1e-3, loss::toString);
    assertTrue(history.history().get("mae").get(9) < 0.03, history.toString());
  }

  @Test
  void predictMatchesTheForwardPassRegardlessOfBatchSize() {
    Sequential model = Models.digits(8);
    INDArray small = model.predict(DIGITS.x, PredictOptions.builder().batchSize(7).verbose(0).build());
    INDArray large = model.predict(DIGITS.x, PredictOptions.builder().batchSize(1000).verbose(0).build());
    assertTrue(small.equalsWithEps(large, 1e-6));
    org.junit.jupiter.api.Assertions.assertArrayEquals(new long[] {1797, 10}, small.shape());
  }
}
