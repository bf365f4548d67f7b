package dev.flotilla.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Lints and renders the chart with its default and every {@code ci/*-values.yaml} file. */
class ChartTest {
  @TempDir Path temp;

  @Test
  void scenariosCoverDefaultNamespacedProductionAndPodMonitorSetups() {
    assertThat(ChartScenarios.names())
        .containsExactly(
            "default",
            "namespaced-values.yaml",
            "podmonitor-values.yaml",
            "production-values.yaml");
  }

  @ParameterizedTest
  @MethodSource("dev.flotilla.packaging.ChartScenarios#names")
  void lintsStrictly(String scenario) {
    ProcessResult lint = Helm.lint(ChartScenarios.values(scenario));
    assertThat(lint.exitCode()).as(lint.describe()).isZero();
    assertThat(lint.stdout()).contains("0 chart(s) failed").doesNotContain("[WARNING]");
  }

  @ParameterizedTest
  @MethodSource("dev.flotilla.packaging.ChartScenarios#names")
  void rendersManifestsThatMatchTheKubernetesSchemas(String scenario) throws IOException {
    Path rendered = temp.resolve("rendered.yaml");
    Files.writeString(
        rendered, Helm.template(ChartScenarios.values(scenario), Map.of()).stdoutOrFail());

    List<KubeSchemas.Report> reports = KubeSchemas.validate(List.of(rendered));

    assertThat(reports).extracting(KubeSchemas.Report::kind).contains("Deployment");
    assertThat(reports).allSatisfy(r -> assertThat(r.result()).as(r.describe()).isEqualTo("valid"));
  }

  @ParameterizedTest
  @MethodSource("dev.flotilla.packaging.ChartScenarios#names")
  void everyPodTemplateMeetsTheRestrictedPodSecurityStandard(String scenario) {
    List<Map<String, Object>> docs = Helm.render(ChartScenarios.values(scenario), Map.of());
    List<Map<String, Object>> workloads =
        docs.stream().filter(d -> PodSecurityRestricted.podSpec(d) != null).toList();

    assertThat(workloads).isNotEmpty();
    for (Map<String, Object> workload : workloads) {
      assertThat(PodSecurityRestricted.violations(PodSecurityRestricted.podSpec(workload)))
          .as(Yaml.id(workload))
          .isEmpty();
      assertThat(
              Yaml.list(PodSecurityRestricted.podSpec(workload), "containers").stream()
                  .map(c -> Yaml.at(Yaml.asMap(c), "securityContext.readOnlyRootFilesystem")))
          .as("read-only root filesystem in " + Yaml.id(workload))
          .containsOnly(true);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.flotilla.packaging.ChartScenarios#names")
  void grantsNoWildcardPermissions(String scenario) {
    for (Map<String, Object> doc : Helm.render(ChartScenarios.values(scenario), Map.of())) {
      if (List.of("Role", "ClusterRole").contains(doc.get("kind"))) {
        for (Object rule : Yaml.list(doc, "rules")) {
          Map<String, Object> r = Yaml.asMap(rule);
          assertThat(Yaml.list(r, "verbs")).as(Yaml.id(doc)).doesNotContain("*");
          assertThat(Yaml.list(r, "resources")).as(Yaml.id(doc)).doesNotContain("*");
          assertThat(Yaml.list(r, "apiGroups")).as(Yaml.id(doc)).doesNotContain("*");
        }
      }
    }
  }

  @Test
  void notesExplainTheWatchedNamespacesStorageSecretAndCrdUpgrades() {
    String all = Helm.installDryRun(List.of()).stdoutOrFail();
    String namespaced =
        Helm.installDryRun(ChartScenarios.values("namespaced-values.yaml")).stdoutOrFail();

    assertThat(all.substring(all.indexOf("NOTES:")))
        .contains("in all namespaces")
        .contains("create secret generic flotilla-storage")
        .contains("kubectl apply --server-side --force-conflicts -f flotilla/crds/")
        .contains("http://flotilla-metrics.flotilla-system.svc:8080/q/metrics");
    assertThat(namespaced.substring(namespaced.indexOf("NOTES:")))
        .contains("in: team-a, team-b")
        .contains("Federations without spec.storage.endpoint use http://minio.storage.svc:9000")
        .contains("Federations without spec.storage.secretRef use the Secret \"team-s3\"")
        .contains("of their OWN namespace")
        .contains("create secret generic team-s3")
        .contains("--from-literal=user=... --from-literal=secretKey=...");
  }

  @Test
  void defaultStorageSecretIsPassedToTheOperatorOnlyWhenNamed() {
    Map<String, String> namespaced =
        ChartScenarios.operatorEnv(
            Helm.render(ChartScenarios.values("namespaced-values.yaml"), Map.of()));
    Map<String, String> defaults = ChartScenarios.operatorEnv(Helm.render(List.of(), Map.of()));

    assertThat(namespaced)
        .containsEntry("FLOTILLA_STORAGE_DEFAULT_SECRET_NAME", "team-s3")
        .containsEntry("FLOTILLA_STORAGE_DEFAULT_SECRET_ACCESS_KEY_KEY", "user")
        .containsEntry("FLOTILLA_STORAGE_DEFAULT_SECRET_SECRET_KEY_KEY", "secretKey");
    assertThat(defaults.keySet())
        .noneMatch(name -> name.startsWith("FLOTILLA_STORAGE_DEFAULT_SECRET"));
  }

  @Test
  void watchingAllNamespacesUsesOneClusterRole() {
    List<Map<String, Object>> docs = Helm.render(List.of(), Map.of());

    assertThat(ChartScenarios.kinds(docs)).contains("ClusterRole", "ClusterRoleBinding");
    assertThat(ChartScenarios.operatorEnv(docs))
        .containsEntry("QUARKUS_OPERATOR_SDK_NAMESPACES", "JOSDK_ALL_NAMESPACES")
        .containsEntry(
            "QUARKUS_OPERATOR_SDK_CONTROLLERS_FEDERATION_NAMESPACES", "JOSDK_ALL_NAMESPACES")
        .containsEntry(
            "QUARKUS_OPERATOR_SDK_CONTROLLERS_CLIENTPOOL_NAMESPACES", "JOSDK_ALL_NAMESPACES");
    Map<String, Object> binding = ChartScenarios.only(docs, "ClusterRoleBinding");
    assertThat(Yaml.at(Yaml.asMap(Yaml.list(binding, "subjects").get(0)), "namespace"))
        .isEqualTo(Helm.NAMESPACE);
  }

  @Test
  void watchingListedNamespacesUsesARolePerNamespaceAndNothingClusterWide() {
    List<Map<String, Object>> docs =
        Helm.render(ChartScenarios.values("namespaced-values.yaml"), Map.of());

    assertThat(ChartScenarios.kinds(docs)).doesNotContain("ClusterRole", "ClusterRoleBinding");
    for (String kind : List.of("Role", "RoleBinding")) {
      assertThat(docs.stream().filter(d -> kind.equals(d.get("kind"))))
          .filteredOn(d -> "flotilla".equals(Yaml.at(d, "metadata.name")))
          .extracting(d -> Yaml.at(d, "metadata.namespace"))
          .containsExactlyInAnyOrder("team-a", "team-b");
    }
    assertThat(ChartScenarios.operatorEnv(docs))
        .containsEntry("QUARKUS_OPERATOR_SDK_NAMESPACES", "team-a,team-b")
        .containsEntry("QUARKUS_OPERATOR_SDK_CONTROLLERS_FEDERATION_NAMESPACES", "team-a,team-b")
        .containsEntry("QUARKUS_OPERATOR_SDK_CONTROLLERS_CLIENTPOOL_NAMESPACES", "team-a,team-b");
  }

  @Test
  void leaderElectionMayOnlyUpdateItsOwnLease() {
    List<Map<String, Object>> docs = Helm.render(List.of(), Map.of());
    Map<String, Object> role =
        docs.stream()
            .filter(d -> "flotilla-leader-election".equals(Yaml.at(d, "metadata.name")))
            .findFirst()
            .orElseThrow();

    assertThat(Yaml.at(role, "metadata.namespace")).isEqualTo(Helm.NAMESPACE);
    assertThat(Yaml.list(role, "rules"))
        .map(Yaml::asMap)
        .allSatisfy(
            r -> assertThat(Yaml.list(r, "apiGroups")).containsExactly("coordination.k8s.io"))
        .anySatisfy(
            r -> {
              assertThat(Yaml.list(r, "resourceNames")).containsExactly("flotilla-lease");
              assertThat(Yaml.list(r, "verbs")).containsExactlyInAnyOrder("get", "update");
            });
    assertThat(ChartScenarios.operatorEnv(docs))
        .containsEntry("FLOTILLA_LEADER_ELECTION_LEASE_NAME", "flotilla-lease");
  }

  @Test
  void passesImagesAndStorageToTheOperator() {
    Map<String, String> env =
        ChartScenarios.operatorEnv(
            Helm.render(ChartScenarios.values("production-values.yaml"), Map.of()));
    Map<String, Object> deployment =
        ChartScenarios.only(
            Helm.render(ChartScenarios.values("production-values.yaml"), Map.of()), "Deployment");

    assertThat(
            Yaml.at(
                Yaml.asMap(Yaml.list(deployment, "spec.template.spec.containers").get(0)), "image"))
        .isEqualTo(
            "registry.example.com/ml-platform/flotilla-operator@sha256:"
                + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    assertThat(env)
        .containsEntry(
            "FLOTILLA_IMAGES_TRAINER",
            "registry.example.com/ml-platform/flotilla-trainer-cuda:0.1.0")
        .containsEntry(
            "FLOTILLA_IMAGES_AGGREGATOR",
            "registry.example.com/ml-platform/flotilla-aggregator:0.1.0")
        .containsEntry("FLOTILLA_JOBS_CREATE_PARALLELISM", "32")
        .containsEntry("FLOTILLA_JOBS_CACHE_SIZE_LIMIT", "20Gi")
        .containsEntry("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=75")
        .doesNotContainKey("FLOTILLA_STORAGE_DEFAULT_ENDPOINT");
    assertThat(
            ChartScenarios.operatorEnv(
                Helm.render(ChartScenarios.values("namespaced-values.yaml"), Map.of())))
        .containsEntry("FLOTILLA_STORAGE_DEFAULT_ENDPOINT", "http://minio.storage.svc:9000")
        .containsEntry("FLOTILLA_JOBS_CREATE_PARALLELISM", "8")
        .containsEntry("FLOTILLA_JOBS_TTL_SECONDS_AFTER_FINISHED", "600");
  }

  @Test
  void defaultImageTagsAreTheChartAppVersion() throws IOException {
    String appVersion =
        (String) Yaml.documents(Repo.chart().resolve("Chart.yaml")).get(0).get("appVersion");

    assertThat(ChartScenarios.operatorEnv(Helm.render(List.of(), Map.of())))
        .containsEntry(
            "FLOTILLA_IMAGES_TRAINER", "ghcr.io/flotilla-dev/flotilla-trainer:" + appVersion)
        .containsEntry(
            "FLOTILLA_IMAGES_AGGREGATOR", "ghcr.io/flotilla-dev/flotilla-aggregator:" + appVersion);
  }

  @Test
  void probesAndMetricsUseTheQuarkusEndpoints() {
    List<Map<String, Object>> docs =
        Helm.render(ChartScenarios.values("production-values.yaml"), Map.of());
    Map<String, Object> container =
        Yaml.asMap(
            Yaml.list(ChartScenarios.only(docs, "Deployment"), "spec.template.spec.containers")
                .get(0));

    assertThat(Yaml.at(container, "livenessProbe.httpGet.path")).isEqualTo("/q/health/live");
    assertThat(Yaml.at(container, "readinessProbe.httpGet.path")).isEqualTo("/q/health/ready");
    assertThat(
            Yaml.at(
                Yaml.asMap(
                    Yaml.list(ChartScenarios.only(docs, "ServiceMonitor"), "spec.endpoints")
                        .get(0)),
                "path"))
        .isEqualTo("/q/metrics");
    assertThat(Yaml.at(ChartScenarios.only(docs, "Service"), "spec.ports"))
        .asString()
        .contains("8080");
  }
}
