package io.github.callbacks4j.samples;

import io.github.callbacks4j.callbacks.History;
import io.github.callbacks4j.callbacks.ModelCheckpoint;
import io.github.callbacks4j.callbacks.ReduceLROnPlateau;
import io.github.callbacks4j.runtime.Datasets;
import io.github.callbacks4j.runtime.FitOptions;
import io.github.callbacks4j.runtime.Sequential;
import java.io.IOException;
import java.nio.file.Path;

/**
 * R keras's {@code callback_model_checkpoint} with {@code callback_reduce_lr_on_plateau}: keep the
 * model with the best {@code val_loss}, and halve the learning rate when it stalls.
 */
public final class CheckpointAndReduceLr {
  private CheckpointAndReduceLr() {}

  public static void main(String[] args) throws IOException {
    run(Path.of("target", "checkpoint-and-reduce-lr"), 30);
  }

  static History run(Path out, int epochs) throws IOException {
    Datasets.TrainTest data = Datasets.digits();
    Sequential model = DigitsModel.create();
    Path checkpoint = out.resolve("best.c4j");
    History history = model.fit(data.train().x(), data.train().y(), FitOptions.builder()
        .epochs(epochs).validationSplit(0.2).seed(1).verbose(2)
        .callbacks(
            ModelCheckpoint.builder(checkpoint.toString())
                .monitor("val_loss").saveBestOnly(true).verbose(1).build(),
            ReduceLROnPlateau.builder()
                .monitor("val_loss").factor(0.5).patience(2).minLr(1e-5).verbose(1).build())
        .build());
    System.out.println("learning rate by epoch: " + history.history().get("learning_rate"));
    System.out.println("best model: " + checkpoint + " (" + Sequential.load(checkpoint).summary() + ")");
    return history;
  }
}
