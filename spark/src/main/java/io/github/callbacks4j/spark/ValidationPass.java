package io.github.callbacks4j.spark;

import io.github.callbacks4j.runtime.FlatStateEngine;
import io.github.callbacks4j.runtime.StepSource;
import io.github.callbacks4j.runtime.TrainingEngine;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Validation on Spark as one test step: every partition evaluates the broadcast weights on its
 * batches, and the driver adds their sums in partition order into the epoch's val_ logs.
 */
final class ValidationPass implements StepSource {
  private final JavaSparkContext spark;
  private final JavaRDD<PartitionData> data;
  private final FlatStateEngine model;
  private final ModelBlueprint blueprint;
  private final int batchSize;
  private final int samples;

  ValidationPass(JavaSparkContext spark, JavaRDD<PartitionData> data, int samples,
      FlatStateEngine model, ModelBlueprint blueprint, int batchSize) {
    this.spark = spark;
    this.data = data;
    this.samples = samples;
    this.model = model;
    this.blueprint = blueprint;
    this.batchSize = batchSize;
  }

  @Override
  public int steps() {
    return 1;
  }

  @Override
  public int samples() {
    return samples;
  }

  @Override
  public int batchSize(int step) {
    return samples;
  }

  @Override
  public void startPass(Random shuffle) {
    // One step over all partitions: nothing to position.
  }

  @Override
  public void skip(int steps) {
    // Validation passes always run whole.
  }

  @Override
  public double trainNext(TrainingEngine engine, double[] metricSums) {
    throw new UnsupportedOperationException("the validation data is not trained on");
  }

  @Override
  public double testNext(TrainingEngine engine, double[] metricSums) {
    Broadcast<RoundState> state = spark.broadcast(RoundState.of(model, -1, null));
    StepSums sums = StepSums.none(metricSums.length);
    try {
      for (StepSums partition : data.mapPartitionsWithIndex(
          LocalSteps.testing(state, blueprint, batchSize), true).collect()) {
        sums = sums.plus(partition);
      }
    } finally {
      state.destroy();
    }
    return sums.meanLossWritingSums(metricSums);
  }

  @Override
  public int lastStepSamples() {
    return samples;
  }
}
