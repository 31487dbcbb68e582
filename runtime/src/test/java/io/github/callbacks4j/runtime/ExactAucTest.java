package io.github.callbacks4j.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ExactAucTest {
  /**
   * Against the definition, pair by pair, on outputs with many ties, negative and signed zeros,
   * added in batches and read after some of them (so sorted and new pairs merge) and not others.
   */
  @Test
  void equalsThePairwiseDefinitionWhateverTheReadingPattern() {
    Random random = new Random(12);
    ExactAuc auc = new ExactAuc();
    float[] allOutputs = new float[0];
    float[] allLabels = new float[0];
    for (int batch = 0; batch < 40; batch++) {
      int n = 1 + random.nextInt(70);
      float[] outputs = new float[n];
      float[] labels = new float[n];
      for (int i = 0; i < n; i++) {
        outputs[i] = random.nextInt(4) == 0 ? (random.nextBoolean() ? 0f : -0f)
            : (random.nextInt(21) - 10) / 4f; // few distinct values: many ties
        labels[i] = random.nextInt(3) == 0 ? 1 : 0;
      }
      auc.add(outputs, labels);
      allOutputs = concat(allOutputs, outputs);
      allLabels = concat(allLabels, labels);
      if (batch % 3 != 1) {
        assertEquals(pairwise(allOutputs, allLabels), auc.result(), 1e-12, "after batch " + batch);
      }
    }
    assertEquals(pairwise(allOutputs, allLabels), auc.result(), 1e-12);
    assertEquals(auc.result(), auc.result(), "a second read gives the same");
  }

  @Test
  void resetStartsOver() {
    ExactAuc auc = new ExactAuc();
    auc.add(new float[] {0.9f, 0.1f}, new float[] {1, 0});
    assertEquals(1.0, auc.result());
    auc.reset();
    auc.add(new float[] {0.1f, 0.9f}, new float[] {1, 0});
    assertEquals(0.0, auc.result());
    auc.reset();
    assertEquals(0.0, auc.result(), "no pairs: Keras's 0");
  }

  private static double pairwise(float[] outputs, float[] labels) {
    double wins = 0;
    long pairs = 0;
    for (int p = 0; p < outputs.length; p++) {
      for (int n = 0; n < outputs.length; n++) {
        if (labels[p] == 1 && labels[n] == 0) {
          pairs++;
          wins += outputs[p] > outputs[n] ? 1 : outputs[p] == outputs[n] ? 0.5 : 0;
        }
      }
    }
    return pairs == 0 ? 0 : wins / pairs;
  }

  private static float[] concat(float[] a, float[] b) {
    float[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
