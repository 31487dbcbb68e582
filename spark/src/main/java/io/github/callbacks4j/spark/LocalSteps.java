package io.github.callbacks4j.spark;

import io.github.callbacks4j.runtime.BatchWorkspace;
import io.github.callbacks4j.runtime.Sequential;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The work of one partition in one round, on its executor: a copy of the model in the broadcast
 * state, then up to {@code frequency} local steps on the partition's next batches (training), or
 * a pass over all of them (validation). A pure function of the broadcast state and the partition's
 * data, so a retried task returns what the first attempt would have.
 */
final class LocalSteps {
  private static final String WORKSPACE = "callbacks4j-spark-batch";

  private LocalSteps() {}

  /** Called before a partition's local steps, with (epoch, round, partition); tests fail tasks. */
  @FunctionalInterface
  interface TaskProbe extends java.io.Serializable {
    void beforeRound(int epoch, int round, int partition);
  }

  /** The round's training task over partitions of prepared data. */
  static Function2<Integer, Iterator<PartitionData>, Iterator<PartitionResult>> training(
      Broadcast<RoundState> state, ModelBlueprint blueprint, int batchSize, int frequency,
      TaskProbe probe) {
    return (partition, data) -> {
      RoundState round = state.value();
      if (probe != null) {
        probe.beforeRound(round.epoch(), round.round(), partition);
      }
      return List.of(train(partition, only(data), round, blueprint, batchSize, frequency))
          .iterator();
    };
  }

  /** The validation task: loss and metric sums of each partition under the broadcast weights. */
  static Function2<Integer, Iterator<PartitionData>, Iterator<StepSums>> testing(
      Broadcast<RoundState> state, ModelBlueprint blueprint, int batchSize) {
    return (partition, data) -> List.of(test(only(data), state.value(), blueprint, batchSize))
        .iterator();
  }

  /**
   * The partition's one element, read to the end: Spark releases the cached block's read lock
   * when its iterator is exhausted.
   */
  private static PartitionData only(Iterator<PartitionData> partition) {
    PartitionData data = partition.next();
    if (partition.hasNext()) {
      throw new IllegalStateException("a prepared partition holds one PartitionData, found more");
    }
    return data;
  }

  static PartitionResult train(int partition, PartitionData data, RoundState state,
      ModelBlueprint blueprint, int batchSize, int frequency) {
    int metrics = blueprint.metricCount();
    int first = state.round() * frequency;
    int last = Math.min(first + frequency, data.steps(batchSize));
    if (first >= last) {
      return new PartitionResult(partition, 0, StepSums.none(metrics), null, null);
    }
    Sequential model = state.model(blueprint);
    int[] order = data.order(state.epochSeed(), partition);
    Accumulator sums = new Accumulator(metrics);
    for (int step = first; step < last; step++) {
      int from = step * batchSize;
      int to = Math.min(from + batchSize, data.rows());
      try (MemoryWorkspace ignored =
          BatchWorkspace.open(WORKSPACE)) {
        INDArray x = data.features(order, from, to);
        sums.add(model.trainBatch(x, data.labels(order, from, to), sums.batch), to - from);
      }
    }
    return new PartitionResult(partition, last - first, sums.result(),
        RoundState.floats(model.parameters()), RoundState.floats(model.updaterState()));
  }

  static StepSums test(PartitionData data, RoundState state, ModelBlueprint blueprint,
      int batchSize) {
    Accumulator sums = new Accumulator(blueprint.metricCount());
    if (data.rows() == 0) {
      return sums.result();
    }
    Sequential model = state.model(blueprint);
    for (int from = 0; from < data.rows(); from += batchSize) {
      int to = Math.min(from + batchSize, data.rows());
      try (MemoryWorkspace ignored =
          BatchWorkspace.open(WORKSPACE)) {
        INDArray x = data.features(null, from, to);
        sums.add(model.testBatch(x, data.labels(null, from, to), sums.batch), to - from);
      }
    }
    return sums.result();
  }

  /** Sample-weighted sums of the loss and metrics over a task's batches. */
  private static final class Accumulator {
    final double[] batch;
    private final double[] metricSums;
    private double lossSum;
    private long samples;

    Accumulator(int metrics) {
      batch = new double[metrics];
      metricSums = new double[metrics];
    }

    void add(double meanLoss, int rows) {
      lossSum += meanLoss * rows;
      samples += rows;
      for (int i = 0; i < batch.length; i++) {
        metricSums[i] += batch[i];
      }
    }

    StepSums result() {
      return new StepSums(samples, lossSum, metricSums);
    }
  }
}
