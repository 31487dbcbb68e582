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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The main job: trains an MLP with an annotated callback object mixed with EarlyStopping,
 * ModelCheckpoint, ReduceLROnPlateau, CSVLogger and TensorBoard, shows the progress bar, plots the
 * history and reports the test accuracy. One key tells the story: every built-in monitors
 * {@code val_loss}, so the epoch EarlyStopping restores is the best checkpoint's and the report's.
 *
 * <p>Arguments: {@code [--data <Fashion-MNIST dir>] [--epochs N] [--out <dir>]}. Without
 * {@code --data} it trains on the bundled 8x8 digits.
 */
public final class QuickStart {
  /** The key EarlyStopping, ModelCheckpoint and ReduceLROnPlateau watch. */
  static final String MONITOR = "val_loss";

  /**
   * Where everything went, and how well it did: {@code checkpoints} are the files in the
   * checkpoint directory, the kept ones best first, then {@code last.c4j}.
   */
  public record Result(Path out, History history, double testAccuracy, int bestEpoch,
      List<Path> checkpoints) {}

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
    TrainTest data;
    Sequential model;
    if (fashionMnist == null) {
      data = Datasets.digits();
      model = DigitsModel.create();
      System.out.print("8x8 digits: ");
    } else {
      data = Datasets.fashionMnist(fashionMnist);
      model = new Sequential().seed(42)
          .add(new Dense(256).inputSize(784).activation(Activation.RELU))
          .add(new Dense(128).activation(Activation.RELU))
          .add(new Dense(10).activation(Activation.SOFTMAX))
          .compile(LossFunction.MCXENT, new Adam(1e-3), "accuracy");
      System.out.print("Fashion-MNIST: ");
    }
    LabeledData train = data.train();
    LabeledData test = data.test();
    System.out.println(train.samples() + " training (the last 20% held out for validation), "
        + test.samples() + " test samples; model " + model.summary());

    TrainingReport report = new TrainingReport();                // an annotated POJO
    EarlyStopping earlyStopping = EarlyStopping.builder()
        .monitor(MONITOR).patience(5).restoreBestWeights(true).verbose(verbose).build();
    Path checkpoints = out.resolve("checkpoints");
    ModelCheckpoint checkpoint = ModelCheckpoint
        .builder(checkpoints.resolve("epoch-{epoch:02d}-val_loss-{val_loss:.4f}.c4j").toString())
        .monitor(MONITOR).saveTopK(3).saveLast(true).build();
    History history = model.fit(train.x(), train.y(), FitOptions.builder()
        .epochs(epochs != null ? epochs : fashionMnist == null ? 60 : 10)
        .batchSize(fashionMnist == null ? 32 : 128)
        .validationSplit(0.2)
        .seed(42)
        .verbose(verbose)
        .callbacks(report, earlyStopping, checkpoint,
            ReduceLROnPlateau.builder().monitor(MONITOR).factor(0.5).patience(2)
                .verbose(verbose).build(),
            CSVLogger.builder(out.resolve("training.csv")).build(),
            TensorBoard.builder(out.resolve("tensorboard")).histogramFreq(5).build())
        .build());

    Path plot = out.resolve("history.png");
    history.savePlot(plot);
    Logs result = model.evaluate(test.x(), test.y(), EvaluateOptions.builder().verbose(0).build());
    List<Path> saved = checkpointFiles(checkpoints, checkpoint.bestPaths());
    System.out.println();
    System.out.println("Artifacts:");
    System.out.println("  CSV log      " + out.resolve("training.csv"));
    System.out.println("  TensorBoard  " + out.resolve("tensorboard")
        + "   (open with: tensorboard --logdir " + out.resolve("tensorboard") + ")");
    System.out.println("  checkpoints  " + checkpoints + ": the " + checkpoint.bestPaths().size()
        + " with the lowest " + MONITOR + ", best first, and last.c4j, a copy of the latest save");
    for (Path file : saved) {
      System.out.println("                 " + file.getFileName());
    }
    System.out.println("  plot         " + plot);
    System.out.printf(Locale.ROOT, "Test accuracy: %.4f with the weights of epoch %d (lowest %s),"
        + " restored by EarlyStopping%n", result.get("accuracy"), earlyStopping.bestEpoch() + 1,
        MONITOR);
    return new Result(out, history, result.get("accuracy"), earlyStopping.bestEpoch(), saved);
  }

  /** The files in the checkpoint directory: the ranked ones in their order, then the others. */
  private static List<Path> checkpointFiles(Path directory, List<Path> ranked) throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path path : ranked) {
      files.add(directory.resolve(path.getFileName()));
    }
    try (Stream<Path> listing = Files.list(directory)) {
      listing.sorted().filter(path -> !files.contains(path)).forEach(files::add);
    }
    return files;
  }
}
