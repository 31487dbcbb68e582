package io.github.callbacks4j;

import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ObjDoubleConsumer;

/**
 * The metrics of one hook call: a mutable map of {@code String} keys to {@code double} values that
 * iterates in key order, as Keras sorts its logs.
 *
 * <p>Values are kept unboxed in arrays sorted by key: a log holds a handful of entries, so a binary
 * search beats hashing and nothing is allocated on {@link #get}, {@link #put} of an existing key,
 * or {@link #forEach}. Not thread-safe.
 */
public final class Logs {
  private static final String[] NO_KEYS = {};
  private static final double[] NO_VALUES = {};

  private String[] keys;
  private double[] values;
  private int size;

  public Logs() {
    keys = NO_KEYS;
    values = NO_VALUES;
  }

  private Logs(String[] keys, double[] values, int size) {
    this.keys = keys;
    this.values = values;
    this.size = size;
  }

  public static Logs of(String k1, double v1) {
    return new Logs().put(k1, v1);
  }

  public static Logs of(String k1, double v1, String k2, double v2) {
    return of(k1, v1).put(k2, v2);
  }

  public static Logs of(String k1, double v1, String k2, double v2, String k3, double v3) {
    return of(k1, v1, k2, v2).put(k3, v3);
  }

  public static Logs of(
      String k1, double v1, String k2, double v2, String k3, double v3, String k4, double v4) {
    return of(k1, v1, k2, v2, k3, v3).put(k4, v4);
  }

  /** Sets {@code key} to {@code value}, replacing any earlier value; returns this. */
  public Logs put(String key, double value) {
    int i = indexOf(Objects.requireNonNull(key, "key"));
    if (i >= 0) {
      values[i] = value;
      return this;
    }
    int at = -i - 1;
    if (size == keys.length) {
      int capacity = Math.max(8, size * 2);
      keys = Arrays.copyOf(keys, capacity);
      values = Arrays.copyOf(values, capacity);
    }
    System.arraycopy(keys, at, keys, at + 1, size - at);
    System.arraycopy(values, at, values, at + 1, size - at);
    keys[at] = key;
    values[at] = value;
    size++;
    return this;
  }

  /** Copies every entry of {@code other} into this, replacing values of equal keys; returns this. */
  public Logs putAll(Logs other) {
    for (int i = 0; i < other.size; i++) {
      put(other.keys[i], other.values[i]);
    }
    return this;
  }

  /** Removes {@code key} if present; returns this. */
  public Logs remove(String key) {
    int i = indexOf(key);
    if (i >= 0) {
      System.arraycopy(keys, i + 1, keys, i, size - i - 1);
      System.arraycopy(values, i + 1, values, i, size - i - 1);
      keys[--size] = null;
    }
    return this;
  }

  public boolean contains(String key) {
    return indexOf(key) >= 0;
  }

  /**
   * The value of {@code key}.
   *
   * @throws NoSuchElementException naming the key and the keys that are present, when it is absent
   */
  public double get(String key) {
    int i = indexOf(key);
    if (i < 0) {
      throw new NoSuchElementException("no log value '" + key + "'; available keys: " + keys());
    }
    return values[i];
  }

  /** The value of {@code key}, or {@code defaultValue} when it is absent. */
  public double get(String key, double defaultValue) {
    int i = indexOf(key);
    return i < 0 ? defaultValue : values[i];
  }

  public OptionalDouble find(String key) {
    int i = indexOf(key);
    return i < 0 ? OptionalDouble.empty() : OptionalDouble.of(values[i]);
  }

  /** The keys in sorted order: an unmodifiable snapshot. */
  public Set<String> keys() {
    String[] snapshot = Arrays.copyOf(keys, size);
    return new AbstractSet<>() {
      @Override
      public Iterator<String> iterator() {
        return Collections.unmodifiableList(Arrays.asList(snapshot)).iterator();
      }

      @Override
      public int size() {
        return snapshot.length;
      }
    };
  }

  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  /** Calls {@code action} with each key and value in key order, without boxing. */
  public void forEach(ObjDoubleConsumer<String> action) {
    for (int i = 0; i < size; i++) {
      action.accept(keys[i], values[i]);
    }
  }

  /** An independent copy. */
  public Logs copy() {
    return new Logs(Arrays.copyOf(keys, size), Arrays.copyOf(values, size), size);
  }

  /** An unmodifiable, sorted snapshot of the entries. */
  public Map<String, Double> asMap() {
    TreeMap<String, Double> map = new TreeMap<>();
    forEach(map::put);
    return Collections.unmodifiableSortedMap(map);
  }

  private int indexOf(String key) {
    return Arrays.binarySearch(keys, 0, size, key);
  }

  /** Equal when both hold the same keys with the same values ({@link Double#compare} equality). */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Logs other) || other.size != size) {
      return false;
    }
    for (int i = 0; i < size; i++) {
      if (!keys[i].equals(other.keys[i]) || Double.compare(values[i], other.values[i]) != 0) {
        return false;
      }
    }
    return true;
  }

  /** The hash code of {@link #asMap()}, as {@link Map#hashCode()} defines it. */
  @Override
  public int hashCode() {
    int h = 0;
    for (int i = 0; i < size; i++) {
      h += keys[i].hashCode() ^ Double.hashCode(values[i]);
    }
    return h;
  }

  /** {@code {accuracy=0.875, loss=0.4312}}. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("{");
    for (int i = 0; i < size; i++) {
      s.append(i == 0 ? "" : ", ").append(keys[i]).append('=').append(values[i]);
    }
    return s.append('}').toString();
  }
}
