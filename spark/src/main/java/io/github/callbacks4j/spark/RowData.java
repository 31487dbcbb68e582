package io.github.callbacks4j.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.UserDefinedType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Rows of a {@code Dataset<Row>} as partitions of samples: features from an {@code array<double>}
 * or {@code array<float>} column or a Spark ML {@code Vector} column (dense or sparse), labels from
 * a class-index column (integer or double) or a one-hot array column. Column types are checked on the driver before any job runs.
 */
final class RowData {
  private RowData() {}

  /** The rows' partitions, stacked and checked; {@code name} names the data in messages. */
  static JavaRDD<PartitionData> partitions(Dataset<Row> rows, String featuresColumn,
      String labelColumn, String name, ModelBlueprint blueprint) {
    StructType schema = rows.schema();
    boolean vectors = featuresAreVectors(schema, featuresColumn, name);
    boolean oneHot = labelKind(schema, labelColumn, name);
    Function2<Integer, Iterator<Row>, Iterator<PartitionData>> stack = (partition, it) ->
        List.of(stack(it, vectors, oneHot, "partition " + partition + " of " + name, blueprint))
            .iterator();
    return rows.select(featuresColumn, labelColumn).javaRDD().mapPartitionsWithIndex(stack, true);
  }

  private static StructField field(StructType schema, String column, String name) {
    if (column == null || !Arrays.asList(schema.fieldNames()).contains(column)) {
      throw new IllegalArgumentException(name + " has no column '" + column + "'; its columns are "
          + Arrays.toString(schema.fieldNames()));
    }
    return schema.apply(column);
  }

  /**
   * True for a Spark ML vector column, false for a numeric array column; anything else fails,
   * naming the column and its type.
   */
  private static boolean featuresAreVectors(StructType schema, String column, String name) {
    DataType type = field(schema, column, name).dataType();
    if (type instanceof ArrayType array && isFloating(array.elementType())) {
      return false;
    }
    if (type instanceof UserDefinedType<?> udt
        && udt.userClass().getName().equals(MlVectors.VECTOR_CLASS)) {
      return true;
    }
    throw new IllegalArgumentException("the features column '" + column + "' of " + name
        + " is " + type.simpleString() + "; it must be array<double>, array<float> or a Spark ML"
        + " vector");
  }

  /** True for a one-hot array label, false for a class index. */
  private static boolean labelKind(StructType schema, String column, String name) {
    DataType type = field(schema, column, name).dataType();
    if (type instanceof IntegerType || type instanceof LongType || type instanceof ShortType
        || type instanceof ByteType || type instanceof DoubleType || type instanceof FloatType) {
      return false;
    }
    if (type instanceof ArrayType array && isFloating(array.elementType())) {
      return true;
    }
    throw new IllegalArgumentException("the label column '" + column + "' of " + name + " is "
        + type.simpleString() + "; it must be a class index (int, long or double) or a one-hot"
        + " array<double> or array<float>");
  }

  private static boolean isFloating(DataType type) {
    return type instanceof DoubleType || type instanceof FloatType;
  }

  private static PartitionData stack(Iterator<Row> rows, boolean vectors, boolean oneHot,
      String source, ModelBlueprint blueprint) {
    int inputs = blueprint.inputSize();
    int outputs = blueprint.outputUnits();
    List<float[]> features = new ArrayList<>();
    List<float[]> labels = new ArrayList<>();
    while (rows.hasNext()) {
      Row row = rows.next();
      int index = features.size();
      float[] x = row.isNullAt(0) ? null
          : vectors ? MlVectors.floats(row.get(0), inputs) : floats(row.getList(0), inputs);
      if (x == null) {
        return PartitionData.problem(source + ": row " + index + " has "
            + (row.isNullAt(0) ? "no features"
                : vectors ? "a vector of size " + MlVectors.size(row.get(0))
                : row.getList(0).size() + " features or a null")
            + " where the first layer expects inputSize " + inputs + " values");
      }
      float[] y;
      if (row.isNullAt(1)) {
        return PartitionData.problem(source + ": row " + index + " has no label");
      } else if (oneHot) {
        y = floats(row.getList(1), outputs);
        if (y == null) {
          return PartitionData.problem(source + ": row " + index + " has a label array of "
              + row.getList(1).size() + " values (or a null) but the last layer has " + outputs
              + " units; one-hot labels need one value per class");
        }
      } else {
        double label = ((Number) row.get(1)).doubleValue();
        if (label != Math.rint(label) || label < 0 || label >= outputs) {
          return PartitionData.problem(source + ": row " + index + " has label " + label
              + ", not a class index in [0, " + outputs + ") for the last layer's " + outputs
              + " units");
        }
        y = new float[outputs];
        y[(int) label] = 1;
      }
      features.add(x);
      labels.add(y);
    }
    if (features.isEmpty()) {
      return PartitionData.empty();
    }
    return PartitionData.checked(Nd4j.create(features.toArray(float[][]::new)),
        Nd4j.create(labels.toArray(float[][]::new)), source, blueprint);
  }

  /** The list's values as floats, or null when it has another length or a null. */
  private static float[] floats(List<Object> values, int length) {
    if (values == null || values.size() != length) {
      return null;
    }
    float[] floats = new float[length];
    for (int i = 0; i < length; i++) {
      Object value = values.get(i);
      if (value == null) {
        return null;
      }
      floats[i] = ((Number) value).floatValue();
    }
    return floats;
  }
}
