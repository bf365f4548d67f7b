package dev.flotilla.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chart's tenant boundaries: the operator's narrow RBAC, the user roles aggregated into view
 * and edit, the NetworkPolicies of the operator and of trainer and aggregator pods, and the
 * admission policy passed to the operator.
 */
class ChartSecurityTest {

  /** Every "group/resource verb" granted by {@code role}. */
  private static Set<String> grants(Map<String, Object> role) {
    Set<String> grants = new TreeSet<>();
    for (Object item : Yaml.list(role, "rules")) {
      Map<String, Object> rule = Yaml.asMap(item);
      for (Object group : Yaml.list(rule, "apiGroups")) {
        for (Object resource : Yaml.list(rule, "resources")) {
          for (Object verb : Yaml.list(rule, "verbs")) {
            grants.add(group + "/" + resource + " " + verb);
          }
        }
      }
    }
    return grants;
  }

  private static Map<String, Object> named(
      List<Map<String, Object>> docs, String kind, String name) {
    return docs.stream()
        .filter(d -> kind.equals(d.get("kind")) && name.equals(Yaml.at(d, "metadata.name")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + "/" + name + " rendered"));
  }

  @Test
  void theOperatorsRulesAreExactlyWhatItCalls() {
    Map<String, Object> role = named(Helm.render(List.of(), Map.of()), "ClusterRole", "flotilla");

    assertThat(grants(role))
        .containsExactlyInAnyOrder(
            "flotilla.dev/federations get",
            "flotilla.dev/federations list",
            "flotilla.dev/federations watch",
            "flotilla.dev/clientpools get",
            "flotilla.dev/clientpools list",
            "flotilla.dev/clientpools watch",
            "flotilla.dev/federations/status get",
            "flotilla.dev/federations/status patch",
            "flotilla.dev/federations/status update",
            "flotilla.dev/clientpools/status get",
            "flotilla.dev/clientpools/status patch",
            "flotilla.dev/clientpools/status update",
            // Owner references with blockOwnerDeletion to the Federation.
            "flotilla.dev/federations/finalizers update",
            "batch/jobs get",
            "batch/jobs list",
            "batch/jobs watch",
            "batch/jobs create",
            "batch/jobs delete",
            "/events create",
            "/events patch",
            // Storage Secrets read by name; grant Secrets created and cleaned up; never listed.
            "/secrets get",
            "/secrets create",
            "/secrets patch");
  }

  @Test
  void namespacedModeGrantsNothingClusterWide() {
    List<Map<String, Object>> docs =
        Helm.render(ChartScenarios.values("namespaced-values.yaml"), Map.of());

    assertThat(ChartScenarios.kinds(docs)).doesNotContain("ClusterRole", "ClusterRoleBinding");
    assertThat(grants(named(docs, "Role", "flotilla")))
        .isEqualTo(grants(named(Helm.render(List.of(), Map.of()), "ClusterRole", "flotilla")));
  }

  @Test
  void usersGetViewAndEditRolesAggregatedIntoTheBuiltInOnes() {
    List<Map<String, Object>> docs = Helm.render(List.of(), Map.of());
    Map<String, Object> view = named(docs, "ClusterRole", "flotilla-view");
    Map<String, Object> edit = named(docs, "ClusterRole", "flotilla-edit");

    assertThat(Yaml.map(view, "metadata.labels"))
        .containsEntry("rbac.authorization.k8s.io/aggregate-to-view", "true");
    assertThat(grants(view))
        .allSatisfy(g -> assertThat(g).matches("flotilla\\.dev/.* (get|list|watch)"))
        .contains("flotilla.dev/federations list", "flotilla.dev/clientpools/status get");
    assertThat(Yaml.map(edit, "metadata.labels"))
        .containsEntry("rbac.authorization.k8s.io/aggregate-to-edit", "true")
        .doesNotContainKey("rbac.authorization.k8s.io/aggregate-to-view");
    assertThat(grants(edit))
        .contains("flotilla.dev/federations create", "flotilla.dev/clientpools delete")
        .noneMatch(g -> g.contains("/status"));
  }

  @Test
  void theProductionOperatorReachesTheApiServerAndTheObjectStoreOnly() {
    Map<String, Object> policy =
        named(
            Helm.render(ChartScenarios.values("production-values.yaml"), Map.of()),
            "NetworkPolicy",
            "flotilla");
    List<Map<String, Object>> egress =
        Yaml.list(policy, "spec.egress").stream().map(Yaml::asMap).toList();

    assertThat(egress)
        .anySatisfy(
            rule -> {
              assertThat(Yaml.list(rule, "to"))
                  .anySatisfy(
                      p ->
                          assertThat(NetworkPolicies.ipBlockAllows(Yaml.asMap(p), "10.0.0.1"))
                              .isTrue());
            })
        .as("egress to the object store (203.0.113.10:443)")
        .anySatisfy(
            rule -> {
              assertThat(Yaml.list(rule, "to"))
                  .anySatisfy(
                      p ->
                          assertThat(NetworkPolicies.ipBlockAllows(Yaml.asMap(p), "203.0.113.10"))
                              .isTrue());
              assertThat(Yaml.list(rule, "ports"))
                  .anySatisfy(p -> assertThat(Yaml.asMap(p)).containsEntry("port", 443));
            });
    assertMetadataServiceUnreachable(policy);
  }

