package io.github.callbacks4j.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class ArrayBatchesTest {
  /** Row i holds i * 1000 + column, so every value names its row. */
  private static INDArray numbered(int rows, int columns) {
    float[][] values = new float[rows][columns];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < columns; j++) {
        values[i][j] = i * 1000 + j;
      }
    }
    return Nd4j.createFromArray(values);
  }

  private static List<Integer> rowsOf(INDArray batch) {
    List<Integer> rows = new ArrayList<>();
    for (int i = 0; i < batch.rows(); i++) {
      int row = (int) (batch.getFloat(i, 0) / 1000);
      for (int j = 0; j < batch.columns(); j++) {
        assertEquals(row * 1000 + j, batch.getFloat(i, j), "row " + i + " column " + j);
      }
      rows.add(row);
    }
    return rows;
  }

  private static void assertShuffledPassCoversEveryRowOnce(INDArray x, INDArray y) {
    ArrayBatches batches = new ArrayBatches(x, y, 4);
    batches.startPass(new Random(7));
    List<Integer> seen = new ArrayList<>();
    for (int step = 0; step < batches.steps(); step++) {
      batches.next();
      assertEquals(batches.batchSize(step), batches.features().rows());
      List<Integer> rows = rowsOf(batches.features());
      assertEquals(rows, rowsOf(batches.labels()), "labels follow their features");
      seen.addAll(rows);
    }
    Set<Integer> distinct = new HashSet<>(seen);
    assertEquals(x.rows(), seen.size());
    assertEquals(x.rows(), distinct.size(), "no row twice: " + seen);
  }

  @Test
  void shuffledBatchesCopyWholeRowsOfARowMajorSource() {
    assertShuffledPassCoversEveryRowOnce(numbered(10, 7), numbered(10, 3));
  }

  @Test
  void shuffledBatchesOfAViewOrAColumnMajorSourceHoldTheSameRows() {
    INDArray view = numbered(14, 7).get(NDArrayIndex.interval(2, 12), NDArrayIndex.all());
    INDArray columnMajorLabels =
        numbered(14, 3).get(NDArrayIndex.interval(2, 12), NDArrayIndex.all()).dup('f');
    assertShuffledPassCoversEveryRowOnce(view, columnMajorLabels);

    ArrayBatches rowMajor = new ArrayBatches(numbered(10, 7), null, 4);
    ArrayBatches columnMajor = new ArrayBatches(numbered(10, 7).dup('f'), null, 4);
    rowMajor.startPass(new Random(3));
    columnMajor.startPass(new Random(3));
    for (int step = 0; step < 3; step++) {
      rowMajor.next();
      columnMajor.next();
      assertEquals(rowMajor.features(), columnMajor.features(), "step " + step);
    }
  }

  @Test
  void samplesOfHigherRankAreGatheredWhole() {
    INDArray matrix = numbered(10, 6);
    INDArray images = matrix.reshape(10, 2, 3);
    for (INDArray source : List.of(images, images.dup('f'))) {
      ArrayBatches flat = new ArrayBatches(matrix, null, 4);
      ArrayBatches shaped = new ArrayBatches(source, null, 4);
      flat.startPass(new Random(5));
      shaped.startPass(new Random(5));
      for (int step = 0; step < 3; step++) {
        flat.next();
        shaped.next();
        assertEquals(List.of((long) flat.batchSize(step), 2L, 3L),
            List.of(shaped.features().size(0), shaped.features().size(1),
                shaped.features().size(2)));
        assertEquals(flat.features(), shaped.features().dup('c').reshape(-1, 6),
            source.ordering() + " step " + step);
      }
    }
  }

  @Test
  void theSameShuffleGivesTheSameOrder() {
    INDArray x = numbered(10, 2);
    ArrayBatches first = new ArrayBatches(x, null, 10);
    ArrayBatches second = new ArrayBatches(x, null, 10);
    first.startPass(new Random(11));
    second.startPass(new Random(11));
    first.next();
    second.next();
    assertEquals(rowsOf(first.features()), rowsOf(second.features()));
  }
}
