package dev.flotilla.core.storage;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/**
 * The JSON mapper of the stored documents (plan, manifest, metrics): pretty, nulls omitted, map
 * keys sorted, unknown fields ignored so that older readers accept newer additive fields.
 */
public final class StorageJson {

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .serializationInclusion(JsonInclude.Include.NON_NULL)
          .build();

  private StorageJson() {}

  /** The shared, thread-safe mapper. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** Serialises {@code value} to UTF-8 JSON. */
  public static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }

  /**
   * Parses {@code bytes} read from {@code key}.
   *
   * @throws IOException naming the key when the document is malformed or invalid
   */
  public static <T> T read(byte[] bytes, Class<T> type, String key) throws IOException {
    try {
      return MAPPER.readValue(bytes, type);
    } catch (IOException | RuntimeException e) {
      throw new IOException(
          "invalid " + type.getSimpleName() + " in " + key + ": " + e.getMessage(), e);
    }
  }
}
