package io.github.callbacks4j.dl4j;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * One value per key object, by identity, holding neither weakly: an entry goes once its value is no
 * longer used. DL4J networks define {@code equals} by parameters and configuration, so a
 * {@code WeakHashMap} would share one value between two equal networks; and the values refer to
 * their keys, which would keep a {@code WeakHashMap}'s entries forever.
 */
final class WeakIdentityCache<K, V> {
  private final Map<IdentityKey, ValueReference<V>> entries = new HashMap<>();
  private final ReferenceQueue<V> collected = new ReferenceQueue<>();

  /** The value for {@code key}, made by {@code create} when there is none (or it was collected). */
  synchronized V get(K key, Function<K, V> create) {
    expunge();
    IdentityKey identity = new IdentityKey(key);
    ValueReference<V> reference = entries.get(identity);
    V value = reference == null ? null : reference.get();
    if (value == null) {
      value = create.apply(key);
      entries.put(identity, new ValueReference<>(value, identity, collected));
    }
    return value;
  }

  private void expunge() {
    for (Reference<? extends V> gone; (gone = collected.poll()) != null; ) {
      IdentityKey key = ((ValueReference<?>) gone).key;
      // Only if the entry still holds this reference, not a newer value made for the same key.
      entries.remove(key, gone);
    }
  }

  private static final class ValueReference<V> extends WeakReference<V> {
    final IdentityKey key;

    ValueReference(V value, IdentityKey key, ReferenceQueue<V> queue) {
      super(value, queue);
      this.key = key;
    }
  }

  /** A weakly held key compared by identity; equal to itself even after its object is gone. */
  private static final class IdentityKey extends WeakReference<Object> {
    private final int hash;

    IdentityKey(Object key) {
      super(key);
      hash = System.identityHashCode(key);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object other) {
      if (this == other) {
        return true;
      }
      if (!(other instanceof IdentityKey that)) {
        return false;
      }
      Object referent = get();
      return referent != null && referent == that.get();
    }
  }
}
