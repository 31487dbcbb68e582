package io.github.callbacks4j.callbacks;

import io.github.callbacks4j.Callback;
import io.github.callbacks4j.ModelState;
import java.util.Map;

/**
 * A callback whose state a backup must carry for a resumed run to behave as an uninterrupted one
 * (Lightning's {@code state_dict}). The state is a record of type {@code S}, which
 * {@link BackupAndRestore} writes as JSON and reads back strictly; model snapshots (such as
 * EarlyStopping's best weights) are kept beside it as model files.
 *
 * <p>The resume contract, the same for every stateful callback:
 * <ul>
 *   <li>A backup keeps each callback's state under its {@link #stateKey()}, which names the callback
 *       by what it does (such as {@code EarlyStopping(val_loss)}), not by where it is in the list:
 *       the callbacks may be listed in another order when the run resumes.
 *   <li>The state record's components are its JSON fields, by name. Reading it back, a field
 *       missing or unknown, {@code null} for a primitive, or of another JSON type (a string for a
 *       number, a number for a string or a boolean, a fraction for a whole number) fails; the
 *       record's compact constructor checks the values (ranges, non-finite numbers where none is
 *       allowed) and throws {@link IllegalArgumentException} saying which value does not fit.
 *       NaN and the infinities are written as the strings {@code "NaN"}, {@code "Infinity"} and
 *       {@code "-Infinity"}, and read back exactly. Components may be records, lists, strings,
 *       booleans, numbers and their boxes ({@code null} then meaning "none").
 *   <li>Before training begins, {@link #prepareRestore} checks a saved state and returns what puts
 *       it back, changing nothing: a state that does not fit fails then, and the backup's older
 *       generation can be tried instead.
 *   <li>The restore runs after the callback's own {@code onTrainBegin}, which resets it for a new
 *       run as always: the restored state is the last word, and no callback needs to know whether
 *       it is resumed.
 * </ul>
 *
 * @param <S> the state record
 */
public interface StatefulCallback<S extends Record> extends Callback {
  /**
   * The name of this callback's state in a backup; two stateful callbacks of one fit need different
   * keys. The built-ins name their monitor or file; the default is the class name.
   */
  default String stateKey() {
    return getClass().getName();
  }

  /** The class of the state record, which a backup's JSON is read into. */
  Class<S> stateType();

  /** The state now; a record of plain values, not sharing anything mutable with the callback. */
  S saveState();

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
  Runnable prepareRestore(S state, Map<String, ModelState> snapshots);
}
