package io.github.callbacks4j.samples;

import io.github.callbacks4j.Metric;
import io.github.callbacks4j.OnEpochEnd;
import io.github.callbacks4j.OnTrainBatchEnd;
import io.github.callbacks4j.Params;
import io.github.callbacks4j.callbacks.CSVLogger;
import io.github.callbacks4j.callbacks.EarlyStopping;
import io.github.callbacks4j.callbacks.History;
import io.github.callbacks4j.callbacks.ModelCheckpoint;
import io.github.callbacks4j.callbacks.ReduceLROnPlateau;
import io.github.callbacks4j.runtime.Datasets;
import io.github.callbacks4j.runtime.Dense;
import io.github.callbacks4j.runtime.EvaluateOptions;
import io.github.callbacks4j.runtime.FitOptions;
import io.github.callbacks4j.runtime.Sequential;
import io.github.callbacks4j.spark.SparkTraining;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * Data-parallel training on Apache Spark in local mode: the digits in two partitions (two
 * workers), parameters averaged every 5 local steps, the callbacks on the driver. The same
 * program runs on a cluster with another master.
 */
public final class SparkQuickStart {
  /** An annotated object: a batch hook on Spark fires once per averaging round. */
  public static class RoundPrinter {
    private int rounds;

    @OnTrainBatchEnd
    void round(@Metric("loss") double loss) {
      rounds++;
    }

    @OnEpochEnd
    void epoch(int epoch, Params params, @Metric("val_accuracy") double accuracy,
        @Metric("learning_rate") double learningRate) {
      System.out.printf("epoch %d: %d averaging rounds, val_accuracy %.3f, learning rate %.4f%n",
          epoch + 1, params.steps(), accuracy, learningRate);
    }

    int rounds() {
      return rounds;
    }
  }

  /** What a run produced. */
  public record Result(History history, int rounds, double testAccuracy) {}

  private SparkQuickStart() {}

  public static void main(String[] args) {
    Result result = run(Path.of("target", "spark-quick-start"), 12);
    System.out.printf("%d epochs, %d rounds; test accuracy %.3f%n",
        result.history().epoch().size(), result.rounds(), result.testAccuracy());
  }

  static Result run(Path out, int epochs) {
    SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("SparkQuickStart")
        .set("spark.ui.enabled", "false");
    try (JavaSparkContext spark = new JavaSparkContext(conf)) {
      Datasets.TrainTest digits = Datasets.digits();
      Datasets.TrainValidation split = digits.train().validationSplit(0.2);
      Sequential model = new Sequential().seed(42)
          .add(new Dense(64).inputSize(64).activation(Activation.RELU))
          .add(new Dense(10).activation(Activation.SOFTMAX))
          .compile(LossFunction.MCXENT, new Adam(3e-3), "accuracy");

      RoundPrinter printer = new RoundPrinter();
      SparkTraining training = SparkTraining.builder(spark).averagingFrequency(5).build();
      History history = training.fit(model, partitioned(spark, split.train(), 2),
          FitOptions.builder().epochs(epochs).batchSize(32).seed(7).verbose(0)
              .validationData(split.validation().x(), split.validation().y())
              .callbacks(
                  ReduceLROnPlateau.builder().monitor("val_loss").factor(0.5).patience(2)
                      .build(),
                  printer,
                  EarlyStopping.builder().monitor("val_loss").patience(4)
                      .restoreBestWeights(true).build(),
                  ModelCheckpoint.builder(out.resolve("best.c4j").toString())
                      .monitor("val_loss").saveBestOnly(true).build(),
                  CSVLogger.builder(out.resolve("training.csv")).build())
              .build());
      double accuracy = model.evaluate(digits.test().x(), digits.test().y(),
          EvaluateOptions.builder().verbose(0).build()).get("accuracy");
      return new Result(history, printer.rounds(), accuracy);
    }
  }

  /** One DataSet per sample, spread over {@code partitions} (on a cluster: read from storage). */
  private static JavaRDD<DataSet> partitioned(JavaSparkContext spark, Datasets.LabeledData data,
      int partitions) {
    List<DataSet> samples = new ArrayList<>();
    for (long i = 0; i < data.samples(); i++) {
      samples.add(new DataSet(data.x().getRow(i, true).dup(), data.y().getRow(i, true).dup()));
    }
    return spark.parallelize(samples, partitions);
  }
}
