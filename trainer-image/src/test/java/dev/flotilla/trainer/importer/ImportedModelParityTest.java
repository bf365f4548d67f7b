package dev.flotilla.trainer.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.core.adapter.TaskType;
import dev.flotilla.model.data.BatchBuilder;
import dev.flotilla.model.data.EncodedExample;
import dev.flotilla.model.data.Example;
import dev.flotilla.model.data.ExampleEncoder;
import dev.flotilla.model.nn.BertEncoder;
import dev.flotilla.model.nn.LoraSettings;
import dev.flotilla.model.nn.ModelLoader;
import dev.flotilla.trainer.testing.MiniLm;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Imported models match an independent numpy implementation of BERT
 * (src/test/python/minilm_reference.py, float64) within 1e-4 per value, with the three sentences
 * run as one padded batch.
 */
class ImportedModelParityTest {
  @Test
  void lastHiddenStateMatchesTheNumpyReference() throws Exception {
    assertMatchesReference(MiniLm.directory(), "/parity/minilm-l6-v2-reference.json");
  }

  /**
   * Google's BERT-base imported from its TensorFlow checkpoint (408 MB download, so only when
   * {@code trainer-image/import-model.sh bert-base-uncased} has been run); the tokenizer built from
   * vocab.txt must give the same ids as MiniLM's (same uncased vocabulary).
   */
  @Test
  void importedTensorFlowBertBaseMatchesTheNumpyReference() throws Exception {
    Path model =
        Path.of(
            System.getProperty("user.home"), ".cache", "flotilla", "models", "bert-base-uncased");
    assumeTrue(
        Files.isRegularFile(model.resolve("model.safetensors")),
        "run trainer-image/import-model.sh bert-base-uncased to enable");
    assertMatchesReference(model, "/parity/bert-base-uncased-reference.json");
  }

  private void assertMatchesReference(Path model, String resource) throws Exception {
    JsonNode reference;
    try (InputStream in = getClass().getResourceAsStream(resource)) {
      reference = new ObjectMapper().readTree(in);
    }
    List<Example> examples = new ArrayList<>();
    for (JsonNode sentence : reference.get("sentences")) {
      examples.add(Example.classification(sentence.get("text").asText(), 0));
    }
    List<EncodedExample> encoded;
    try (ExampleEncoder encoder = new ExampleEncoder(model, TaskType.SEQ_CLS, 128, null)) {
      encoded = encoder.encodeAll(examples);
    }
    try (NDManager root = NDManager.newBaseManager();
        BertEncoder bert =
            (BertEncoder)
                ModelLoader.load(
                    model,
                    TaskType.SEQ_CLS,
                    2,
                    new LoraSettings(4, 8, 0, List.of("query"), 1),
                    null,
                    root)) {
      NDArray hidden = bert.encode(BatchBuilder.build(root, encoded), false);
      int i = 0;
      for (JsonNode sentence : reference.get("sentences")) {
        long[] ids = encoded.get(i).ids();
        assertThat(ids)
            .as("token ids of sentence %d", i)
            .containsExactly(toLongs(sentence.get("ids")));
        NDArray tokens = hidden.get(new NDIndex("{}, :{}, :", i, ids.length));
        assertClose(
            tokens.get(0).get(new NDIndex(":8")).toFloatArray(), sentence.get("cls_first8"));
        assertClose(
            tokens.get(ids.length - 1).get(new NDIndex(":8")).toFloatArray(),
            sentence.get("last_first8"));
        assertClose(tokens.norm(new int[] {-1}).toFloatArray(), sentence.get("token_norms"));
        assertThat((double) tokens.norm().getFloat())
            .isCloseTo(sentence.get("norm").asDouble(), within(1e-3));
        i++;
      }
    }
  }

  private static long[] toLongs(JsonNode array) {
    long[] out = new long[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asLong();
    }
    return out;
  }

  private static void assertClose(float[] actual, JsonNode expected) {
    assertThat(actual).hasSize(expected.size());
    for (int i = 0; i < actual.length; i++) {
      assertThat((double) actual[i])
          .as("element %d", i)
          .isCloseTo(expected.get(i).asDouble(), within(1e-4));
    }
  }
}
