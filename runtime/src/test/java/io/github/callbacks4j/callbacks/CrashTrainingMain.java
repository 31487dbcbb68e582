package io.github.callbacks4j.callbacks;

import io.github.callbacks4j.Callback;
import io.github.callbacks4j.Logs;
import io.github.callbacks4j.runtime.Digits;
import io.github.callbacks4j.runtime.FitOptions;
import io.github.callbacks4j.runtime.Models;
import io.github.callbacks4j.runtime.Sequential;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The training process that {@link CrashTest} kills with SIGKILL and restarts. Arguments: mode
 * ({@code run}, {@code hang-mid-epoch}, {@code hang-mid-save}) and a work directory. When it
 * reaches the chosen point it prints {@code KILL-ME} and waits to be killed; a completed run saves
 * its final weights to {@code final.c4j} and prints where it resumed.
 */
public final class CrashTrainingMain {
  private CrashTrainingMain() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    Path dir = Path.of(args[1]);
    Digits data = Digits.load().head(400);
    BackupAndRestore backup = BackupAndRestore.builder(dir.resolve("backup")).saveFreq(3).build();
    int[] backups = {0};
    if (mode.equals("hang-mid-save")) {
      backup.beforeStateWritten(() -> {
        if (++backups[0] == 9) {
          hang(); // model-9.c4j is written, state-9.json is not
        }
      });
    }
    List<Object> callbacks = new ArrayList<>();
    int[] resumedAt = {-1, -1};
    callbacks.add(new Callback() {
      private int epoch = -1;

      @Override
      public void onEpochBegin(int e, Logs logs) {
        epoch = e;
      }

      @Override
      public void onTrainBatchBegin(int batch, Logs logs) {
        if (resumedAt[1] < 0) {
          resumedAt[0] = epoch;
          resumedAt[1] = batch;
        }
        if (mode.equals("hang-mid-epoch") && epoch == 2 && batch == 5) {
          hang();
        }
      }
    });
    callbacks.add(EarlyStopping.builder().patience(50).restoreBestWeights(true).build());
    callbacks.add(ReduceLROnPlateau.builder().factor(0.5).patience(1).build());
    callbacks.add(LearningRateScheduler.builder((epoch, lr) -> epoch == 0 ? lr : lr * 0.9).build());
    callbacks.add(ModelCheckpoint.builder(dir.resolve("best.c4j").toString()).saveBestOnly(true).build());
    callbacks.add(CSVLogger.builder(dir.resolve("log.csv")).build());
    callbacks.add(backup);
    Sequential model = Models.digits(3);
    model.fit(data.x, data.y, FitOptions.builder().epochs(5).batchSize(32).validationSplit(0.25)
        .seed(21).verbose(0).callbacks(callbacks.toArray()).build());
    model.saveWeights(dir.resolve("final.c4j"));
    System.out.println("FIRST-BATCH epoch=" + resumedAt[0] + " batch=" + resumedAt[1]);
  }

  private static void hang() {
    System.out.println("KILL-ME");
    System.out.flush();
    try {
      Thread.sleep(120_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    System.exit(3); // never reached when the test kills us
  }
}
