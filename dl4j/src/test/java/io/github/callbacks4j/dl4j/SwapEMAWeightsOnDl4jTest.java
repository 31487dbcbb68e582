package io.github.callbacks4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.callbacks4j.Callback;
import io.github.callbacks4j.Logs;
import io.github.callbacks4j.callbacks.SwapEMAWeights;
import io.github.callbacks4j.runtime.FitOptions;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.ViewIterator;

/** The DL4J engine keeps no EMA of the weights: SwapEMAWeights says so before any epoch. */
class SwapEMAWeightsOnDl4jTest {
  @Test
  void failsAtTrainBeginNamingWhy() {
    MultiLayerNetwork network = Networks.cnn();
    List<Integer> epochs = new ArrayList<>();
    Callback probe = new Callback() {
      @Override
      public void onEpochBegin(int epoch, Logs logs) {
        epochs.add(epoch);
      }
    };
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Dl4jTraining.fit(network, new ViewIterator(Networks.rows(32), Networks.BATCH),
            FitOptions.builder().epochs(1).verbose(0).callbacks(new SwapEMAWeights(), probe)
                .build()));
    assertTrue(e.getMessage().contains("but io.github.callbacks4j.dl4j.Dl4jModel keeps none"
        + " (Model.hasEma() is false)"), e.getMessage());
    assertTrue(e.getMessage().endsWith("the Deeplearning4j engine keeps no EMA"), e.getMessage());
    assertEquals(List.of(), epochs);
  }
}
