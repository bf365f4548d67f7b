package dev.flotilla.local.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * Validates a custom resource against its CRD's structural OpenAPI v3 schema the way the Kubernetes
 * API server does on create: defaults first, then types, required fields, enums, ranges, lengths,
 * patterns, list uniqueness, unknown fields, and the CEL rules of {@code x-kubernetes-validations}.
 * Messages use the API server's field error format.
 */
final class SchemaValidator {
  private final CelRules cel = new CelRules();
  private final Map<String, Pattern> patterns = new LinkedHashMap<>();

  /**
   * Applies defaults to {@code object} (mutated in place) and returns every field error, empty when
   * valid. {@code metadata} is left to {@link ObjectMetaValidator}.
   */
  List<String> validate(ObjectNode object, JsonNode schema) {
    List<String> errors = new ArrayList<>();
    applyDefaults(object, schema);
    JsonNode properties = schema.path("properties");
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String name = field.getKey();
      if (name.equals("apiVersion") || name.equals("kind") || name.equals("metadata")) {
        continue;
      }
      JsonNode fieldSchema = properties.get(name);
      if (fieldSchema == null) {
        errors.add("unknown field \"" + name + "\"");
      } else {
        validateNode(field.getValue(), fieldSchema, name, errors);
      }
    }
    for (JsonNode required : schema.path("required")) {
      String name = required.asText();
      if (!object.has(name) && !name.equals("metadata")) {
        errors.add(name + ": Required value");
      }
    }
    if (errors.stream().anyMatch(e -> e.contains(" in body must be of type "))) {
      errors.add(
          "Invalid value: \"\": some validation rules were not checked because the object was"
              + " invalid; correct the existing errors to complete validation");
    } else {
      for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        JsonNode fieldSchema = properties.get(field.getKey());
        if (fieldSchema != null && !field.getKey().equals("metadata")) {
          checkRulesRecursively(field.getValue(), fieldSchema, field.getKey(), errors);
        }
      }
      checkRules(rootSelf(object), schema, "", errors);
    }
    return errors;
  }

  /**
   * The object as root-level rules see it: the API server exposes only {@code metadata.name} and
   * {@code metadata.generateName} of the metadata.
   */
  private static ObjectNode rootSelf(ObjectNode object) {
    ObjectNode self = object.deepCopy();
    ObjectNode metadata = self.putObject("metadata");
    for (String kept : new String[] {"name", "generateName"}) {
      JsonNode value = object.path("metadata").get(kept);
      if (value != null) {
        metadata.set(kept, value);
      }
    }
    return self;
  }

  /** Evaluates the CEL rules of every node below {@code value}, children first like the API. */
  private void checkRulesRecursively(
      JsonNode value, JsonNode schema, String path, List<String> errors) {
    if (value.isObject()) {
      JsonNode properties = schema.path("properties");
      JsonNode additional = schema.get("additionalProperties");
      for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        JsonNode fieldSchema = properties.get(field.getKey());
        if (fieldSchema != null) {
          checkRulesRecursively(field.getValue(), fieldSchema, path + "." + field.getKey(), errors);
        } else if (additional != null && additional.isObject()) {
          checkRulesRecursively(
              field.getValue(), additional, path + "[" + field.getKey() + "]", errors);
        }
      }
    } else if (value.isArray() && schema.has("items")) {
      for (int i = 0; i < value.size(); i++) {
        checkRulesRecursively(value.get(i), schema.get("items"), path + "[" + i + "]", errors);
      }
    }
    if (!value.isNull()) {
      checkRules(value, schema, path, errors);
    }
  }

  private static void applyDefaults(JsonNode value, JsonNode schema) {
    if (value instanceof ObjectNode object) {
      JsonNode properties = schema.path("properties");
      for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> property = it.next();
        JsonNode defaultValue = property.getValue().get("default");
        if (!object.has(property.getKey()) && defaultValue != null) {
          object.set(property.getKey(), defaultValue.deepCopy());
        }
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        JsonNode fieldSchema = properties.get(field.getKey());
        if (fieldSchema == null && schema.path("additionalProperties").isObject()) {
          fieldSchema = schema.get("additionalProperties");
        }
        if (fieldSchema != null) {
          applyDefaults(field.getValue(), fieldSchema);
        }
      }
    } else if (value != null && value.isArray() && schema.has("items")) {
      for (JsonNode item : value) {
        applyDefaults(item, schema.get("items"));
      }
    }
  }

  private void validateNode(JsonNode value, JsonNode schema, String path, List<String> errors) {
    if (value.isNull()) {
      if (!schema.path("nullable").asBoolean(false)) {
        errors.add(typeError(path, schema.path("type").asText("object"), value));
      }
      return;
    }
    String type = schema.path("type").asText("");
    if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
      if (!(value.isTextual() || isInteger(value))) {
        errors.add(typeError(path, "integer or string", value));
        return;
      }
    } else if (!type.isEmpty() && !hasType(value, type)) {
      errors.add(typeError(path, type, value));
      return;
    }
    checkEnum(value, schema, path, errors);
    if (value.isTextual()) {
      checkString(value.asText(), schema, path, errors);
    } else if (value.isNumber()) {
      checkNumber(value, schema, path, errors);
    } else if (value.isArray()) {
      checkArray(value, schema, path, errors);
    } else if (value.isObject()) {
      checkObject(value, schema, path, errors);
    }
  }

  private static boolean isInteger(JsonNode value) {
    return value.isIntegralNumber()
        || (value.isNumber() && value.asDouble() == Math.rint(value.asDouble()));
  }

  private static boolean hasType(JsonNode value, String type) {
    return switch (type) {
      case "object" -> value.isObject();
      case "array" -> value.isArray();
      case "string" -> value.isTextual();
      case "integer" -> isInteger(value);
      case "number" -> value.isNumber();
      case "boolean" -> value.isBoolean();
      default -> true;
    };
  }

  private static String typeName(JsonNode value) {
    if (value.isNull()) {
      return "null";
    } else if (value.isObject()) {
      return "object";
    } else if (value.isArray()) {
      return "array";
    } else if (value.isTextual()) {
      return "string";
    } else if (value.isBoolean()) {
      return "boolean";
    }
    return isInteger(value) ? "integer" : "number";
  }

  private static String typeError(String path, String type, JsonNode value) {
    String actual = typeName(value);
    return path
        + ": Invalid value: \""
        + actual
        + "\": "
        + path
        + " in body must be of type "
        + type
        + ": \""
        + actual
        + "\"";
  }

  /** Formats a value the way the API server prints it in {@code Invalid value: ...}. */
  static String show(JsonNode value) {
    if (value.isTextual()) {
      return value.toString();
    } else if (value.isContainerNode()) {
      return "\"" + typeName(value) + "\"";
    } else if (value.isNumber()) {
      return number(value);
    }
    return value.asText();
  }

  private static void checkEnum(JsonNode value, JsonNode schema, String path, List<String> errors) {
    JsonNode allowed = schema.get("enum");
    if (allowed == null || !allowed.isArray()) {
      return;
    }
    for (JsonNode candidate : allowed) {
      if (candidate.equals(value)
          || (candidate.isNumber()
              && value.isNumber()
              && candidate.asDouble() == value.asDouble())) {
        return;
      }
    }
    String supported =
        StreamSupport.stream(allowed.spliterator(), false)
            .map(SchemaValidator::show)
            .collect(Collectors.joining(", "));
    errors.add(path + ": Unsupported value: " + show(value) + ": supported values: " + supported);
  }

  private void checkString(String text, JsonNode schema, String path, List<String> errors) {
    String shown = show(TextNode.valueOf(text));
    if (schema.has("maxLength") && text.length() > schema.get("maxLength").asInt()) {
      errors.add(
          path + ": Too long: may not be more than " + schema.get("maxLength").asInt() + " bytes");
    }
    if (schema.has("minLength") && text.length() < schema.get("minLength").asInt()) {
      errors.add(
          path
              + ": Invalid value: "
              + shown
              + ": "
              + path
              + " in body should be at least "
              + schema.get("minLength").asInt()
              + " chars long");
    }
    if (schema.has("pattern")) {
      String regex = schema.get("pattern").asText();
      Pattern pattern = patterns.computeIfAbsent(regex, Pattern::compile);
      if (!pattern.matcher(text).find()) {
        errors.add(
            path
                + ": Invalid value: "
                + shown
                + ": "
                + path
                + " in body should match '"
                + regex
                + "'");
      }
    }
  }

  private static void checkNumber(
      JsonNode value, JsonNode schema, String path, List<String> errors) {
    double x = value.asDouble();
    String prefix = path + ": Invalid value: " + show(value) + ": " + path + " in body should be ";
    if (schema.has("minimum")) {
      JsonNode min = schema.get("minimum");
      boolean exclusive = schema.path("exclusiveMinimum").asBoolean(false);
      if (exclusive ? x <= min.asDouble() : x < min.asDouble()) {
        errors.add(
            prefix + (exclusive ? "greater than " : "greater than or equal to ") + number(min));
      }
    }
    if (schema.has("maximum")) {
      JsonNode max = schema.get("maximum");
      boolean exclusive = schema.path("exclusiveMaximum").asBoolean(false);
      if (exclusive ? x >= max.asDouble() : x > max.asDouble()) {
        errors.add(prefix + (exclusive ? "less than " : "less than or equal to ") + number(max));
      }
    }
    if (schema.has("multipleOf")) {
      double factor = schema.get("multipleOf").asDouble();
      double quotient = x / factor;
      if (quotient != Math.rint(quotient)) {
        errors.add(prefix + "a multiple of " + number(schema.get("multipleOf")));
      }
    }
  }

  /** A schema bound as the API server prints it (Go's %v of a float64: 1, not 1.0). */
  private static String number(JsonNode bound) {
    double v = bound.asDouble();
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : bound.asText();
  }

  private void checkArray(JsonNode value, JsonNode schema, String path, List<String> errors) {
    int size = value.size();
    if (schema.has("minItems") && size < schema.get("minItems").asInt()) {
      errors.add(
          path
              + ": Invalid value: "
              + size
              + ": "
              + path
              + " in body should have at least "
              + schema.get("minItems").asInt()
              + " items");
    }
    if (schema.has("maxItems") && size > schema.get("maxItems").asInt()) {
      errors.add(
          path
              + ": Too many: "
              + size
              + ": must have at most "
              + schema.get("maxItems").asInt()
              + " items");
    }
    String listType = schema.path("x-kubernetes-list-type").asText("");
    boolean unique = schema.path("uniqueItems").asBoolean(false) || listType.equals("set");
    List<String> mapKeys = new ArrayList<>();
    schema.path("x-kubernetes-list-map-keys").forEach(k -> mapKeys.add(k.asText()));
    Set<JsonNode> seen = new HashSet<>();
    for (int i = 0; i < size; i++) {
      JsonNode item = value.get(i);
      String itemPath = path + "[" + i + "]";
      if (schema.has("items")) {
        validateNode(item, schema.get("items"), itemPath, errors);
      }
      if (listType.equals("map") && item.isObject() && !mapKeys.isEmpty()) {
        ObjectNode key = ((ObjectNode) item.deepCopy()).retain(mapKeys);
        if (!seen.add(key)) {
          errors.add(itemPath + ": Duplicate value: " + key);
        }
      } else if (unique && !seen.add(item)) {
        errors.add(itemPath + ": Duplicate value: " + show(item));
      }
    }
  }

  private void checkObject(JsonNode value, JsonNode schema, String path, List<String> errors) {
    JsonNode properties = schema.path("properties");
    JsonNode additional = schema.get("additionalProperties");
    boolean preserveUnknown = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String name = field.getKey();
      JsonNode fieldSchema = properties.get(name);
      if (fieldSchema != null) {
        validateNode(field.getValue(), fieldSchema, path + "." + name, errors);
      } else if (additional != null && additional.isObject()) {
        validateNode(field.getValue(), additional, path + "[" + name + "]", errors);
      } else if (!preserveUnknown && !(additional != null && additional.asBoolean(false))) {
        errors.add("unknown field \"" + path + "." + name + "\"");
      }
    }
    for (JsonNode required : schema.path("required")) {
      if (!value.has(required.asText())) {
        errors.add(path + "." + required.asText() + ": Required value");
      }
    }
    if (schema.has("minProperties") && value.size() < schema.get("minProperties").asInt()) {
      errors.add(
          path
              + ": Invalid value: "
              + value.size()
              + ": "
              + path
              + " in body should have at least "
              + schema.get("minProperties").asInt()
              + " properties");
    }
    if (schema.has("maxProperties") && value.size() > schema.get("maxProperties").asInt()) {
      errors.add(
          path
              + ": Too many: "
              + value.size()
              + ": must have at most "
              + schema.get("maxProperties").asInt()
              + " items");
    }
  }

  private void checkRules(JsonNode value, JsonNode schema, String path, List<String> errors) {
    JsonNode rules = schema.get("x-kubernetes-validations");
    if (rules == null || !rules.isArray()) {
      return;
    }
    String type = schema.path("type").asText(typeName(value));
    Object self = CelValues.of(value, schema);
    for (JsonNode rule : rules) {
      String expression = rule.path("rule").asText();
      if (CelRules.isTransitionRule(expression)) {
        continue;
      }
      String relative = rule.path("fieldPath").asText("");
      String fieldPath =
          path.isEmpty() && relative.startsWith(".") ? relative.substring(1) : path + relative;
      Object result;
      try {
        result = cel.evaluate(expression, self);
      } catch (IllegalArgumentException e) {
        errors.add(fieldPath + ": Invalid value: \"" + type + "\": " + e.getMessage());
        continue;
      }
      if (!Boolean.TRUE.equals(result)) {
        errors.add(fieldPath + ": " + reason(rule) + ": " + message(rule, self, expression, type));
      }
    }
  }

  private static String reason(JsonNode rule) {
    return switch (rule.path("reason").asText("FieldValueInvalid")) {
      case "FieldValueRequired" -> "Required value";
      case "FieldValueForbidden" -> "Forbidden";
      case "FieldValueDuplicate" -> "Duplicate value";
      default -> "Invalid value";
    };
  }

  private String message(JsonNode rule, Object self, String expression, String type) {
    String message = null;
    if (rule.hasNonNull("messageExpression")) {
      try {
        Object evaluated = cel.evaluate(rule.get("messageExpression").asText(), self);
        if (evaluated instanceof String text && !text.isBlank()) {
          message = text;
        }
      } catch (IllegalArgumentException e) {
        message = null;
      }
    }
    if (message == null && rule.hasNonNull("message")) {
      message = rule.get("message").asText();
    }
    if (message == null) {
      message = "failed rule: " + expression;
    }
    boolean invalid = rule.path("reason").asText("FieldValueInvalid").equals("FieldValueInvalid");
    return invalid ? "\"" + type + "\": " + message : message;
  }
}
