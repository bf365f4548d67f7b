package dev.flotilla.model.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.flotilla.core.adapter.LoraAdapter;
import dev.flotilla.core.adapter.TaskType;
import dev.flotilla.model.data.BatchBuilder;
import dev.flotilla.model.data.DatasetReader;
import dev.flotilla.model.data.EncodedExample;
import dev.flotilla.model.data.ExampleEncoder;
import dev.flotilla.model.testing.TinyData;
import dev.flotilla.model.testing.TinyModels;
import dev.flotilla.model.train.Trainer;
import dev.flotilla.model.train.TrainingSettings;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tiny random Llama/Qwen2 decoders stored as sharded BF16 safetensors. */
class LlamaDecoderTest {
  @TempDir static Path dir;
  static Path data;

  @BeforeAll
  static void setUp() throws Exception {
    data = TinyData.promptResponse(dir.resolve("lm.jsonl"), 48, 4);
  }

  static List<EncodedExample> encode(Path model) {
    try (ExampleEncoder encoder = new ExampleEncoder(model, TaskType.CAUSAL_LM, 32, 3L)) {
      return encoder.encodeAll(new DatasetReader(TaskType.CAUSAL_LM, 0).read(data));
    }
  }

  static LoraSettings lora() {
    return new LoraSettings(
        4,
        8,
        0.0,
        List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"),
        9);
  }

  @ParameterizedTest
  @CsvSource({"false,false", "true,false", "false,true"})
  void trainsOnResponseTokensOnly(boolean qwen, boolean tied) throws Exception {
    Path model = TinyModels.llama(dir.resolve("m-" + qwen + tied), 5, qwen, tied);
    List<EncodedExample> examples = encode(model);
    EncodedExample first = examples.get(0);
    // [CLS] question the movie was <w> [SEP] | answer yes/no one/two [SEP](eos)
    assertThat(first.scored()).containsExactly(0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1);
    try (NDManager root = NDManager.newBaseManager();
        TrainableModel decoder =
            ModelLoader.load(model, TaskType.CAUSAL_LM, 0, lora(), null, root)) {
      assertThat(decoder.adaptedLayers()).hasSize(14);
      assertThat(decoder.adaptedLayers().get(0).name())
          .isEqualTo("model.layers.0.self_attn.q_proj");
      double before = Trainer.evaluate(decoder, examples, root, 16).loss();
      new Trainer(new TrainingSettings(0, 30, 16, 3e-2, 0.1, 0.0, 1.0, 2))
          .train(decoder, examples, root, s -> {});
      double after = Trainer.evaluate(decoder, examples, root, 16).loss();
      assertThat(after).isLessThan(before * 0.6);
      LoraAdapter adapter = decoder.toAdapter("tiny-llama");
      assertThat(adapter.taskType()).isEqualTo(TaskType.CAUSAL_LM);
      assertThat(adapter.modulesToSave()).isEmpty();
      assertThat(adapter.modules().get("model.layers.1.mlp.down_proj").outFeatures()).isEqualTo(16);
      assertThat(adapter.modules().get("model.layers.1.self_attn.k_proj").outFeatures())
          .isEqualTo(8);
    }
  }

  @Test
  void isCausalPaddingInvariantAndMergeable() throws Exception {
    Path model = TinyModels.llama(dir.resolve("causal"), 6, true, false);
    List<EncodedExample> examples = encode(model);
    try (NDManager root = NDManager.newBaseManager();
        LlamaDecoder decoder =
            (LlamaDecoder) ModelLoader.load(model, TaskType.CAUSAL_LM, 0, lora(), null, root)) {
      new Trainer(new TrainingSettings(0, 5, 8, 1e-2, 0.0, 0.0, 1.0, 2))
          .train(decoder, examples, root, s -> {});
      EncodedExample e = examples.get(0);
      long[] changed = e.ids().clone();
      changed[changed.length - 1] = 7;
      EncodedExample edited = new EncodedExample(changed, e.typeIds(), -1, e.scored());
      EncodedExample longer =
          examples.stream().max((a, b) -> a.ids().length - b.ids().length).get();
      try (NDManager step = root.newSubManager()) {
        int t = e.ids().length;
        float[] base =
            decoder
                .logits(BatchBuilder.build(step, List.of(e)), false)
                .get(new NDIndex("0, :" + (t - 1)))
                .toFloatArray();
        float[] future =
            decoder
                .logits(BatchBuilder.build(step, List.of(edited)), false)
                .get(new NDIndex("0, :" + (t - 1)))
                .toFloatArray();
        assertThat(future).containsExactly(base);
        float[] padded =
            decoder
                .logits(BatchBuilder.build(step, List.of(e, longer)), false)
                .get(new NDIndex("0, :" + (t - 1)))
                .toFloatArray();
        assertClose(padded, base, 1e-5);
        float[] all = decoder.logits(BatchBuilder.build(step, List.of(e)), false).toFloatArray();
        decoder.mergeAdapters();
        float[] merged = decoder.logits(BatchBuilder.build(step, List.of(e)), false).toFloatArray();
        assertClose(merged, all, 1e-4);
      }
    }
  }

  private static void assertClose(float[] actual, float[] expected, double tolerance) {
    assertThat(actual).hasSize(expected.length);
    for (int i = 0; i < actual.length; i++) {
      assertThat((double) actual[i])
          .as("index %d of %s", i, Arrays.toString(Arrays.copyOf(expected, 4)))
          .isCloseTo(expected[i], within(tolerance));
    }
  }
}
