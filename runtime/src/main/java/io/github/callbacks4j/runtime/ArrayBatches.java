package io.github.callbacks4j.runtime;

import java.util.Arrays;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Batches of in-memory arrays: contiguous row views, or rows gathered in shuffled order. */
final class ArrayBatches implements BatchSource {
  private final INDArray x;
  private final INDArray y;
  private final int batchSize;
  private final int[] order;
  private boolean shuffled;
  private int position;
  private INDArray features;
  private INDArray labels;

  /** {@code y} may be null, for prediction. */
  ArrayBatches(INDArray x, INDArray y, int batchSize) {
    this.x = x;
    this.y = y;
    this.batchSize = batchSize;
    this.order = new int[Math.toIntExact(x.rows())];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
  }

  @Override
  public int steps() {
    return (order.length + batchSize - 1) / batchSize;
  }

  @Override
  public int samples() {
    return order.length;
  }

  @Override
  public int batchSize(int step) {
    return Math.min(batchSize, order.length - step * batchSize);
  }

  @Override
  public int inputColumns() {
    return Math.toIntExact(x.columns());
  }

  @Override
  public int labelColumns() {
    return y == null ? 0 : Math.toIntExact(y.columns());
  }

  /** Starts from the stored order each pass, so a pass's order depends only on its Random. */
  @Override
  public void startPass(Random shuffle) {
    position = 0;
    shuffled = shuffle != null;
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    if (shuffled) {
      for (int i = order.length - 1; i > 0; i--) { // Fisher-Yates
        int j = shuffle.nextInt(i + 1);
        int swap = order[i];
        order[i] = order[j];
        order[j] = swap;
      }
    }
  }

  @Override
  public void skip(int batches) {
    position = Math.min(order.length, position + batches * batchSize);
  }

  @Override
  public void next() {
    int end = Math.min(position + batchSize, order.length);
    if (shuffled) {
      int[] rows = Arrays.copyOfRange(order, position, end);
      features = Nd4j.pullRows(x, 1, rows);
      labels = y == null ? null : Nd4j.pullRows(y, 1, rows);
    } else {
      features = x.get(NDArrayIndex.interval(position, end), NDArrayIndex.all());
      labels = y == null ? null : y.get(NDArrayIndex.interval(position, end), NDArrayIndex.all());
    }
    position = end;
  }

  @Override
  public INDArray features() {
    return features;
  }

  @Override
  public INDArray labels() {
    return labels;
  }
}
