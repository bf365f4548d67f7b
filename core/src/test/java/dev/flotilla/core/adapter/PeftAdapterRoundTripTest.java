package dev.flotilla.core.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.core.safetensors.DType;
import dev.flotilla.core.safetensors.HalfFloats;
import dev.flotilla.core.safetensors.SafetensorsReader;
import dev.flotilla.core.safetensors.TensorInfo;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeftAdapterRoundTripTest {
  @TempDir Path dir;

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = PeftAdapterRoundTripTest.class.getResourceAsStream("/peft/" + name)) {
      return in.readAllBytes();
    }
  }

  @Test
  void directoryRoundTripIsBitExact() throws IOException {
    LoraAdapter adapter = TestAdapters.bertLike(1);
    PeftAdapterWriter.write(adapter, dir);
    LoraAdapter read = PeftAdapterReader.read(dir);
    assertThat(read).isEqualTo(adapter);
    assertThat(read.modules().get(TestAdapters.Q1).rank()).isEqualTo(4);
    assertThat(read.scaling(TestAdapters.Q1)).isEqualTo(4.0);
  }

  @Test
  void writesPeftTensorNamesAndShapes() throws IOException {
    PeftAdapterWriter.write(TestAdapters.bertLike(1), dir);
    try (SafetensorsReader reader = SafetensorsReader.open(dir.resolve(PeftNames.WEIGHTS_FILE))) {
      assertThat(reader.metadata()).isEqualTo(Map.of("format", "pt"));
      assertThat(reader.tensors())
          .extracting(TensorInfo::name)
          .containsExactly(
              "base_model.model.bert.encoder.layer.0.attention.self.query.lora_A.weight",
              "base_model.model.bert.encoder.layer.0.attention.self.query.lora_B.weight",
              "base_model.model.bert.encoder.layer.0.attention.self.value.lora_A.weight",
              "base_model.model.bert.encoder.layer.0.attention.self.value.lora_B.weight",
              "base_model.model.bert.encoder.layer.1.attention.self.query.lora_A.weight",
              "base_model.model.bert.encoder.layer.1.attention.self.query.lora_B.weight",
              "base_model.model.classifier.bias",
              "base_model.model.classifier.weight");
      assertThat(reader.info(PeftNames.loraA(TestAdapters.Q1)).shape()).containsExactly(4, 16);
      assertThat(reader.info(PeftNames.loraB(TestAdapters.Q1)).shape()).containsExactly(16, 4);
    }
  }

  @Test
  void configIsWhatPythonJsonDumpsWouldWrite() throws IOException {
    PeftAdapterWriter.write(TestAdapters.bertLike(1), dir);
    // Expected bytes produced by json.dumps(config, indent=2, sort_keys=True), as PEFT saves.
    assertThat(Files.readAllBytes(dir.resolve(PeftNames.CONFIG_FILE)))
        .isEqualTo(resource("flotilla_written_adapter_config.json"));
    PeftAdapterConfig config =
        PeftAdapterConfig.parse(Files.readAllBytes(dir.resolve(PeftNames.CONFIG_FILE)), "cfg");
    assertThat(config.r()).isEqualTo(8);
    assertThat(config.rankPattern()).isEqualTo(Map.of(TestAdapters.Q1, 4));
    assertThat(config.loraAlpha()).isEqualTo(16.0);
    assertThat(config.loraDropout()).isEqualTo(0.1);
    assertThat(config.taskType()).isEqualTo(TaskType.SEQ_CLS);
    assertThat(config.modulesToSave()).containsExactly("classifier");
  }

  @Test
  void outputIsDeterministic() throws IOException {
    Path first = dir.resolve("one");
    Path second = dir.resolve("two");
    PeftAdapterWriter.write(TestAdapters.bertLike(5), first);
    PeftAdapterWriter.write(TestAdapters.bertLike(5), second);
    for (String file : new String[] {PeftNames.WEIGHTS_FILE, PeftNames.CONFIG_FILE}) {
      assertThat(Files.readAllBytes(first.resolve(file)))
          .isEqualTo(Files.readAllBytes(second.resolve(file)));
    }
    ByteArrayOutputStream streamed = new ByteArrayOutputStream();
    PeftAdapterWriter.writeWeights(TestAdapters.bertLike(5), streamed, DType.F32);
    assertThat(streamed.toByteArray())
        .isEqualTo(Files.readAllBytes(first.resolve(PeftNames.WEIGHTS_FILE)));
  }

  @Test
  void streamRoundTripMatchesDirectory() throws IOException {
    LoraAdapter adapter = TestAdapters.bertLike(2);
    ByteArrayOutputStream weights = new ByteArrayOutputStream();
    ByteArrayOutputStream config = new ByteArrayOutputStream();
    PeftAdapterWriter.writeWeights(adapter, weights, DType.F32);
    PeftAdapterWriter.writeConfig(adapter, config);
    LoraAdapter read =
        PeftAdapterReader.read(
            new ByteArrayInputStream(config.toByteArray()),
            "cfg",
            new ByteArrayInputStream(weights.toByteArray()),
            weights.size(),
            "weights");
    assertThat(read).isEqualTo(adapter);
  }

  @Test
  void bf16WeightsReadBackAsTheirRoundedValues() throws IOException {
    LoraAdapter adapter = TestAdapters.bertLike(3);
    PeftAdapterWriter.write(adapter, dir, DType.BF16);
    LoraAdapter read = PeftAdapterReader.read(dir);
    float[] original = adapter.modules().get(TestAdapters.Q0).a().data();
    float[] stored = read.modules().get(TestAdapters.Q0).a().data();
    for (int i = 0; i < original.length; i++) {
      assertThat(stored[i]).isEqualTo(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(original[i])));
    }
    try (SafetensorsReader reader = SafetensorsReader.open(dir.resolve(PeftNames.WEIGHTS_FILE))) {
      assertThat(reader.tensors()).allSatisfy(t -> assertThat(t.dtype()).isEqualTo(DType.BF16));
      long elements = reader.tensors().stream().mapToLong(TensorInfo::elementCount).sum();
      assertThat(reader.header().bufferEnd()).isEqualTo(2 * elements);
    }
  }

  @Test
  void readsAnAdapterConfigExactlyAsPeftWritesIt() throws IOException {
    PeftAdapterConfig config =
        PeftAdapterConfig.parse(resource("peft_written_adapter_config.json"), "peft.json");
    assertThat(config.r()).isEqualTo(8);
    assertThat(config.loraAlpha()).isEqualTo(16.0);
    assertThat(config.loraDropout()).isEqualTo(0.1);
    assertThat(config.targetModules()).containsExactly("value", "query");
    assertThat(config.modulesToSave()).containsExactly("classifier", "score");
    assertThat(config.taskType()).isEqualTo(TaskType.SEQ_CLS);
    assertThat(config.baseModel()).isEqualTo("bert-base-uncased");
    // PEFT matches rank_pattern keys as dotted suffixes (regex "(.*\.)?(key)$").
    assertThat(config.rankOf(TestAdapters.Q1)).isEqualTo(4);
    assertThat(config.rankOf("bert.encoder.layer.11.attention.self.query")).isEqualTo(8);
    assertThat(config.rankOf("bert.encoder.layer.1.attention.self.query_x")).isEqualTo(8);
    assertThat(config.rankOf(TestAdapters.Q0)).isEqualTo(8);

    // The same tensors PEFT would save for it load into an adapter.
    LoraAdapter written = TestAdapters.bertLike(4);
    LoraAdapter read =
        PeftAdapterReader.assemble(config, PeftAdapterWriter.stateDict(written), "weights");
    assertThat(read.modules()).isEqualTo(written.modules());
    assertThat(read.extraTensors()).isEqualTo(written.extraTensors());
  }

  @Test
  void rankPatternStaysUnambiguousForNestedModuleNames() throws IOException {
    Random random = new Random(11);
    Map<String, LoraModule> modules = new TreeMap<>();
    for (String name : new String[] {"a.dense", "b.dense", "pooler.encoder.dense"}) {
      modules.put(name, TestAdapters.module(random, name, 8, 6, 6));
    }
    modules.put("encoder.dense", TestAdapters.module(random, "encoder.dense", 4, 6, 6));
    LoraAdapter adapter =
        new LoraAdapter(
            null, TaskType.CAUSAL_LM, 8, 0, List.of("dense"), modules, List.of(), Map.of());
    PeftAdapterConfig config = PeftAdapterConfig.of(adapter);
    assertThat(config.r()).isEqualTo(8);
    // "encoder.dense" alone would also match "pooler.encoder.dense" as a dotted suffix.
    assertThat(config.rankPattern().keySet())
        .containsExactly("pooler.encoder.dense", "encoder.dense");
    PeftAdapterWriter.write(adapter, dir);
    assertThat(PeftAdapterReader.read(dir)).isEqualTo(adapter);
  }

  @Test
  void rankPatternEscapesDotsWhenAWildcardWouldPickTheWrongEntry() throws IOException {
    Random random = new Random(12);
    Map<String, LoraModule> modules = new TreeMap<>();
    modules.put("x.a.b", TestAdapters.module(random, "x.a.b", 4, 6, 6)); // regex x.a.b ~ x.a_b
    for (String name : new String[] {"x.a_b", "y.b", "z.b"}) {
      modules.put(name, TestAdapters.module(random, name, 8, 6, 6));
    }
    LoraAdapter adapter =
        new LoraAdapter(
            null, TaskType.CAUSAL_LM, 8, 0, List.of("b", "a_b"), modules, List.of(), Map.of());
    PeftAdapterConfig config = PeftAdapterConfig.of(adapter);
    assertThat(config.rankPattern()).containsExactly(Map.entry("x\\.a\\.b", 4));
    for (LoraModule module : modules.values()) {
      assertThat(config.rankOf(module.name())).isEqualTo(module.rank());
    }
    PeftAdapterWriter.write(adapter, dir);
    assertThat(PeftAdapterReader.read(dir)).isEqualTo(adapter);
  }

  @Test
  void oversizedConfigStreamsAreRefused() {
    byte[] huge = new byte[PeftAdapterReader.MAX_CONFIG_BYTES + 10];
    Arrays.fill(huge, (byte) ' ');
    assertThatThrownBy(
            () ->
                PeftAdapterReader.read(
                    new ByteArrayInputStream(huge),
                    "cfg",
                    new ByteArrayInputStream(new byte[0]),
                    0,
                    "w"))
        .isInstanceOf(AdapterFormatException.class)
        .hasMessageStartingWith("cfg: larger than 1048576 bytes");
  }
}
