package io.github.callbacks4j.runtime;

import io.github.callbacks4j.Model;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One fit, evaluate, predict or batch call per model at a time, whatever engine drives it: a
 * second one (from a callback of the first, or from another thread) fails at once, before it
 * touches the model or the data the first call is reading.
 */
final class OneCallAtATime {
  /** The call running on each model, such as "fit on thread 'main'"; a model is there only while busy. */
  private static final Map<Busy, String> RUNNING = new ConcurrentHashMap<>();

  private OneCallAtATime() {}

  /** Keyed on the model's identity: a model's own equals must not let two models share a slot. */
  private record Busy(Model model) {
    @Override
    public boolean equals(Object other) {
      return other instanceof Busy busy && busy.model == model;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(model);
    }
  }

  static <T> T run(Model model, String operation, Supplier<T> call) {
    String current = operation + " on thread '" + Thread.currentThread().getName() + "'";
    Busy key = new Busy(model);
    String other = RUNNING.putIfAbsent(key, current);
    if (other != null) {
      throw new IllegalStateException("cannot start " + operation + ": " + other + " is still"
          + " running on this model, which runs one fit, evaluate or predict at a time; call it"
          + " after that returns (not from one of its callbacks), or use another model");
    }
    try {
      return call.get();
    } finally {
      RUNNING.remove(key);
    }
  }
}
