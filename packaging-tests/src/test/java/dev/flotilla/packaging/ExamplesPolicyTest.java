package dev.flotilla.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.core.spec.ClientPoolSpec;
import dev.flotilla.core.spec.FederationSpec;
import dev.flotilla.operator.policy.AdmissionPolicy;
import dev.flotilla.operator.policy.EndpointRule;
import dev.flotilla.operator.policy.ImageRule;
import dev.flotilla.operator.policy.PoolRules;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The GitOps demo passes the admission policy its own chart values configure (the chart's defaults
 * plus the Argo CD Application's values): the operator would not refuse the example it deploys.
 */
class ExamplesPolicyTest {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  @SuppressWarnings("unchecked")
  private static List<String> strings(Map<String, Object> values, String path) {
    return (List<String>) (List<?>) Yaml.list(values, path);
  }

  @Test
  void theDemoFederationAndItsPoolsPassThePolicyOfItsOwnValues() {
    Map<String, Object> defaults = Yaml.documents(Repo.chart().resolve("values.yaml")).get(0);
    Map<String, Object> app =
        Yaml.map(
            Examples.object("gitops/argocd/application.yaml", "Application", "flotilla-operator"),
            "spec.source.helm.valuesObject");
    List<String> endpoints = strings(app, "policy.storage.allowedEndpoints");
    AdmissionPolicy policy =
        new AdmissionPolicy(
            new ImageRule(strings(defaults, "policy.images.allowedPrefixes"), false, Set.of()),
            new EndpointRule(endpoints, true),
            strings(defaults, "policy.storage.allowedSecretKeys"),
            new PoolRules(
                List.of(), List.of(), List.of(), List.of(), Optional.empty(), Optional.empty()));

    Map<String, Object> federation =
        Examples.object("heterogeneous/federation.yaml", "Federation", "sentiment");
    assertThat(policy.refusals(JSON.convertValue(federation.get("spec"), FederationSpec.class)))
        .isEmpty();
    for (Map<String, Object> pool : Examples.objects("heterogeneous/clientpools.yaml")) {
      assertThat(policy.refusals(JSON.convertValue(pool.get("spec"), ClientPoolSpec.class)))
          .as(Yaml.id(pool))
          .isEmpty();
    }
    // Without the listed endpoint the in-cluster MinIO is refused.
    AdmissionPolicy unlisted =
        new AdmissionPolicy(
            new ImageRule(List.of("*"), false, Set.of()),
            new EndpointRule(List.of(), true),
            List.of("accessKey", "secretKey"),
            new PoolRules(
                List.of(), List.of(), List.of(), List.of(), Optional.empty(), Optional.empty()));
    assertThat(unlisted.refusals(JSON.convertValue(federation.get("spec"), FederationSpec.class)))
        .singleElement()
        .asString()
        .contains("spec.storage.endpoint", "cluster-internal");
  }

  @Test
  void theGpuPoolsNeedTheNvidiaRuntimeClassAllowedAsDeployMdSays() {
    ImageRule images = new ImageRule(List.of("ghcr.io/flotilla-dev/"), false, Set.of());
    EndpointRule endpoints = new EndpointRule(List.of(), true);
    AdmissionPolicy allowing =
        new AdmissionPolicy(
            images,
            endpoints,
            List.of("accessKey", "secretKey"),
            new PoolRules(
                List.of(),
                List.of(),
                List.of("nvidia"),
                List.of(),
                Optional.empty(),
                Optional.empty()));
    AdmissionPolicy defaults =
        new AdmissionPolicy(
            images,
            endpoints,
            List.of("accessKey", "secretKey"),
            new PoolRules(
                List.of(), List.of(), List.of(), List.of(), Optional.empty(), Optional.empty()));

    for (Map<String, Object> pool : Examples.objects("gpu/clientpools.yaml")) {
      ClientPoolSpec spec = JSON.convertValue(pool.get("spec"), ClientPoolSpec.class);
      assertThat(allowing.refusals(spec)).as(Yaml.id(pool)).isEmpty();
      assertThat(defaults.refusals(spec))
          .as(Yaml.id(pool))
          .singleElement()
          .asString()
          .startsWith("spec.runtimeClassName 'nvidia' is not allowed");
    }
  }
}
