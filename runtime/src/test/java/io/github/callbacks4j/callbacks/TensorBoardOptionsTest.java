package io.github.callbacks4j.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** What TensorBoard's options ask of the loop, and the values they accept. */
class TensorBoardOptionsTest {
  /** Batch hooks only for what needs them: batch updates, or steps per second (Keras's). */
  @Test
  void takesTheHooksItsOptionsNeed() {
    java.util.Set<io.github.callbacks4j.Hook> epochOnly = java.util.EnumSet.of(
        io.github.callbacks4j.Hook.TRAIN_BEGIN, io.github.callbacks4j.Hook.TRAIN_END,
        io.github.callbacks4j.Hook.EPOCH_END, io.github.callbacks4j.Hook.TEST_END);
    assertEquals(epochOnly, TensorBoard.builder().build().implementedHooks());
    java.util.Set<io.github.callbacks4j.Hook> batches = java.util.EnumSet.copyOf(epochOnly);
    batches.add(io.github.callbacks4j.Hook.TRAIN_BATCH_END);
    assertEquals(batches, TensorBoard.builder().updateFreq(1).build().implementedHooks());
    java.util.Set<io.github.callbacks4j.Hook> rate = java.util.EnumSet.copyOf(batches);
    rate.add(io.github.callbacks4j.Hook.EPOCH_BEGIN);
    assertEquals(rate, TensorBoard.builder().writeStepsPerSecond(true).build().implementedHooks());
    java.util.Set<io.github.callbacks4j.Hook> both = java.util.EnumSet.copyOf(rate);
    both.add(io.github.callbacks4j.Hook.TRAIN_BATCH_BEGIN);
    assertEquals(both, TensorBoard.builder().updateFreq("batch").writeStepsPerSecond(true).build()
        .implementedHooks());
  }

  @Test
  void builderEdges() {
    TensorBoard.builder().histogramFreq(0).updateFreq(1).build();
    assertEquals("histogramFreq must be >= 0, got -1", org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> TensorBoard.builder().histogramFreq(-1)).getMessage());
    assertEquals("updateFreq must be >= 1 batches, got 0", org.junit.jupiter.api.Assertions
        .assertThrows(IllegalArgumentException.class, () -> TensorBoard.builder().updateFreq(0))
        .getMessage());
  }
}
