package dev.flotilla.model.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.core.spec.ModelArchitecture;
import dev.flotilla.model.BadInputException;
import dev.flotilla.model.testing.TinyModels;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Federation's {@code baseModel.architecture} against the model's {@code model_type}. */
class HfConfigArchitectureTest {
  @TempDir Path dir;

  @Test
  void autoAndMatchingArchitecturesUseTheModelType() throws IOException {
    Path bert = TinyModels.bert(dir.resolve("bert"), 1);
    Path distil = TinyModels.distilBert(dir.resolve("distil"), 1);
    Path qwen = TinyModels.llama(dir.resolve("qwen"), 1, true, false);

    assertThat(HfConfig.read(bert, ModelArchitecture.AUTO).family()).isEqualTo(ModelFamily.BERT);
    assertThat(HfConfig.read(distil, ModelArchitecture.BERT).family())
        .isEqualTo(ModelFamily.DISTILBERT);
    assertThat(HfConfig.read(qwen, ModelArchitecture.LLAMA).family()).isEqualTo(ModelFamily.LLAMA);
  }

  @Test
  void contradictingArchitectureIsBadInputNamingTheModelType() throws IOException {
    Path bert = TinyModels.bert(dir.resolve("bert"), 1);
    Path llama = TinyModels.llama(dir.resolve("llama"), 1, false, false);

    assertThatThrownBy(() -> HfConfig.read(bert, ModelArchitecture.LLAMA))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("model_type 'bert' is an encoder")
        .hasMessageContaining("LLAMA");
    assertThatThrownBy(() -> HfConfig.read(llama, ModelArchitecture.BERT))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("model_type 'llama' is a decoder");
  }

  @Test
  void explicitArchitectureLoadsAnUnknownModelTypeWithThatLayout() throws IOException {
    Path llama = TinyModels.llama(dir.resolve("llama"), 1, false, false);
    ObjectMapper json = new ObjectMapper();
    ObjectNode config = (ObjectNode) json.readTree(llama.resolve("config.json").toFile());
    config.put("model_type", "my-llama-variant");
    json.writeValue(llama.resolve("config.json").toFile(), config);

    assertThatThrownBy(() -> HfConfig.read(llama, ModelArchitecture.AUTO))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("model_type 'my-llama-variant' is not supported");
    HfConfig explicit = HfConfig.read(llama, ModelArchitecture.LLAMA);
    assertThat(explicit.family()).isEqualTo(ModelFamily.LLAMA);
    assertThat(explicit.decoder().vocabSize()).isEqualTo(config.get("vocab_size").asInt());
  }
}
