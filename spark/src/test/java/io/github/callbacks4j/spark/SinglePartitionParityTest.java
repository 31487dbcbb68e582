package io.github.callbacks4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.callbacks4j.callbacks.History;
import io.github.callbacks4j.runtime.Datasets;
import io.github.callbacks4j.runtime.FitOptions;
import io.github.callbacks4j.runtime.Sequential;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;

/**
 * {@code local[1]}: one partition, averaged every few steps, trains exactly as the single-machine
 * loop does on the same batches (stored order): averaging one worker changes nothing. And rows of
 * a {@code Dataset<Row>} train as the same samples given as DataSets.
 */
class SinglePartitionParityTest {
  private static final Datasets.LabeledData DATA = Datasets.digits().train().rows(0, 320);
  private static JavaSparkContext spark;

  @BeforeAll
  static void startSpark() {
    spark = new JavaSparkContext(new SparkConf().setMaster("local[1]")
        .setAppName("SinglePartitionParityTest").set("spark.ui.enabled", "false"));
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  private static FitOptions options() {
    Datasets.LabeledData validation = Datasets.digits().test().rows(0, 64);
    return FitOptions.builder().epochs(3).batchSize(32).shuffle(false).verbose(0)
        .validationData(validation.x(), validation.y()).build();
  }

  @Test
  void onePartitionTrainsAsTheSingleMachineLoop() {
    Sequential single = SparkTrainingTest.model(21, new Adam(1e-2));
    History expected = single.fit(DATA.x(), DATA.y(), options());
    Sequential distributed = SparkTrainingTest.model(21, new Adam(1e-2));
    History history = SparkTraining.builder(spark).averagingFrequency(4).build().fit(distributed,
        spark.parallelize(List.of(new DataSet(DATA.x(), DATA.y())), 1), options());

    assertArrayEquals(single.parameters().toFloatVector(),
        distributed.parameters().toFloatVector());
    assertArrayEquals(single.updaterState().toFloatVector(),
        distributed.updaterState().toFloatVector());
    assertEquals(single.iteration(), distributed.iteration());
    for (String key : List.of("loss", "accuracy", "val_loss", "val_accuracy")) {
      List<Double> want = expected.history().get(key);
      List<Double> got = history.history().get(key);
      for (int epoch = 0; epoch < 3; epoch++) {
        assertEquals(want.get(epoch), got.get(epoch), 1e-6, key + " of epoch " + epoch);
      }
    }
  }

  @Test
  void rowsTrainAsTheSameSamplesGivenAsDataSets() {
    SparkSession session = SparkSession.builder().sparkContext(spark.sc()).getOrCreate();
    StructType schema = new StructType()
        .add("pixels", DataTypes.createArrayType(DataTypes.DoubleType))
        .add("digit", DataTypes.IntegerType);
    List<Row> rows = new java.util.ArrayList<>();
    for (int i = 0; i < DATA.samples(); i++) {
      INDArray y = DATA.y().getRow(i);
      rows.add(RowFactory.create(toList(DATA.x().getRow(i).toDoubleVector()),
          y.argMax().getInt(0)));
    }
    Dataset<Row> frame = session.createDataFrame(rows, schema).repartition(1);
    Sequential fromRows = SparkTrainingTest.model(22, new Adam(1e-2));
    SparkTraining.builder(session).build().fit(fromRows, frame, "pixels", "digit", options());
    Sequential fromDataSets = SparkTrainingTest.model(22, new Adam(1e-2));
    SparkTraining.builder(spark).build().fit(fromDataSets,
        spark.parallelize(List.of(new DataSet(DATA.x(), DATA.y())), 1), options());

    assertArrayEquals(fromDataSets.parameters().toFloatVector(),
        fromRows.parameters().toFloatVector());
  }

  /** Spark ML vectors, dense and sparse, are features as the same values in an array would be. */
  @Test
  void mlVectorFeaturesTrainAsTheSameArrays() {
    SparkSession session = SparkSession.builder().sparkContext(spark.sc()).getOrCreate();
    StructType vectorSchema = new StructType()
        .add("pixels", SQLDataTypes.VectorType())
        .add("digit", DataTypes.IntegerType);
    StructType arraySchema = new StructType()
        .add("pixels", DataTypes.createArrayType(DataTypes.DoubleType))
        .add("digit", DataTypes.IntegerType);
    List<Row> vectorRows = new java.util.ArrayList<>();
    List<Row> arrayRows = new java.util.ArrayList<>();
    for (int i = 0; i < DATA.samples(); i++) {
      double[] pixels = DATA.x().getRow(i).toDoubleVector();
      int digit = DATA.y().getRow(i).argMax().getInt(0);
      // Alternate dense and sparse: the digits have many zero pixels.
      vectorRows.add(RowFactory.create(i % 2 == 0 ? Vectors.dense(pixels)
          : Vectors.dense(pixels).toSparse(), digit));
      arrayRows.add(RowFactory.create(toList(pixels), digit));
    }
    Sequential fromVectors = SparkTrainingTest.model(23, new Adam(1e-2));
    SparkTraining.builder(session).build().fit(fromVectors,
        session.createDataFrame(vectorRows, vectorSchema).repartition(1), "pixels", "digit",
        options());
    Sequential fromArrays = SparkTrainingTest.model(23, new Adam(1e-2));
    SparkTraining.builder(session).build().fit(fromArrays,
        session.createDataFrame(arrayRows, arraySchema).repartition(1), "pixels", "digit",
        options());
    assertArrayEquals(fromArrays.parameters().toFloatVector(),
        fromVectors.parameters().toFloatVector());

    Dataset<Row> tooShort = session.createDataFrame(List.of(RowFactory.create(
        Vectors.dense(new double[3]), 1)), vectorSchema);
    IllegalArgumentException wrongSize = assertThrows(IllegalArgumentException.class,
        () -> SparkTraining.builder(session).build().fit(SparkTrainingTest.model(1, new Adam()),
            tooShort, "pixels", "digit", FitOptions.builder().verbose(0).build()));
    assertTrue(wrongSize.getMessage().contains("row 0 has a vector of size 3 where the first"
        + " layer expects inputSize 64 values"), wrongSize.getMessage());
  }

  @Test
  void rowMisuseIsNamedWithItsFix() {
    SparkSession session = SparkSession.builder().sparkContext(spark.sc()).getOrCreate();
    StructType schema = new StructType()
        .add("pixels", DataTypes.StringType)
        .add("digit", DataTypes.DoubleType)
        .add("onehot", DataTypes.createArrayType(DataTypes.FloatType));
    Dataset<Row> frame = session.createDataFrame(List.of(
        RowFactory.create("x", 10.0, List.of(1f))), schema);
    SparkTraining training = SparkTraining.builder(session).build();
    FitOptions options = FitOptions.builder().verbose(0).build();
    Sequential model = SparkTrainingTest.model(1, new Adam());

    assertEquals("the training rows has no column 'image'; its columns are [pixels, digit, onehot]",
        assertThrows(IllegalArgumentException.class,
            () -> training.fit(model, frame, "image", "digit", options)).getMessage());
    assertEquals("the features column 'pixels' of the training rows is string; it must be"
        + " array<double>, array<float> or a Spark ML vector", assertThrows(
            IllegalArgumentException.class,
            () -> training.fit(model, frame, "pixels", "digit", options)).getMessage());

    Dataset<Row> numeric = session.createDataFrame(List.of(RowFactory.create(
        toList(new double[64]), 10.0, List.of(1f))), new StructType()
        .add("pixels", DataTypes.createArrayType(DataTypes.DoubleType))
        .add("digit", DataTypes.DoubleType)
        .add("onehot", DataTypes.createArrayType(DataTypes.FloatType)));
    assertEquals("partition 0 of the training rows: row 0 has label 10.0, not a class index in"
        + " [0, 10) for the last layer's 10 units", assertThrows(IllegalArgumentException.class,
            () -> training.fit(model, numeric, "pixels", "digit", options)).getMessage());
    assertEquals("partition 0 of the training rows: row 0 has a label array of 1 values (or a"
        + " null) but the last layer has 10 units; one-hot labels need one value per class",
        assertThrows(IllegalArgumentException.class,
            () -> training.fit(model, numeric, "pixels", "onehot", options)).getMessage());
  }

  private static List<Double> toList(double[] values) {
    return java.util.Arrays.stream(values).boxed().toList();
  }
}
