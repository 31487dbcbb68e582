package io.github.callbacks4j.callbacks;

import io.github.callbacks4j.Callback;
import io.github.callbacks4j.ModelState;
import java.util.Map;

/**
 * A callback whose state a backup must carry for a resumed run to behave as an uninterrupted one
 * (Lightning's {@code state_dict}). State is plain text values, plus model snapshots (such as
 * EarlyStopping's best weights), which the backup writes as model files. After
 * {@link #loadState}, the next {@code onTrainBegin} keeps the loaded state instead of resetting.
 */
public interface StatefulCallback extends Callback {
  Map<String, String> saveState();

  /** Model snapshots to keep with the state; none by default. */
  default Map<String, ModelState> saveSnapshots() {
    return Map.of();
  }

  void loadState(Map<String, String> state, Map<String, ModelState> snapshots);

  /** {@code Double} to text and back, null included, exactly. */
  static String text(Double value) {
    return value == null ? "null" : Double.toString(value);
  }

  /** Reads what {@link #text} wrote; a missing value (a state without the key) is an error. */
  static Double number(String text) {
    if (text == null) {
      throw new IllegalArgumentException("a number is missing from the state");
    }
    return text.equals("null") ? null : Double.valueOf(text);
  }

  /** {@code "true"} or {@code "false"}, exactly; anything else (or nothing) is an error. */
  static boolean flag(String text) {
    if (!"true".equals(text) && !"false".equals(text)) {
      throw new IllegalArgumentException("expected true or false in the state, got " + text);
    }
    return text.equals("true");
  }
}
