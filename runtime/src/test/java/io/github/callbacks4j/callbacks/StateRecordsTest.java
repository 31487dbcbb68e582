package io.github.callbacks4j.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * The built-ins' state records as a backup writes and reads them: every value they can hold comes
 * back exactly (null, the infinities), and what they can never hold is refused with its name.
 */
class StateRecordsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Through the bytes a backup file holds, not only the tree. */
  private static <S extends Record> S roundTrip(S state) throws Exception {
    @SuppressWarnings("unchecked")
    Class<S> type = (Class<S>) state.getClass();
    return StateJson.read(JSON.readTree(JSON.writeValueAsBytes(StateJson.write(state))), type);
  }

  private static <S extends Record> String refusal(String json, Class<S> type) {
    return assertThrows(IllegalArgumentException.class,
        () -> StateJson.read(JSON.readTree(json), type)).getMessage();
  }

  @Test
  void everyValueABuiltInHoldsComesBackExactly() throws Exception {
    ModelCheckpoint.State checkpoint = new ModelCheckpoint.State(Double.MIN_VALUE, 4, 31, 2,
        List.of(new ModelCheckpoint.Kept(Double.POSITIVE_INFINITY, "ckpt-1.c4j"),
            new ModelCheckpoint.Kept(-0.0, "ckpt-2.c4j")));
    List<Record> states = List.of(
        new EarlyStopping.State(0, -1, -1, null),
        new EarlyStopping.State(2, 7, 5, Double.NEGATIVE_INFINITY),
        new ReduceLROnPlateau.State(0.1 + 0.2, 3, 1),
        new ReduceLROnPlateau.State(null, 0, 0),
        checkpoint,
        new CSVLogger.State(null, true, 0),
        new CSVLogger.State(List.of("loss", "val_loss", ""), false, 1L << 40),
        new LearningRateScheduler.State(-1, 0),
        new LearningRateScheduler.State(3, 1e-3 / 3),
        new Timer.State(Long.MAX_VALUE));
    for (Record state : states) {
      // A record's equals compares double components as Double.compare does: -0.0 is not 0.0.
      assertEquals(state, roundTrip(state));
    }
  }

  @Test
  void valuesABuiltInNeverHoldsAreRefusedByName() {
    assertEquals("best (null) and bestEpoch (2) disagree: best is null exactly when bestEpoch is -1",
        refusal("{\"waitCount\":0,\"stoppedEpoch\":-1,\"bestEpoch\":2,\"best\":null}",
            EarlyStopping.State.class));
    assertEquals("best must be a number or null, got NaN",
        refusal("{\"waitCount\":0,\"stoppedEpoch\":-1,\"bestEpoch\":2,\"best\":\"NaN\"}",
            EarlyStopping.State.class));
    assertEquals("stoppedEpoch must be >= -1, got -2",
        refusal("{\"waitCount\":0,\"stoppedEpoch\":-2,\"bestEpoch\":-1,\"best\":null}",
            EarlyStopping.State.class));
    assertEquals("cooldownCounter must be >= 0, got -1",
        refusal("{\"best\":1,\"waitCount\":0,\"cooldownCounter\":-1}",
            ReduceLROnPlateau.State.class));
    assertEquals("kept is missing", refusal("{\"best\":null,\"currentEpoch\":0,"
        + "\"lastBatchSeen\":0,\"batchesSinceLastSave\":0,\"kept\":null}",
        ModelCheckpoint.State.class));
    assertEquals("a kept file's value must be a number, got NaN", refusal("{\"best\":null,"
        + "\"currentEpoch\":0,\"lastBatchSeen\":0,\"batchesSinceLastSave\":0,"
        + "\"kept\":[{\"value\":\"NaN\",\"path\":\"a.c4j\"}]}", ModelCheckpoint.State.class));
    assertEquals("keys must not hold null, got " + Arrays.asList("loss", null),
        refusal("{\"keys\":[\"loss\",null],\"writeHeader\":true,\"length\":0}",
            CSVLogger.State.class));
    assertEquals("length must be >= 0, got -1",
        refusal("{\"keys\":null,\"writeHeader\":true,\"length\":-1}", CSVLogger.State.class));
    assertEquals("rateBeforeEpoch must be a finite number >= 0, got Infinity",
        refusal("{\"epoch\":0,\"rateBeforeEpoch\":\"Infinity\"}",
            LearningRateScheduler.State.class));
    assertEquals("elapsedNanos must be >= 0, got -1",
        refusal("{\"elapsedNanos\":-1}", Timer.State.class));
  }

  /** A value that is not even an object fails at the root: there is no field to name. */
  @Test
  void aStateThatIsNotAnObjectIsRefusedWithoutAnEmptyPath() {
    assertEquals("Cannot deserialize value of type `io.github.callbacks4j.callbacks.Timer$State`"
        + " from Array value (token `JsonToken.START_ARRAY`)", refusal("[1]", Timer.State.class));
    assertEquals("Cannot coerce String value (\"1\") to `long` value (but might if coercion using"
        + " `CoercionConfig` was enabled) (at io.github.callbacks4j.callbacks.Timer$State"
        + "[\"elapsedNanos\"])", refusal("{\"elapsedNanos\":\"1\"}", Timer.State.class));
  }
}
