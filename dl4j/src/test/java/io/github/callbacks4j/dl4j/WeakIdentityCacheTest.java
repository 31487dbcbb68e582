package io.github.callbacks4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.lang.ref.WeakReference;
import java.util.List;
import org.junit.jupiter.api.Test;

class WeakIdentityCacheTest {
  /** A value that refers to its key, as a Dl4jModel refers to its network. */
  private record Holder(Object key) {}

  @Test
  void oneValuePerKeyObjectNotPerEqualKey() {
    WeakIdentityCache<Object, Holder> cache = new WeakIdentityCache<>();
    List<Integer> key = List.of(1, 2);
    List<Integer> equalKey = List.of(1, 2);
    Holder value = cache.get(key, Holder::new);
    assertSame(value, cache.get(key, Holder::new));
    assertNotSame(value, cache.get(equalKey, Holder::new));
  }

  @Test
  void neitherKeyNorValueIsKeptOnceUnused() throws InterruptedException {
    WeakIdentityCache<Object, Holder> cache = new WeakIdentityCache<>();
    Object key = new Object();
    cache.get(key, Holder::new);
    WeakReference<Object> keyReference = new WeakReference<>(key);
    key = null;
    for (int attempt = 0; attempt < 100 && keyReference.get() != null; attempt++) {
      System.gc();
      Thread.sleep(10);
      cache.get(new Object(), Holder::new); // lets the cache drop collected entries
    }
    assertNull(keyReference.get(), "the cache keeps an unused key alive through its value");
  }
}
