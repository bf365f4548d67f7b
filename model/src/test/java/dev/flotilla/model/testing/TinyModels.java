package dev.flotilla.model.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.core.adapter.FloatTensor;
import dev.flotilla.core.safetensors.DType;
import dev.flotilla.core.safetensors.SafetensorsWriter;
import dev.flotilla.model.data.WordPieceTokenizerJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/** Writes tiny randomly initialised models in the Hugging Face layout for tests. */
public final class TinyModels {
  /** Words of the tiny vocabulary (after the five BERT special tokens). */
  public static final List<String> WORDS =
      List.of(
          "good",
          "great",
          "fine",
          "love",
          "nice",
          "bad",
          "awful",
          "poor",
          "hate",
          "sad",
          "the",
          "movie",
          "food",
          "was",
          "is",
          "it",
          "very",
          "a",
          "and",
          "not",
          "question",
          "answer",
          "yes",
          "no",
          "one",
          "two");

  private TinyModels() {}

  /** The vocabulary: special tokens then {@link #WORDS}. */
  public static List<String> vocab() {
    List<String> vocab = new ArrayList<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"));
    vocab.addAll(WORDS);
    return vocab;
  }

  /** A 2-layer BERT (hidden 16, 2 heads) with pooler, written to {@code dir}. */
  public static Path bert(Path dir, long seed) throws IOException {
    int h = 16;
    int ffn = 32;
    int v = vocab().size();
    Random random = new Random(seed);
    Map<String, FloatTensor> w = new LinkedHashMap<>();
    w.put("bert.embeddings.word_embeddings.weight", normal(random, 0.5, v, h));
    w.put("bert.embeddings.position_embeddings.weight", normal(random, 0.5, 64, h));
    w.put("bert.embeddings.token_type_embeddings.weight", normal(random, 0.5, 2, h));
    layerNorm(w, random, "bert.embeddings.LayerNorm", h);
    for (int i = 0; i < 2; i++) {
      String p = "bert.encoder.layer." + i + ".";
      linear(w, random, p + "attention.self.query", h, h);
      linear(w, random, p + "attention.self.key", h, h);
      linear(w, random, p + "attention.self.value", h, h);
      linear(w, random, p + "attention.output.dense", h, h);
      layerNorm(w, random, p + "attention.output.LayerNorm", h);
      linear(w, random, p + "intermediate.dense", h, ffn);
      linear(w, random, p + "output.dense", ffn, h);
      layerNorm(w, random, p + "output.LayerNorm", h);
    }
    linear(w, random, "bert.pooler.dense", h, h);
    ObjectNode config = new ObjectMapper().createObjectNode();
    config.put("model_type", "bert");
    config.put("vocab_size", v);
    config.put("hidden_size", h);
    config.put("num_hidden_layers", 2);
    config.put("num_attention_heads", 2);
    config.put("intermediate_size", ffn);
    config.put("hidden_act", "gelu");
    config.put("max_position_embeddings", 64);
    config.put("type_vocab_size", 2);
    config.put("layer_norm_eps", 1e-12);
    config.put("hidden_dropout_prob", 0.0);
    config.put("attention_probs_dropout_prob", 0.0);
    return write(dir, config, w, DType.F32, false);
  }

  /** A 2-layer DistilBERT (dim 16, 2 heads). */
  public static Path distilBert(Path dir, long seed) throws IOException {
    int h = 16;
    int ffn = 32;
    int v = vocab().size();
    Random random = new Random(seed);
    Map<String, FloatTensor> w = new LinkedHashMap<>();
    w.put("distilbert.embeddings.word_embeddings.weight", normal(random, 0.5, v, h));
    w.put("distilbert.embeddings.position_embeddings.weight", normal(random, 0.5, 64, h));
    layerNorm(w, random, "distilbert.embeddings.LayerNorm", h);
    for (int i = 0; i < 2; i++) {
      String p = "distilbert.transformer.layer." + i + ".";
      linear(w, random, p + "attention.q_lin", h, h);
      linear(w, random, p + "attention.k_lin", h, h);
      linear(w, random, p + "attention.v_lin", h, h);
      linear(w, random, p + "attention.out_lin", h, h);
      layerNorm(w, random, p + "sa_layer_norm", h);
      linear(w, random, p + "ffn.lin1", h, ffn);
      linear(w, random, p + "ffn.lin2", ffn, h);
      layerNorm(w, random, p + "output_layer_norm", h);
    }
    ObjectNode config = new ObjectMapper().createObjectNode();
    config.put("model_type", "distilbert");
    config.put("vocab_size", v);
    config.put("dim", h);
    config.put("n_layers", 2);
    config.put("n_heads", 2);
    config.put("hidden_dim", ffn);
    config.put("activation", "gelu");
    config.put("max_position_embeddings", 64);
    config.put("dropout", 0.0);
    config.put("attention_dropout", 0.0);
    config.put("seq_classif_dropout", 0.0);
    return write(dir, config, w, DType.F32, false);
  }

