package dev.flotilla.core.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdapterValidatorTest {
  @TempDir Path dir;

  private final LoraAdapter global = TestAdapters.bertLike(1);
  private final AdapterExpectations expected = AdapterExpectations.matching(global);

  @Test
  void aConformingClientAdapterOfAnotherRankPasses() throws IOException {
    Random random = new Random(9);
    Map<String, LoraModule> modules = new TreeMap<>();
    for (LoraModule m : global.modules().values()) {
      modules.put(m.name(), TestAdapters.module(random, m.name(), 2, 16, 16));
    }
    LoraAdapter client = global.withWeights(modules, global.extraTensors());
    assertThat(AdapterValidator.problems(client, expected)).isEmpty();
    assertThat(AdapterValidator.problems(client, expected.withRequiredRank(2))).isEmpty();
    PeftAdapterWriter.write(client, dir);
    assertThat(AdapterValidator.readAndValidate(dir, expected.withRequiredRank(2)))
        .isEqualTo(client);
  }

  @Test
  void everyProblemIsReportedWithItsTensorOrField() {
    Random random = new Random(3);
    Map<String, LoraModule> modules = new TreeMap<>(global.modules());
    modules.remove(TestAdapters.V0); // missing module
    String extraModule = "bert.encoder.layer.5.attention.self.query";
    modules.put(extraModule, TestAdapters.module(random, extraModule, 8, 16, 16));
    modules.put(TestAdapters.Q1, TestAdapters.module(random, TestAdapters.Q1, 4, 12, 20));
    LoraModule q0 = TestAdapters.module(random, TestAdapters.Q0, 8, 16, 16);
    q0.b().data()[5] = Float.POSITIVE_INFINITY;
    modules.put(TestAdapters.Q0, q0);
    Map<String, FloatTensor> extra = new TreeMap<>();
    extra.put("classifier.weight", FloatTensor.zeros(3, 16));
    LoraAdapter client =
        new LoraAdapter(
            "roberta-base",
            TaskType.CAUSAL_LM,
            32,
            0.1,
            List.of("query"),
            modules,
            List.of("classifier"),
            extra);
    List<String> problems = AdapterValidator.problems(client, expected.withRequiredRank(8));
    assertThat(problems)
        .containsExactly(
            "field 'base_model_name_or_path': roberta-base differs from the federation's"
                + " bert-base-uncased",
            "field 'task_type': CAUSAL_LM differs from the federation's SEQ_CLS",
            "field 'lora_alpha': 32.0 differs from the federation's 16.0",
            "field 'target_modules': [query] differs from the federation's [query, value]",
            "tensor 'base_model.model."
                + TestAdapters.V0
                + ".lora_A.weight': missing: module "
                + TestAdapters.V0
                + " is expected",
            "tensor 'base_model.model."
                + TestAdapters.Q0
                + ".lora_B.weight': non-finite value Infinity at element 5",
            "tensor 'base_model.model."
                + TestAdapters.Q1
                + ".lora_A.weight': shape [4, 12] has 12 input features, the base module has 16",
            "tensor 'base_model.model."
                + TestAdapters.Q1
                + ".lora_B.weight': shape [20, 4] has 20 output features, the base module has 16",
            "tensor 'base_model.model."
                + TestAdapters.Q1
                + ".lora_A.weight': rank 4 differs from the client's assigned rank 8",
            "tensor 'base_model.model."
                + extraModule
                + ".lora_A.weight': unexpected module "
                + extraModule
                + " (not adapted by the federation)",
            "tensor 'base_model.model.classifier.bias': missing",
            "tensor 'base_model.model.classifier.weight': shape [3, 16] differs from [2, 16]");
    assertThatThrownBy(
            () -> AdapterValidator.validate(client, "s3://bucket/round-3/client-7", expected))
        .isInstanceOf(AdapterValidationException.class)
        .hasMessageStartingWith(
            "s3://bucket/round-3/client-7: 11 problems: field 'base_model_name_or_path'")
        .satisfies(e -> assertThat(((AdapterValidationException) e).problems()).hasSize(11));
  }

  @Test
  void extraTensorsAreCheckedForFiniteValues() {
    Map<String, FloatTensor> extra = new TreeMap<>(global.extraTensors());
    extra.put("classifier.bias", new FloatTensor(new int[] {2}, new float[] {0, Float.NaN}));
    LoraAdapter client = global.withWeights(global.modules(), extra);
    assertThatThrownBy(() -> AdapterValidator.validate(client, "up.safetensors", expected))
        .hasMessage(
            "up.safetensors: tensor 'base_model.model.classifier.bias': non-finite value NaN at"
                + " element 1");
  }
}
