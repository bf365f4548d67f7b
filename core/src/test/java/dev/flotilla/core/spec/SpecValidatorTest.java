package dev.flotilla.core.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SpecValidatorTest {

  static Stream<Arguments> invalidFederations() {
    return Stream.of(
        bad("spec.rounds must be >= 1", s -> s.setRounds(0)),
        bad("spec.baseModel.uri must be", s -> s.getBaseModel().setUri("http://x/y")),
        bad("spec.task.numLabels is required", s -> s.getTask().setNumLabels(null)),
        bad(
            "set exactly one of spec.sampling.clientsPerRound and spec.sampling.fraction",
            s -> s.getSampling().setFraction(0.5)),
        bad(
            "set exactly one of spec.sampling.clientsPerRound",
            s -> s.getSampling().setClientsPerRound(null)),
        bad(
            "spec.sampling.minClients (9) must not exceed spec.sampling.clientsPerRound (8)",
            s -> s.getSampling().setMinClients(9)),
        bad(
            "spec.sampling.fraction must be in (0, 1]",
            s -> {
              s.getSampling().setClientsPerRound(null);
              s.getSampling().setFraction(1.5);
            }),
        bad("spec.roundTimeout must be a duration", s -> s.setRoundTimeout("30 minutes")),
        bad("spec.aggregation.globalRank must be >= 1", s -> s.getAggregation().setGlobalRank(0)),
        bad("spec.lora.dropout must be in [0, 1)", s -> s.getLora().setDropout(1.0)),
        bad("spec.lora.targetModules", s -> s.getLora().setTargetModules(List.of())),
        bad(
            "set at most one of spec.training.epochs and spec.training.maxSteps",
            s -> s.getTraining().setMaxSteps(100)),
        bad(
            "spec.training.learningRate must be in (0, 1]",
            s -> s.getTraining().setLearningRate(0.0)),
        bad("spec.storage.bucket is not a valid bucket name", s -> s.getStorage().setBucket("A_B")),
        bad(
            "spec.storage.endpoint must be an http(s) URL",
            s -> s.getStorage().setEndpoint("minio:9000")),
        bad(
            "spec.clientPools: set exactly one of names, matchLabels and refs",
            s -> s.getClientPools().setNames(null)),
        bad(
            "spec.failurePolicy.maxFailedRounds must be >= 1",
            s -> s.getFailurePolicy().setMaxFailedRounds(0)),
        bad(
            "spec.images.trainer must be an image reference",
            s -> s.getImages().setTrainer("ghcr.io/Flotilla/trainer")),
        bad(
            "spec.images.aggregator must be an image reference",
            s -> s.getImages().setAggregator("aggregator:")),
        bad("spec.aggregation is required", s -> s.setAggregation(null)));
  }

  private static Arguments bad(String problem, Consumer<FederationSpec> edit) {
    return Arguments.of(problem, edit);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidFederations")
  void eachBrokenRuleIsReportedByFieldName(String problem, Consumer<FederationSpec> edit)
      throws IOException {
    FederationSpec spec = SpecYamlTest.specOf("federation.yaml", FederationSpec.class);
    edit.accept(spec);

    assertThat(SpecValidator.validate(spec)).anySatisfy(p -> assertThat(p).contains(problem));
  }

  static Stream<Arguments> invalidPools() {
    return Stream.of(
        Arguments.of("spec.rank must be >= 1", (Consumer<ClientPoolSpec>) p -> p.setRank(0)),
        Arguments.of(
            "spec.clients.list[1].id 'hospital-a' is listed twice",
            (Consumer<ClientPoolSpec>) p -> p.getClients().getList().get(1).setId("hospital-a")),
        Arguments.of(
            "spec.image must be an image reference",
            (Consumer<ClientPoolSpec>) p -> p.setImage("trainer image:1.0")),
        Arguments.of(
            "spec.clients.list[0].id must be",
            (Consumer<ClientPoolSpec>) p -> p.getClients().getList().get(0).setId("bad/id")),
        Arguments.of(
            "set exactly one of spec.clients.list and spec.clients.count",
            (Consumer<ClientPoolSpec>) p -> p.getClients().setCount(3)),
        Arguments.of(
            "spec.clients.dataUriTemplate is required",
            (Consumer<ClientPoolSpec>)
                p -> {
                  p.getClients().setList(null);
                  p.getClients().setCount(3);
                }),
        Arguments.of(
            "spec.env[0]: set at most one of value and valueFrom",
            (Consumer<ClientPoolSpec>)
                p -> p.getEnv().get(0).setValueFrom(p.getEnv().get(1).getValueFrom())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidPools")
  void eachBrokenPoolRuleIsReportedByFieldName(String problem, Consumer<ClientPoolSpec> edit)
      throws IOException {
    ClientPoolSpec pool = SpecYamlTest.specOf("clientpool.yaml", ClientPoolSpec.class);
    edit.accept(pool);

    assertThat(SpecValidator.validate(pool)).anySatisfy(p -> assertThat(p).contains(problem));
  }
}
