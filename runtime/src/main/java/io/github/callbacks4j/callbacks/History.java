package io.github.callbacks4j.callbacks;

import io.github.callbacks4j.Callback;
import io.github.callbacks4j.Logs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Records every epoch's logs, as Keras's {@code History}, which {@code fit} adds and returns.
 *
 * <p>As in Keras, {@code epoch()} restarts at each {@code fit} while {@code history()} keeps
 * appending, so a History reused across fits holds the whole run.
 */
public class History implements Callback {
  private final Map<String, List<Double>> history = new TreeMap<>();
  private final List<Integer> epochs = new ArrayList<>();

  @Override
  public void onTrainBegin(Logs logs) {
    epochs.clear();
  }

  @Override
  public void onEpochEnd(int epoch, Logs logs) {
    epochs.add(epoch);
    logs.forEach((key, value) -> history.computeIfAbsent(key, k -> new ArrayList<>()).add(value));
  }

  /** Each log key's values, one per epoch, keys sorted; unmodifiable views. */
  public Map<String, List<Double>> history() {
    Map<String, List<Double>> view = new TreeMap<>();
    history.forEach((key, values) -> view.put(key, Collections.unmodifiableList(values)));
    return Collections.unmodifiableMap(view);
  }

  /** The 0-based epochs of the last fit. */
  public List<Integer> epoch() {
    return Collections.unmodifiableList(epochs);
  }

  /**
   * Writes a PNG with one line chart per metric (training and {@code val_} together), as R keras's
   * {@code plot(history)}.
   */
  public void savePlot(Path png) throws IOException {
    HistoryPlot.save(history, png);
  }

  @Override
  public String toString() {
    return "History" + history;
  }

  /** {@code History.builder().build()}, as every built-in is made; it has no options. */
  public static Builder builder() {
    return new Builder();
  }

  /** A History; {@code new History()} does the same. */
  public static final class Builder {
    private Builder() {}

    public History build() {
      return new History();
    }
  }
}
