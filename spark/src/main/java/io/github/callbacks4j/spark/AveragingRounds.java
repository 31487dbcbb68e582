package io.github.callbacks4j.spark;

import io.github.callbacks4j.runtime.FlatStateEngine;
import io.github.callbacks4j.runtime.StepSource;
import io.github.callbacks4j.runtime.TrainingEngine;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The loop's steps on Spark: each step is one synchronous averaging round. The driver broadcasts
 * the model's whole state, every partition trains a copy for up to {@code frequency} local steps
 * on its own batches, and the driver sets the model to the sample-weighted average of the
 * returned parameters and optimizer states, added in partition order so the result does not
 * depend on which task finished first.
 *
 * <p>Partition p has {@code ceil(rows_p / batchSize)} local steps per epoch; an epoch has as many
 * rounds as the longest partition needs, and a partition whose steps ran out sits the rest out.
 */
final class AveragingRounds implements StepSource {
  private final JavaSparkContext spark;
  private final JavaRDD<PartitionData> data;
  private final FlatStateEngine model;
  private final ModelBlueprint blueprint;
  private final int batchSize;
  private final int frequency;
  private final LocalSteps.TaskProbe probe;
  private final int[] roundSamples;
  private final int samples;
  private Long epochSeed;
  private int nextRound;
  private int lastSamples;

  /**
   * @param partitionRows rows of each partition of {@code data}, in partition order
   */
  AveragingRounds(JavaSparkContext spark, JavaRDD<PartitionData> data, int[] partitionRows,
      FlatStateEngine model, ModelBlueprint blueprint, int batchSize, int frequency,
      LocalSteps.TaskProbe probe) {
    this.spark = spark;
    this.data = data;
    this.model = model;
    this.blueprint = blueprint;
    this.batchSize = batchSize;
    this.frequency = frequency;
    this.probe = probe;
    int longest = 0;
    int total = 0;
    for (int rows : partitionRows) {
      longest = Math.max(longest, (rows + batchSize - 1) / batchSize);
      total += rows;
    }
    this.samples = total;
    this.roundSamples = new int[(longest + frequency - 1) / frequency];
    for (int rows : partitionRows) {
      for (int round = 0; round < roundSamples.length; round++) {
        int from = Math.min(rows, round * frequency * batchSize);
        int to = Math.min(rows, (round + 1) * frequency * batchSize);
        roundSamples[round] += to - from;
      }
    }
  }

  @Override
  public int steps() {
    return roundSamples.length;
  }

  @Override
  public int samples() {
    return samples;
  }

  @Override
  public int batchSize(int round) {
    return roundSamples[round];
  }

  /** One seed per epoch from the loop's shuffle; each partition draws its order from it. */
  @Override
  public void startPass(Random shuffle) {
    epochSeed = shuffle == null ? null : shuffle.nextLong();
    nextRound = 0;
  }

  @Override
  public void skip(int rounds) {
    nextRound += rounds;
  }

  /** Runs the next round; {@code engine} is the driver's model this source was made for. */
  @Override
  public double trainNext(TrainingEngine engine, double[] metricSums) {
    int round = nextRound++;
    List<PartitionResult> results;
    Broadcast<RoundState> state = spark.broadcast(RoundState.of(model, round, epochSeed));
    try {
      results = data.mapPartitionsWithIndex(
          LocalSteps.training(state, blueprint, batchSize, frequency, probe), true).collect();
    } finally {
      state.destroy();
    }
    StepSums sums = StepSums.none(metricSums.length);
    int steps = 0;
    for (PartitionResult result : results) {
      sums = sums.plus(result.sums());
      steps = Math.max(steps, result.steps());
    }
    average(results, sums.samples(), model.iteration() + steps);
    lastSamples = Math.toIntExact(sums.samples());
    return sums.meanLossWritingSums(metricSums);
  }

  /**
   * Sets the model to the sample-weighted mean of the partitions' states, summed in double in
   * partition order (one partition's state comes back unchanged).
   */
  private void average(List<PartitionResult> results, long total, int iteration) {
    double[] parameters = null;
    double[] updaterState = null;
    for (PartitionResult result : results) { // collect() returns them in partition order
      if (result.steps() == 0) {
        continue;
      }
      double weight = (double) result.sums().samples() / total;
      parameters = weightedAdd(parameters, result.parameters(), weight);
      updaterState = weightedAdd(updaterState, result.updaterState(), weight);
    }
    try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      model.setParameters(RoundState.array(toFloats(parameters)));
      model.setUpdaterState(RoundState.array(toFloats(updaterState)));
    }
    model.setIteration(iteration);
  }

  private static double[] weightedAdd(double[] sum, float[] values, double weight) {
    if (values == null) {
      return null; // a stateless optimizer
    }
    double[] target = sum == null ? new double[values.length] : sum;
    for (int i = 0; i < values.length; i++) {
      target[i] += weight * values[i];
    }
    return target;
  }

  private static float[] toFloats(double[] values) {
    if (values == null) {
      return null;
    }
    float[] floats = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      floats[i] = (float) values[i];
    }
    return floats;
  }

  @Override
  public double testNext(TrainingEngine engine, double[] metricSums) {
    throw new UnsupportedOperationException("averaging rounds train; validation runs as its own"
        + " pass");
  }

  @Override
  public int lastStepSamples() {
    return lastSamples;
  }

  @Override
  public String toString() {
    return "the training data (" + samples + " samples in " + data.getNumPartitions()
        + " partitions)";
  }
}
