package dev.flotilla.trainer.importer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.core.adapter.FloatTensor;
import dev.flotilla.core.safetensors.DType;
import dev.flotilla.core.safetensors.SafetensorsWriter;
import dev.flotilla.model.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a Hugging Face BERT directory ({@code config.json}, {@code model.safetensors}) from
 * weights named like {@code BertModel}'s state dict, inferring sizes from the tensor shapes.
 */
final class HfBertDirectoryWriter {
  private HfBertDirectoryWriter() {}

  /**
   * Writes {@code weights}. When the pooler is absent (ONNX exports drop it) an identity pooler is
   * added (W = I, b = 0: the pooled output is tanh of the [CLS] state), so the directory loads in
   * Hugging Face {@code BertForSequenceClassification} without random initialisation.
   */
  static void write(Path dir, Map<String, FloatTensor> source, int heads, double eps, String origin)
      throws IOException {
    Map<String, FloatTensor> weights = new TreeMap<>(source);
    FloatTensor word = require(weights, "embeddings.word_embeddings.weight", origin);
    int hidden = word.dim(1);
    int layers = 0;
    while (weights.containsKey("encoder.layer." + layers + ".attention.self.query.weight")) {
      layers++;
    }
    if (layers == 0) {
      throw new BadInputException(origin + ": no encoder layers found");
    }
    if (hidden % heads != 0) {
      throw new BadInputException(
          origin + ": hidden size " + hidden + " not divisible by " + heads);
    }
    if (!weights.containsKey("pooler.dense.weight")) {
      float[] identity = new float[hidden * hidden];
      for (int i = 0; i < hidden; i++) {
        identity[i * hidden + i] = 1f;
      }
      weights.put("pooler.dense.weight", new FloatTensor(new int[] {hidden, hidden}, identity));
      weights.put("pooler.dense.bias", new FloatTensor(new int[] {hidden}, new float[hidden]));
    }
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode config = json.createObjectNode();
    config.putArray("architectures").add("BertModel");
    config.put("model_type", "bert");
    config.put("vocab_size", word.dim(0));
    config.put("hidden_size", hidden);
    config.put("num_hidden_layers", layers);
    config.put("num_attention_heads", heads);
    config.put(
        "intermediate_size",
        require(weights, "encoder.layer.0.intermediate.dense.weight", origin).dim(0));
    config.put("hidden_act", "gelu");
    config.put("hidden_dropout_prob", 0.1);
    config.put("attention_probs_dropout_prob", 0.1);
    config.put(
        "max_position_embeddings",
        require(weights, "embeddings.position_embeddings.weight", origin).dim(0));
    config.put(
        "type_vocab_size",
        require(weights, "embeddings.token_type_embeddings.weight", origin).dim(0));
    config.put("initializer_range", 0.02);
    config.put("layer_norm_eps", eps);
    config.put("pad_token_id", 0);
    config.put("position_embedding_type", "absolute");
    config.put("torch_dtype", "float32");
    config.put("flotilla_source", origin);
    Files.createDirectories(dir);
    json.writeValue(dir.resolve("config.json").toFile(), config);
    SafetensorsWriter.write(dir.resolve("model.safetensors"), weights, Map.of(), DType.F32);
  }

  private static FloatTensor require(Map<String, FloatTensor> weights, String name, String origin) {
    FloatTensor tensor = weights.get(name);
    if (tensor == null) {
      throw new BadInputException(origin + ": missing tensor " + name);
    }
    return tensor;
  }
}
