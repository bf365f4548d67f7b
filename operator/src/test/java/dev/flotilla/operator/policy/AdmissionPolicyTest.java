package dev.flotilla.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.core.spec.ClientPoolSpec;
import dev.flotilla.core.spec.FederationSpec;
import dev.flotilla.operator.api.v1alpha1.Federation;
import dev.flotilla.operator.reconciler.InvalidSpecException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The policy over a whole Federation and its pools: secretRef keys, endpoints, images. */
class AdmissionPolicyTest {
  private static final AdmissionPolicy POLICY =
      new AdmissionPolicy(
          new ImageRule(List.of("ghcr.io/flotilla-dev/"), false, Set.of()),
          new EndpointRule(List.of("minio.storage.svc"), true),
          List.of("accessKey", "secretKey"),
          new PoolRules(
              List.of(), List.of(), List.of(), List.of(), Optional.empty(), Optional.empty()));

  private static FederationSpec federation(String storage) {
    return Serialization.unmarshal(
        "images: {aggregator: ghcr.io/flotilla-dev/flotilla-aggregator:0.1.0}\nstorage: " + storage,
        FederationSpec.class);
  }

  @Test
  void aFederationInsideThePolicyPasses() {
    assertThat(
            POLICY.refusals(
                federation(
                    "{endpoint: 'http://minio.storage.svc:9000', bucket: b,"
                        + " secretRef: {name: s3}}")))
        .isEmpty();
  }

  @Test
  void aSecretRefMayNameOnlyTheCredentialKeys() {
    assertThat(
            POLICY.refusals(
                federation(
                    "{bucket: b, secretRef: {name: github-app, accessKeyKey: private-key,"
                        + " secretKeyKey: secretKey}}")))
        .containsExactly(
            "spec.storage.secretRef.accessKeyKey 'private-key' is not allowed"
                + " (flotilla.policy.storage.allowed-secret-keys: [accessKey, secretKey])");
  }

  @Test
  void aPoolsDataStoreFollowsTheEndpointAndKeyRules() {
    ClientPoolSpec pool =
        Serialization.unmarshal(
            """
            rank: 2
            clients: {count: 1, dataUriTemplate: "s3://d/{index}"}
            image: docker.io/evil/trainer:1
            dataStorage:
              endpoint: http://169.254.169.254
              secretRef: {name: x, accessKeyKey: token}
            """,
            ClientPoolSpec.class);
    assertThat(POLICY.refusals(pool))
        .hasSize(3)
        .anySatisfy(m -> assertThat(m).startsWith("spec.image 'docker.io/evil/trainer:1'"))
        .anySatisfy(m -> assertThat(m).startsWith("spec.dataStorage.endpoint"))
        .anySatisfy(m -> assertThat(m).startsWith("spec.dataStorage.secretRef.accessKeyKey"));
  }

  @Test
  void checkNamesThePoolAndEveryRefusedField() {
    Federation federation = new Federation();
    federation.setSpec(federation("{endpoint: 'http://10.0.0.5', bucket: b}"));
    ClientPoolSpec pool =
        Serialization.unmarshal(
            "rank: 2\nclients: {count: 1, dataUriTemplate: \"s3://d/{index}\"}\n"
                + "serviceAccountName: admin\n",
            ClientPoolSpec.class);

    assertThatThrownBy(() -> POLICY.check(federation, Map.of("gpu", pool)))
        .isInstanceOfSatisfying(
            InvalidSpecException.class,
            e -> {
              assertThat(e.reason()).isEqualTo("PolicyViolation");
              assertThat(e.getMessage())
                  .contains("spec.storage.endpoint 'http://10.0.0.5' is a private address")
                  .contains("ClientPool gpu: spec.serviceAccountName 'admin' is not allowed");
            });
  }
}
