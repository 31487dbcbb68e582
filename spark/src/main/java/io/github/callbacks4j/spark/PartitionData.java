package io.github.callbacks4j.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One partition's samples stacked into a features and a labels matrix, built once per fit and
 * cached on its executor; or, when the partition's data cannot be trained on, why not (reported
 * by the driver, so bad data fails once with its reason rather than through task retries).
 */
final class PartitionData implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int rows;
  private final INDArray features;
  private final INDArray labels;
  private final String problem;

  private PartitionData(int rows, INDArray features, INDArray labels, String problem) {
    this.rows = rows;
    this.features = features;
    this.labels = labels;
    this.problem = problem;
  }

  static PartitionData empty() {
    return new PartitionData(0, null, null, null);
  }

  static PartitionData problem(String problem) {
    return new PartitionData(0, null, null, problem);
  }

  /**
   * The partition's {@code DataSet}s stacked, each checked by the model's own batch check;
   * {@code source} names the partition in messages.
   */
  static PartitionData of(Iterator<DataSet> dataSets, String source, ModelBlueprint blueprint) {
    List<INDArray> features = new ArrayList<>();
    List<INDArray> labels = new ArrayList<>();
    long row = 0;
    while (dataSets.hasNext()) {
      DataSet dataSet = dataSets.next();
      if (dataSet == null || dataSet.getFeatures() == null || dataSet.getLabels() == null) {
        return problem(source + " has a DataSet without features or labels at row " + row
            + "; every element needs both");
      }
      INDArray x = dataSet.getFeatures();
      INDArray y = dataSet.getLabels();
      if (x.rank() != 2 || y.rank() != 2 || x.size(0) != y.size(0)) {
        return problem(source + " has a DataSet at row " + row + " with features of shape "
            + Arrays.toString(x.shape()) + " and labels of shape " + Arrays.toString(y.shape())
            + "; each needs one sample per row (samples x features, samples x outputs)");
      }
      if (x.size(0) > 0) {
        features.add(x);
        labels.add(y);
      }
      row += x.size(0);
    }
    if (features.isEmpty()) {
      return empty();
    }
    return checked(stack(features), stack(labels), source, blueprint);
  }

  /** Features and labels already stacked, checked against the model as one batch. */
  static PartitionData checked(INDArray features, INDArray labels, String source,
      ModelBlueprint blueprint) {
    try {
      blueprint.checker().checkBatch(source, features, labels, 0);
    } catch (IllegalArgumentException e) {
      return problem(e.getMessage());
    }
    return new PartitionData(Math.toIntExact(features.size(0)), features, labels, null);
  }

  /** Float, row-major, one matrix: what batches are cut from. */
  private static INDArray stack(List<INDArray> parts) {
    INDArray stacked = parts.size() == 1 ? parts.get(0) : Nd4j.vstack(parts);
    INDArray floats = stacked.dataType() == DataType.FLOAT ? stacked
        : stacked.castTo(DataType.FLOAT);
    return floats.ordering() == 'c' && !floats.isView() ? floats : floats.dup('c');
  }

  int rows() {
    return rows;
  }

  String problem() {
    return problem;
  }

  /** Local steps of {@code batchSize} rows this partition has per epoch. */
  int steps(int batchSize) {
    return (rows + batchSize - 1) / batchSize;
  }

  /**
   * The epoch's row order: a permutation drawn from the epoch's seed and the partition's index,
   * so every round, retry and rerun of an epoch sees the same batches; null keeps stored order.
   */
  int[] order(Long epochSeed, int partition) {
    if (epochSeed == null) {
      return null;
    }
    int[] order = new int[rows];
    for (int i = 0; i < rows; i++) {
      order[i] = i;
    }
    Random random = new Random(epochSeed ^ (0x9E3779B97F4A7C15L * (partition + 1)));
    for (int i = rows - 1; i > 0; i--) { // Fisher-Yates
      int j = random.nextInt(i + 1);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    return order;
  }

  INDArray features(int[] order, int from, int to) {
    return rows(features, order, from, to);
  }

  INDArray labels(int[] order, int from, int to) {
    return rows(labels, order, from, to);
  }

  private static INDArray rows(INDArray source, int[] order, int from, int to) {
    if (order == null) {
      return source.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
    }
    return Nd4j.pullRows(source, 1, Arrays.copyOfRange(order, from, to));
  }
}
