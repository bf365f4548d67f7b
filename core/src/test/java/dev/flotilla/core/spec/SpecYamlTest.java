package dev.flotilla.core.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpecYamlTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static <T> T specOf(String resource, Class<T> type) throws IOException {
    try (InputStream in = SpecYamlTest.class.getResourceAsStream("/examples/" + resource)) {
      JsonNode document = YAML.readTree(in);
      return YAML.treeToValue(document.get("spec"), type);
    }
  }

  @Test
  void fullFederationExampleParsesIntoEveryField() throws IOException {
    FederationSpec spec = specOf("federation.yaml", FederationSpec.class);

    assertThat(spec.getBaseModel().getArchitecture()).isEqualTo(ModelArchitecture.BERT);
    assertThat(spec.getTask().getType()).isEqualTo(TaskKind.SEQUENCE_CLASSIFICATION);
    assertThat(spec.getTask().getNumLabels()).isEqualTo(2);
    assertThat(spec.getRounds()).isEqualTo(10);
    assertThat(spec.getSampling().getClientsPerRound()).isEqualTo(8);
    assertThat(spec.getSampling().getFraction()).isNull();
    assertThat(spec.getSampling().getSeed()).isEqualTo(7L);
    assertThat(DurationStrings.parse("roundTimeout", spec.getRoundTimeout()).toMinutes())
        .isEqualTo(90);
    assertThat(spec.getAggregation().getStrategy()).isEqualTo(AggregationStrategy.FLEXLORA);
    assertThat(spec.getLora().getAlpha()).isEqualTo(32.0);
    assertThat(spec.getLora().getTargetModules()).containsExactly("query", "value");
    assertThat(spec.getTraining().epochsOrDefault()).isEqualTo(2);
    assertThat(spec.getStorage().getSecretRef().getAccessKeyKey()).isEqualTo("user");
    assertThat(spec.getStorage().getPrefix()).isEqualTo("runs/2026");
    assertThat(spec.getEvaluation().getDataUri()).endsWith("heldout.jsonl");
    assertThat(spec.getClientPools().getNames()).containsExactly("hospitals", "clinics");
    assertThat(spec.getImages().getPullPolicy()).isEqualTo("IfNotPresent");
    assertThat(spec.getFailurePolicy().getMaxFailedRounds()).isEqualTo(2);
    assertThat(SpecValidator.validate(spec)).isEmpty();
  }

  @Test
  void fullClientPoolExampleParsesIncludingFreeFormAffinity() throws IOException {
    ClientPoolSpec pool = specOf("clientpool.yaml", ClientPoolSpec.class);

    assertThat(pool.getClients().getList())
        .extracting(ClientEntry::getId)
        .containsExactly("hospital-a", "hospital-b");
    assertThat(pool.getClients().getList().get(1).getRank()).isEqualTo(8);
    assertThat(pool.getResources().getLimits()).containsEntry("nvidia.com/gpu", "1");
    assertThat(pool.getTolerations().get(0).getOperator()).isEqualTo("Exists");
    assertThat(
            pool.getAffinity()
                .at(
                    "/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution"
                        + "/nodeSelectorTerms/0/matchExpressions/0/values/0")
                .asText())
        .isEqualTo("eu-west-1a");
    assertThat(pool.getEnv().get(1).getValueFrom().getSecretKeyRef().getKey()).isEqualTo("token");
    assertThat(SpecValidator.validate(pool)).isEmpty();
  }

  @Test
  void omittedSectionsTakeTheSchemaDefaults() throws IOException {
    String yaml =
        """
        baseModel: {uri: /models/base}
        task: {type: CAUSAL_LM}
        rounds: 3
        sampling: {fraction: 0.5}
        storage: {bucket: flotilla}
        clientPools: {matchLabels: {team: nlp}}
        """;
    FederationSpec spec = YAML.readValue(yaml, FederationSpec.class);

    assertThat(spec.getRoundTimeout()).isEqualTo("30m");
    assertThat(spec.getSampling().getMinClients()).isEqualTo(1);
    assertThat(spec.getAggregation().getStrategy()).isEqualTo(AggregationStrategy.FLEXLORA);
    assertThat(spec.getAggregation().getGlobalRank()).isEqualTo(16);
    assertThat(spec.getAggregation().getWeighting()).isEqualTo(Weighting.SAMPLES);
    assertThat(spec.getLora().getTargetModules()).isEqualTo(List.of("query", "value"));
    assertThat(spec.getTraining().epochsOrDefault()).isEqualTo(1);
    assertThat(spec.getStorage().getPrefix()).isEqualTo("flotilla");
    assertThat(spec.getStorage().getPathStyle()).isTrue();
    assertThat(spec.getFailurePolicy().getMaxRoundRetries()).isEqualTo(2);
    assertThat(spec.getSuspend()).isFalse();
    assertThat(spec.getClientPools().getMatchLabels()).isEqualTo(Map.of("team", "nlp"));
    assertThat(SpecValidator.validate(spec)).isEmpty();
  }

  @Test
  void misspelledFieldIsRejectedWithItsName() {
    String yaml = "baseModel: {uri: /m}\nrounds: 1\nroundTimout: 5m\n";

    assertThatThrownBy(() -> YAML.readValue(yaml, FederationSpec.class))
        .isInstanceOf(UnrecognizedPropertyException.class)
        .hasMessageContaining("roundTimout");
  }

  @Test
  void specSurvivesJsonRoundTrip() throws IOException {
    FederationSpec spec = specOf("federation.yaml", FederationSpec.class);
    ObjectMapper json = new ObjectMapper();

    FederationSpec back = json.readValue(json.writeValueAsString(spec), FederationSpec.class);

    assertThat(back).isEqualTo(spec);
  }
}
