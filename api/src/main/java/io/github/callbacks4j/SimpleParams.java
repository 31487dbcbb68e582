package io.github.callbacks4j;

import java.util.List;
import java.util.OptionalInt;

/** The {@link Params} that {@link Params#of} creates. */
record SimpleParams(int epochs, int steps, int verbose, OptionalInt batchSize, OptionalInt samples,
    List<String> metrics) implements Params {
  SimpleParams {
    if (epochs < 0 || steps < 0) {
      throw new IllegalArgumentException(
          "epochs and steps must be >= 0, got epochs=" + epochs + ", steps=" + steps);
    }
  }

  @Override
  public String toString() {
    return "Params{epochs=" + epochs + ", steps=" + steps + ", verbose=" + verbose
        + batchSize.stream().mapToObj(b -> ", batchSize=" + b).findFirst().orElse("")
        + samples.stream().mapToObj(s -> ", samples=" + s).findFirst().orElse("")
        + (metrics.isEmpty() ? "" : ", metrics=" + metrics) + "}";
  }
}
