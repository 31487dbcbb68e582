package io.github.callbacks4j.runtime;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * All 1797 bundled digits for tests, in one fixed shuffled order: the training rows of
 * {@code Datasets.digits(2017)} followed by its test rows.
 */
public final class Digits {
  public final INDArray x;
  public final INDArray y;

  private Digits(INDArray x, INDArray y) {
    this.x = x;
    this.y = y;
  }

  public static Digits load() {
    Datasets.TrainTest digits = Datasets.digits(2017);
    return new Digits(Nd4j.vstack(digits.train().x(), digits.test().x()),
        Nd4j.vstack(digits.train().y(), digits.test().y()));
  }

  /** The first {@code rows} samples (copies). */
  public Digits head(int rows) {
    Datasets.LabeledData head = new Datasets.LabeledData(x, y).rows(0, rows);
    return new Digits(head.x().dup(), head.y().dup());
  }
}
