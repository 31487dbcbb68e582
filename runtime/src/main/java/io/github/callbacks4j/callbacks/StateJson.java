package io.github.callbacks4j.callbacks;

import java.io.IOException;
import org.nd4j.shade.jackson.core.JsonParser;
import org.nd4j.shade.jackson.core.JsonToken;
import org.nd4j.shade.jackson.databind.DeserializationContext;
import org.nd4j.shade.jackson.databind.DeserializationFeature;
import org.nd4j.shade.jackson.databind.JsonMappingException;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.MapperFeature;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.cfg.CoercionAction;
import org.nd4j.shade.jackson.databind.cfg.CoercionInputShape;
import org.nd4j.shade.jackson.databind.deser.std.StdScalarDeserializer;
import org.nd4j.shade.jackson.databind.json.JsonMapper;
import org.nd4j.shade.jackson.databind.module.SimpleModule;
import org.nd4j.shade.jackson.databind.type.LogicalType;

/**
 * A {@link StatefulCallback}'s state record to JSON and back, strictly: what the record does not
 * declare, what it declares but the JSON lacks, {@code null} for a primitive, and any value of
 * another JSON type than the component's fail, instead of being dropped, defaulted or converted.
 * {@code null} for a boxed or object component is read as null: the record's constructor says
 * whether that is allowed.
 */
final class StateJson {
  private static final ObjectMapper STRICT = strictMapper();

  private StateJson() {}

  private static ObjectMapper strictMapper() {
    JsonMapper mapper = JsonMapper.builder()
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
            DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES,
            DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
            DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS,
            DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY,
            DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT,
            DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .addModule(new SimpleModule().addDeserializer(String.class, new StringsOnly()))
        .build();
    // No value of one JSON type becomes another: "1" is not 1, 1 is not "1" nor true, "" not null.
    mapper.coercionConfigDefaults()
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.EmptyArray, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.EmptyObject, CoercionAction.Fail);
    // Each type still reads its own shape.
    mapper.coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.String, CoercionAction.TryConvert);
    mapper.coercionConfigFor(LogicalType.Integer)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.TryConvert);
    mapper.coercionConfigFor(LogicalType.Float)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.TryConvert)
        .setCoercion(CoercionInputShape.Float, CoercionAction.TryConvert);
    mapper.coercionConfigFor(LogicalType.Boolean)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.TryConvert);
    mapper.coercionConfigFor(LogicalType.Collection)
        .setCoercion(CoercionInputShape.EmptyArray, CoercionAction.TryConvert);
    mapper.coercionConfigFor(LogicalType.POJO)
        .setCoercion(CoercionInputShape.EmptyObject, CoercionAction.TryConvert);
    return mapper;
  }

  /**
   * A string from a JSON string only; Jackson 2.13 reads any scalar (1, true) as its text, whatever
   * the coercion settings say.
   */
  private static final class StringsOnly extends StdScalarDeserializer<String> {
    StringsOnly() {
      super(String.class);
    }

    @Override
    public String deserialize(JsonParser parser, DeserializationContext context)
        throws IOException {
      if (parser.hasToken(JsonToken.VALUE_STRING)) {
        return parser.getText();
      }
      return (String) context.handleUnexpectedToken(String.class, parser);
    }
  }

  /** The record as a JSON object, its components as fields. */
  static JsonNode write(Record state) {
    return STRICT.valueToTree(state);
  }

  /**
   * Reads {@code json} into a {@code type} record.
   *
   * @throws IllegalArgumentException saying which value does not fit
   */
  static <S extends Record> S read(JsonNode json, Class<S> type) {
    try {
      return STRICT.treeToValue(json, type);
    } catch (JsonMappingException e) {
      // The record's own check says best what is wrong; Jackson's message names the field.
      Throwable cause = e.getCause();
      String why = cause instanceof IllegalArgumentException ? cause.getMessage()
          : e.getOriginalMessage();
      String at = e.getPathReference(); // empty, not null, for the JSON's root
      throw new IllegalArgumentException(at.isEmpty() || cause instanceof IllegalArgumentException
          ? why : why + " (at " + at + ")", e);
    } catch (IOException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }
}
