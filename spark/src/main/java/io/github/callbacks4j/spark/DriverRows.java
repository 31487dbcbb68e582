package io.github.callbacks4j.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Samples held by the driver (FitOptions' validation arrays), broadcast once and cut into
 * partitions on the executors: {@code parallelize} would put the rows into every task of every
 * pass instead.
 */
record DriverRows(float[] features, int inputs, float[] labels, int outputs)
    implements Serializable {

  static DriverRows of(INDArray x, INDArray y) {
    if (x.rank() != 2 || y.rank() != 2 || x.size(0) != y.size(0)) {
      throw new IllegalArgumentException("the validation data needs features (samples x inputs)"
          + " and labels (samples x outputs) with one row per sample, got shapes "
          + Arrays.toString(x.shape()) + " and " + Arrays.toString(y.shape()));
    }
    return new DriverRows(x.castTo(DataType.FLOAT).dup('c').data().asFloat(),
        Math.toIntExact(x.size(1)), y.castTo(DataType.FLOAT).dup('c').data().asFloat(),
        Math.toIntExact(y.size(1)));
  }

  int rows() {
    return features.length / inputs;
  }

  /** {@code rows} broadcast, read as {@code partitions} nearly equal slices. */
  static JavaRDD<DataSet> partitions(JavaSparkContext spark, Broadcast<DriverRows> rows,
      int partitions) {
    int count = Math.max(1, partitions);
    List<Integer> slices = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      slices.add(i);
    }
    return spark.parallelize(slices, count).map(slice -> rows.value().slice(slice, count));
  }

  private DataSet slice(int slice, int slices) {
    int from = (int) ((long) rows() * slice / slices);
    int to = (int) ((long) rows() * (slice + 1) / slices);
    float[] x = Arrays.copyOfRange(features, from * inputs, to * inputs);
    float[] y = Arrays.copyOfRange(labels, from * outputs, to * outputs);
    return new DataSet(Nd4j.create(x, new long[] {to - from, inputs}, 'c'),
        Nd4j.create(y, new long[] {to - from, outputs}, 'c'));
  }
}
