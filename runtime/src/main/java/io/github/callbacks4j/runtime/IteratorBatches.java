package io.github.callbacks4j.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/** Batches from a resettable {@link DataSetIterator}, for data that does not fit in memory. */
final class IteratorBatches implements BatchSource {
  /** Checks one batch of the counting pass; {@code firstRow} is its first sample's number. */
  @FunctionalInterface
  interface BatchCheck {
    void check(INDArray features, INDArray labels, long firstRow);
  }

  private final DataSetIterator iterator;
  private final int steps;
  private final int samples;
  private final int[] batchSizes;
  private DataSet current;

  /**
   * Batches of {@code data} for {@code engine}, each checked by {@link TrainingEngine#checkBatch}
   * on the counting pass; {@code name} (such as "training iterator") names the data in messages.
   *
   * @param withLabels false for prediction, whose batches need no labels
   */
  static IteratorBatches checked(TrainingEngine engine, String name, DataSetIterator data,
      boolean withLabels) {
    Objects.requireNonNull(data, name);
    String source = "the " + name;
    IteratorBatches batches = new IteratorBatches(data, (features, labels, firstRow) ->
        engine.checkBatch(source, features, withLabels ? labels : null, firstRow));
    if (batches.steps() == 0) {
      throw new IllegalArgumentException(source + " is empty: it has no batches");
    }
    return batches;
  }

  /**
   * Makes one counting pass, since the progress bar and the hooks need steps per epoch, and has
   * {@code check} look at every batch on the way. It leaves the iterator at its end: every pass
   * starts with {@link #startPass}, which resets it.
   */
  IteratorBatches(DataSetIterator iterator, BatchCheck check) {
    if (!iterator.resetSupported()) {
      throw new IllegalArgumentException(iterator.getClass().getName()
          + " does not support reset(), which every epoch needs; wrap the data in a resettable"
          + " iterator such as org.nd4j.linalg.dataset.ViewIterator");
    }
    this.iterator = iterator;
    iterator.reset();
    int countedSteps = 0;
    int countedSamples = 0;
    List<Integer> sizes = new ArrayList<>();
    while (iterator.hasNext()) {
      DataSet batch = iterator.next();
      check.check(batch.getFeatures(), batch.getLabels(), countedSamples);
      sizes.add(batch.numExamples());
      countedSteps++;
      countedSamples += batch.numExamples();
    }
    this.steps = countedSteps;
    this.samples = countedSamples;
    this.batchSizes = sizes.stream().mapToInt(Integer::intValue).toArray();
  }

  @Override
  public int batchSize(int step) {
    return batchSizes[step];
  }

  @Override
  public int steps() {
    return steps;
  }

  @Override
  public int samples() {
    return samples;
  }

  /** The iterator decides the order, as Keras ignores {@code shuffle} for generators. */
  @Override
  public void startPass(Random shuffle) {
    iterator.reset();
  }

  @Override
  public void skip(int batches) {
    for (int i = 0; i < batches; i++) {
      iterator.next();
    }
  }

  @Override
  public void next() {
    current = iterator.next();
  }

  @Override
  public INDArray features() {
    return current.getFeatures();
  }

  @Override
  public INDArray labels() {
    return current.getLabels();
  }
}
