package io.github.callbacks4j.dl4j;

import io.github.callbacks4j.CallbackList;
import io.github.callbacks4j.MetricDirection;
import io.github.callbacks4j.Model;
import io.github.callbacks4j.ModelState;
import io.github.callbacks4j.runtime.Updaters;
import io.github.callbacks4j.state.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.zip.ZipFile;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * The callbacks' view of a Deeplearning4j {@link MultiLayerNetwork} or {@link ComputationGraph}:
 * stop flag, learning rate, snapshots, and checkpoints in DL4J's own {@link ModelSerializer} format,
 * so DL4J users load them with {@code ModelSerializer.restoreMultiLayerNetwork} or
 * {@code restoreComputationGraph}.
 *
 * <p>{@link #of} returns the same instance for the same network (by identity: DL4J networks with
 * equal parameters are {@code equal}), held only while something uses it. The network must be
 * {@code init()}ialized before the methods that read its parameters are called.
 *
 * <p>{@link #listener} and {@link #stoppable} are the partial path for code that keeps calling
 * DL4J's {@code net.fit(iterator, epochs)}: see {@link CallbackListener}.
 */
public final class Dl4jModel implements Model {
  private static final WeakIdentityCache<Object, Dl4jModel> MODELS = new WeakIdentityCache<>();

  private final Network network;
  private volatile boolean stopTraining;

  private Dl4jModel(Network network) {
    this.network = network;
  }

  /** The model over {@code network}; the same instance each time for the same network. */
  public static Dl4jModel of(MultiLayerNetwork network) {
    Objects.requireNonNull(network, "network");
    return MODELS.get(network, key -> new Dl4jModel(Network.of(network)));
  }

  /** The model over {@code network}; the same instance each time for the same network. */
  public static Dl4jModel of(ComputationGraph network) {
    Objects.requireNonNull(network, "network");
    return MODELS.get(network, key -> new Dl4jModel(Network.of(network)));
  }

  /** The DL4J network this model is over. */
  public org.deeplearning4j.nn.api.Model network() {
    return network.network();
  }

  /**
   * A DL4J listener that runs the callbacks from DL4J's own training loop, for code that calls
   * {@code net.fit(iterator, epochs)} itself: add it with {@code net.addListeners(...)}, train on
   * {@link #stoppable(DataSetIterator)} so callbacks can stop training, and {@linkplain
   * CallbackListener#close() close} it after {@code fit} so {@code onTrainEnd} runs. The partial
   * path: no batch-begin, test or predict hooks and no validation logs; see {@link CallbackListener}.
   *
   * @param callbacksOrAnnotatedObjects {@link io.github.callbacks4j.Callback}s and objects with hook
   *     annotations, mixed, called in this order
   */
  public CallbackListener listener(Object... callbacksOrAnnotatedObjects) {
    return new CallbackListener(this, CallbackList.of(callbacksOrAnnotatedObjects));
  }

  /**
   * {@code iterator}, ending its pass (its {@code hasNext()} turns false) once a callback has
   * {@linkplain #stopTraining() asked to stop}; DL4J then goes on looping over empty epochs, which
   * {@link CallbackListener} does not report. Not asynchronous, so DL4J does not read batches
   * ahead that it would train on after the stop.
   */
  public DataSetIterator stoppable(DataSetIterator iterator) {
    return new StoppableIterator(this, Objects.requireNonNull(iterator, "iterator"));
  }

  // ---------------------------------------------------------------- stop

  @Override
  public void stopTraining() {
    stopTraining = true;
  }

  @Override
  public boolean stopTrainingRequested() {
    return stopTraining;
  }

  /** Epochs the network has completed, as DL4J counts them; the next epoch's 0-based index. */
  int epochCount() {
    return network.epochCount();
  }

  /** The network behind this model, for the engine that trains it. */
  Network networkView() {
    return network;
  }

  /** At the start of a run: a stop asked in an earlier run does not end this one. */
  void clearStopRequest() {
    stopTraining = false;
  }

  // ---------------------------------------------------------------- learning rate

  /**
   * The learning rate of the first layer whose updater has one, at the network's current iteration
   * and epoch. With per-layer rates, that first layer's.
   *
   * @throws IllegalStateException when no layer's updater has a learning rate (all {@code NoOp})
   */
  @Override
  public double learningRate() {
    for (Layer layer : network.layers()) {
      if (layer.conf().getLayer() instanceof BaseLayer conf
          && conf.getIUpdater() != null && conf.getIUpdater().hasLearningRate()) {
        return conf.getIUpdater().getLearningRate(network.iterationCount(), network.epochCount());
      }
    }
    throw new IllegalStateException("no layer of this " + network.kind()
        + " has an updater with a learning rate, so there is none to read or set");
  }

  /**
   * Sets {@code learningRate} on every layer (weights and biases), through DL4J's
   * {@code setLearningRate(double)}: it takes effect from the next step and keeps the updater's
   * state (Adam's moments). Per-layer rates are replaced by this one rate; to keep their ratios,
   * scale each with DL4J's {@code setLearningRate(layer, rate)} instead.
   *
   * @throws IllegalStateException when a layer's updater follows an {@code ISchedule}: DL4J would
   *     silently drop the schedule for the fixed rate, so this refuses instead, naming the layer
   * @throws IllegalArgumentException when {@code learningRate} is not a positive finite number
   */
  @Override
  public void setLearningRate(double learningRate) {
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException(
          "learning rate must be a positive finite number, got " + learningRate);
    }
    String scheduled = scheduledLayer();
    if (scheduled != null) {
      throw new IllegalStateException("layer '" + scheduled + "' of this " + network.kind()
          + " follows a learning-rate schedule; setting a fixed rate of " + learningRate
          + " would drop it (DL4J's setLearningRate(double) does so silently). Configure the"
          + " updater with a fixed rate to let callbacks change it, or drop the callback that"
          + " sets it (ReduceLROnPlateau, LearningRateScheduler)");
    }
    network.setLearningRate(learningRate);
  }

  @Override
  public boolean hasLearningRateSchedule() {
    return scheduledLayer() != null;
  }

  /** The name of the first layer whose updater follows a learning-rate schedule, or null. */
  private String scheduledLayer() {
    for (Layer layer : network.layers()) {
      if (layer.conf().getLayer() instanceof BaseLayer conf
          && (Updaters.hasSchedule(conf.getIUpdater())
              || Updaters.hasSchedule(conf.getBiasUpdater()))) {
        return conf.getLayerName();
      }
    }
    return null;
  }

  // ---------------------------------------------------------------- snapshots

  /**
   * Copies of the parameters, the updater's state and the iteration and epoch counters (Adam's bias
   * correction reads them): restoring them replays training bit for bit on the same batches. Not
   * the learning rate, and not ND4J's random state (dropout draws from it).
   */
  @Override
  public ModelState snapshot() {
    try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      INDArray parameters = network.parameters().dup();
      INDArray updaterState = network.updaterState();
      return new State(this, parameters, updaterState == null ? null : updaterState.dup(),
          network.iterationCount(), network.epochCount());
    }
  }

  @Override
  public void restore(ModelState state) {
    if (!(state instanceof State saved) || saved.owner() != this) {
      throw new IllegalArgumentException(
          "restore takes a ModelState from this model's snapshot(), got " + state);
    }
    network.parameters().assign(saved.parameters());
    if (saved.updaterState() != null) {
      network.updaterState().assign(saved.updaterState());
    }
    network.setCounts(saved.iterationCount(), saved.epochCount());
  }

  /** What {@link #snapshot()} returns. */
  private record State(Dl4jModel owner, INDArray parameters, INDArray updaterState,
      int iterationCount, int epochCount) implements ModelState {
    @Override
    public String toString() {
      return "Dl4jModel.State[" + parameters.length() + " parameters, iteration " + iterationCount
          + ", epoch " + epochCount + "]";
    }
  }

  /** DL4J's iteration count: the network's optimizer steps so far. */
  @Override
  public OptionalLong iterations() {
    return OptionalLong.of(network.iterationCount());
  }

  /** {@code loss} goes down; the metrics the DL4J engine computes as they declare. */
  @Override
  public Optional<MetricDirection> metricDirection(String metric) {
    return metric.equals("loss") ? Optional.of(MetricDirection.DOWN) : Dl4jMetric.direction(metric);
  }

  /** {@code layer0/W}, {@code layer0/b}, ...: each layer's name, then DL4J's parameter key. */
  @Override
  public Map<String, float[]> weights() {
    Map<String, float[]> weights = new LinkedHashMap<>();
    try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      for (Layer layer : network.layers()) {
        String name = layer.conf().getLayer().getLayerName();
        layer.paramTable().forEach((key, values) ->
            weights.put(name + "/" + key, values.dup('c').reshape(-1).toFloatVector()));
      }
    }
    return Collections.unmodifiableMap(weights);
  }

  // ---------------------------------------------------------------- files

  /**
   * Writes the network with its updater state in DL4J's format ({@code ModelSerializer.writeModel(
   * net, file, true)}), to a temporary file beside {@code file} renamed over it, so a crash leaves
   * the old file or the new one, never a torn one.
   */
  @Override
  public void save(Path file) throws IOException {
    AtomicFiles.write(file, out -> network.write(out, true));
  }

  /** As {@link #save}, without the updater state. */
  @Override
  public void saveWeights(Path file) throws IOException {
    AtomicFiles.write(file, out -> network.write(out, false));
  }

  /**
   * Puts the parameters, updater state, counters and learning rates of a file {@link #save} wrote
   * into this live network (its listeners and references stay), after checking that the file holds
   * the same architecture: the configurations must match except for counters and learning rates.
   *
   * @throws IOException naming the file: when it is not a DL4J model of this network's class, when
   *     its configuration differs (naming the first differences), or when it has no updater state
   *     and this network's updater keeps some (a {@link #saveWeights} file)
   */
  @Override
  public void loadState(Path file) throws IOException {
    Network loaded;
    try {
      loaded = network.read(file);
    } catch (IOException | RuntimeException e) {
      throw new IOException(file + " is not a " + network.kind()
          + " written by DL4J's ModelSerializer (" + e + ")", e);
    }
    List<String> differences =
        ConfigurationDiff.differences(loaded.configurationJson(), network.configurationJson());
    if (!differences.isEmpty()) {
      throw new IOException(file + " holds a different architecture than this " + network.kind()
          + ": " + ConfigurationDiff.joined(differences));
    }
    INDArray updaterState = network.updaterState();
    boolean keepsState = updaterState != null && updaterState.length() > 0;
    if (keepsState && !hasEntry(file, ModelSerializer.UPDATER_BIN)) {
      throw new IOException(file + " holds no updater state (saveWeights writes none); "
          + "loadState needs a file that save wrote");
    }
    network.parameters().assign(loaded.parameters());
    if (keepsState) {
      updaterState.assign(loaded.updaterState());
    }
    network.setCounts(loaded.iterationCount(), loaded.epochCount());
    adoptLearningRates(loaded);
  }

  /** Fixed rates a callback changed before the file was written; schedules matched already. */
  private void adoptLearningRates(Network loaded) {
    Layer[] live = network.layers();
    Layer[] saved = loaded.layers();
    for (int i = 0; i < live.length; i++) {
      if (live[i].conf().getLayer() instanceof BaseLayer to
          && saved[i].conf().getLayer() instanceof BaseLayer from) {
        adoptLearningRate(to.getIUpdater(), from.getIUpdater());
        adoptLearningRate(to.getBiasUpdater(), from.getBiasUpdater());
      }
    }
  }

  private static void adoptLearningRate(IUpdater to, IUpdater from) {
    if (to != null && from != null && from.hasLearningRate() && !Updaters.hasSchedule(from)) {
      // In place: the updater DL4J built holds this very configuration object.
      to.setLrAndSchedule(from.getLearningRate(0, 0), null);
    }
  }

  private static boolean hasEntry(Path file, String entry) throws IOException {
    try (ZipFile zip = new ZipFile(file.toFile())) {
      return zip.getEntry(entry) != null;
    }
  }

  @Override
  public String toString() {
    return "Dl4jModel[" + network.kind() + "@"
        + Integer.toHexString(System.identityHashCode(network.network())) + "]";
  }
}
