package io.github.callbacks4j.runtime;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The bundled digits for tests. The file is ordered by writer, so the rows are shuffled once with
 * a fixed seed, as scikit-learn's {@code train_test_split} would.
 */
public final class Digits {
  public final INDArray x;
  public final INDArray y;

  private Digits(Datasets.LabeledData data) {
    this.x = data.x();
    this.y = data.y();
  }

  public static Digits load() {
    return new Digits(Datasets.digits().shuffled(2017));
  }

  /** The first {@code rows} samples (copies). */
  public Digits head(int rows) {
    Datasets.LabeledData head = new Datasets.LabeledData(x, y).rows(0, rows);
    return new Digits(new Datasets.LabeledData(head.x().dup(), head.y().dup()));
  }
}
