package io.github.callbacks4j.callbacks;

import io.github.callbacks4j.Callback;
import io.github.callbacks4j.ModelState;
import java.util.Map;

/**
 * A callback whose state a backup must carry for a resumed run to behave as an uninterrupted one
 * (Lightning's {@code state_dict}). State is plain text values, plus model snapshots (such as
 * EarlyStopping's best weights), which the backup writes as model files.
 *
 * <p>The resume contract, the same for every stateful callback:
 * <ul>
 *   <li>A backup keeps each callback's state under its {@link #stateKey()}, which names the callback
 *       by what it does (such as {@code EarlyStopping(val_loss)}), not by where it is in the list:
 *       the callbacks may be listed in another order when the run resumes.
 *   <li>Before training begins, {@link #prepareRestore} checks a saved state and returns what puts
 *       it back, changing nothing: a state that does not fit fails then, and the backup's older
 *       generation can be tried instead.
 *   <li>The restore runs after the callback's own {@code onTrainBegin}, which resets it for a new
 *       run as always: the restored state is the last word, and no callback needs to know whether
 *       it is resumed.
 * </ul>
 */
public interface StatefulCallback extends Callback {
  /**
   * The name of this callback's state in a backup; two stateful callbacks of one fit need different
   * keys. The built-ins name their monitor or file; the default is the class name.
   */
  default String stateKey() {
    return getClass().getName();
  }

  Map<String, String> saveState();

  /** Model snapshots to keep with the state; none by default. */
  default Map<String, ModelState> saveSnapshots() {
    return Map.of();
  }

  /**
   * Checks what {@link #saveState} and {@link #saveSnapshots} returned in an earlier run, and
   * returns what restores it, to run after this callback's {@code onTrainBegin}.
   *
   * @throws IllegalArgumentException saying which value does not fit; nothing has changed then
   */
  Runnable prepareRestore(Map<String, String> state, Map<String, ModelState> snapshots);

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
