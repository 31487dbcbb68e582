package io.github.callbacks4j.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The direct OpenBLAS products agree with ND4J's own, on the engine's kinds of operands. */
class BlasTest {
  @Test
  void everyTransposeCombinationMatchesNd4jsGemm() {
    Nd4j.getRandom().setSeed(3);
    for (boolean transposeA : new boolean[] {false, true}) {
      for (boolean transposeB : new boolean[] {false, true}) {
        INDArray a = Nd4j.rand(DataType.FLOAT, transposeA ? new long[] {5, 7} : new long[] {7, 5});
        INDArray b = Nd4j.rand(DataType.FLOAT, transposeB ? new long[] {3, 5} : new long[] {5, 3});
        INDArray c = Nd4j.rand(DataType.FLOAT, 7, 3);
        INDArray expected = c.dup();
        Nd4j.gemm(a, b, expected, transposeA, transposeB, 0.5, 2.0);
        Blas.gemm(a, b, c, transposeA, transposeB, 0.5f, 2f);
        assertTrue(expected.equalsWithEps(c, 1e-5), transposeA + " " + transposeB + ": " + c);
      }
    }
  }

  /** Parameter views start inside a flat vector; batch views start at a row of a larger array. */
  @Test
  void viewsAtAnOffsetReadAndWriteTheirOwnElements() {
    INDArray flat = Nd4j.linspace(DataType.FLOAT, 1, 40, 1).reshape(1, 40);
    INDArray kernel = flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(10, 22))
        .reshape('c', 4, 3);
    INDArray data = Nd4j.linspace(DataType.FLOAT, 1, 24, 1).reshape('c', 6, 4);
    INDArray batch = data.get(NDArrayIndex.interval(2, 5), NDArrayIndex.all());
    INDArray out = Nd4j.zeros(DataType.FLOAT, 3, 3);
    Blas.gemm(batch, kernel, out, false, false, 1f, 0f);
    assertEquals(batch.dup().mmul(kernel.dup()), out);

    INDArray gradient = flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(25, 37))
        .reshape('c', 4, 3);
    Blas.gemm(batch, out, gradient, true, false, 1f, 0f);
    assertEquals(batch.dup().transpose().mmul(out), gradient);
    assertEquals(25f, flat.getFloat(24), "the element before the view is untouched");
    assertEquals(38f, flat.getFloat(37), "the element after the view is untouched");
  }

  /** The bias gradient: the scaled column sums, written into a view of the flat gradients. */
  @Test
  void gemvTransposedSumsColumnsIntoAView() {
    Nd4j.getRandom().setSeed(5);
    INDArray a = Nd4j.rand(DataType.FLOAT, 6, 4);
    INDArray ones = Nd4j.ones(DataType.FLOAT, 6, 1);
    INDArray flat = Nd4j.linspace(DataType.FLOAT, 1, 10, 1).reshape(1, 10);
    INDArray sums = flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(3, 7)).reshape('c', 1, 4);
    Blas.gemv(a, ones, sums, true, 0.5f, 0f);
    INDArray expected = a.sum(0).mul(0.5);
    for (int column = 0; column < 4; column++) {
      assertEquals(expected.getFloat(column), flat.getFloat(3 + column), 1e-6,
          "the flat vector holds column " + column + "'s sum");
    }
    assertEquals(3f, flat.getFloat(2), "the element before the view is untouched");
    assertEquals(8f, flat.getFloat(7), "the element after the view is untouched");
  }

  /** Rank-1 vectors and a one-element vector are taken as they are. */
  @Test
  void gemvTakesRankOneAndSingleElementVectors() {
    Nd4j.getRandom().setSeed(6);
    INDArray a = Nd4j.rand(DataType.FLOAT, 3, 4);
    INDArray x = Nd4j.rand(DataType.FLOAT, 4);
    INDArray y = Nd4j.rand(DataType.FLOAT, 3);
    INDArray expected = a.mmul(x.reshape(4, 1)).reshape(3).mul(2).addi(y.mul(3));
    Blas.gemv(a, x, y, false, 2f, 3f);
    assertTrue(expected.equalsWithEps(y, 1e-5), y.toString());

    INDArray single = Nd4j.rand(DataType.FLOAT, 1, 1);
    INDArray out = Nd4j.zeros(DataType.FLOAT, 3);
    Blas.gemv(a.getColumn(0).reshape('c', 3, 1).dup(), single, out, false, 1f, 0f);
    assertEquals(a.getFloat(1, 0) * single.getFloat(0), out.getFloat(1), 1e-6);
  }

  /** The optimizer's step: parameters minus the update, exactly as ND4J's subi. */
  @Test
  void axpySubtractsExactlyAsNd4j() {
    Nd4j.getRandom().setSeed(7);
    INDArray parameters = Nd4j.rand(DataType.FLOAT, 1, 1000);
    INDArray update = Nd4j.randn(DataType.FLOAT, 1, 1000);
    INDArray expected = parameters.sub(update);
    Blas.axpy(-1f, update, parameters);
    assertArrayEquals(expected.toFloatVector(), parameters.toFloatVector(), 0f);
    assertThrows(IllegalArgumentException.class,
        () -> Blas.axpy(1f, update, Nd4j.zeros(DataType.FLOAT, 1, 999)));
  }

  @Test
  void operandsBLASCannotTakeAsTheyAreAreRefused() {
    INDArray fortran = Nd4j.rand(DataType.FLOAT, 'f', 3, 3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Blas.gemm(fortran, fortran, Nd4j.zeros(DataType.FLOAT, 3, 3), false, false, 1f, 0f));
    assertTrue(e.getMessage().contains("contiguous row-major float"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Blas.gemm(Nd4j.zeros(DataType.FLOAT, 2, 3),
        Nd4j.zeros(DataType.FLOAT, 2, 3), Nd4j.zeros(DataType.FLOAT, 2, 3), false, false, 1f, 0f));
    INDArray column = Nd4j.zeros(DataType.FLOAT, 3, 3).getColumn(1);
    IllegalArgumentException gaps = assertThrows(IllegalArgumentException.class,
        () -> Blas.gemv(Nd4j.zeros(DataType.FLOAT, 2, 3), column, Nd4j.zeros(DataType.FLOAT, 2),
            false, 1f, 0f));
    assertTrue(gaps.getMessage().contains("vector without gaps"), gaps.getMessage());
  }
}
