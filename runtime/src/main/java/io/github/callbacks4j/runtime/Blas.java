package io.github.callbacks4j.runtime;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Single-precision BLAS calls (matrix and matrix-vector products, axpy) through the OpenBLAS that
 * ND4J bundles and itself calls, without ND4J's op dispatch: {@code Nd4j.gemm} builds a custom op,
 * its context and shape buffers per call, 10-14 µs and about 50 KB of heap each, where the product
 * of a training step's small matrices takes tens of µs. The step makes 15 such calls.
 */
final class Blas {
  private Blas() {}

  /**
   * {@code c = alpha · op(a) · op(b) + beta · c}, {@code op} transposing when asked. Every array is
   * a float matrix stored row after row without gaps (a view of whole rows or of a flat range
   * counts), as the engine's activations, gradients and parameter views are.
   */
  static void gemm(INDArray a, INDArray b, INDArray c, boolean transposeA, boolean transposeB,
      float alpha, float beta) {
    long m = transposeA ? a.columns() : a.rows();
    long k = transposeA ? a.rows() : a.columns();
    long n = transposeB ? b.rows() : b.columns();
    if ((transposeB ? b.columns() : b.rows()) != k || c.rows() != m || c.columns() != n) {
      throw new IllegalArgumentException("gemm shapes do not match: a " + shape(a)
          + (transposeA ? "^T" : "") + ", b " + shape(b) + (transposeB ? "^T" : "") + ", c "
          + shape(c));
    }
    openblas_nolapack.cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans,
        transposeB ? CblasTrans : CblasNoTrans, (int) m, (int) n, (int) k, alpha, pointer(a),
        (int) a.columns(), pointer(b), (int) b.columns(), beta, pointer(c), (int) c.columns());
  }

  /**
   * {@code y = alpha · op(a) · x + beta · y}: the matrix-vector product, where a product with a
   * one-row or one-column operand through {@link #gemm} measured 5-8x slower. {@code x} and
   * {@code y} are vectors stored without gaps, as a row or a column.
   */
  static void gemv(INDArray a, INDArray x, INDArray y, boolean transposeA, float alpha,
      float beta) {
    long m = transposeA ? a.columns() : a.rows();
    long k = transposeA ? a.rows() : a.columns();
    if (x.length() != k || y.length() != m) {
      throw new IllegalArgumentException("gemv shapes do not match: a " + shape(a)
          + (transposeA ? "^T" : "") + ", x " + x.length() + ", y " + y.length());
    }
    openblas_nolapack.cblas_sgemv(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans,
        (int) a.rows(), (int) a.columns(), alpha, pointer(a), (int) a.columns(), vector(x), 1,
        beta, vector(y), 1);
  }

  /** {@code y = alpha · x + y}, for vectors, or matrices of the same shape, stored without gaps. */
  static void axpy(float alpha, INDArray x, INDArray y) {
    requireSameLength("axpy", x, y);
    openblas_nolapack.cblas_saxpy((int) x.length(), alpha, flat(x), 1, flat(y), 1);
  }

  /** The sum of {@code x · y} element by element, for arrays like those {@link #axpy} takes. */
  static double dot(INDArray x, INDArray y) {
    requireSameLength("dot", x, y);
    return openblas_nolapack.cblas_sdot((int) x.length(), flat(x), 1, flat(y), 1);
  }

  /** {@code array} as BLAS takes it: itself where contiguous float, otherwise a row-major copy. */
  static INDArray contiguous(INDArray array) {
    if (array.dataType() != DataType.FLOAT) {
      return array.castTo(DataType.FLOAT).dup('c');
    }
    return hasUnitStride(array) || isContiguous(array) ? array : array.dup('c');
  }

  private static void requireSameLength(String call, INDArray x, INDArray y) {
    if (x.length() != y.length()) {
      throw new IllegalArgumentException(call + " lengths do not match: x " + x.length() + ", y "
          + y.length());
    }
  }

  /** Whether {@link #gemm} takes {@code matrix} as it is. */
  static boolean isContiguous(INDArray matrix) {
    // By strides, not the order flag: ND4J marks some row-major vectors 'f'.
    return matrix.dataType() == DataType.FLOAT && matrix.rank() == 2
        && (matrix.columns() == 1 || matrix.stride(1) == 1)
        && (matrix.rows() == 1 || matrix.stride(0) == matrix.columns());
  }

  private static FloatPointer pointer(INDArray matrix) {
    if (!isContiguous(matrix)) {
      throw new IllegalArgumentException("gemm needs a contiguous row-major float matrix, got "
          + matrix.shapeInfoToString());
    }
    return (FloatPointer) matrix.data().addressPointer();
  }

  /** A vector or a matrix whose elements follow each other in memory, as one flat vector. */
  private static FloatPointer flat(INDArray array) {
    return array.rank() == 2 && !hasUnitStride(array) ? pointer(array) : vector(array);
  }

  private static FloatPointer vector(INDArray vector) {
    if (vector.dataType() != DataType.FLOAT || !hasUnitStride(vector)) {
      throw new IllegalArgumentException("BLAS needs a float vector without gaps, got "
          + vector.shapeInfoToString());
    }
    return (FloatPointer) vector.data().addressPointer();
  }

  /** A row, a column or a rank-1 array whose neighbouring elements are neighbours in memory. */
  private static boolean hasUnitStride(INDArray vector) {
    if (vector.length() == 1) {
      return true;
    }
    return switch (vector.rank()) {
      case 1 -> vector.stride(0) == 1;
      case 2 -> vector.rows() == 1 ? vector.stride(1) == 1
          : vector.columns() == 1 && vector.stride(0) == 1;
      default -> false;
    };
  }

  private static String shape(INDArray matrix) {
    return matrix.rows() + "x" + matrix.columns();
  }
}
