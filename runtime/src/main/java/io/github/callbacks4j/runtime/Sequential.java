package io.github.callbacks4j.runtime;

import io.github.callbacks4j.DenseLayerDescription;
import io.github.callbacks4j.Logs;
import io.github.callbacks4j.MetricDirection;
import io.github.callbacks4j.Model;
import io.github.callbacks4j.ModelState;
import io.github.callbacks4j.callbacks.History;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stack of {@link Dense} layers trained with an ND4J loss and updater, as Keras's
 * {@code Sequential}.
 *
 * <pre>{@code
 * Sequential model = new Sequential()
 *     .add(new Dense(32).inputSize(784).activation(Activation.RELU))
 *     .add(new Dense(10).activation(Activation.SOFTMAX));
 * model.compile(LossFunction.MCXENT, new Adam(1e-3), "accuracy");
 * History history = model.fit(x, y, FitOptions.builder().epochs(5).build());
 * }</pre>
 *
 * <p>All parameters live in one flat vector and all gradients in another; the layers hold views
 * into them, and the updater's state is one flat vector too, so one ND4J updater call per batch
 * updates everything. One fit, evaluate, predict or batch call runs at a time: another one, from
 * a callback or another thread, fails at once with an {@link IllegalStateException}.
 *
 * <p>As a {@link TrainingEngine} it computes batches for the shared loop in {@link Trainer}; its
 * own fit, evaluate and predict run that same loop. The engine methods ({@link #trainBatch},
 * {@link #testBatch}, {@link #predictBatch}) skip every check: call them only from a loop, and
 * use {@link #trainOnBatch} and {@link #testOnBatch} for single checked steps.
 */
public final class Sequential implements Model, FlatStateEngine {
  private static final Logger LOG = LoggerFactory.getLogger(Sequential.class);
  private final List<Dense> layers = new ArrayList<>();
  private Long seed;
  private LossFunction loss;
  private ILossFunction lossFunction;
  /** The loss computed from the softmax output once, where it applies; null otherwise. */
  private SoftmaxCrossEntropy softmaxCrossEntropy;
  private List<String> metricNames = List.of();
  /** The compiled metrics that are means of per-sample values; null where a metric is stateful. */
  private BatchMetric[] metrics = new BatchMetric[0];
  private StatefulMetrics statefulMetrics = StatefulMetrics.NONE;
  private INDArray parameters;
  private INDArray gradients;
  private Optimizer optimizer;
  /** A column of ones as long as the largest batch seen: the biases enter and leave through it. */
  private INDArray ones;
  /** The arrays of the last training step's batch size, reused while the size stays. */
  private StepArrays stepArrays;
  private int epoch;
  private volatile boolean stopTraining;

  public Sequential add(Dense layer) {
    Objects.requireNonNull(layer, "layer");
    if (parameters != null) {
      throw new IllegalStateException("cannot add " + layer + " after compile: the weights are built");
    }
    layers.add(layer);
    return this;
  }

  /** Seeds the weight initialization; without it, every model starts from different weights. */
  public Sequential seed(long seed) {
    if (parameters != null) {
      throw new IllegalStateException("set the seed before compile, which initializes the weights");
    }
    this.seed = seed;
    return this;
  }

  /**
   * Sets the loss, the optimizer and the metrics. The first compile builds and initializes the
   * weights; a later one keeps them and starts a fresh optimizer, as in Keras.
   *
   * @param metrics Keras metric names: {@code "accuracy"} (categorical or binary, following the
   *     loss and output size, as Keras resolves it), {@code "mse"}, {@code "mae"}, ..., and the
   *     stateful {@code "auc"}, {@code "precision"}, {@code "recall"}, {@code "f1_score"} (exact over
   *     each epoch; they need a sigmoid or softmax output, see {@link StatefulMetrics})
   */
  public Sequential compile(LossFunction loss, IUpdater updater, String... metrics) {
    return compileWith(loss, updater, null, metrics);
  }

  /**
   * The same, and the optimizer keeps an exponential moving average of the weights, as a Keras
   * optimizer built with {@code use_ema=True, ema_momentum=..., ema_overwrite_frequency=...}: see
   * {@link Ema}. A later compile without one drops it, as a new Keras optimizer would.
   */
  public Sequential compile(LossFunction loss, IUpdater updater, Ema ema, String... metrics) {
    return compileWith(loss, updater, Objects.requireNonNull(ema, "ema"), metrics);
  }

  private Sequential compileWith(LossFunction loss, IUpdater updater, Ema ema, String... metrics) {
    Objects.requireNonNull(loss, "loss");
    Objects.requireNonNull(updater, "updater");
    if (layers.isEmpty()) {
      throw new IllegalStateException("add at least one Dense layer before compile");
    }
    NativeThreads.configure();
    NativeBuild.logHintOnce();
    if (parameters == null) {
      build();
    }
    this.loss = loss;
    this.lossFunction = loss.getILossFunction();
    List<String> names = List.of(metrics);
    Dense output = layers.get(layers.size() - 1);
    Activation activation = output.activation();
    StatefulMetrics stateful = StatefulMetrics.of(names, output.units(),
        activation == Activation.SIGMOID || activation == Activation.HARDSIGMOID
            || activation == Activation.SOFTMAX, output.toString());
    BatchMetric[] perSample = new BatchMetric[names.size()];
    for (int i = 0; i < perSample.length; i++) {
      if (!stateful.isStateful(i)) {
        perSample[i] = BatchMetric.resolve(names.get(i), loss, outputUnits());
      }
    }
    this.metricNames = names;
    this.metrics = perSample;
    this.statefulMetrics = stateful;
    try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      this.optimizer = new Optimizer(updater, ema, parameters.length());
      this.softmaxCrossEntropy = SoftmaxCrossEntropy.forOutput(loss, output);
    }
    return this;
  }

  private void build() {
    int inputs = layers.get(0).inputSize();
    if (inputs == 0) {
      throw new IllegalStateException("the first layer needs its input size: "
          + "new Dense(" + layers.get(0).units() + ").inputSize(<features>)");
    }
    for (Dense layer : layers) {
      if (layer.inputSize() == 0) {
        layer.inputSize(inputs);
      } else if (layer.inputSize() != inputs) {
        throw new IllegalStateException(layer + " declares inputSize " + layer.inputSize()
            + " but the layer before it has " + inputs + " units");
      }
      inputs = layer.units();
    }
    long count = layers.stream().mapToLong(Dense::parameterCount).sum();
    try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      parameters = Nd4j.create(DataType.FLOAT, 1, count);
      gradients = Nd4j.create(DataType.FLOAT, 1, count);
      long offset = 0;
      for (Dense layer : layers) {
        layer.bind(parameters, gradients, offset);
        offset += layer.parameterCount();
      }
      if (seed != null) {
        Nd4j.getRandom().setSeed(seed);
      }
      layers.forEach(Dense::initialize);
    }
  }

  public List<Dense> layers() {
    return Collections.unmodifiableList(layers);
  }

  public boolean isCompiled() {
    return optimizer != null;
  }

  /** The number of weights and biases. */
  public long parameterCount() {
    requireCompiled("parameterCount");
    return parameters.length();
  }

  /** A copy of every weight and bias, layer by layer, as one row vector. */
  @Override
  public INDArray parameters() {
    requireCompiled("parameters");
    try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      return parameters.dup();
    }
  }

  /** Replaces every weight and bias with {@code values}, laid out as {@link #parameters()}. */
  @Override
  public void setParameters(INDArray values) {
    requireCompiled("setParameters");
    Objects.requireNonNull(values, "values");
    if (values.length() != parameters.length()) {
      throw new IllegalArgumentException("setParameters needs " + parameters.length()
          + " values (this model's parameterCount()), got " + values.length());
    }
    parameters.assign(values.reshape(parameters.shape()));
  }

  /** The loss given to {@link #compile}. */
  public LossFunction loss() {
    requireCompiled("loss");
    return loss;
  }

  @Override
  public INDArray updaterState() {
    requireCompiled("updaterState");
    INDArray state = optimizer.state();
    try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      return state == null ? null : state.dup();
    }
  }

  @Override
  public void setUpdaterState(INDArray state) {
    requireCompiled("setUpdaterState");
    INDArray own = optimizer.state();
    long expected = own == null ? 0 : own.length();
    long given = state == null ? 0 : state.length();
    if (given != expected) {
      throw new IllegalArgumentException("setUpdaterState needs " + expected + " values (the "
          + optimizer.config().getClass().getSimpleName() + " state of " + parameters.length()
          + " parameters), got " + given);
    }
    optimizer.restore(state == null ? null : state.reshape(own.shape()), optimizer.iteration());
  }

  @Override
  public int iteration() {
    requireCompiled("iteration");
    return optimizer.iteration();
  }

  /** The optimizer's steps so far; empty before compile. */
  @Override
  public OptionalLong iterations() {
    return optimizer == null ? OptionalLong.empty() : OptionalLong.of(optimizer.iteration());
  }

  @Override
  public void setIteration(int iteration) {
    requireCompiled("setIteration");
    if (iteration < 0) {
      throw new IllegalArgumentException("iteration must be >= 0, got " + iteration);
    }
    optimizer.restore(optimizer.state(), iteration);
  }

  @Override
  public int epoch() {
    return epoch;
  }

  @Override
  public IUpdater updater() {
    requireCompiled("updater");
    return optimizer.config().clone();
  }

  int outputUnits() {
    return layers.get(layers.size() - 1).units();
  }

  int inputSize() {
    return layers.get(0).inputSize();
  }

  @Override
  public Model model() {
    return this;
  }

  /** The metric names given to {@link #compile}, as they are logged. */
  @Override
  public List<String> metricNames() {
    return metricNames;
  }

  @Override
  public StatefulMetrics statefulMetrics() {
    return statefulMetrics;
  }

  /**
   * {@code loss} goes down; a compiled metric as it declares (the stateful ones up, as Keras's);
   * anything else is unknown here.
   */
  @Override
  public Optional<MetricDirection> metricDirection(String metric) {
    if (metric.equals("loss")) {
      return Optional.of(MetricDirection.DOWN);
    }
    int index = metricNames.indexOf(metric);
    if (index < 0) {
      return Optional.empty();
    }
    return Optional.of(statefulMetrics.isStateful(index)
        ? MetricDirection.UP : metrics[index].direction());
  }

  // ---------------------------------------------------------------- fit, evaluate, predict

  /** Trains on in-memory arrays: {@code x} one sample per row, {@code y} one label row each. */
  public History fit(INDArray x, INDArray y, FitOptions options) {
    return exclusively("fit", () -> fitArrays(x, y, options));
  }

  private History fitArrays(INDArray x, INDArray y, FitOptions options) {
    requireCompiled("fit");
    Objects.requireNonNull(options, "options");
    x = checkFeatures("x", x);
    y = checkLabels("y", y, x);
    BatchSource train;
    BatchSource validation = null;
    if (options.validationSplit() > 0) {
      long samples = x.rows();
      long split = (long) Math.floor(samples * (1.0 - options.validationSplit()));
      if (split == 0 || split == samples) {
        throw new IllegalArgumentException("x has " + samples + " samples, too few to split into"
            + " training and validation sets with validationSplit=" + options.validationSplit()
            + "; provide more data or another split");
      }
      train = new ArrayBatches(rows(x, 0, split), rows(y, 0, split), options.batchSize());
      validation = new ArrayBatches(rows(x, split, samples), rows(y, split, samples),
          options.validationBatchSize());
    } else {
      train = new ArrayBatches(x, y, options.batchSize());
      validation = validationSource(options);
    }
    return TrainingLoop.fit(this, train, validation, options);
  }

  /** Trains on batches from a resettable iterator, for data that does not fit in memory. */
  public History fit(DataSetIterator data, FitOptions options) {
    return exclusively("fit", () -> fitIterator(data, options));
  }

  private History fitIterator(DataSetIterator data, FitOptions options) {
    requireCompiled("fit");
    Objects.requireNonNull(options, "options");
    if (options.validationSplit() > 0) {
      throw new IllegalArgumentException("validationSplit needs in-memory arrays; with an iterator"
          + " pass validationData(...) instead");
    }
    BatchSource train = checkSource("training iterator", data);
    return TrainingLoop.fit(this, train, validationSource(options), options);
  }

  private BatchSource validationSource(FitOptions options) {
    if (options.validationIterator() != null) {
      return checkSource("validation iterator", options.validationIterator());
    }
    if (options.validationX() != null) {
      INDArray vx = checkFeatures("validation x", options.validationX());
      return new ArrayBatches(vx, checkLabels("validation y", options.validationY(), vx),
          options.validationBatchSize());
    }
    return null;
  }

  /** Loss and metrics over {@code x, y}, through the test hooks. */
  public Logs evaluate(INDArray x, INDArray y, EvaluateOptions options) {
    return exclusively("evaluate", () -> {
      requireCompiled("evaluate");
      INDArray features = checkFeatures("x", x);
      INDArray labels = checkLabels("y", y, features);
      return TrainingLoop.evaluate(this, new ArrayBatches(features, labels, options.batchSize()),
          options);
    });
  }

  public Logs evaluate(DataSetIterator data, EvaluateOptions options) {
    return exclusively("evaluate", () -> {
      requireCompiled("evaluate");
      return TrainingLoop.evaluate(this, checkSource("iterator", data), options);
    });
  }

  /** The last layer's activations for each row of {@code x}, through the predict hooks. */
  public INDArray predict(INDArray x, PredictOptions options) {
    return exclusively("predict", () -> {
      requireCompiled("predict");
      INDArray features = checkFeatures("x", x);
      return TrainingLoop.predict(this, new ArrayBatches(features, null, options.batchSize()),
          options);
    });
  }

  /**
   * One optimizer step on one batch, for custom training loops (Keras's {@code train_on_batch});
   * returns that batch's own {@code loss}, metrics and {@code size}, as {@link
   * io.github.callbacks4j.callbacks.BaseLogger} expects.
   */
  public Logs trainOnBatch(INDArray x, INDArray y) {
    return onBatch("trainOnBatch", x, y, true);
  }

  /** The loss and metrics of one batch, without training (Keras's {@code test_on_batch}). */
  public Logs testOnBatch(INDArray x, INDArray y) {
    return onBatch("testOnBatch", x, y, false);
  }

  private Logs onBatch(String operation, INDArray x, INDArray y, boolean train) {
    return exclusively(operation, () -> batchLogsOf(operation, x, y, train));
  }

  private Logs batchLogsOf(String operation, INDArray x, INDArray y, boolean train) {
    requireCompiled(operation);
    INDArray features = checkFeatures("x", x);
    INDArray labels = checkLabels("y", y, features);
    double[] sums = new double[metrics.length];
    double loss;
    // Keras's train_on_batch and test_on_batch reset the metrics: the logs are this batch's own.
    statefulMetrics.reset();
    try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      loss = train ? trainBatch(features, labels, sums) : testBatch(features, labels, sums);
    }
    return batchLogs(loss, sums, features.rows());
  }

  private Logs batchLogs(double loss, double[] sums, long rows) {
    Logs logs = new Logs().put("loss", loss).put("size", rows);
    for (int i = 0; i < sums.length; i++) {
      logs.put(metricNames.get(i),
          statefulMetrics.isStateful(i) ? statefulMetrics.result(i) : sums[i] / rows);
    }
    return logs;
  }

  private INDArray checkFeatures(String name, INDArray x) {
    Objects.requireNonNull(x, name);
    if (x.rank() != 2) {
      throw new IllegalArgumentException(name + " must be a matrix (samples x features), got shape "
          + Arrays.toString(x.shape()));
    }
    if (x.rows() == 0) {
      throw new IllegalArgumentException(name + " is empty: it has no samples");
    }
    if (x.columns() != inputSize()) {
      throw new IllegalArgumentException(name + " has " + x.columns() + " features per sample but"
          + " the first layer expects inputSize " + inputSize());
    }
    // Checked as trained: a double too large for a float becomes infinite in the cast.
    INDArray features = x.dataType() == DataType.FLOAT ? x : x.castTo(DataType.FLOAT);
    DataChecks.requireFinite(name, features, 0);
    return features;
  }

  private INDArray checkLabels(String name, INDArray y, INDArray x) {
    Objects.requireNonNull(y, name);
    if (y.rank() != 2) {
      throw new IllegalArgumentException(name + " must be a matrix (samples x outputs), got shape "
          + Arrays.toString(y.shape()));
    }
    if (y.rows() != x.rows()) {
      throw new IllegalArgumentException(name + " has " + y.rows() + " rows but the features have "
          + x.rows() + ": every sample needs one label row");
    }
    if (y.columns() != outputUnits()) {
      throw new IllegalArgumentException(name + " has " + y.columns() + " columns but the last"
          + " layer has " + outputUnits() + " units (one-hot labels need one column per class)");
    }
    INDArray labels = y.dataType() == DataType.FLOAT ? y : y.castTo(DataType.FLOAT);
    DataChecks.requireFinite(name, labels, 0);
    DataChecks.requireLabelsFor(loss, name, labels, 0);
    statefulMetrics.requireLabels(name, labels, 0);
    return labels;
  }

  private BatchSource checkSource(String name, DataSetIterator data) {
    return IteratorBatches.checked(this, name, data, true);
  }

  /** Shapes against the layers, finite values, and labels the loss can use. */
  @Override
  public void checkBatch(String source, INDArray features, INDArray labels, long firstRow) {
    if (features.columns() != inputSize()) {
      throw new IllegalArgumentException(source + " has " + features.columns()
          + " features per sample but the first layer expects inputSize " + inputSize());
    }
    if (labels != null && labels.columns() != outputUnits()) {
      throw new IllegalArgumentException(source + " has " + labels.columns()
          + " label columns but the last layer has " + outputUnits() + " units");
    }
    FlatStateEngine.super.checkBatch(source, features, labels, firstRow);
    if (labels != null) {
      DataChecks.requireLabelsFor(loss, source + "'s labels", labels, firstRow);
    }
  }

  private static INDArray rows(INDArray array, long from, long to) {
    return array.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
  }

  /**
   * Runs {@code call} as the only fit, evaluate, predict or batch call on this model: a second one
   * (from a callback of the first, or from another thread) fails at once.
   */
  private <T> T exclusively(String operation, Supplier<T> call) {
    return OneCallAtATime.run(this, operation, call);
  }

  private void requireCompiled(String operation) {
    if (!isCompiled()) {
      throw new IllegalStateException("call compile(loss, updater, metrics...) before " + operation
          + (layers.isEmpty() ? ", after adding layers" : ""));
    }
  }

  // ---------------------------------------------------------------- per-batch work

  /** Forward, loss, backward and one optimizer step; returns the batch's mean loss. */
  @Override
  public double trainBatch(INDArray x, INDArray y, double[] metricSums) {
    double loss;
    int threads = NativeThreads.smallOps();
    try {
      loss = forwardAndBackward(x, y, metricSums);
    } finally {
      NativeThreads.restore(threads);
    }
    optimizer.step(parameters, gradients, epoch);
    return loss;
  }

  /** The batch's loss; writes the metric sums, and the parameter gradients into the flat vector. */
  private double forwardAndBackward(INDArray x, INDArray y, double[] metricSums) {
    StepArrays arrays = stepArrays(x.rows());
    int depth = layers.size();
    INDArray[] inputs = new INDArray[depth];
    INDArray activations = x;
    for (int i = 0; i < depth; i++) {
      inputs[i] = activations;
      layers.get(i).preOutput(activations, arrays.ones, arrays.preOutputs[i]);
      if (i < depth - 1) {
        activations = layers.get(i).activate(arrays.preOutputs[i], arrays.activations[i], true);
      }
    }
    Dense output = layers.get(depth - 1);
    INDArray preOutput = arrays.preOutputs[depth - 1];
    double loss;
    INDArray delta;
    if (softmaxCrossEntropy != null) {
      INDArray probabilities = output.activate(preOutput, arrays.activations[depth - 1], true);
      sumMetrics(y, probabilities, metricSums);
      loss = softmaxCrossEntropy.meanLoss(y, probabilities, arrays.lossScratch);
      delta = softmaxCrossEntropy.gradientInPlace(y, probabilities);
    } else {
      if (metrics.length > 0) {
        sumMetrics(y, output.activate(preOutput, arrays.activations[depth - 1], true), metricSums);
      }
      Pair<Double, INDArray> scoreAndGradient = lossFunction.computeGradientAndScore(
          y, preOutput, output.activationFunction(), null, true);
      loss = scoreAndGradient.getFirst();
      delta = scoreAndGradient.getSecond();
    }
    // ND4J's loss gradient is per sample while the score is the batch mean: backprop is linear,
    // so the parameter gradients take the 1/n inside their gemms instead of a pass over delta.
    float scale = 1f / x.rows();
    for (int i = depth - 1; i >= 0; i--) {
      INDArray inputGradient = arrays.inputGradients[i];
      layers.get(i).backprop(inputs[i], delta, scale, arrays.ones, inputGradient);
      if (i > 0) {
        delta = layers.get(i - 1).activationGradient(arrays.preOutputs[i - 1], inputGradient);
      }
    }
    return loss;
  }

  private StepArrays stepArrays(long rows) {
    if (stepArrays == null || stepArrays.rows != rows) {
      stepArrays = new StepArrays(layers, rows);
    }
    return stepArrays;
  }

  private INDArray ones(long rows) {
    if (ones == null || ones.rows() < rows) {
      try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
        ones = Nd4j.ones(DataType.FLOAT, rows, 1);
      }
    }
    return ones.rows() == rows ? ones : rows(ones, 0, rows);
  }

  /** The batch's mean loss, without training. */
  @Override
  public double testBatch(INDArray x, INDArray y, double[] metricSums) {
    INDArray preOutput = preOutputOfLastLayer(x);
    Dense output = layers.get(layers.size() - 1);
    if (softmaxCrossEntropy != null) {
      INDArray probabilities = output.activate(preOutput, false);
      sumMetrics(y, probabilities, metricSums);
      return softmaxCrossEntropy.meanLoss(y, probabilities, probabilities.ulike());
    }
    if (metrics.length > 0) {
      sumMetrics(y, output.activate(preOutput, false), metricSums);
    }
    return lossFunction.computeScore(y, preOutput, output.activationFunction(), null, true);
  }

  /** The network's output for a batch, in the current workspace. */
  @Override
  public INDArray predictBatch(INDArray x) {
    Dense output = layers.get(layers.size() - 1);
    return output.activate(preOutputOfLastLayer(x), false);
  }

  private INDArray preOutputOfLastLayer(INDArray x) {
    INDArray ones = ones(x.rows());
    INDArray activations = x;
    for (int i = 0; i < layers.size() - 1; i++) {
      activations = layers.get(i).activate(layers.get(i).preOutput(activations, ones), false);
    }
    return layers.get(layers.size() - 1).preOutput(activations, ones);
  }

  /** The metrics' batch sums from the output layer's activations; stateful metrics' sums stay 0. */
  private void sumMetrics(INDArray y, INDArray predictions, double[] sums) {
    for (int i = 0; i < sums.length; i++) {
      sums[i] = metrics[i] == null ? 0 : metrics[i].sum(y, predictions);
    }
    statefulMetrics.update(y, predictions);
  }

  @Override
  public void startEpoch(int epoch) {
    this.epoch = epoch;
  }

  @Override
  public void clearStopRequest() {
    stopTraining = false;
  }

  // ---------------------------------------------------------------- Model

  @Override
  public void stopTraining() {
    stopTraining = true;
  }

  @Override
  public boolean stopTrainingRequested() {
    return stopTraining;
  }

  @Override
  public double learningRate() {
    requireCompiled("learningRate");
    return optimizer.learningRate(epoch);
  }

  @Override
  public void setLearningRate(double learningRate) {
    requireCompiled("setLearningRate");
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException(
          "learning rate must be a positive finite number, got " + learningRate);
    }
    optimizer.setLearningRate(learningRate);
  }

  @Override
  public boolean hasLearningRateSchedule() {
    return optimizer != null && optimizer.hasSchedule();
  }

  /** Whether this compile keeps an {@link Ema} of the weights. */
  @Override
  public boolean hasEma() {
    return optimizer != null && optimizer.movingAverage() != null;
  }

  /** The {@link Ema} settings given to the last compile (or read by load), if any. */
  public Optional<Ema> ema() {
    return hasEma() ? Optional.of(optimizer.movingAverage().config()) : Optional.empty();
  }

  @Override
  public void swapEmaWeights(boolean emaInModel) {
    movingAverage("swapEmaWeights").swapInto(parameters, emaInModel);
  }

  /**
   * A copy of the moving average of the weights, laid out as {@link #parameters()}, wherever it is
   * (in its own buffer, or swapped into the weights).
   */
  public INDArray emaParameters() {
    try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      return movingAverage("emaParameters").averageOf(parameters);
    }
  }

  private MovingAverage movingAverage(String operation) {
    requireCompiled(operation);
    MovingAverage average = optimizer.movingAverage();
    if (average == null) {
      throw new IllegalStateException(operation + " needs an EMA of the weights: compile with one,"
          + " compile(loss, updater, Ema.builder().build(), metrics...)");
    }
    return average;
  }

  /**
   * After a fit's last epoch, before its train-end hooks: the weights become their moving average,
   * as Keras's {@code finalize_variable_values}, once at least one step has built it (Keras would
   * copy the zeros it starts from).
   */
  @Override
  public void finishFit() {
    MovingAverage average = optimizer.movingAverage();
    if (average != null && optimizer.iteration() > 0) {
      average.finalizeInto(parameters);
    }
  }

  @Override
  public ModelState snapshot() {
    requireCompiled("snapshot");
    try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      INDArray state = optimizer.state();
      MovingAverage average = optimizer.movingAverage();
      return new State(this, parameters.dup(), state == null ? null : state.dup(),
          optimizer.iteration(), average == null ? null : average.buffer().dup(),
          average != null && average.inParameters());
    }
  }

  @Override
  public void restore(ModelState state) {
    requireCompiled("restore");
    if (!(state instanceof State saved) || saved.owner() != this) {
      throw new IllegalArgumentException(
          "restore takes a ModelState from this model's snapshot(), got " + state);
    }
    MovingAverage average = optimizer.movingAverage();
    if ((average == null) != (saved.emaBuffer() == null)) {
      throw new IllegalArgumentException("restore takes a ModelState taken under the same compile:"
          + " this model " + (average == null ? "keeps no" : "keeps an") + " EMA of its weights but"
          + " the snapshot " + (average == null ? "has one" : "has none"));
    }
    parameters.assign(saved.parameters());
    optimizer.restore(saved.updaterState(), saved.iteration());
    if (average != null) {
      average.restore(saved.emaBuffer(), saved.emaInParameters());
    }
  }

  /**
   * What {@link #snapshot()} returns: copies of the parameters, the updater's state and, with an
   * {@link Ema}, the moving average's buffer and whether it is swapped into the parameters.
   */
  private record State(Sequential owner, INDArray parameters, INDArray updaterState, int iteration,
      INDArray emaBuffer, boolean emaInParameters) implements ModelState {
    @Override
    public String toString() {
      return "Sequential.State[" + parameters.length() + " parameters, iteration " + iteration + "]";
    }
  }

  /** {@code dense_0/kernel}, {@code dense_0/bias}, {@code dense_1/kernel}, ... */
  @Override
  public Map<String, float[]> weights() {
    requireCompiled("weights");
    Map<String, float[]> weights = new LinkedHashMap<>();
    for (int i = 0; i < layers.size(); i++) {
      weights.put("dense_" + i + "/kernel", layers.get(i).kernel().reshape(-1).toFloatVector());
      weights.put("dense_" + i + "/bias", layers.get(i).bias().toFloatVector());
    }
    return Collections.unmodifiableMap(weights);
  }

  @Override
  public Map<String, int[]> weightShapes() {
    requireCompiled("weightShapes");
    Map<String, int[]> shapes = new LinkedHashMap<>();
    for (int i = 0; i < layers.size(); i++) {
      Dense layer = layers.get(i);
      shapes.put("dense_" + i + "/kernel", new int[] {layer.inputSize(), layer.units()});
      shapes.put("dense_" + i + "/bias", new int[] {layer.units()});
    }
    return Collections.unmodifiableMap(shapes);
  }

  @Override
  public List<DenseLayerDescription> denseLayers() {
    requireCompiled("denseLayers");
    List<DenseLayerDescription> descriptions = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      Dense layer = layers.get(i);
      descriptions.add(new DenseLayerDescription("dense_" + i, layer.inputSize(), layer.units(),
          kerasName(layer.activation())));
    }
    return List.copyOf(descriptions);
  }

  /** Keras's name for an ND4J activation: ND4J's enum name in lower case but for three. */
  private static String kerasName(Activation activation) {
    return switch (activation) {
      case IDENTITY -> "linear";
      case LEAKYRELU -> "leaky_relu";
      case HARDSIGMOID -> "hard_sigmoid";
      default -> activation.name().toLowerCase(Locale.ROOT);
    };
  }

  @Override
  public void save(Path file) throws IOException {
    requireCompiled("save");
    MovingAverage average = optimizer.movingAverage();
    ModelFile.writeModel(file, new ModelFile.Contents(layers, loss, optimizer.config(),
        metricNames, seed == null ? 0 : seed, optimizer.iteration(), parameters,
        optimizer.state(), average == null ? null : average.config(),
        average == null ? null : average.buffer(), average != null && average.inParameters()));
  }

  @Override
  public void saveWeights(Path file) throws IOException {
    requireCompiled("saveWeights");
    ModelFile.writeWeights(file, layers, parameters);
  }

  /**
   * Reads a model that {@link #save} wrote: architecture, weights and optimizer state. Every field
   * and size is checked first: a damaged or foreign file is an {@link IOException} naming the file
   * and the entry.
   */
  public static Sequential load(Path file) throws IOException {
    ModelFile.Contents contents = ModelFile.readModel(file);
    Sequential model = new Sequential().seed(contents.seed());
    contents.layers().forEach(model::add);
    try {
      model.compileWith(contents.loss(), contents.updater(), contents.ema(),
          contents.metrics().toArray(String[]::new));
    } catch (RuntimeException e) {
      throw new IOException(file + ": model.json describes a model that cannot be compiled ("
          + e.getMessage() + ")", e);
    }
    model.parameters.assign(contents.parameters());
    model.optimizer.restore(contents.updaterState(), contents.iteration());
    if (contents.ema() != null) {
      model.optimizer.movingAverage().restore(contents.emaBuffer(), contents.emaInParameters());
    }
    return model;
  }

  /**
   * Replaces the weights, optimizer and its state with those of a {@link #save} file written for a
   * model of this architecture, compared layer by layer before anything is read or changed.
   */
  @Override
  public void loadState(Path file) throws IOException {
    requireCompiled("loadState");
    ModelFile.Contents contents = ModelFile.readModel(file, layers);
    Optimizer restored;
    try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      restored = new Optimizer(contents.updater(), contents.ema(), parameters.length());
    }
    restored.restore(contents.updaterState(), contents.iteration());
    Ema compiled = optimizer.movingAverage() == null ? null : optimizer.movingAverage().config();
    if (!Objects.equals(compiled, contents.ema())) {
      LOG.warn("{} holds an optimizer with {} where this model was compiled with {}; the file's"
          + " optimizer replaces the compiled one, as it does the updater", file,
          contents.ema() == null ? "no EMA" : contents.ema(),
          compiled == null ? "no EMA" : compiled);
    }
    if (contents.ema() != null) {
      restored.movingAverage().restore(contents.emaBuffer(), contents.emaInParameters());
    }
    parameters.assign(contents.parameters());
    optimizer = restored;
  }

  /**
   * Replaces the weights with those of a {@link #saveWeights} (or {@link #save}) file written for a
   * model of this architecture, compared layer by layer before the weights are read.
   */
  public void loadWeights(Path file) throws IOException {
    requireCompiled("loadWeights");
    parameters.assign(ModelFile.readWeights(file, layers));
  }

  /** {@code Dense(64->32, RELU) -> Dense(32->10, SOFTMAX)}. */
  public String summary() {
    return ModelFile.summary(layers);
  }

  @Override
  public String toString() {
    return "Sequential[" + summary() + "]";
  }
}
