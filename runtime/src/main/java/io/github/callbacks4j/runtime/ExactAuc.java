package io.github.callbacks4j.runtime;

import java.util.Arrays;

/**
 * The exact ROC AUC of every (output, label) pair added since the last reset: the probability that
 * a positive's output is above a negative's, a tie counting half (as Keras's shared threshold
 * bucket counts it). Each pair is one long, the output's bits made to sort as the output with the
 * label below them; the pairs already read stay sorted, and a read sorts only the pairs added since
 * and merges them in, so reading after every batch costs one pass over the epoch's pairs, and
 * reading once costs one sort. Not thread-safe.
 *
 * <p>ND4J's exact {@code ROC} is not used here: it orders tied outputs arbitrarily (a tied pair
 * counts 0 or 1 by its order) and building its curve took 26 s for 320,000 outputs here.
 */
final class ExactAuc {
  private long[] pairs = new long[1024];
  /** Where a merge writes, then swapped with {@link #pairs}. */
  private long[] spare = new long[0];
  private int sorted;
  private int size;
  private long positives;
  private double cached = Double.NaN;

  void reset() {
    sorted = 0;
    size = 0;
    positives = 0;
    cached = Double.NaN;
  }

  /** Adds one (output, label) pair per entry; labels are 0 or 1, outputs finite. */
  void add(float[] outputs, float[] labels) {
    if (size + outputs.length > pairs.length) {
      pairs = Arrays.copyOf(pairs, Math.max(pairs.length * 2, size + outputs.length));
    }
    for (int i = 0; i < outputs.length; i++) {
      boolean positive = labels[i] == 1;
      pairs[size++] = ((long) sortable(outputs[i]) << 1) | (positive ? 1 : 0);
      positives += positive ? 1 : 0;
    }
    cached = Double.NaN;
  }

  /** Keras's 0 while one class is absent (its curve then has no area). */
  double result() {
    if (!Double.isNaN(cached)) {
      return cached;
    }
    long negatives = size - positives;
    if (positives == 0 || negatives == 0) {
      cached = 0;
      return cached;
    }
    mergeNewPairs();
    double wins = 0;
    long negativesBelow = 0;
    for (int i = 0; i < size; ) {
      long output = pairs[i] >> 1;
      long tiedNegatives = 0;
      long tiedPositives = 0;
      for (; i < size && pairs[i] >> 1 == output; i++) {
        if ((pairs[i] & 1) == 1) {
          tiedPositives++;
        } else {
          tiedNegatives++;
        }
      }
      wins += tiedPositives * (negativesBelow + tiedNegatives / 2.0);
      negativesBelow += tiedNegatives;
    }
    cached = wins / ((double) positives * negatives);
    return cached;
  }

  private void mergeNewPairs() {
    if (sorted == size) {
      return;
    }
    Arrays.sort(pairs, sorted, size);
    if (sorted > 0) {
      if (spare.length < pairs.length) {
        spare = new long[pairs.length];
      }
      long[] merged = spare;
      int left = 0;
      int right = sorted;
      for (int out = 0; out < size; out++) {
        merged[out] = right >= size || (left < sorted && pairs[left] <= pairs[right])
            ? pairs[left++] : pairs[right++];
      }
      spare = pairs;
      pairs = merged;
    }
    sorted = size;
  }

  /** The float's bits as an int that orders as the floats do (negative floats reversed). */
  private static int sortable(float value) {
    int bits = Float.floatToIntBits(value == 0 ? 0f : value); // -0 ties +0, as it compares
    return bits ^ ((bits >> 31) & 0x7fffffff);
  }
}
