package dev.flotilla.model.nn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.core.spec.ModelArchitecture;
import dev.flotilla.model.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a Hugging Face {@code config.json} into an encoder or decoder configuration. */
public final class HfConfig {
  private final Path file;
  private final JsonNode root;
  private final ModelFamily family;

  private HfConfig(Path file, JsonNode root, ModelFamily family) {
    this.file = file;
    this.root = root;
    this.family = family;
  }

  /**
   * Parses {@code <modelDir>/config.json}; errors name the file and the field. An explicit {@code
   * architecture} (the Federation's {@code baseModel.architecture}) must agree with a known {@code
   * model_type}, and decides the layout when {@code model_type} is missing or not one this trainer
   * knows (e.g. a Llama-compatible model under another name).
   */
  public static HfConfig read(Path modelDir, ModelArchitecture architecture) {
    Path file = modelDir.resolve("config.json");
    if (!Files.isRegularFile(file)) {
      throw new BadInputException("model directory " + modelDir + " has no config.json");
    }
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new BadInputException(file + ": not valid JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new BadInputException(file + ": expected a JSON object");
    }
    String modelType = root.path("model_type").asText("");
    return new HfConfig(file, root, family(file, modelType, architecture));
  }

  private static ModelFamily family(Path file, String modelType, ModelArchitecture architecture) {
    ModelFamily detected = ModelFamily.fromModelType(modelType);
    if (architecture == ModelArchitecture.AUTO) {
      if (detected == null) {
        throw new BadInputException(
            file
                + ": model_type '"
                + modelType
                + "' is not supported (supported: bert, distilbert, llama, mistral, qwen2; set"
                + " the architecture to BERT or LLAMA to load another model_type with that"
                + " layout)");
      }
      return detected;
    }
    ModelFamily wanted =
        architecture == ModelArchitecture.LLAMA ? ModelFamily.LLAMA : ModelFamily.BERT;
    if (detected == null) {
      return wanted;
    }
    if ((detected == ModelFamily.LLAMA) != (wanted == ModelFamily.LLAMA)) {
      throw new BadInputException(
          file
              + ": model_type '"
              + modelType
              + "' is "
              + (detected == ModelFamily.LLAMA ? "a decoder" : "an encoder")
              + ", but the architecture is "
              + architecture);
    }
    return detected;
  }

  /** The architecture family. */
  public ModelFamily family() {
    return family;
  }

  /** The raw {@code model_type}. */
  public String modelType() {
    return root.path("model_type").asText();
  }

  /** {@code eos_token_id} (the first one when a list), or null when absent. */
  public Long eosTokenId() {
    JsonNode eos = root.get("eos_token_id");
    if (eos != null && eos.isArray() && !eos.isEmpty()) {
      eos = eos.get(0);
    }
    return eos != null && eos.canConvertToLong() ? eos.asLong() : null;
  }

  /** The encoder configuration; fails when this is a decoder. */
  public EncoderConfig encoder() {
    if (family == ModelFamily.DISTILBERT) {
      requireActivation("activation");
      return new EncoderConfig(
          family,
          positiveInt("vocab_size"),
          positiveInt("dim"),
          positiveInt("n_layers"),
          divisorHeads("n_heads", "dim"),
          positiveInt("hidden_dim"),
          positiveInt("max_position_embeddings"),
          0,
          1e-12,
          number("dropout", 0.1),
          number("attention_dropout", 0.1),
          number("seq_classif_dropout", 0.2));
    }
    if (family != ModelFamily.BERT) {
      throw new BadInputException(file + ": model_type " + modelType() + " is not an encoder");
    }
    requireActivation("hidden_act");
    double hiddenDropout = number("hidden_dropout_prob", 0.1);
    JsonNode classifierDropout = root.get("classifier_dropout");
    return new EncoderConfig(
        family,
        positiveInt("vocab_size"),
        positiveInt("hidden_size"),
        positiveInt("num_hidden_layers"),
        divisorHeads("num_attention_heads", "hidden_size"),
        positiveInt("intermediate_size"),
        positiveInt("max_position_embeddings"),
        root.path("type_vocab_size").asInt(2),
        number("layer_norm_eps", 1e-12),
        hiddenDropout,
        number("attention_probs_dropout_prob", 0.1),
        classifierDropout == null || classifierDropout.isNull()
            ? hiddenDropout
            : classifierDropout.asDouble());
  }

  /** The decoder configuration; fails when this is an encoder. */
  public DecoderConfig decoder() {
    if (family != ModelFamily.LLAMA) {
      throw new BadInputException(file + ": model_type " + modelType() + " is not a decoder");
    }
    String act = root.path("hidden_act").asText("silu");
    if (!act.equals("silu")) {
      throw new BadInputException(file + ": hidden_act '" + act + "' is not supported (silu)");
    }
    int hidden = positiveInt("hidden_size");
    int heads = positiveInt("num_attention_heads");
    int kvHeads = root.has("num_key_value_heads") ? positiveInt("num_key_value_heads") : heads;
    if (heads % kvHeads != 0) {
      throw new BadInputException(
          file + ": num_attention_heads " + heads + " is not a multiple of num_key_value_heads");
    }
    int headDim =
        root.hasNonNull("head_dim") ? positiveInt("head_dim") : divisorHeadDim(hidden, heads);
    boolean qwen = modelType().equals("qwen2");
    return new DecoderConfig(
        positiveInt("vocab_size"),
        hidden,
        positiveInt("num_hidden_layers"),
        heads,
        kvHeads,
        headDim,
        positiveInt("intermediate_size"),
        number("rms_norm_eps", 1e-6),
        number("rope_theta", 10000.0),
        root.path("attention_bias").asBoolean(qwen),
        root.path("tie_word_embeddings").asBoolean(false));
  }

  private int divisorHeadDim(int hidden, int heads) {
    if (hidden % heads != 0) {
      throw new BadInputException(
          file + ": hidden_size " + hidden + " is not a multiple of num_attention_heads " + heads);
    }
    return hidden / heads;
  }

  private int divisorHeads(String headsField, String hiddenField) {
    int heads = positiveInt(headsField);
    int hidden = positiveInt(hiddenField);
    if (hidden % heads != 0) {
      throw new BadInputException(
          file + ": " + hiddenField + " " + hidden + " is not a multiple of " + headsField);
    }
    return heads;
  }

  private void requireActivation(String field) {
    String act = root.path(field).asText("gelu");
    if (!act.equals("gelu")) {
      throw new BadInputException(file + ": " + field + " '" + act + "' is not supported (gelu)");
    }
  }

  private int positiveInt(String field) {
    JsonNode node = root.get(field);
    if (node == null || !node.canConvertToInt() || node.asInt() <= 0) {
      throw new BadInputException(file + ": field " + field + " must be a positive integer");
    }
    return node.asInt();
  }

  private double number(String field, double fallback) {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      return fallback;
    }
    if (!node.isNumber()) {
      throw new BadInputException(file + ": field " + field + " must be a number");
    }
    return node.asDouble();
  }
}
