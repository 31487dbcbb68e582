package io.github.callbacks4j.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/** Batches from a resettable {@link DataSetIterator}, for data that does not fit in memory. */
final class IteratorBatches implements BatchSource {
  private final DataSetIterator iterator;
  private final int steps;
  private final int samples;
  private final int inputColumns;
  private final int labelColumns;
  private final int[] batchSizes;
  private DataSet current;

  /** Makes one counting pass, since the progress bar and the hooks need steps per epoch. */
  IteratorBatches(DataSetIterator iterator) {
    if (!iterator.resetSupported()) {
      throw new IllegalArgumentException(iterator.getClass().getName()
          + " does not support reset(), which every epoch needs; wrap the data in a resettable"
          + " iterator such as org.nd4j.linalg.dataset.ViewIterator");
    }
    this.iterator = iterator;
    iterator.reset();
    int countedSteps = 0;
    int countedSamples = 0;
    int inputs = -1;
    int labels = -1;
    List<Integer> sizes = new ArrayList<>();
    while (iterator.hasNext()) {
      DataSet batch = iterator.next();
      sizes.add(batch.numExamples());
      countedSteps++;
      countedSamples += batch.numExamples();
      inputs = Math.toIntExact(batch.getFeatures().columns());
      labels = Math.toIntExact(batch.getLabels().columns());
    }
    iterator.reset();
    this.steps = countedSteps;
    this.samples = countedSamples;
    this.inputColumns = inputs;
    this.labelColumns = labels;
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

  @Override
  public int inputColumns() {
    return inputColumns;
  }

  @Override
  public int labelColumns() {
    return labelColumns;
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