  @ParameterizedTest
  @MethodSource("dev.flotilla.packaging.ChartScenarios#names")
  void workloadPoliciesAllowNoIngressAndOnlyDnsAndTheObjectStore(String scenario) {
    List<Map<String, Object>> docs = Helm.render(ChartScenarios.values(scenario), Map.of());
    List<Map<String, Object>> workloads =
        docs.stream()
            .filter(d -> "NetworkPolicy".equals(d.get("kind")))
            .filter(d -> "flotilla-workloads".equals(Yaml.at(d, "metadata.name")))
            .toList();
    for (Map<String, Object> policy : workloads) {
      assertThat(Yaml.list(policy, "spec.policyTypes"))
          .containsExactlyInAnyOrder("Ingress", "Egress");
      assertThat(Yaml.list(policy, "spec.ingress")).as("no ingress rule").isEmpty();
      List<Map<String, Object>> egress =
          Yaml.list(policy, "spec.egress").stream().map(Yaml::asMap).toList();
      assertThat(egress).hasSize(2);
      assertThat(Yaml.list(egress.get(0), "ports"))
          .extracting(p -> Yaml.asMap(p).get("port"))
          .containsOnly(53);
      assertThat(Yaml.list(egress.get(1), "to")).isNotEmpty();
      assertMetadataServiceUnreachable(policy);
    }
  }

  @Test
  void workloadPoliciesAreRenderedInEveryWatchedOrListedNamespace() {
    assertThat(workloadPolicyNamespaces("namespaced-values.yaml"))
        .containsExactlyInAnyOrder("team-a", "team-b");
    assertThat(workloadPolicyNamespaces("production-values.yaml"))
        .containsExactlyInAnyOrder("ml-team-a", "ml-team-b");
  }

  private static List<Object> workloadPolicyNamespaces(String scenario) {
    return Helm.render(ChartScenarios.values(scenario), Map.of()).stream()
        .filter(d -> "NetworkPolicy".equals(d.get("kind")))
        .filter(d -> "flotilla-workloads".equals(Yaml.at(d, "metadata.name")))
        .map(d -> Yaml.at(d, "metadata.namespace"))
        .toList();
  }

  private static void assertMetadataServiceUnreachable(Map<String, Object> policy) {
    for (Object rule : Yaml.list(policy, "spec.egress")) {
      for (Object peer : Yaml.list(Yaml.asMap(rule), "to")) {
        assertThat(NetworkPolicies.ipBlockAllows(Yaml.asMap(peer), "169.254.169.254"))
            .as(Yaml.id(policy) + " egress to the metadata service")
            .isFalse();
      }
    }
  }

  @Test
  void thePolicyValuesReachTheOperator() {
    Map<String, String> production =
        ChartScenarios.operatorEnv(
            Helm.render(ChartScenarios.values("production-values.yaml"), Map.of()));
    Map<String, String> defaults = ChartScenarios.operatorEnv(Helm.render(List.of(), Map.of()));

    assertThat(defaults)
        .containsEntry("FLOTILLA_POLICY_IMAGES_ALLOWED_PREFIXES", "ghcr.io/flotilla-dev/")
        .containsEntry("FLOTILLA_POLICY_STORAGE_ALLOWED_SECRET_KEYS", "accessKey,secretKey")
        .doesNotContainKeys(
            "FLOTILLA_POLICY_POOLS_ALLOWED_SERVICE_ACCOUNTS",
            "FLOTILLA_POLICY_POOLS_ALLOWED_PRIORITY_CLASSES",
            "FLOTILLA_POLICY_POOLS_ALLOWED_RUNTIME_CLASSES",
            "FLOTILLA_POLICY_POOLS_ALLOWED_ENV_SECRETS");
    assertThat(production)
        .containsEntry(
            "FLOTILLA_POLICY_IMAGES_ALLOWED_PREFIXES", "registry.example.com/ml-platform/")
        .containsEntry("FLOTILLA_POLICY_IMAGES_REQUIRE_DIGEST", "true")
        .containsEntry("FLOTILLA_POLICY_STORAGE_ALLOWED_ENDPOINTS", "s3.eu-west-1.amazonaws.com")
        .containsEntry("FLOTILLA_POLICY_STORAGE_ALLOW_PUBLIC_ENDPOINTS", "false")
        .containsEntry("FLOTILLA_POLICY_POOLS_ALLOWED_RUNTIME_CLASSES", "nvidia")
        .containsEntry("FLOTILLA_POLICY_POOLS_ALLOWED_TOLERATION_KEYS", "nvidia.com/gpu,dedicated");
  }
}
