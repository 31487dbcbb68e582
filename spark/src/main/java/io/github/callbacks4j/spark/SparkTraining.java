package io.github.callbacks4j.spark;

import io.github.callbacks4j.callbacks.History;
import io.github.callbacks4j.runtime.FitOptions;
import io.github.callbacks4j.runtime.Sequential;
import io.github.callbacks4j.runtime.StatefulMetrics;
import io.github.callbacks4j.runtime.Trainer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Data-parallel training of a {@link Sequential} on Apache Spark, with the callbacks on the driver.
 *
 * <pre>{@code
 * SparkTraining training = SparkTraining.builder(sparkContext).averagingFrequency(5).build();
 * History history = training.fit(model, trainingRdd, FitOptions.builder()
 *     .epochs(10).batchSize(32).callbacks(new EarlyStopping(...)).build());
 * }</pre>
 *
 * <p>Each partition is a worker. Training runs in synchronous rounds: the driver broadcasts the
 * model's parameters, optimizer state and configuration; each partition trains a copy for {@code
 * averagingFrequency} local steps of {@code batchSize} rows on its own data; the driver sets the
 * model to the sample-weighted average of the partitions' parameters and optimizer states, as
 * Deeplearning4j's ParameterAveragingTrainingMaster does. Executors keep no state between rounds.
 *
 * <p>The driver runs the shared Keras loop of {@link Trainer} with the model and the callbacks:
 * every hook in Keras's order, with one batch hook pair per round ({@code batch} is the round's
 * index, its logs the round's sample-weighted means, {@code Params.steps()} the rounds per epoch),
 * epoch logs and val_ metrics reduced over all partitions, validation computed on the executors.
 * A stop request or a learning-rate change made by a callback applies from the next round; files
 * (checkpoints, CSV, TensorBoard, backups) are written by the driver only, and BackupAndRestore
 * resumes a killed driver at the last saved round.
 *
 * <p>The same seed, data and partitioning give bit-identical weights, whatever the number of
 * executors and however often Spark retries a task: each partition's batches are drawn from (seed,
 * epoch, partition) and each round's averaging adds the partitions in order.
 */
public final class SparkTraining {
  private static final Logger LOG = LoggerFactory.getLogger(SparkTraining.class);
  private final JavaSparkContext spark;
  private final int averagingFrequency;
  private final LocalSteps.TaskProbe probe;

  private SparkTraining(Builder builder) {
    this.spark = builder.spark;
    this.averagingFrequency = builder.averagingFrequency;
    this.probe = builder.probe;
  }

  public static Builder builder(JavaSparkContext spark) {
    return new Builder(Objects.requireNonNull(spark, "spark"));
  }

  public static Builder builder(SparkSession spark) {
    Objects.requireNonNull(spark, "spark");
    return new Builder(JavaSparkContext.fromSparkContext(spark.sparkContext()));
  }

  public int averagingFrequency() {
    return averagingFrequency;
  }

  /**
   * Trains {@code model} on {@code data}, whose elements are {@code DataSet}s of any number of
   * rows (features samples x inputs, one-hot labels samples x outputs). Validation comes from
   * {@code options}' validationData (arrays or an iterator, spread over as many partitions as
   * {@code data} has); validationSplit needs in-memory arrays and is refused.
   */
  public History fit(Sequential model, JavaRDD<DataSet> data, FitOptions options) {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(data, "data");
    Broadcast<DriverRows> validation = validationRows(options);
    try {
      return fitPartitions(model, data, validation == null ? null
          : DriverRows.partitions(spark, validation, data.getNumPartitions()), options);
    } finally {
      destroy(validation);
    }
  }

  /**
   * Trains {@code model} on {@code data}, validating on {@code validation} (null for none) after
   * each epoch, on the executors; {@code options} must then hold no validation data of their own.
   */
  public History fit(Sequential model, JavaRDD<DataSet> data, JavaRDD<DataSet> validation,
      FitOptions options) {
    Objects.requireNonNull(options, "options");
    if (options.validationX() != null || options.validationIterator() != null) {
      throw new IllegalArgumentException("both a validation RDD and the options' validationData"
          + " are given; pass one: the RDD here, or validationData with fit(model, data, options)");
    }
    return fitPartitions(model, data, validation, options);
  }

