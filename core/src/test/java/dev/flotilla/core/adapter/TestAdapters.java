package dev.flotilla.core.adapter;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/** Small, deterministic adapters for tests (BERT-style module names). */
final class TestAdapters {
  static final String Q0 = "bert.encoder.layer.0.attention.self.query";
  static final String V0 = "bert.encoder.layer.0.attention.self.value";
  static final String Q1 = "bert.encoder.layer.1.attention.self.query";

  private TestAdapters() {}

  static FloatTensor random(Random random, int rows, int cols) {
    float[] data = new float[rows * cols];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) (random.nextGaussian() * 0.02);
    }
    return new FloatTensor(new int[] {rows, cols}, data);
  }

  static LoraModule module(Random random, String name, int rank, int in, int out) {
    return new LoraModule(name, random(random, rank, in), random(random, out, rank));
  }

  /** Ranks 8, 8 and 4 over 16-wide layers, plus a 2-class classifier head. */
  static LoraAdapter bertLike(long seed) {
    Random random = new Random(seed);
    Map<String, LoraModule> modules = new TreeMap<>();
    modules.put(Q0, module(random, Q0, 8, 16, 16));
    modules.put(V0, module(random, V0, 8, 16, 16));
    modules.put(Q1, module(random, Q1, 4, 16, 16));
    Map<String, FloatTensor> extra = new TreeMap<>();
    extra.put("classifier.weight", random(random, 2, 16));
    extra.put("classifier.bias", new FloatTensor(new int[] {2}, new float[] {0.5f, -0.25f}));
    return new LoraAdapter(
        "bert-base-uncased",
        TaskType.SEQ_CLS,
        16,
        0.1,
        List.of("query", "value"),
        modules,
        List.of("classifier"),
        extra);
  }
}
