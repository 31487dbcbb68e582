package io.github.callbacks4j.callbacks;

import io.github.callbacks4j.MetricDirection;
import io.github.callbacks4j.Model;
import io.github.callbacks4j.ModelState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A test double for {@link Model}: its "weights" are one number that the scripted loop sets each
 * epoch, so snapshots, restores and saved files show exactly which epoch they came from.
 */
final class FakeModel implements Model {
  double weights;
  double learningRate = 1.0;
  boolean stop;
  int saves;
  /** The metric directions this model's "engine" declares. */
  final Map<String, MetricDirection> directions = new HashMap<>();

  private record State(double weights) implements ModelState {}

  @Override public void stopTraining() { stop = true; }
  @Override public boolean stopTrainingRequested() { return stop; }
  @Override public double learningRate() { return learningRate; }
  @Override public void setLearningRate(double learningRate) { this.learningRate = learningRate; }
  @Override public ModelState snapshot() { return new State(weights); }
  @Override public void restore(ModelState state) { weights = ((State) state).weights(); }

  @Override
  public Optional<MetricDirection> metricDirection(String metric) {
    return Optional.ofNullable(directions.get(metric));
  }

  @Override
  public void save(Path file) throws IOException {
    saves++;
    Files.writeString(file, "model weights=" + weights);
  }

  /** Reads back what {@link #save} wrote. */
  @Override
  public void loadState(Path file) throws IOException {
    weights = Double.parseDouble(Files.readString(file).substring("model weights=".length()));
  }

  @Override
  public void saveWeights(Path file) throws IOException {
    saves++;
    Files.writeString(file, "weights=" + weights);
  }
}
