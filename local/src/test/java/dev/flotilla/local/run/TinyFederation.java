package dev.flotilla.local.run;

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

/**
 * Writes a tiny federation for end-to-end tests: a randomly initialised 2-layer BERT (hidden 16) in
 * the Hugging Face layout with a WordPiece tokenizer.json, three clients' sentiment data over its
 * vocabulary, a held-out set, and the manifest (Federation + ClientPools at ranks 2, 4, 8).
 */
public final class TinyFederation {
  /** Words of positive examples. */
  public static final List<String> POSITIVE = List.of("good", "great", "love", "nice");

  /** Words of negative examples. */
  public static final List<String> NEGATIVE = List.of("bad", "awful", "hate", "sad");

  /** Neutral words. */
  public static final List<String> FILLER =
      List.of("the", "movie", "food", "was", "is", "it", "very", "a", "and");

  private static final int HIDDEN = 16;

  private TinyFederation() {}

  /** Writes everything under {@code dir} and returns the manifest path. */
  public static Path write(Path dir, int rounds) throws IOException {
    writeModel(dir.resolve("model"), 11);
    Path data = Files.createDirectories(dir.resolve("data"));
    for (int c = 0; c < 3; c++) {
      sentiment(data.resolve("client-" + c + ".jsonl"), 48, 100 + c);
    }
    sentiment(data.resolve("test.jsonl"), 40, 999);
    Path manifest = dir.resolve("federation.yaml");
    Files.writeString(manifest, manifest(rounds));
    return manifest;
  }

  static String manifest(int rounds) {
    StringBuilder pools = new StringBuilder();
    int[] ranks = {2, 4, 8};
    for (int c = 0; c < 3; c++) {
      pools.append(
          """
          ---
          apiVersion: flotilla.dev/v1alpha1
          kind: ClientPool
          metadata:
            name: rank-%d
          spec:
            rank: %d
            clients:
              list:
                - id: client-%d
                  dataUri: file:data/client-%d.jsonl
          """
              .formatted(ranks[c], ranks[c], c, c));
    }
    return """
        apiVersion: flotilla.dev/v1alpha1
        kind: Federation
        metadata:
          name: tiny
        spec:
          baseModel:
            uri: file:model
            architecture: BERT
            tokenizer: file:model/tokenizer.json
          task:
            type: SEQUENCE_CLASSIFICATION
            numLabels: 2
          rounds: %d
          sampling:
            clientsPerRound: 3
            minClients: 2
          aggregation:
            strategy: FLEXLORA
            globalRank: 8
          lora:
            alpha: 8
            dropout: 0.0
            targetModules: [query, value]
          training:
            epochs: 6
            batchSize: 8
            learningRate: 0.02
            maxSeqLength: 16
            seed: 5
          evaluation:
            dataUri: file:data/test.jsonl
          storage:
            bucket: flotilla
          clientPools:
            names: [rank-2, rank-4, rank-8]
        """
            .formatted(rounds)
        + pools;
  }

  private static void sentiment(Path file, int n, long seed) throws IOException {
    Random random = new Random(seed);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int label = i % 2;
      List<String> words = new ArrayList<>();
      for (int j = 0; j < 3 + random.nextInt(4); j++) {
        words.add(FILLER.get(random.nextInt(FILLER.size())));
      }
      List<String> cue = label == 1 ? POSITIVE : NEGATIVE;
      words.add(random.nextInt(words.size() + 1), cue.get(random.nextInt(cue.size())));
      lines.add("{\"text\": \"" + String.join(" ", words) + "\", \"label\": " + label + "}");
    }
    Files.write(file, lines);
  }

  /** Writes the tiny BERT (random weights from {@code seed}) and its tokenizer into {@code dir}. */
  public static void writeModel(Path dir, long seed) throws IOException {
    List<String> vocab = new ArrayList<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"));
    vocab.addAll(POSITIVE);
    vocab.addAll(NEGATIVE);
    vocab.addAll(FILLER);
    Random random = new Random(seed);
    int h = HIDDEN;
    Map<String, FloatTensor> w = new LinkedHashMap<>();
    w.put("bert.embeddings.word_embeddings.weight", normal(random, 0.5, vocab.size(), h));
    w.put("bert.embeddings.position_embeddings.weight", normal(random, 0.5, 32, h));
    w.put("bert.embeddings.token_type_embeddings.weight", normal(random, 0.5, 2, h));
    layerNorm(w, random, "bert.embeddings.LayerNorm");
    for (int i = 0; i < 2; i++) {
      String p = "bert.encoder.layer." + i + ".";
      linear(w, random, p + "attention.self.query", h, h);
      linear(w, random, p + "attention.self.key", h, h);
      linear(w, random, p + "attention.self.value", h, h);
      linear(w, random, p + "attention.output.dense", h, h);
      layerNorm(w, random, p + "attention.output.LayerNorm");
      linear(w, random, p + "intermediate.dense", h, 2 * h);
      linear(w, random, p + "output.dense", 2 * h, h);
      layerNorm(w, random, p + "output.LayerNorm");
    }
    linear(w, random, "bert.pooler.dense", h, h);
    ObjectNode config = new ObjectMapper().createObjectNode();
    config.put("model_type", "bert");
    config.put("vocab_size", vocab.size());
    config.put("hidden_size", h);
    config.put("num_hidden_layers", 2);
    config.put("num_attention_heads", 2);
    config.put("intermediate_size", 2 * h);
    config.put("hidden_act", "gelu");
    config.put("max_position_embeddings", 32);
    config.put("type_vocab_size", 2);
    config.put("layer_norm_eps", 1e-12);
    config.put("hidden_dropout_prob", 0.0);
    config.put("attention_probs_dropout_prob", 0.0);
    Files.createDirectories(dir);
    new ObjectMapper().writeValue(dir.resolve("config.json").toFile(), config);
    WordPieceTokenizerJson.write(vocab, true, dir.resolve("tokenizer.json"));
    SafetensorsWriter.write(dir.resolve("model.safetensors"), w, Map.of(), DType.F32);
  }

  private static void linear(Map<String, FloatTensor> w, Random r, String name, int in, int out) {
    w.put(name + ".weight", normal(r, 1.0 / Math.sqrt(in), out, in));
    w.put(name + ".bias", normal(r, 0.1, out));
  }

  private static void layerNorm(Map<String, FloatTensor> w, Random r, String name) {
    float[] gamma = new float[HIDDEN];
    for (int i = 0; i < HIDDEN; i++) {
      gamma[i] = (float) (1 + 0.1 * r.nextGaussian());
    }
    w.put(name + ".weight", new FloatTensor(new int[] {HIDDEN}, gamma));
    w.put(name + ".bias", normal(r, 0.1, HIDDEN));
  }

  private static FloatTensor normal(Random r, double std, int... shape) {
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
