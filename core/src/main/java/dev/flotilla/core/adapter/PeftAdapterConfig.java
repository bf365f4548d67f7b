package dev.flotilla.core.adapter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The LoRA fields of a PEFT {@code adapter_config.json}. Reading tolerates unknown keys and applies
 * PEFT's defaults to missing ones; it rejects settings this project cannot represent (bias
 * training, DoRA, rsLoRA, fan-in-fan-out weights, per-module alpha, regex target modules). Writing
 * produces every key PEFT's {@code LoraConfig} has held since PEFT 0.10 (newer PEFT fills its newer
 * keys with their defaults), sorted and indented as PEFT's own {@code save_pretrained} does.
 *
 * @param r the default rank ({@code r})
 * @param loraAlpha {@code lora_alpha}
 * @param loraDropout {@code lora_dropout}
 * @param targetModules {@code target_modules}, a list of module-name suffixes
 * @param rankPattern {@code rank_pattern}: module pattern → rank for modules whose rank is not
 *     {@code r}; keys are matched as PEFT does (see {@link #rankOf})
 * @param taskType {@code task_type}, or {@code null}
 * @param baseModel {@code base_model_name_or_path}, or {@code null}
 * @param modulesToSave {@code modules_to_save} (empty for none)
 */
public record PeftAdapterConfig(
    int r,
    double loraAlpha,
    double loraDropout,
    List<String> targetModules,
    Map<String, Integer> rankPattern,
    TaskType taskType,
    String baseModel,
    List<String> modulesToSave) {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ObjectWriter PEFT_STYLE = MAPPER.writer(pythonJsonDumpsStyle());

  /** Copies the collections (keeping {@code rankPattern}'s order, which decides matches). */
  public PeftAdapterConfig {
    targetModules = List.copyOf(targetModules);
    rankPattern = Collections.unmodifiableMap(new LinkedHashMap<>(rankPattern));
    modulesToSave = List.copyOf(modulesToSave);
  }

  /**
   * The configuration PEFT needs for {@code adapter}: {@code r} is the most common module rank (the
   * larger on a tie) and {@code rank_pattern} lists, by full module name, every module of another
   * rank.
   *
   * @throws IllegalArgumentException when the adapter has no modules or its dropout is outside [0,
   *     1)
   */
  public static PeftAdapterConfig of(LoraAdapter adapter) {
    if (adapter.modules().isEmpty()) {
      throw new IllegalArgumentException("a PEFT LoRA adapter needs at least one LoRA module");
    }
    if (!(adapter.dropout() >= 0 && adapter.dropout() < 1)) {
      throw new IllegalArgumentException(
          "lora_dropout must be in [0, 1), got " + adapter.dropout());
    }
    Map<Integer, Integer> counts = new TreeMap<>();
    adapter.modules().values().forEach(m -> counts.merge(m.rank(), 1, Integer::sum));
    int r = 0;
    int best = -1;
    for (Map.Entry<Integer, Integer> e : counts.entrySet()) { // ascending: ties go to the larger
      if (e.getValue() >= best) {
        best = e.getValue();
        r = e.getKey();
      }
    }
    Map<String, Integer> pattern = rankPattern(adapter, r);
    return new PeftAdapterConfig(
        r,
        adapter.alpha(),
        adapter.dropout(),
        adapter.targetModules(),
        pattern,
        adapter.taskType(),
        adapter.baseModel(),
        adapter.modulesToSave());
  }

  /**
   * Full module names → rank for every module whose rank is not {@code r}, longest name first so
   * that PEFT's first-match rule resolves each listed module to its own entry; a module of rank
   * {@code r} that some entry would also match (a dotted suffix) is listed too. Names are written
   * as they are; only if a regex wildcard {@code .} would then still select the wrong entry are the
   * dots of every key escaped.
   */
  private static Map<String, Integer> rankPattern(LoraAdapter adapter, int r) {
    Map<String, Integer> plain = resolveRankPattern(adapter, r, false);
    return plain != null ? plain : resolveRankPattern(adapter, r, true);
  }

  /** The pattern, or {@code null} when plain keys cannot be made unambiguous. */
  private static Map<String, Integer> resolveRankPattern(
      LoraAdapter adapter, int r, boolean escapeDots) {
    Map<String, Integer> ranks = new TreeMap<>();
    adapter.modules().values().stream()
        .filter(m -> m.rank() != r)
        .forEach(m -> ranks.put(m.name(), m.rank()));
    while (true) {
      Map<String, Integer> ordered = new LinkedHashMap<>();
      ranks.keySet().stream()
          .sorted(
              Comparator.comparingInt(String::length)
                  .reversed()
                  .thenComparing(Comparator.naturalOrder()))
          .forEach(
              name -> ordered.put(escapeDots ? name.replace(".", "\\.") : name, ranks.get(name)));
      PeftAdapterConfig probe =
          new PeftAdapterConfig(r, 1, 0, List.of(), ordered, null, null, List.of());
      boolean changed = false;
      for (LoraModule module : adapter.modules().values()) {
        if (probe.rankOf(module.name()) != module.rank()) {
          if (ranks.containsKey(module.name())) {
            if (escapeDots) {
              throw new IllegalStateException("no unambiguous rank_pattern for " + module.name());
            }
            return null;
          }
          ranks.put(module.name(), module.rank());
          changed = true;
        }
      }
      if (!changed) {
        return ordered;
      }
    }
  }

  /**
   * The rank PEFT gives {@code module}: the value of the first {@code rank_pattern} key {@code k}
   * (in file order) such that the whole name matches the regex {@code (.*\.)?(k)}, i.e. {@code k}
   * equals the full name or its trailing dotted components — else {@code r}.
   */
  public int rankOf(String module) {
    for (Map.Entry<String, Integer> entry : rankPattern.entrySet()) {
      if (Pattern.compile("(.*\\.)?(" + entry.getKey() + ")").matcher(module).matches()) {
        return entry.getValue();
      }
    }
    return r;
  }

  /** This configuration as PEFT writes {@code adapter_config.json} (UTF-8). */
  public byte[] toJson() {
    Map<String, Object> json = new TreeMap<>();
    json.put("alpha_pattern", Map.of());
    json.put("auto_mapping", null);
    json.put("base_model_name_or_path", baseModel);
    json.put("bias", "none");
    json.put("fan_in_fan_out", false);
    json.put("inference_mode", true);
    json.put("init_lora_weights", true);
    json.put("layer_replication", null);
    json.put("layers_pattern", null);
    json.put("layers_to_transform", null);
    json.put("loftq_config", Map.of());
    json.put("lora_alpha", integralOrDouble(loraAlpha));
    json.put("lora_dropout", loraDropout);
    json.put("megatron_config", null);
    json.put("megatron_core", "megatron.core");
    json.put("modules_to_save", modulesToSave.isEmpty() ? null : modulesToSave);
    json.put("peft_type", "LORA");
    json.put("r", r);
    json.put("rank_pattern", rankPattern);
    json.put("revision", null);
    json.put("target_modules", targetModules);
    json.put("task_type", taskType == null ? null : taskType.name());
    json.put("use_dora", false);
    json.put("use_rslora", false);
    try {
      return PEFT_STYLE.writeValueAsString(json).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a map of plain values", e);
    }
  }

  /**
   * Parses an {@code adapter_config.json}.
   *
   * @param source the file name used in error messages
   * @throws AdapterFormatException naming the field when the file is not a usable LoRA config
   */
  public static PeftAdapterConfig parse(byte[] json, String source) throws AdapterFormatException {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (IOException e) {
      throw AdapterFormatException.forFile(source, "malformed JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw AdapterFormatException.forFile(source, "adapter config must be a JSON object");
    }
    Fields fields = new Fields(root, source);
    String peftType = fields.string("peft_type", null);
    if (!"LORA".equals(peftType)) {
      throw AdapterFormatException.forField(
          source, "peft_type", "must be \"LORA\", got " + root.get("peft_type"));
    }
    fields.require("bias", "none", "only bias \"none\" is supported (no trained biases)");
    fields.require("fan_in_fan_out", false, "only fan_in_fan_out false ([out, in] weights)");
    fields.require("use_dora", false, "DoRA adapters are not supported");
    fields.require("use_rslora", false, "rsLoRA (alpha / sqrt(r) scaling) is not supported");
    int r = fields.positiveInt("r", 8);
    double alpha = fields.positiveNumber("lora_alpha", 8);
    double dropout = fields.number("lora_dropout", 0);
    if (!(dropout >= 0 && dropout < 1)) {
      throw AdapterFormatException.forField(source, "lora_dropout", "must be in [0, 1)");
    }
    JsonNode alphaPattern = root.get("alpha_pattern");
    if (alphaPattern != null && !alphaPattern.isNull()) {
      if (!alphaPattern.isObject()) {
        throw AdapterFormatException.forField(source, "alpha_pattern", "must be an object");
      }
      for (Map.Entry<String, JsonNode> e : iterable(alphaPattern)) {
        if (!e.getValue().isNumber() || e.getValue().asDouble() != alpha) {
          throw AdapterFormatException.forField(
              source,
              "alpha_pattern",
              "per-module alpha is not supported (" + e.getKey() + " → " + e.getValue() + ")");
        }
      }
    }
    JsonNode targets = root.get("target_modules");
    if (targets != null && targets.isTextual()) {
      throw AdapterFormatException.forField(
          source,
          "target_modules",
          "a regex string (" + targets + ") is not supported; list the module names");
    }
    List<String> targetModules = fields.strings("target_modules");
    if (targetModules.isEmpty()) {
      throw AdapterFormatException.forField(
          source, "target_modules", "missing or empty; list the adapted module names");
    }
    Map<String, Integer> rankPattern = new LinkedHashMap<>();
    JsonNode ranks = root.get("rank_pattern");
    if (ranks != null && !ranks.isNull()) {
      if (!ranks.isObject()) {
        throw AdapterFormatException.forField(source, "rank_pattern", "must be an object");
      }
      for (Map.Entry<String, JsonNode> e : iterable(ranks)) {
        JsonNode v = e.getValue();
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 1) {
          throw AdapterFormatException.forField(
              source, "rank_pattern", "rank of " + e.getKey() + " must be a positive integer");
        }
        try {
          Pattern.compile(e.getKey());
        } catch (PatternSyntaxException bad) {
          throw AdapterFormatException.forField(
              source, "rank_pattern", "key " + e.getKey() + " is not a valid regex");
        }
        rankPattern.put(e.getKey(), v.intValue());
      }
    }
    String task = fields.string("task_type", null);
    TaskType taskType = null;
    if (task != null) {
      try {
        taskType = TaskType.valueOf(task);
      } catch (IllegalArgumentException e) {
        throw AdapterFormatException.forField(
            source,
            "task_type",
            "unsupported task type " + task + " (supported: SEQ_CLS, CAUSAL_LM)");
      }
    }
    return new PeftAdapterConfig(
        r,
        alpha,
        dropout,
        targetModules,
        rankPattern,
        taskType,
        fields.string("base_model_name_or_path", null),
        fields.strings("modules_to_save"));
  }

  private static Object integralOrDouble(double value) {
    return value == Math.rint(value) && Math.abs(value) < 0x1p53 ? (Object) (long) value : value;
  }

  private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode object) {
    return object.properties();
  }

  /** The layout of Python's {@code json.dumps(indent=2, sort_keys=True)}, as PEFT writes. */
  private static DefaultPrettyPrinter pythonJsonDumpsStyle() {
    Separators separators =
        Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
            .withObjectEmptySeparator("")
            .withArrayEmptySeparator("");
    DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
    DefaultPrettyPrinter printer = new DefaultPrettyPrinter(separators);
    printer.indentObjectsWith(indenter);
    printer.indentArraysWith(indenter);
    return printer;
  }

  /** Typed access to optional fields, with errors naming the field. */
  private record Fields(JsonNode root, String source) {
    JsonNode value(String name) {
      JsonNode node = root.get(name);
      return node == null || node.isNull() ? null : node;
    }

    String string(String name, String fallback) throws AdapterFormatException {
      JsonNode node = value(name);
      if (node == null) {
        return fallback;
      }
      if (!node.isTextual()) {
        throw AdapterFormatException.forField(source, name, "must be a string, got " + node);
      }
      return node.textValue();
    }

    double number(String name, double fallback) throws AdapterFormatException {
      JsonNode node = value(name);
      if (node == null) {
        return fallback;
      }
      if (!node.isNumber() || !Double.isFinite(node.doubleValue())) {
        throw AdapterFormatException.forField(source, name, "must be a number, got " + node);
      }
      return node.doubleValue();
    }

    double positiveNumber(String name, double fallback) throws AdapterFormatException {
      double value = number(name, fallback);
      if (!(value > 0)) {
        throw AdapterFormatException.forField(source, name, "must be positive, got " + value);
      }
      return value;
    }

    int positiveInt(String name, int fallback) throws AdapterFormatException {
      JsonNode node = value(name);
      if (node == null) {
        return fallback;
      }
      if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 1) {
        throw AdapterFormatException.forField(
            source, name, "must be a positive integer, got " + node);
      }
      return node.intValue();
    }

    List<String> strings(String name) throws AdapterFormatException {
      JsonNode node = value(name);
      if (node == null) {
        return List.of();
      }
      if (!node.isArray()) {
        throw AdapterFormatException.forField(source, name, "must be a list of strings");
      }
      List<String> values = new ArrayList<>();
      for (JsonNode item : node) {
        if (!item.isTextual()) {
          throw AdapterFormatException.forField(source, name, "must hold strings, got " + item);
        }
        values.add(item.textValue());
      }
      return values;
    }

    void require(String name, Object expected, String problem) throws AdapterFormatException {
      JsonNode node = value(name);
      if (node == null) {
        return;
      }
      Object actual = node.isBoolean() ? (Object) node.booleanValue() : node.asText();
      if (!expected.equals(actual)) {
        throw AdapterFormatException.forField(source, name, problem + ", got " + node);
      }
    }
  }
}
