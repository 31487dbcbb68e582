package io.github.callbacks4j.spark;

import org.apache.spark.ml.linalg.Vector;

/**
 * Spark ML vectors as feature rows. Only a column of vectors loads this class, and such a column
 * exists only where spark-mllib is on the classpath, so the module never requires it.
 */
final class MlVectors {
  /** The class a vector column's user-defined type holds. */
  static final String VECTOR_CLASS = "org.apache.spark.ml.linalg.Vector";

  private MlVectors() {}

  /** The vector's values (a sparse one with its zeros), or null when it has another size. */
  static float[] floats(Object value, int length) {
    Vector vector = (Vector) value;
    if (vector.size() != length) {
      return null;
    }
    double[] values = vector.toArray();
    float[] floats = new float[length];
    for (int i = 0; i < length; i++) {
      floats[i] = (float) values[i];
    }
    return floats;
  }

  /** The vector's size, for messages. */
  static int size(Object value) {
    return ((Vector) value).size();
  }
}
