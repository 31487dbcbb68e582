package io.github.callbacks4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.callbacks4j.Logs;
import io.github.callbacks4j.callbacks.History;
import io.github.callbacks4j.runtime.EvaluateOptions;
import io.github.callbacks4j.runtime.FitOptions;
import io.github.callbacks4j.runtime.PredictOptions;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/** fit, evaluate and predict on DL4J networks through the shared loop. */
class Dl4jTrainingTest {
  /** 32 + 32 + 16 training rows; 40 validation rows (32 + 8). */
  private static final int ROWS = 80;

  private static DataSetIterator train() {
    return new ViewIterator(Networks.rows(ROWS), Networks.BATCH);
  }

  private static DataSetIterator validation() {
    return new ViewIterator(Networks.sample(40), Networks.BATCH);
  }

  @Test
  void trainsAsDl4jsOwnStepsAndLogsTheirLossAndAccuracy() {
    MultiLayerNetwork reference = Networks.cnn();
    List<Double> referenceLosses = new ArrayList<>();
    List<Double> referenceAccuracy = new ArrayList<>();
    DataSetIterator batches = train();
    while (batches.hasNext()) {
      DataSet batch = batches.next();
      INDArray out = reference.output(batch.getFeatures(), false);
      referenceAccuracy.add(out.argMax(1).eq(batch.getLabels().argMax(1))
          .castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).meanNumber().doubleValue());
      reference.fit(batch);
      referenceLosses.add(reference.score());
    }

    MultiLayerNetwork network = Networks.cnn();
    Recorder recorder = new Recorder();
    History history = Dl4jTraining.fit(network, train(), FitOptions.builder()
        .epochs(1).verbose(0).callbacks(recorder).build());

    assertArrayEquals(reference.params().toFloatVector(), network.params().toFloatVector());
    List<Logs> batchLogs = recorder.all("trainBatchEnd");
    assertEquals(3, batchLogs.size());
    double first = batchLogs.get(0).get("loss");
    assertEquals(referenceLosses.get(0), first, 1e-6);
    assertEquals(referenceAccuracy.get(0), batchLogs.get(0).get("accuracy"), 1e-6);
    double epochLoss = (referenceLosses.get(0) * 32 + referenceLosses.get(1) * 32
        + referenceLosses.get(2) * 16) / 80;
    double epochAccuracy = (referenceAccuracy.get(0) * 32 + referenceAccuracy.get(1) * 32
        + referenceAccuracy.get(2) * 16) / 80;
    assertEquals(epochLoss, history.history().get("loss").get(0), 1e-6);
    assertEquals(epochAccuracy, history.history().get("accuracy").get(0), 1e-6);
  }
}
