package io.github.callbacks4j.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.callbacks4j.CallbackList;
import io.github.callbacks4j.Logs;
import io.github.callbacks4j.runtime.EventFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Steps per second on a clock the test moves, read back from the event file. */
class TensorBoardStepsPerSecondTest {
  private static final long MILLI = 1_000_000L;

  /**
   * As Keras: {@code batch_steps_per_second} is one batch over that batch's own time, at each
   * batch update; {@code epoch_steps_per_second} the epoch's batches over the time since the epoch
   * began.
   */
  @Test
  void batchAndEpochRatesAreStepsOverTheirTime(@TempDir Path logDir) throws IOException {
    AtomicLong now = new AtomicLong(10_000 * MILLI);
    CallbackList callbacks = CallbackList.of(TensorBoard.builder(logDir).updateFreq(2)
        .writeStepsPerSecond(true).clock(now::get).build());
    callbacks.onTrainBegin(new Logs());
    for (int epoch = 0; epoch < 2; epoch++) {
      callbacks.onEpochBegin(epoch, new Logs());
      for (int batch = 0; batch < 3; batch++) {
        now.addAndGet(100 * MILLI); // time between batches, counted in the epoch only
        callbacks.onTrainBatchBegin(batch, new Logs());
        now.addAndGet((batch + 1) * 250 * MILLI);
        callbacks.onTrainBatchEnd(batch, new Logs());
      }
      now.addAndGet(200 * MILLI);
      callbacks.onEpochEnd(epoch, new Logs());
    }
    callbacks.onTrainEnd(new Logs());

    Map<String, List<String>> scalars =
        EventFiles.scalars(EventFiles.read(EventFiles.onlyFile(logDir.resolve("train"))));
    // steps 2, 4 and 6 end batches of 500, 250 and 750 ms
    assertEquals(List.of("2=2.0", "4=4.0", "6=1.3333334"), scalars.get("batch_steps_per_second"));
    // each epoch: 3 batches in 0.3 + 1.5 + 0.2 = 2 s
    assertEquals(List.of("0=1.5", "1=1.5"), scalars.get("epoch_steps_per_second"));
  }
}
