package dev.flotilla.local.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The quickstart manifest against the operator's generated CRDs bundled into this jar. */
class BundledCrdValidationTest {
  private static final Path QUICKSTART = Path.of("../examples/quickstart/federation.yaml");
  private static ManifestLoader loader;
  private static String quickstart;

  @BeforeAll
  static void load() throws Exception {
    loader = new ManifestLoader(CrdCatalog.bundled());
    quickstart = Files.readString(QUICKSTART);
  }

  private static List<String> errors(String from, String to) {
    assertThat(quickstart).contains(from);
    try {
      loader.parse("federation.yaml", quickstart.replace(from, to));
    } catch (ManifestException e) {
      return e.fieldErrors();
    }
    throw new AssertionError("expected a validation error");
  }

  @Test
  void quickstartIsValidAndDefaulted() throws Exception {
    List<Resource> resources = loader.load(QUICKSTART);
    assertThat(resources)
        .extracting(Resource::kind)
        .containsExactly("Federation", "ClientPool", "ClientPool", "ClientPool");
    assertThat(resources.get(0).object().at("/spec/storage/region").asText())
        .isEqualTo("us-east-1");
    assertThat(resources.get(0).object().at("/spec/failurePolicy").isMissingNode())
        .as("like the API server, no defaults inside an absent object")
        .isTrue();
  }

  @Test
  void missingRequiredField() {
    assertThat(errors("  rounds: 3\n", "")).containsExactly("spec.rounds: Required value");
  }

  @Test
  void enumRangeAndPattern() {
    assertThat(errors("strategy: FLEXLORA", "strategy: MAGIC"))
        .containsExactly(
            "spec.aggregation.strategy: Unsupported value: \"MAGIC\": supported values:"
                + " \"FEDAVG\", \"FLEXLORA\", \"HETLORA\"");
    assertThat(errors("  rounds: 3\n", "  rounds: 0\n"))
        .containsExactly(
            "spec.rounds: Invalid value: 0: spec.rounds in body should be greater than or equal"
                + " to 1");
    assertThat(errors("roundTimeout: 30m", "roundTimeout: soon"))
        .singleElement()
        .asString()
        .startsWith("spec.roundTimeout: Invalid value: \"soon\": spec.roundTimeout in body should");
  }

  @Test
  void celRules() {
    assertThat(errors("minClients: 4", "minClients: 7"))
        .containsExactly(
            "spec.sampling: Invalid value: \"object\": minClients must not exceed clientsPerRound");
    assertThat(errors("    numLabels: 2\n", ""))
        .containsExactly(
            "spec.task: Invalid value: \"object\": numLabels is required when type is"
                + " SEQUENCE_CLASSIFICATION");
  }

  @Test
  void clientPoolErrorsNameTheirDocument() {
    assertThatThrownBy(() -> loader.parse("f.yaml", quickstart.replace("rank: 8", "rank: 0")))
        .hasMessageContaining("f.yaml (document 3): The ClientPool \"rank-8\" is invalid:")
        .hasMessageContaining("spec.rank: Invalid value: 0");
  }
}
