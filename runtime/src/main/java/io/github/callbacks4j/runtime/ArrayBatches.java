package io.github.callbacks4j.runtime;

import java.util.Arrays;
import java.util.Random;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
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

  /**
   * One sample per row: {@code x.size(0)} samples, each of the rest of the shape (a CNN's images
   * too); {@code y} may be null, for prediction.
   */
  ArrayBatches(INDArray x, INDArray y, int batchSize) {
    this.x = gatherable(x);
    this.y = y == null ? null : gatherable(y);
    this.batchSize = batchSize;
    this.order = new int[Math.toIntExact(x.size(0))]; // filled by startPass, before every pass
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
      features = gather(x, position, end);
      labels = y == null ? null : gather(y, position, end);
    } else {
      features = x.get(NDArrayIndex.interval(position, end));
      labels = y == null ? null : y.get(NDArrayIndex.interval(position, end));
    }
    position = end;
  }

  /**
   * The array itself, or for samples of rank 2 and more that do not lie contiguously in C order, a
   * copy that does, made once: {@link #gather} copies whole samples with memcpy, and ND4J's
   * fallback gathers matrix rows only.
   */
  private static INDArray gatherable(INDArray array) {
    return array.rank() <= 2 || isContiguousRowMajor(array) ? array : array.dup('c');
  }

  private static boolean isContiguousRowMajor(INDArray array) {
    return array.ordering() == 'c' && array.elementWiseStride() == 1;
  }

  /**
   * Rows {@code order[from, to)} of {@code source}, copied into a new array. A row-major source
   * is copied with one memcpy per row: measured at half the time of {@code Nd4j.pullRows}, whose
   * per-call setup dominates on batch-sized gathers.
   */
  private INDArray gather(INDArray source, int from, int to) {
    if (!isContiguousRowMajor(source)) {
      return Nd4j.pullRows(source, 1, Arrays.copyOfRange(order, from, to));
    }
    long rowBytes = source.length() / source.size(0) * source.dataType().width();
    long[] shape = source.shape().clone(); // shape() is the array's own: never write to it
    shape[0] = to - from;
    INDArray rows = Nd4j.createUninitialized(source.dataType(), shape);
    BytePointer target = new BytePointer(rows.data().addressPointer());
    BytePointer origin = new BytePointer(source.data().addressPointer());
    for (int i = from; i < to; i++) {
      Pointer.memcpy(target.position((i - from) * rowBytes), origin.position(order[i] * rowBytes),
          rowBytes);
    }
    return rows;
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
