package dev.flotilla.local.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts a JSON value to the CEL value the API server binds to {@code self}: objects become maps,
 * arrays lists, {@code integer} fields int64 and {@code number} fields double (by schema type).
 */
final class CelValues {
  private CelValues() {}

  static Object of(JsonNode value, JsonNode schema) {
    JsonNode s = schema == null ? MissingNode.getInstance() : schema;
    if (value.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      JsonNode properties = s.path("properties");
      JsonNode additional = s.path("additionalProperties");
      for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (field.getValue().isNull()) {
          continue;
        }
        JsonNode fieldSchema =
            properties.has(field.getKey()) ? properties.get(field.getKey()) : additional;
        map.put(field.getKey(), of(field.getValue(), fieldSchema));
      }
      return map;
    } else if (value.isArray()) {
      List<Object> list = new ArrayList<>();
      for (JsonNode item : value) {
        list.add(of(item, s.get("items")));
      }
      return list;
    } else if (value.isNumber()) {
      String type = s.path("type").asText("");
      if (type.equals("number") || (!type.equals("integer") && !value.isIntegralNumber())) {
        return value.asDouble();
      }
      return value.asLong();
    } else if (value.isBoolean()) {
      return value.asBoolean();
    }
    return value.asText();
  }
}