  private History fitPartitions(Sequential model, JavaRDD<DataSet> data,
      JavaRDD<DataSet> validation, FitOptions options) {
    Objects.requireNonNull(data, "data");
    ModelBlueprint blueprint = blueprintOf(model, options);
    JavaRDD<PartitionData> train = data.mapPartitionsWithIndex((partition, it) -> List.of(
        PartitionData.of(it, "partition " + partition + " of the training RDD", blueprint))
        .iterator(), true);
    JavaRDD<PartitionData> test = validation == null ? null
        : validation.mapPartitionsWithIndex((partition, it) -> List.of(
            PartitionData.of(it, "partition " + partition + " of the validation RDD", blueprint))
            .iterator(), true);
    return run(model, blueprint, train, "the training RDD", test, options);
  }

  /**
   * Trains {@code model} on the rows of {@code data}: {@code featuresColumn} an {@code
   * array<double>} or {@code array<float>} of the first layer's inputSize, {@code labelColumn} a
   * class index (int, long or double) or a one-hot array. Validation as in {@link
   * #fit(Sequential, JavaRDD, FitOptions)}.
   */
  public History fit(Sequential model, Dataset<Row> data, String featuresColumn,
      String labelColumn, FitOptions options) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(options, "options");
    ModelBlueprint blueprint = blueprintOf(model, options);
    JavaRDD<PartitionData> train =
        RowData.partitions(data, featuresColumn, labelColumn, "the training rows", blueprint);
    Broadcast<DriverRows> validation = validationRows(options);
    try {
      JavaRDD<PartitionData> test = validation == null ? null
          : DriverRows.partitions(spark, validation, train.getNumPartitions())
              .mapPartitionsWithIndex((partition, it) -> List.of(PartitionData.of(it,
                  "partition " + partition + " of the validation data", blueprint)).iterator(),
                  true);
      return run(model, blueprint, train, "the training rows", test, options);
    } finally {
      destroy(validation);
    }
  }

  private static void destroy(Broadcast<?> broadcast) {
    if (broadcast != null) {
      broadcast.destroy();
    }
  }

  private ModelBlueprint blueprintOf(Sequential model, FitOptions options) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(options, "options");
    if (!model.isCompiled()) {
      throw new IllegalStateException("the Sequential is not compiled: call compile(loss, updater,"
          + " metrics...) before SparkTraining.fit");
    }
    List<String> stateful = model.metricNames().stream().filter(StatefulMetrics::isStateful)
        .toList();
    if (!stateful.isEmpty()) {
      // Their state lives in each executor's copy of the model; the loop reads the driver's.
      throw new IllegalArgumentException("SparkTraining reduces metric sums across partitions and"
          + " cannot compute the stateful metrics " + stateful + " (exact over the epoch): compile"
          + " the model without them for Spark, and evaluate the trained model with them on the"
          + " driver (model.evaluate)");
    }
    if (options.validationSplit() > 0) {
      throw new IllegalArgumentException("validationSplit=" + options.validationSplit()
          + " needs in-memory arrays; on Spark pass validationData(x, y) or a validation RDD to"
          + " fit(model, data, validation, options)");
    }
    if (options.validationSteps().isPresent()) {
      throw new IllegalArgumentException("validationSteps=" + options.validationSteps().getAsInt()
          + " does not apply on Spark, where each validation is one distributed pass over all"
          + " the validation data; leave it unset");
    }
    if (model.ema().isPresent()) {
      throw new IllegalArgumentException("the Sequential keeps an exponential moving average of"
          + " its weights (compiled with an Ema), which SparkTraining does not average across"
          + " workers; compile it without the Ema to train on Spark");
    }
    return new ModelBlueprint(model);
  }

  private History run(Sequential model, ModelBlueprint blueprint, JavaRDD<PartitionData> train,
      String trainName, JavaRDD<PartitionData> validation, FitOptions options) {
    List<JavaRDD<PartitionData>> cached = new ArrayList<>();
    try {
      int[] rows = prepare(train, trainName, cached);
      if (sum(rows) == 0) {
        throw new IllegalArgumentException(trainName + " is empty: its " + rows.length
            + " partitions have no samples; pass data with at least one row");
      }
      warnIfResultsGoThroughTheBlockManager(model);
      AveragingRounds rounds = new AveragingRounds(spark, cached.get(0), rows, model, blueprint,
          options.batchSize(), averagingFrequency, probe);
      ValidationPass validationPass = null;
      if (validation != null) {
        int validationRows = sum(prepare(validation, "the validation data", cached));
        if (validationRows == 0) {
          throw new IllegalArgumentException("the validation data is empty: it has no samples");
        }
        validationPass = new ValidationPass(spark, cached.get(1), validationRows, model,
            blueprint, options.validationBatchSize());
      }
      return Trainer.fit(model, rounds, validationPass, options);
    } finally {
      cached.forEach(JavaRDD::unpersist);
    }
  }

  /**
   * A task result over {@code spark.task.maxDirectResultSize} (1 MB by default) is stored in the
   * executor's block manager and fetched by the driver in a second transfer: measured here, that
   * doubled a round's fixed cost.
   */
  private void warnIfResultsGoThroughTheBlockManager(Sequential model) {
    long stateBytes = 4 * (model.parameterCount()
        + (model.updaterState() == null ? 0 : model.updaterState().length()));
    long direct = spark.getConf().getSizeAsBytes("spark.task.maxDirectResultSize", "1m");
    if (stateBytes + 64 * 1024 > direct) {
      LOG.warn("each partition returns {} KiB a round, over spark.task.maxDirectResultSize ({} KiB):"
          + " results take a second transfer through the block manager; set"
          + " spark.task.maxDirectResultSize to {}m or more", stateBytes >> 10, direct >> 10,
          (2 * stateBytes >> 20) + 1);
    }
  }

  /**
   * Caches {@code data} (appended to {@code cached}) and returns each partition's rows; the first
   * partition whose data cannot be trained on fails here, naming why.
   */
  private static int[] prepare(JavaRDD<PartitionData> data, String name,
      List<JavaRDD<PartitionData>> cached) {
    JavaRDD<PartitionData> persisted = data.persist(StorageLevel.MEMORY_ONLY());
    cached.add(persisted);
    List<String> problems = persisted.map(partition -> partition.problem() == null
        ? Integer.toString(partition.rows()) : "!" + partition.problem()).collect();
    int[] rows = new int[problems.size()];
    for (int i = 0; i < rows.length; i++) {
      String summary = problems.get(i);
      if (summary.startsWith("!")) {
        throw new IllegalArgumentException(summary.substring(1));
      }
      rows[i] = Integer.parseInt(summary);
    }
    if (rows.length == 0) {
      throw new IllegalArgumentException(name + " has no partitions; pass data with at least one"
          + " row");
    }
    return rows;
  }

  private static int sum(int[] values) {
    int sum = 0;
    for (int value : values) {
      sum += value;
    }
    return sum;
  }

  /** {@code options}' validation arrays or iterator, broadcast once for the fit; or null. */
  private Broadcast<DriverRows> validationRows(FitOptions options) {
    if (options.validationX() != null) {
      return spark.broadcast(DriverRows.of(options.validationX(), options.validationY()));
    }
    DataSetIterator iterator = options.validationIterator();
    if (iterator == null) {
      return null;
    }
    List<DataSet> batches = new ArrayList<>();
    iterator.reset();
    iterator.forEachRemaining(batches::add);
    if (batches.isEmpty()) {
      throw new IllegalArgumentException("the validation iterator is empty: it has no batches");
    }
    DataSet all = DataSet.merge(batches);
    return spark.broadcast(DriverRows.of(all.getFeatures(), all.getLabels()));
  }

  public static final class Builder {
    private final JavaSparkContext spark;
    private int averagingFrequency = 5;
    private LocalSteps.TaskProbe probe;

    private Builder(JavaSparkContext spark) {
      this.spark = spark;
    }

    /**
     * Local steps each partition takes between two averaging rounds (default 5). A round costs a
     * broadcast and a job (tens of milliseconds on one machine), so rounds need enough steps.
     */
    public Builder averagingFrequency(int averagingFrequency) {
      if (averagingFrequency < 1) {
        throw new IllegalArgumentException("averagingFrequency must be >= 1 local steps per round,"
            + " got " + averagingFrequency);
      }
      this.averagingFrequency = averagingFrequency;
      return this;
    }

    /** Runs before every partition's local steps (tests fail chosen task attempts with it). */
    Builder taskProbe(LocalSteps.TaskProbe probe) {
      this.probe = probe;
      return this;
    }

    public SparkTraining build() {
      return new SparkTraining(this);
    }
  }
}
