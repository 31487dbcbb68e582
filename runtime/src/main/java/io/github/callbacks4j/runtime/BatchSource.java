package io.github.callbacks4j.runtime;

import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Where a loop's batches come from: arrays in memory or a {@code DataSetIterator}. */
interface BatchSource {
  /** Batches per pass. */
  int steps();

  /** Samples per pass. */
  int samples();

  /** Samples in batch {@code step} of a pass, known before it is loaded (for batch-begin logs). */
  int batchSize(int step);

  /** Starts a pass; {@code shuffle} is null for the stored order. */
  void startPass(Random shuffle);

  /** Passes over the next {@code batches} batches without loading them (to resume a pass). */
  void skip(int batches);

  /** Loads the next batch; its arrays live in the caller's current workspace. */
  void next();

  INDArray features();

  INDArray labels();
}
