package io.github.callbacks4j.spark;

import java.io.Serializable;

/**
 * One partition's part of a round: its sums and, when it trained ({@code steps > 0}), its
 * parameters and optimizer state (null for a stateless one) after its local steps.
 */
record PartitionResult(int partition, int steps, StepSums sums, float[] parameters,
    float[] updaterState) implements Serializable {}
