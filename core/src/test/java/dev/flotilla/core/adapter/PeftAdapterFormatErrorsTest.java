package dev.flotilla.core.adapter;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeftAdapterFormatErrorsTest {
  @TempDir Path dir;

  private static PeftAdapterConfig config() {
    return PeftAdapterConfig.of(TestAdapters.bertLike(1));
  }

  private static Map<String, FloatTensor> tensors() {
    return new TreeMap<>(PeftAdapterWriter.stateDict(TestAdapters.bertLike(1)));
  }

  private static void assertConfigRejected(String json, String field, String problem) {
    assertThatThrownBy(
            () -> PeftAdapterConfig.parse(json.getBytes(StandardCharsets.UTF_8), "cfg.json"))
        .isInstanceOf(AdapterFormatException.class)
        .hasMessageStartingWith(field == null ? "cfg.json: " : "cfg.json: field '" + field + "': ")
        .hasMessageContaining(problem);
  }

  @Test
  void missingTensorsAreNamed() {
    Map<String, FloatTensor> tensors = tensors();
    tensors.remove(PeftNames.loraB(TestAdapters.V0));
    assertThatThrownBy(() -> PeftAdapterReader.assemble(config(), tensors, "w.safetensors"))
        .isInstanceOf(AdapterFormatException.class)
        .hasMessage(
            "w.safetensors: tensor '"
                + PeftNames.loraB(TestAdapters.V0)
                + "': missing, but its partner "
                + PeftNames.loraA(TestAdapters.V0)
                + " is present");
  }

  @Test
  void rankMustMatchTheConfig() {
    Map<String, FloatTensor> tensors = tensors();
    Map<String, Integer> noPattern = Map.of();
    PeftAdapterConfig wrong =
        new PeftAdapterConfig(
            8,
            16,
            0.1,
            config().targetModules(),
            noPattern,
            TaskType.SEQ_CLS,
            "b",
            config().modulesToSave());
    assertThatThrownBy(() -> PeftAdapterReader.assemble(wrong, tensors, "w.safetensors"))
        .hasMessage(
            "w.safetensors: tensor '"
                + PeftNames.loraA(TestAdapters.Q1)
                + "': rank 4 differs from the rank 8 that adapter_config.json declares"
                + " (r / rank_pattern)");
  }

  @Test
  void sharedRankMustAgreeAndTensorsMustBeMatrices() {
    Map<String, FloatTensor> tensors = tensors();
    tensors.put(PeftNames.loraB(TestAdapters.Q0), FloatTensor.zeros(16, 7));
    assertThatThrownBy(() -> PeftAdapterReader.assemble(config(), tensors, "w"))
        .hasMessageStartingWith(
            "w: tensor '" + PeftNames.loraB(TestAdapters.Q0) + "': shape [16, 7] has rank 7 but");
    tensors.put(PeftNames.loraA(TestAdapters.Q0), new FloatTensor(new int[] {128}, new float[128]));
    assertThatThrownBy(() -> PeftAdapterReader.assemble(config(), tensors, "w"))
        .hasMessage(
            "w: tensor '"
                + PeftNames.loraA(TestAdapters.Q0)
                + "': must be a matrix [r, in], has shape [128]");
  }

  @Test
  void foreignTensorsAreRejected() {
    Map<String, FloatTensor> unprefixed = tensors();
    unprefixed.put("classifier.weight", FloatTensor.zeros(2, 16));
    assertThatThrownBy(() -> PeftAdapterReader.assemble(config(), unprefixed, "w"))
        .hasMessage(
            "w: tensor 'classifier.weight': PEFT tensor names start with 'base_model.model.'");
    Map<String, FloatTensor> dora = tensors();
    dora.put(
        "base_model.model." + TestAdapters.Q0 + ".lora_magnitude_vector", FloatTensor.zeros(1, 16));
    assertThatThrownBy(() -> PeftAdapterReader.assemble(config(), dora, "w"))
        .hasMessageContaining("lora_magnitude_vector': unsupported LoRA tensor");
    Map<String, FloatTensor> stray = tensors();
    stray.put("base_model.model.pooler.dense.weight", FloatTensor.zeros(16, 16));
    assertThatThrownBy(() -> PeftAdapterReader.assemble(config(), stray, "w"))
        .hasMessage(
            "w: tensor 'base_model.model.pooler.dense.weight': is neither a lora_A/lora_B weight"
                + " nor inside modules_to_save [classifier]");
    Map<String, FloatTensor> untargeted = tensors();
    String key = "bert.encoder.layer.0.output.dense";
    untargeted.put(PeftNames.loraA(key), FloatTensor.zeros(8, 16));
    untargeted.put(PeftNames.loraB(key), FloatTensor.zeros(16, 8));
    assertThatThrownBy(() -> PeftAdapterReader.assemble(config(), untargeted, "w"))
        .hasMessageContaining("is not selected by target_modules [query, value]");
    assertThatThrownBy(() -> PeftAdapterReader.assemble(config(), Map.of(), "w"))
        .hasMessage("w: holds no lora_A/lora_B tensors");
  }

  @Test
  void missingFilesAreNamed() throws IOException {
    PeftAdapterWriter.write(TestAdapters.bertLike(1), dir);
    Files.delete(dir.resolve(PeftNames.WEIGHTS_FILE));
    assertThatThrownBy(() -> PeftAdapterReader.read(dir))
        .isInstanceOf(AdapterFormatException.class)
        .hasMessageStartingWith(dir.resolve(PeftNames.WEIGHTS_FILE) + ": missing");
  }

  @Test
  void corruptWeightsNameTheFileAndTensor() throws IOException {
    PeftAdapterWriter.write(TestAdapters.bertLike(1), dir);
    Path weights = dir.resolve(PeftNames.WEIGHTS_FILE);
    byte[] bytes = Files.readAllBytes(weights);
    // Poison the last float (classifier.weight is last in the data buffer) with a NaN.
    bytes[bytes.length - 1] = (byte) 0x7F;
    bytes[bytes.length - 2] = (byte) 0xC0;
    Files.write(weights, bytes);
    assertThatThrownBy(() -> PeftAdapterReader.read(dir))
        .isInstanceOf(AdapterFormatException.class)
        .hasMessage(
            weights
                + ": tensor 'base_model.model.classifier.weight':"
                + " non-finite value NaN at element 31 (index [1, 15])");
  }

  @Test
  void unsupportedOrMalformedConfigsNameTheField() {
    assertConfigRejected("{\"peft_type\":\"IA3\",\"r\":8}", "peft_type", "must be \"LORA\"");
    assertConfigRejected(
        "{\"peft_type\":\"LORA\",\"target_modules\":[\"q\"],\"r\":0}", "r", "positive integer");
    assertConfigRejected(
        "{\"peft_type\":\"LORA\",\"target_modules\":[\"q\"],\"r\":2.5}", "r", "positive integer");
    assertConfigRejected(
        "{\"peft_type\":\"LORA\",\"target_modules\":[\"q\"],\"lora_alpha\":-1}",
        "lora_alpha",
        "positive");
    assertConfigRejected(
        "{\"peft_type\":\"LORA\",\"target_modules\":[\"q\"],\"lora_dropout\":1.5}",
        "lora_dropout",
        "[0, 1)");
    assertConfigRejected(
        "{\"peft_type\":\"LORA\",\"target_modules\":[\"q\"],\"use_dora\":true}",
        "use_dora",
        "DoRA");
    assertConfigRejected(
        "{\"peft_type\":\"LORA\",\"target_modules\":[\"q\"],\"use_rslora\":true}",
        "use_rslora",
        "rsLoRA");
    assertConfigRejected(
        "{\"peft_type\":\"LORA\",\"target_modules\":[\"q\"],\"bias\":\"all\"}", "bias", "none");
    assertConfigRejected(
        "{\"peft_type\":\"LORA\",\"target_modules\":[\"q\"],\"fan_in_fan_out\":true}",
        "fan_in_fan_out",
        "false");
    assertConfigRejected(
        "{\"peft_type\":\"LORA\",\"target_modules\":[\"q\"],\"lora_alpha\":8,\"alpha_pattern\":{\"query\":32}}",
        "alpha_pattern",
        "per-module alpha is not supported");
    assertConfigRejected(
        "{\"peft_type\":\"LORA\",\"target_modules\":\".*query\"}", "target_modules", "regex");
    assertConfigRejected(
        "{\"peft_type\":\"LORA\",\"target_modules\":[\"q\"],\"rank_pattern\":{\"query\":0}}",
        "rank_pattern",
        "positive");
    assertConfigRejected(
        "{\"peft_type\":\"LORA\",\"target_modules\":[\"q\"],\"rank_pattern\":{\"(query\":4}}",
        "rank_pattern",
        "regex");
    assertConfigRejected(
        "{\"peft_type\":\"LORA\",\"target_modules\":[\"q\"],\"task_type\":\"TOKEN_CLS\"}",
        "task_type",
        "unsupported task");
    assertConfigRejected(
        "{\"peft_type\":\"LORA\",\"target_modules\":[\"q\"],\"modules_to_save\":[1]}",
        "modules_to_save",
        "strings");
    assertConfigRejected("{\"peft_type\":\"LORA\",", null, "malformed JSON");
    assertConfigRejected("{\"peft_type\":\"LORA\"}", "target_modules", "missing or empty");
    assertConfigRejected("[]", null, "must be a JSON object");
  }

  @Test
  void writerRefusesTensorsPeftWouldNotLoad() {
    LoraAdapter adapter = TestAdapters.bertLike(1);
    Map<String, FloatTensor> extra = new TreeMap<>(adapter.extraTensors());
    extra.put("pooler.dense.weight", FloatTensor.zeros(16, 16));
    LoraAdapter stray = adapter.withWeights(adapter.modules(), extra);
    assertThatThrownBy(() -> PeftAdapterWriter.stateDict(stray))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pooler.dense.weight is not inside any of modules_to_save");
    Map<String, LoraModule> modules = new TreeMap<>(adapter.modules());
    String dense = "bert.encoder.layer.0.output.dense";
    modules.put(dense, new LoraModule(dense, FloatTensor.zeros(2, 16), FloatTensor.zeros(16, 2)));
    LoraAdapter untargeted = adapter.withWeights(modules, adapter.extraTensors());
    assertThatThrownBy(() -> PeftAdapterWriter.stateDict(untargeted))
        .hasMessage("module " + dense + " is not selected by target_modules [query, value]");
    LoraAdapter empty = adapter.withWeights(Map.of(), adapter.extraTensors());
    assertThatThrownBy(() -> PeftAdapterWriter.write(empty, dir))
        .hasMessageContaining("at least one LoRA module");
  }
}
