package io.github.callbacks4j.callbacks;

import io.github.callbacks4j.runtime.Digits;
import io.github.callbacks4j.runtime.FitOptions;
import io.github.callbacks4j.runtime.Models;

/**
 * Two epochs with verbose built-ins, for {@link NothingSilentTest}'s JVM without an SLF4J
 * provider. A huge {@code minDelta} makes epoch 2 a non-improvement for every monitor.
 */
public final class VerboseMain {
  private VerboseMain() {}

  public static void main(String[] args) {
    Digits data = Digits.load().head(200);
    Models.digits(1).fit(data.x, data.y, FitOptions.builder()
        .epochs(5).batchSize(50).validationSplit(0.25).verbose(0)
        .callbacks(
            ModelCheckpoint.builder(args[0]).saveBestOnly(true).minDelta(1e9).verbose(1).build(),
            ReduceLROnPlateau.builder().factor(0.5).patience(1).minDelta(1e9).verbose(1).build(),
            EarlyStopping.builder().patience(1).minDelta(1e9).restoreBestWeights(true).verbose(1)
                .build())
        .build());
  }
}
