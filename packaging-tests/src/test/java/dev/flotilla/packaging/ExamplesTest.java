package dev.flotilla.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every example manifest is a valid Kubernetes object whose pods pass restricted Pod Security. */
class ExamplesTest {

  @Test
  void everyYamlFileParses() {
    assertThat(Examples.yamlFiles()).hasSizeGreaterThanOrEqualTo(10);
    for (Path file : Examples.yamlFiles()) {
      assertThat(Yaml.documents(file)).as(file.toString()).isNotEmpty();
    }
  }

  @Test
  void builtInAndGitOpsObjectsMatchTheirSchemas() {
    List<KubeSchemas.Report> reports = KubeSchemas.validate(Examples.manifestFiles());

    assertThat(reports).extracting(KubeSchemas.Report::kind).contains("Deployment", "Application");
    assertThat(reports)
        .filteredOn(r -> !r.apiVersion().startsWith("flotilla.dev/"))
        .allSatisfy(r -> assertThat(r.result()).as(r.describe()).isEqualTo("valid"));
  }

  @Test
  void everyPodTemplateMeetsTheRestrictedPodSecurityStandard() {
    List<Map<String, Object>> workloads =
        Examples.objects().stream().filter(o -> PodSecurityRestricted.podSpec(o) != null).toList();

    assertThat(workloads).extracting(Yaml::id).contains("Deployment/minio");
    for (Map<String, Object> workload : workloads) {
      assertThat(PodSecurityRestricted.violations(PodSecurityRestricted.podSpec(workload)))
          .as(Yaml.id(workload))
          .isEmpty();
    }
  }

  @Test
  void exampleNamespaceEnforcesRestrictedPodSecurity() {
    Map<String, Object> namespace = Examples.object("namespace.yaml", "Namespace", "flotilla-demo");

    assertThat(Yaml.map(namespace, "metadata.labels"))
        .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
  }

  @Test
  void heterogeneousFederationUsesTheExampleObjectStoreAndItsPools() {
    Map<String, Object> federation =
        Examples.object("heterogeneous/federation.yaml", "Federation", "sentiment");
    Map<String, Object> service = Examples.object("object-store/minio.yaml", "Service", "minio");
    String namespace = (String) Yaml.at(federation, "metadata.namespace");
    Object port = Yaml.at(Yaml.asMap(Yaml.list(service, "spec.ports").get(0)), "port");

    assertThat(Yaml.at(federation, "spec.storage.endpoint"))
        .isEqualTo("http://minio." + Yaml.at(service, "metadata.namespace") + ".svc:" + port);
    Map<String, Object> selector = Yaml.map(federation, "spec.clientPools.matchLabels");
    List<Object> selected =
        Examples.objects("heterogeneous/clientpools.yaml").stream()
            .filter(p -> Yaml.map(p, "metadata.labels").entrySet().containsAll(selector.entrySet()))
            .filter(p -> namespace.equals(Yaml.at(p, "metadata.namespace")))
            .map(p -> Yaml.at(p, "metadata.name"))
            .toList();
    assertThat(selected).containsExactlyInAnyOrder("a100", "t4", "cpu");
    int maxRank =
        Examples.objects("heterogeneous/clientpools.yaml").stream()
            .mapToInt(p -> (Integer) Yaml.at(p, "spec.rank"))
            .max()
            .orElseThrow();
    assertThat((Integer) Yaml.at(federation, "spec.aggregation.globalRank"))
        .as("FlexLoRA's global rank holds the largest client rank")
        .isGreaterThanOrEqualTo(maxRank);
  }

  @Test
  void poolsRunTheCudaTrainerOnGpusAndTheCpuTrainerElsewhere() {
    List<Map<String, Object>> pools = new ArrayList<>();
    pools.addAll(Examples.objects("heterogeneous/clientpools.yaml"));
    pools.addAll(Examples.objects("gpu/clientpools.yaml"));

    assertThat(pools).hasSize(6);
    for (Map<String, Object> pool : pools) {
      Object limits = Yaml.at(pool, "spec.resources.limits");
      boolean gpu =
          limits instanceof Map<?, ?> map
              && map.keySet().stream().anyMatch(k -> k.toString().startsWith("nvidia.com/"));
      String image = (String) Yaml.at(pool, "spec.image");
      assertThat(image)
          .as(Yaml.id(pool))
          .contains(gpu ? "/flotilla-trainer-cuda:" : "/flotilla-trainer:");
    }
  }

  @Test
  void kustomizationsReferenceExistingFiles() {
    List<Path> kustomizations =
        Examples.yamlFiles().stream().filter(Examples::isKustomization).toList();

    assertThat(kustomizations).isNotEmpty();
    for (Path kustomization : kustomizations) {
      for (Object resource : Yaml.list(Yaml.documents(kustomization).get(0), "resources")) {
        Path file = kustomization.resolveSibling(resource.toString()).normalize();
        assertThat(file).as(kustomization + " resource " + resource).isRegularFile();
        assertThat(file)
            .as("kustomize loads no file outside the kustomization's directory")
            .startsWith(kustomization.getParent());
      }
    }
  }

