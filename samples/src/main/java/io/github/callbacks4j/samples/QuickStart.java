package io.github.callbacks4j.samples;

import io.github.callbacks4j.Logs;
import io.github.callbacks4j.callbacks.CSVLogger;
import io.github.callbacks4j.callbacks.EarlyStopping;
import io.github.callbacks4j.callbacks.History;
import io.github.callbacks4j.callbacks.ModelCheckpoint;
import io.github.callbacks4j.callbacks.ReduceLROnPlateau;
import io.github.callbacks4j.callbacks.TensorBoard;
import io.github.callbacks4j.runtime.Datasets;
import io.github.callbacks4j.runtime.Datasets.LabeledData;
import io.github.callbacks4j.runtime.Datasets.TrainTest;
import io.github.callbacks4j.runtime.Dense;
import io.github.callbacks4j.runtime.EvaluateOptions;
import io.github.callbacks4j.runtime.FitOptions;
import io.github.callbacks4j.runtime.Sequential;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The main job: trains an MLP with an annotated callback object mixed with EarlyStopping,
 * ModelCheckpoint, ReduceLROnPlateau, CSVLogger and TensorBoard, shows the progress bar, plots the
 * history and reports the test accuracy.
 *
 * <p>Arguments: {@code [--data <Fashion-MNIST dir>] [--epochs N] [--out <dir>]}. Without
 * {@code --data} it trains on the bundled 8x8 digits.
 */
public final class QuickStart {
  /** Where everything went, and how well it did. */
  public record Result(Path out, History history, double testAccuracy, Path bestCheckpoint) {}

  private QuickStart() {}

  public static void main(String[] args) throws IOException {
    Path data = null;
    Integer epochs = null;
    Path out = Path.of("target", "quickstart");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--data" -> data = Path.of(args[++i]);
        case "--epochs" -> epochs = Integer.parseInt(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument '" + args[i]
            + "'; usage: QuickStart [--data <Fashion-MNIST dir>] [--epochs N] [--out <dir>]");
      }
    }
    run(data, epochs, out, 1);
  }

  public static Result run(Path fashionMnist, Integer epochs, Path out, int verbose)
      throws IOException {
    LabeledData train;
    LabeledData test;
    Sequential model;
    if (fashionMnist == null) {
      TrainTest digits = Datasets.digits();
      train = digits.train();
      test = digits.test();
      model = DigitsModel.create();
      System.out.println("8x8 digits: " + train.samples() + " training, " + test.samples()
          + " test samples; model " + model.summary());
    } else {
      TrainTest fashion = Datasets.fashionMnist(fashionMnist);
      train = fashion.train();
      test = fashion.test();
      model = new Sequential().seed(42)
          .add(new Dense(256).inputSize(784).activation(Activation.RELU))
          .add(new Dense(128).activation(Activation.RELU))
          .add(new Dense(10).activation(Activation.SOFTMAX))
          .compile(LossFunction.MCXENT, new Adam(1e-3), "accuracy");
      System.out.println("Fashion-MNIST: " + train.samples() + " training, " + test.samples()
          + " test samples; model " + model.summary());
    }

    TrainingReport report = new TrainingReport();                // an annotated POJO
    EarlyStopping earlyStopping = EarlyStopping.builder()
        .monitor("val_loss").patience(5).restoreBestWeights(true).build();
    ModelCheckpoint checkpoint = ModelCheckpoint
        .builder(out.resolve("checkpoints/epoch-{epoch:02d}-val_loss-{val_loss:.4f}.c4j").toString())
        .monitor("val_loss").saveTopK(3).saveLast(true).build();
    History history = model.fit(train.x(), train.y(), FitOptions.builder()
        .epochs(epochs != null ? epochs : fashionMnist == null ? 60 : 10)
        .batchSize(fashionMnist == null ? 32 : 128)
        .validationSplit(0.2)
        .seed(42)
        .verbose(verbose)
        .callbacks(report, earlyStopping, checkpoint,
            ReduceLROnPlateau.builder().monitor("val_loss").factor(0.5).patience(2).build(),
            CSVLogger.builder(out.resolve("training.csv")).build(),
            TensorBoard.builder(out.resolve("tensorboard")).histogramFreq(5).build())
        .build());

    Path plot = out.resolve("history.png");
    history.savePlot(plot);
    Logs result = model.evaluate(test.x(), test.y(), EvaluateOptions.builder().verbose(0).build());
    Path best = checkpoint.bestPaths().isEmpty() ? null : checkpoint.bestPaths().get(0);
    System.out.println();
    System.out.println("Artifacts:");
    System.out.println("  CSV log      " + out.resolve("training.csv"));
    System.out.println("  TensorBoard  " + out.resolve("tensorboard")
        + "   (open with: tensorboard --logdir " + out.resolve("tensorboard") + ")");
    System.out.println("  checkpoints  " + out.resolve("checkpoints") + "   (best: "
        + (best == null ? "none" : best.getFileName()) + ", and last.c4j)");
    System.out.println("  plot         " + plot);
    System.out.printf(Locale.ROOT, "Test accuracy: %.4f (weights of epoch %d, restored by"
        + " EarlyStopping)%n", result.get("accuracy"), earlyStopping.bestEpoch() + 1);
    return new Result(out, history, result.get("accuracy"), best);
  }
}
