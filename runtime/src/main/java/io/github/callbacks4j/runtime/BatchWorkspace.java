package io.github.callbacks4j.runtime;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The ND4J workspace one batch's arrays live in, reset for the next batch: it learns its size on
 * the first batch, so training allocates no new native memory after that. Shared by the loop and
 * by engines in other modules that run batches of their own (Spark's local steps).
 */
public final class BatchWorkspace {
  private static final WorkspaceConfiguration CONFIGURATION = WorkspaceConfiguration.builder()
      .initialSize(0)
      .policyAllocation(AllocationPolicy.OVERALLOCATE)
      .overallocationLimit(0.2)
      .policyLearning(LearningPolicy.FIRST_LOOP)
      .policySpill(SpillPolicy.REALLOCATE)
      .build();

  private BatchWorkspace() {}

  /** Opens the workspace {@code id} for one batch; closing it frees the batch's arrays for reuse. */
  public static MemoryWorkspace open(String id) {
    return Nd4j.getWorkspaceManager().getAndActivateWorkspace(CONFIGURATION, id);
  }
}
