package dev.flotilla.model.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.core.adapter.TaskType;
import dev.flotilla.model.data.BatchBuilder;
import dev.flotilla.model.data.EncodedExample;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A tiny Qwen2-style decoder written by src/test/python/llama_reference.py (BF16, two shards, GQA,
 * q/k/v biases) gives the same next-token logits as that script's independent numpy forward pass,
 * with the two sequences run as one right-padded batch.
 */
class DecoderParityTest {
  @Test
  void logitsMatchTheNumpyReference() throws Exception {
    Path model = Path.of(getClass().getResource("/parity/tiny-qwen2").toURI());
    JsonNode reference = new ObjectMapper().readTree(model.resolve("reference.json").toFile());
    List<EncodedExample> batch = new ArrayList<>();
    for (JsonNode sequence : reference.get("ids")) {
      long[] ids = new long[sequence.size()];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = sequence.get(i).asLong();
      }
      batch.add(new EncodedExample(ids, new long[ids.length], -1, new float[ids.length]));
    }
    LoraSettings lora = new LoraSettings(2, 4, 0, List.of("q_proj"), 1);
    try (NDManager root = NDManager.newBaseManager();
        LlamaDecoder decoder =
            (LlamaDecoder) ModelLoader.load(model, TaskType.CAUSAL_LM, 0, lora, null, root)) {
      NDArray logits = decoder.logits(BatchBuilder.build(root, batch), false);
      for (int b = 0; b < batch.size(); b++) {
        JsonNode expected = reference.get("logits").get(b);
        for (int t = 0; t < expected.size(); t++) {
          float[] actual = logits.get(b).get(t).toFloatArray();
          for (int v = 0; v < actual.length; v++) {
            assertThat((double) actual[v])
                .as("sequence %d position %d token %d", b, t, v)
                .isCloseTo(expected.get(t).get(v).asDouble(), within(1e-4));
          }
        }
      }
    }
  }
}
