package io.github.callbacks4j.dl4j;

import io.github.callbacks4j.Callback;
import io.github.callbacks4j.Logs;
import io.github.callbacks4j.callbacks.BackupAndRestore;
import io.github.callbacks4j.callbacks.CSVLogger;
import io.github.callbacks4j.callbacks.EarlyStopping;
import io.github.callbacks4j.callbacks.ReduceLROnPlateau;
import io.github.callbacks4j.runtime.FitOptions;
import java.nio.file.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.dataset.ViewIterator;

/**
 * The DL4J training process that {@link CrashTest} kills with SIGKILL and restarts. Arguments:
 * mode ({@code run} or {@code hang-mid-epoch}) and a work directory. At epoch 1, batch 2 the
 * hanging mode prints {@code KILL-ME} and waits to be killed; a completed run writes the network to
 * {@code final.zip} and prints where it started training.
 */
public final class CrashTrainingMain {
  private CrashTrainingMain() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    Path dir = Path.of(args[1]);
    int[] firstBatch = {-1, -1};
    Callback watch = new Callback() {
      private int epoch;

      @Override
      public void onEpochBegin(int e, Logs logs) {
        epoch = e;
      }

      @Override
      public void onTrainBatchBegin(int batch, Logs logs) {
        if (firstBatch[0] < 0) {
          firstBatch[0] = epoch;
          firstBatch[1] = batch;
        }
        if (mode.equals("hang-mid-epoch") && epoch == 1 && batch == 2) {
          hang();
        }
      }
    };
    MultiLayerNetwork network = Networks.cnn();
    // 5 batches per epoch (4 of 32, one of 16); a backup every 2 batches and at each epoch end.
    Dl4jTraining.fit(network, new ViewIterator(Networks.rows(144), Networks.BATCH),
        FitOptions.builder().epochs(3).verbose(0)
            .validationData(new ViewIterator(Networks.sample(40), Networks.BATCH))
            .callbacks(watch,
                EarlyStopping.builder().patience(50).restoreBestWeights(true).build(),
                ReduceLROnPlateau.builder().factor(0.5).patience(0).build(),
                CSVLogger.builder(dir.resolve("log.csv")).build(),
                BackupAndRestore.builder(dir.resolve("backup")).saveFreq(2).build())
            .build());
    ModelSerializer.writeModel(network, dir.resolve("final.zip").toFile(), true);
    System.out.println("FIRST-BATCH epoch=" + firstBatch[0] + " batch=" + firstBatch[1]);
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
