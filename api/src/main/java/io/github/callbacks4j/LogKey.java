package io.github.callbacks4j;

import java.util.Objects;

/**
 * A log key a callback reads on one hook: an {@code @Metric} parameter, or a built-in's monitor.
 * {@link CallbackList} checks these against the logs the hook actually receives and reports a key
 * that is not there once per fit, with the closest key that is.
 *
 * @param hook the hook whose logs should hold the key
 * @param key the key read
 * @param reader who reads it, as the report names it, e.g. {@code com.acme.Report.epochEnd} or
 *     {@code EarlyStopping(monitor)}
 */
public record LogKey(Hook hook, String key, String reader) {
  public LogKey {
    Objects.requireNonNull(hook, "hook");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(reader, "reader");
  }
}
