package io.github.callbacks4j.spark;

import java.io.Serializable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One partition's part of a round: its sums and, when it trained ({@code steps > 0}), its
 * parameters and optimizer state after its local steps.
 */
record PartitionResult(int partition, int steps, StepSums sums, INDArray parameters,
    INDArray updaterState) implements Serializable {}
