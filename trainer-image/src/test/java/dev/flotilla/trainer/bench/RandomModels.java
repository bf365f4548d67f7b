package dev.flotilla.trainer.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.core.adapter.FloatTensor;
import dev.flotilla.core.safetensors.DType;
import dev.flotilla.core.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** Randomly initialised Hugging Face model directories of benchmark sizes (N(0, 0.02) weights). */
final class RandomModels {
  private RandomModels() {}

  /** A BERT encoder with a pooler. */
  static Path bert(Path dir, int vocab, int hidden, int layers, int heads, int ffn)
      throws IOException {
    if (Files.isRegularFile(dir.resolve("model.safetensors"))) {
      return dir;
    }
    SplittableRandom random = new SplittableRandom(1);
    Map<String, FloatTensor> w = new LinkedHashMap<>();
    w.put("embeddings.word_embeddings.weight", normal(random, vocab, hidden));
    w.put("embeddings.position_embeddings.weight", normal(random, 512, hidden));
    w.put("embeddings.token_type_embeddings.weight", normal(random, 2, hidden));
    norm(w, "embeddings.LayerNorm", hidden);
    for (int i = 0; i < layers; i++) {
      String p = "encoder.layer." + i + ".";
      for (String name :
          new String[] {
            "attention.self.query",
            "attention.self.key",
            "attention.self.value",
            "attention.output.dense"
          }) {
        linear(w, random, p + name, hidden, hidden);
      }
      norm(w, p + "attention.output.LayerNorm", hidden);
      linear(w, random, p + "intermediate.dense", hidden, ffn);
      linear(w, random, p + "output.dense", ffn, hidden);
      norm(w, p + "output.LayerNorm", hidden);
    }
    linear(w, random, "pooler.dense", hidden, hidden);
    ObjectNode c = new ObjectMapper().createObjectNode();
    c.put("model_type", "bert");
    c.put("vocab_size", vocab);
    c.put("hidden_size", hidden);
    c.put("num_hidden_layers", layers);
    c.put("num_attention_heads", heads);
    c.put("intermediate_size", ffn);
    c.put("max_position_embeddings", 512);
    c.put("type_vocab_size", 2);
    c.put("layer_norm_eps", 1e-12);
    return write(dir, c, w);
  }

  /** A Llama decoder with grouped-query attention and an untied LM head. */
  static Path llama(Path dir, int vocab, int hidden, int layers, int heads, int kvHeads, int ffn)
      throws IOException {
    if (Files.isRegularFile(dir.resolve("model.safetensors"))) {
      return dir;
    }
    SplittableRandom random = new SplittableRandom(2);
    int d = hidden / heads;
    Map<String, FloatTensor> w = new LinkedHashMap<>();
    w.put("model.embed_tokens.weight", normal(random, vocab, hidden));
    for (int i = 0; i < layers; i++) {
      String p = "model.layers." + i + ".";
      w.put(p + "input_layernorm.weight", ones(hidden));
      w.put(p + "post_attention_layernorm.weight", ones(hidden));
      w.put(p + "self_attn.q_proj.weight", normal(random, heads * d, hidden));
      w.put(p + "self_attn.k_proj.weight", normal(random, kvHeads * d, hidden));
      w.put(p + "self_attn.v_proj.weight", normal(random, kvHeads * d, hidden));
      w.put(p + "self_attn.o_proj.weight", normal(random, hidden, heads * d));
      w.put(p + "mlp.gate_proj.weight", normal(random, ffn, hidden));
      w.put(p + "mlp.up_proj.weight", normal(random, ffn, hidden));
      w.put(p + "mlp.down_proj.weight", normal(random, hidden, ffn));
    }
    w.put("model.norm.weight", ones(hidden));
    w.put("lm_head.weight", normal(random, vocab, hidden));
    ObjectNode c = new ObjectMapper().createObjectNode();
    c.put("model_type", "llama");
    c.put("vocab_size", vocab);
    c.put("hidden_size", hidden);
    c.put("intermediate_size", ffn);
    c.put("num_hidden_layers", layers);
    c.put("num_attention_heads", heads);
    c.put("num_key_value_heads", kvHeads);
    c.put("rms_norm_eps", 1e-6);
    c.put("rope_theta", 10000.0);
    return write(dir, c, w);
  }

  private static Path write(Path dir, ObjectNode config, Map<String, FloatTensor> weights)
      throws IOException {
    Files.createDirectories(dir);
    new ObjectMapper().writeValue(dir.resolve("config.json").toFile(), config);
    SafetensorsWriter.write(dir.resolve("model.safetensors"), weights, Map.of(), DType.F32);
    return dir;
  }

  private static void linear(
      Map<String, FloatTensor> w, SplittableRandom random, String name, int in, int out) {
    w.put(name + ".weight", normal(random, out, in));
    w.put(name + ".bias", new FloatTensor(new int[] {out}, new float[out]));
  }

  private static void norm(Map<String, FloatTensor> w, String name, int size) {
    w.put(name + ".weight", ones(size));
    w.put(name + ".bias", new FloatTensor(new int[] {size}, new float[size]));
  }

  private static FloatTensor ones(int size) {
    float[] data = new float[size];
    Arrays.fill(data, 1f);
    return new FloatTensor(new int[] {size}, data);
  }

  private static FloatTensor normal(SplittableRandom random, int rows, int cols) {
    float[] data = new float[rows * cols];
    for (int i = 0; i < data.length; i++) {
      // Box-Muller, std 0.02
      double u = 1 - random.nextDouble();
      double v = random.nextDouble();
      data[i] = (float) (0.02 * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
    }
    return new FloatTensor(new int[] {rows, cols}, data);
  }
}