  /**
   * A 2-layer Llama-style decoder (hidden 16, 4 query heads, 2 key/value heads), stored as BF16 in
   * two shards with an index; {@code qwen} adds q/k/v biases ({@code model_type qwen2}).
   */
  public static Path llama(Path dir, long seed, boolean qwen, boolean tied) throws IOException {
    int h = 16;
    int heads = 4;
    int kvHeads = 2;
    int d = h / heads;
    int ffn = 24;
    int v = vocab().size();
    Random random = new Random(seed);
    Map<String, FloatTensor> w = new LinkedHashMap<>();
    w.put("model.embed_tokens.weight", normal(random, 0.5, v, h));
    for (int i = 0; i < 2; i++) {
      String p = "model.layers." + i + ".";
      w.put(p + "input_layernorm.weight", around1(random, h));
      w.put(p + "post_attention_layernorm.weight", around1(random, h));
      linearMaybeBias(w, random, p + "self_attn.q_proj", h, heads * d, qwen);
      linearMaybeBias(w, random, p + "self_attn.k_proj", h, kvHeads * d, qwen);
      linearMaybeBias(w, random, p + "self_attn.v_proj", h, kvHeads * d, qwen);
      linearMaybeBias(w, random, p + "self_attn.o_proj", heads * d, h, false);
      linearMaybeBias(w, random, p + "mlp.gate_proj", h, ffn, false);
      linearMaybeBias(w, random, p + "mlp.up_proj", h, ffn, false);
      linearMaybeBias(w, random, p + "mlp.down_proj", ffn, h, false);
    }
    w.put("model.norm.weight", around1(random, h));
    if (!tied) {
      w.put("lm_head.weight", normal(random, 0.3, v, h));
    }
    ObjectNode config = new ObjectMapper().createObjectNode();
    config.put("model_type", qwen ? "qwen2" : "llama");
    config.put("vocab_size", v);
    config.put("hidden_size", h);
    config.put("intermediate_size", ffn);
    config.put("num_hidden_layers", 2);
    config.put("num_attention_heads", heads);
    config.put("num_key_value_heads", kvHeads);
    config.put("rms_norm_eps", 1e-6);
    config.put("rope_theta", 10000.0);
    config.put("hidden_act", "silu");
    config.put("tie_word_embeddings", tied);
    config.put("eos_token_id", 3);
    config.put("bos_token_id", 2);
    return write(dir, config, w, DType.BF16, true);
  }

  private static Path write(
      Path dir, ObjectNode config, Map<String, FloatTensor> weights, DType dtype, boolean sharded)
      throws IOException {
    Files.createDirectories(dir);
    new ObjectMapper().writeValue(dir.resolve("config.json").toFile(), config);
    WordPieceTokenizerJson.write(vocab(), true, dir.resolve("tokenizer.json"));
    if (!sharded) {
      SafetensorsWriter.write(dir.resolve("model.safetensors"), weights, Map.of(), dtype);
      return dir;
    }
    Map<String, FloatTensor> first = new TreeMap<>();
    Map<String, FloatTensor> second = new TreeMap<>();
    ObjectNode index = new ObjectMapper().createObjectNode();
    ObjectNode map = index.putObject("weight_map");
    int i = 0;
    for (Map.Entry<String, FloatTensor> e : weights.entrySet()) {
      boolean firstShard = i++ % 2 == 0;
      (firstShard ? first : second).put(e.getKey(), e.getValue());
      map.put(
          e.getKey(),
          firstShard ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors");
    }
    SafetensorsWriter.write(
        dir.resolve("model-00001-of-00002.safetensors"), first, Map.of(), dtype);
    SafetensorsWriter.write(
        dir.resolve("model-00002-of-00002.safetensors"), second, Map.of(), dtype);
    new ObjectMapper().writeValue(dir.resolve("model.safetensors.index.json").toFile(), index);
    return dir;
  }

  private static void linear(Map<String, FloatTensor> w, Random r, String name, int in, int out) {
    linearMaybeBias(w, r, name, in, out, true);
  }

  private static void linearMaybeBias(
      Map<String, FloatTensor> w, Random r, String name, int in, int out, boolean bias) {
    w.put(name + ".weight", normal(r, 1.0 / Math.sqrt(in), out, in));
    if (bias) {
      w.put(name + ".bias", normal(r, 0.1, out));
    }
  }

  private static void layerNorm(Map<String, FloatTensor> w, Random r, String name, int size) {
    w.put(name + ".weight", around1(r, size));
    w.put(name + ".bias", normal(r, 0.1, size));
  }

  private static FloatTensor around1(Random r, int size) {
    float[] data = new float[size];
    for (int i = 0; i < size; i++) {
      data[i] = (float) (1 + 0.1 * r.nextGaussian());
    }
    return new FloatTensor(new int[] {size}, data);
  }

  /** A tensor of N(0, std²) values. */
  public static FloatTensor normal(Random r, double std, int... shape) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    float[] data = new float[n];
    for (int i = 0; i < n; i++) {
      data[i] = (float) (r.nextGaussian() * std);
    }
    return new FloatTensor(shape, data);
  }
}
