package io.github.callbacks4j;

import java.lang.System.Logger.Level;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reports {@link LogKey}s that a hook's logs do not hold, once per run, at the end of the first
 * epoch in which that hook ran (at the end of evaluate or predict outside fit).
 *
 * <p>A hook is checked only until it has run through one epoch, callback by callback as the list
 * calls them, so a key that an earlier callback adds (say {@code learning_rate}) counts. After that
 * the hook costs one array read per call. Reports go to the JDK's platform logger, which the
 * runtime routes to SLF4J; the api stays JDK-only.
 */
final class LogKeyCheck {
  private static final System.Logger LOG = System.getLogger(CallbackList.class.getName());
  private static final Hook[] HOOKS = Hook.values();

  /** A key not found, with the keys that were there when it was read. */
  private record Miss(LogKey key, List<String> present) {}

  private final Map<Callback, List<LogKey>> keysByCallback = new LinkedHashMap<>();
  private final boolean[] hasKeys = new boolean[HOOKS.length];
  private final boolean[] pending = new boolean[HOOKS.length];
  private final boolean[] ranThisEpoch = new boolean[HOOKS.length];
  private final Map<LogKey, Miss> misses = new LinkedHashMap<>();
  private Set<String> declared = Set.of();

  void add(Callback callback) {
    List<LogKey> keys = callback.logKeys();
    if (!keys.isEmpty()) {
      keysByCallback.put(callback, List.copyOf(keys));
      for (LogKey key : keys) {
        hasKeys[key.hook().ordinal()] = true;
        pending[key.hook().ordinal()] = true;
      }
    }
  }

  /**
   * The keys the engine says the run logs ({@link Params#metrics()}). Epoch logs may lack one of
   * them in some epochs (no {@code val_} keys where {@code validationFreq} skips validation), so
   * epoch-end and train-end reads of them are not reported.
   */
  void declare(List<String> metrics) {
    declared = Set.copyOf(metrics);
  }

  /** Whether {@code hook}'s calls still have to go through {@link #before}. */
  boolean pending(Hook hook) {
    return pending[hook.ordinal()];
  }

  /** Checks what {@code callback} reads on {@code hook} against the logs it is about to get. */
  void before(Hook hook, Callback callback, Logs logs) {
    ranThisEpoch[hook.ordinal()] = true;
    for (LogKey key : keysByCallback.getOrDefault(callback, List.of())) {
      boolean sometimesAbsent = (hook == Hook.EPOCH_END || hook == Hook.TRAIN_END)
          && declared.contains(key.key());
      if (key.hook() == hook && !logs.contains(key.key()) && !sometimesAbsent
          && !misses.containsKey(key)) {
        misses.put(key, new Miss(key, List.copyOf(logs.keys())));
      }
    }
  }

  /** A new run of {@code hooks} (all of them for fit): their keys are checked again. */
  void runBegins(Set<Hook> hooks) {
    for (Hook hook : hooks) {
      pending[hook.ordinal()] = hasKeys[hook.ordinal()];
      ranThisEpoch[hook.ordinal()] = false;
    }
    misses.keySet().removeIf(key -> hooks.contains(key.hook()));
  }

  /** Reports the misses of each of {@code hooks} that ran since it last settled; stops checking it. */
  void settle(Set<Hook> hooks) {
    for (Hook hook : hooks) {
      if (ranThisEpoch[hook.ordinal()]) {
        ranThisEpoch[hook.ordinal()] = false;
        pending[hook.ordinal()] = false;
      }
    }
    misses.values().removeIf(miss -> {
      if (pending[miss.key().hook().ordinal()]) {
        return false;
      }
      LOG.log(Level.WARNING, message(miss.key(), miss.present()));
      return true;
    });
  }

  static String message(LogKey key, Collection<String> present) {
    String hook = "@" + key.hook().annotation().getSimpleName();
    StringBuilder message = new StringBuilder()
        .append(key.reader()).append(" reads \"").append(key.key()).append("\" on ").append(hook)
        .append(", but those logs have no such key; they hold ")
        .append(present.isEmpty() ? "no keys" : String.join(", ", present)).append('.');
    closest(key.key(), present)
        .ifPresent(match -> message.append(" Did you mean \"").append(match).append("\"?"));
    if (key.hook().isBatchHook() && key.key().startsWith("val_")) {
      message.append(" Batch logs never hold val_ keys: read them on @OnEpochEnd.");
    }
    return message.toString();
  }

  /**
   * The present key nearest to {@code key} by edit distance, where one containing the other (acc
   * in accuracy) counts as one edit; none when even the nearest is more than half the key away.
   */
  static Optional<String> closest(String key, Collection<String> present) {
    String best = null;
    int bestScore = Integer.MAX_VALUE;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : present) {
      if (candidate.equals("size") || candidate.equals("batch")) {
        continue; // bookkeeping keys, never what a misspelt metric meant
      }
      int distance = editDistance(key, candidate);
      boolean contains = candidate.startsWith(key) || key.startsWith(candidate)
          || candidate.endsWith(key) || key.endsWith(candidate);
      int score = contains ? Math.min(1, distance) : distance;
      if (score < bestScore || score == bestScore && distance < bestDistance) {
        best = candidate;
        bestScore = score;
        bestDistance = distance;
      }
    }
    return bestScore <= Math.max(2, key.length() / 2) ? Optional.ofNullable(best) : Optional.empty();
  }

  /** Levenshtein distance: insertions, deletions and substitutions each cost one. */
  static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
