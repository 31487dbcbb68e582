package io.github.callbacks4j.runtime;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The arrays a training step of one batch size writes, made once and reused by every step of that
 * size: an ND4J array costs 10-17 µs to create even inside a workspace (its shape information and
 * native pointers), more than the work of a step's smaller ops. Outside any workspace, so they
 * outlive the batch; a batch of another size replaces them.
 */
final class StepArrays {
  final long rows;
  /** A rows x 1 column of ones: the biases enter and leave through it. */
  final INDArray ones;
  /** Per layer, rows x units. */
  final INDArray[] preOutputs;
  /** Per layer, rows x units: the activations, the output layer's included. */
  final INDArray[] activations;
  /** Per layer, rows x inputSize: dL/dinput; null for the first layer, which needs none. */
  final INDArray[] inputGradients;
  /** rows x output units, for the loss's intermediate values. */
  final INDArray lossScratch;

  StepArrays(List<Dense> layers, long rows) {
    this.rows = rows;
    int depth = layers.size();
    preOutputs = new INDArray[depth];
    activations = new INDArray[depth];
    inputGradients = new INDArray[depth];
    try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      ones = Nd4j.ones(DataType.FLOAT, rows, 1);
      for (int i = 0; i < depth; i++) {
        Dense layer = layers.get(i);
        preOutputs[i] = Nd4j.create(DataType.FLOAT, rows, layer.units());
        activations[i] = Nd4j.create(DataType.FLOAT, rows, layer.units());
        inputGradients[i] = i == 0 ? null : Nd4j.create(DataType.FLOAT, rows, layer.inputSize());
      }
      lossScratch = Nd4j.create(DataType.FLOAT, rows, layers.get(depth - 1).units());
    }
  }
}