  @Test
  void gitOpsSourcesPointAtPathsOfThisRepository() {
    for (Map<String, Object> app : Examples.objects("gitops/argocd/application.yaml")) {
      Path path = Repo.root().resolve((String) Yaml.at(app, "spec.source.path"));
      assertThat(path).as(Yaml.id(app)).isDirectory();
    }
    Map<String, Object> release =
        Examples.object("gitops/flux/flotilla.yaml", "HelmRelease", "flotilla");
    assertThat(Repo.root().resolve((String) Yaml.at(release, "spec.chart.spec.chart")))
        .isDirectory();
    assertThat(Yaml.at(release, "spec.upgrade.crds")).isEqualTo("CreateReplace");
    Map<String, Object> kustomization =
        Examples.object("gitops/flux/flotilla.yaml", "Kustomization", "flotilla-demo");
    assertThat(Repo.root().resolve((String) Yaml.at(kustomization, "spec.path")))
        .isDirectoryContaining("glob:**/kustomization.yaml");
  }

  @Test
  void bothGitOpsDemosApplyTheExampleKustomization() {
    Map<String, Object> argo =
        Examples.object("gitops/argocd/application.yaml", "Application", "flotilla-demo");
    Map<String, Object> flux =
        Examples.object("gitops/flux/flotilla.yaml", "Kustomization", "flotilla-demo");
    Path kustomization = Repo.examples().resolve("kustomization.yaml");

    assertThat(Repo.root().resolve((String) Yaml.at(argo, "spec.source.path")).normalize())
        .isEqualTo(Repo.examples());
    assertThat(Repo.root().resolve((String) Yaml.at(flux, "spec.path")).normalize())
        .isEqualTo(Repo.examples());
    List<Map<String, Object>> built =
        Yaml.documents(
            Tools.run(Repo.examples(), Tools.kubectl(), "kustomize", ".").stdoutOrFail());
    assertThat(built)
        .extracting(Yaml::id)
        .containsExactlyInAnyOrder(
            "Namespace/flotilla-demo",
            "PersistentVolumeClaim/minio-data",
            "Deployment/minio",
            "Service/minio",
            "ClientPool/a100",
            "ClientPool/t4",
            "ClientPool/cpu",
            "Federation/sentiment");
  }

  @Test
  void noExampleCommitsASecretAndGitOpsPinsARevision() throws IOException {
    assertThat(Examples.objects()).extracting(o -> o.get("kind")).doesNotContain("Secret");
    try (Stream<Path> files = Files.walk(Repo.examples())) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        assertThat(Files.readString(file))
            .as(file + " holds no credential")
            .doesNotContain("stringData:")
            .doesNotContain("change-me");
      }
    }
    for (Map<String, Object> app : Examples.objects("gitops/argocd/application.yaml")) {
      assertThat((String) Yaml.at(app, "spec.source.targetRevision"))
          .as(Yaml.id(app) + " pins a release tag or commit")
          .matches("v\\d+\\.\\d+\\.\\d+|[0-9a-f]{40}");
    }
    Map<String, Object> demo =
        Examples.object("gitops/argocd/application.yaml", "Application", "flotilla-demo");
    assertThat(Yaml.at(demo, "spec.syncPolicy.automated.selfHeal")).isEqualTo(false);
    Map<String, Object> source =
        Examples.object("gitops/flux/flotilla.yaml", "GitRepository", "flotilla");
    assertThat(Yaml.map(source, "spec.ref")).containsOnlyKeys("tag");
  }

  @Test
  void flotillasObjectStoreLoginReachesOnlyTheExamplesBuckets() throws IOException {
    Map<String, Object> policy =
        Yaml.documents(Repo.examples().resolve("object-store/flotilla-policy.json")).get(0);
    List<String> actions = new ArrayList<>();
    List<String> resources = new ArrayList<>();
    for (Object item : Yaml.list(policy, "Statement")) {
      Map<String, Object> statement = Yaml.asMap(item);
      assertThat(statement.get("Effect")).isEqualTo("Allow");
      Yaml.list(statement, "Action").forEach(a -> actions.add((String) a));
      Yaml.list(statement, "Resource").forEach(r -> resources.add((String) r));
    }
    assertThat(actions)
        .containsOnly("s3:GetBucketLocation", "s3:ListBucket", "s3:GetObject", "s3:PutObject");
    Map<String, Object> federation =
        Examples.object("heterogeneous/federation.yaml", "Federation", "sentiment");
    String bucket = (String) Yaml.at(federation, "spec.storage.bucket");
    String prefix = (String) Yaml.at(federation, "spec.storage.prefix");
    assertThat(resources)
        .allMatch(r -> r.matches("arn:aws:s3:::flotilla(-models|-data)?(/.*)?"))
        .contains("arn:aws:s3:::" + bucket + "/" + prefix + "/*")
        .noneMatch(r -> r.equals("arn:aws:s3:::" + bucket + "/*"));
    assertThat(Yaml.at(federation, "spec.storage.createBucket")).isEqualTo(false);
  }
}
