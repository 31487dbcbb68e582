package io.github.callbacks4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigurationDiffTest {
  private static String layer(int nOut, double learningRate, int iterations) {
    return """
        {"iterationCount": %d, "epochCount": 3, "confs": [{"iterationCount": %d, "layer": {
          "nout": %d,
          "iupdater": {"@class": "org.nd4j.linalg.learning.config.Adam",
                       "beta1": 0.9, "learningRate": %s}}}]}
        """.formatted(iterations, iterations, nOut, learningRate);
  }

  @Test
  void countersAndLearningRatesAreNotDifferences() {
    assertEquals(List.of(), ConfigurationDiff.differences(layer(4, 0.01, 7), layer(4, 0.001, 0)));
  }

  @Test
  void aDifferenceIsNamedByItsPath() {
    assertEquals(List.of("confs[0].layer.nout: file 8, network 4"),
        ConfigurationDiff.differences(layer(8, 0.01, 0), layer(4, 0.01, 0)));
  }

  @Test
  void otherUpdaterSettingsAndMissingFieldsAreDifferences() {
    String adam = layer(4, 0.01, 0);
    assertEquals(List.of("confs[0].layer.iupdater.beta1: file 0.5, network 0.9"),
        ConfigurationDiff.differences(adam.replace("0.9", "0.5"), adam));
    assertEquals(List.of("confs[0].layer.iupdater.beta1: file (absent), network 0.9"),
        ConfigurationDiff.differences(adam.replace("\"beta1\": 0.9,", ""), adam));
  }

  @Test
  void atMostAFewDifferencesAreNamed() {
    String file = "{\"a\": 1, \"b\": 1, \"c\": 1, \"d\": 1}";
    String network = "{\"a\": 2, \"b\": 2, \"c\": 2, \"d\": 2}";
    assertEquals(List.of("a: file 1, network 2", "b: file 1, network 2", "c: file 1, network 2"),
        ConfigurationDiff.differences(file, network));
  }

  @Test
  void layerListsOfDifferentLengthsAreNamedByCount() {
    assertEquals(List.of("confs: file 2 entries, network 1 entry"),
        ConfigurationDiff.differences("{\"confs\": [{\"a\": 1}, {\"a\": 1}]}",
            "{\"confs\": [{\"a\": 1}]}"));
  }
}
