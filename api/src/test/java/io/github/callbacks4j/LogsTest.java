package io.github.callbacks4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class LogsTest {

  @Test
  void emptyUntilAKeyIsPut() {
    Logs logs = new Logs();
    assertTrue(logs.isEmpty());
    assertEquals(0, logs.keys().size());
    logs.put("loss", 0.5).put("accuracy", 0.75);
    assertFalse(logs.isEmpty());
    assertEquals(2, logs.keys().size(), "the key snapshot's size");
  }

  @Test
  void iteratesInSortedKeyOrderWhateverTheInsertionOrder() {
    Logs logs = new Logs().put("val_loss", 0.3).put("accuracy", 0.9).put("loss", 0.25)
        .put("val_accuracy", 0.85).put("learning_rate", 0.001);
    assertEquals(List.of("accuracy", "learning_rate", "loss", "val_accuracy", "val_loss"),
        new ArrayList<>(logs.keys()));
    assertEquals("{accuracy=0.9, learning_rate=0.001, loss=0.25, val_accuracy=0.85, val_loss=0.3}",
        logs.toString());
    List<String> seen = new ArrayList<>();
    logs.forEach((k, v) -> seen.add(k + "=" + v));
    assertEquals(List.of("accuracy=0.9", "learning_rate=0.001", "loss=0.25", "val_accuracy=0.85",
        "val_loss=0.3"), seen);
  }

  @Test
  void putReplacesAndGrowsPastInitialCapacity() {
    Logs logs = new Logs();
    for (int i = 19; i >= 0; i--) {
      logs.put(String.format("k%02d", i), i);
    }
    logs.put("k05", 55);
    assertEquals(20, logs.size());
    assertEquals(55, logs.get("k05"));
    assertEquals(19, logs.get("k19"));
    assertEquals("k00", logs.keys().iterator().next());
  }

  @Test
  void getOfAbsentKeyNamesTheKeyAndTheAvailableOnes() {
    Logs logs = Logs.of("loss", 1, "accuracy", 0.5);
    NoSuchElementException e = assertThrows(NoSuchElementException.class, () -> logs.get("val_loss"));
    assertEquals("no log value 'val_loss'; available keys: [accuracy, loss]", e.getMessage());
    assertTrue(Double.isNaN(logs.get("val_loss", Double.NaN)));
    assertEquals(OptionalDouble.empty(), logs.find("val_loss"));
    assertEquals(OptionalDouble.of(1), logs.find("loss"));
    assertFalse(logs.contains("val_loss"));
  }

  @Test
  void nanIsAValueNotAnAbsence() {
    Logs logs = Logs.of("loss", Double.NaN);
    assertTrue(logs.contains("loss"));
    assertTrue(Double.isNaN(logs.get("loss")));
    assertEquals(Logs.of("loss", Double.NaN), logs);
  }

  @Test
  void copyIsIndependent() {
    Logs original = Logs.of("loss", 1);
    Logs copy = original.copy().put("loss", 2).put("accuracy", 0.5);
    assertEquals(Logs.of("loss", 1), original);
    assertEquals(Logs.of("accuracy", 0.5, "loss", 2), copy);
    assertNotEquals(original, copy);
  }

  @Test
  void asMapAndKeysAreUnmodifiableSortedSnapshots() {
    Logs logs = Logs.of("b", 2, "a", 1);
    Map<String, Double> map = logs.asMap();
    assertEquals(List.of("a", "b"), new ArrayList<>(map.keySet()));
    assertThrows(UnsupportedOperationException.class, () -> map.put("c", 3.0));
    assertThrows(UnsupportedOperationException.class, () -> logs.keys().add("c"));
    logs.put("c", 3);
    assertEquals(2, map.size());
  }

  @Test
  void removeAndPutAll() {
    Logs logs = Logs.of("a", 1, "b", 2, "c", 3).remove("b").remove("missing");
    assertEquals(Logs.of("a", 1, "c", 3), logs);
    logs.putAll(Logs.of("c", 30, "d", 4));
    assertEquals(Logs.of("a", 1, "c", 30, "d", 4), logs);
    assertEquals(logs.hashCode(), Logs.of("d", 4, "c", 30, "a", 1).hashCode());
  }

  @Test
  void nullKeyIsRejected() {
    assertThrows(NullPointerException.class, () -> new Logs().put(null, 1));
  }

  @Test
  void removeAtEachEndAndInAFullArray() {
    assertEquals(Logs.of("b", 2, "c", 3), Logs.of("a", 1, "b", 2, "c", 3).remove("a"));
    assertEquals(Logs.of("a", 1, "b", 2), Logs.of("a", 1, "b", 2, "c", 3).remove("c"));
    // Eight keys fill the first array exactly: a shift must stay inside it.
    Logs full = new Logs();
    Logs expected = new Logs();
    for (int i = 0; i < 8; i++) {
      full.put("k" + i, i);
      if (i != 3) {
        expected.put("k" + i, i);
      }
    }
    assertEquals(expected, full.remove("k3"));
    assertEquals(7, full.size());
    assertEquals(List.of("k0", "k1", "k2", "k4", "k5", "k6", "k7"), new ArrayList<>(full.keys()));
    assertEquals(6, full.get("k6"));
  }

  @Test
  void equalLogsHaveTheSameKeysAndValues() {
    assertNotEquals(Logs.of("a", 1), Logs.of("a", 1, "b", 2), "a subset is not equal");
    assertNotEquals(Logs.of("a", 1), Logs.of("b", 1), "another key");
    assertNotEquals(Logs.of("a", 1), Logs.of("a", 2), "another value");
    assertNotEquals(Logs.of("a", 0.0), Logs.of("a", -0.0), "Double.compare tells the zeros apart");
    assertNotEquals(Logs.of("a", 1), "{a=1.0}");
    assertEquals(Logs.of("a", 1, "b", 2).hashCode(), Logs.of("b", 2, "a", 1).hashCode());
  }

  @Test
  void theHashCodeIsThatOfTheMapView() {
    for (Logs logs : List.of(new Logs(), Logs.of("loss", 0.25),
        Logs.of("accuracy", 0.875, "loss", 0.4312, "val_loss", Double.NaN))) {
      assertEquals(logs.asMap().hashCode(), logs.hashCode(), logs.toString());
    }
  }

  @Test
  void putAllReturnsTheLogsItFilled() {
    Logs logs = Logs.of("a", 1);
    Logs returned = logs.putAll(Logs.of("b", 2));
    assertSame(logs, returned);
    assertEquals(Logs.of("a", 1, "b", 2), returned);
  }
}
