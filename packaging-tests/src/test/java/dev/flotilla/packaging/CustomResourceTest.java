package dev.flotilla.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.local.spec.CrdCatalog;
import dev.flotilla.local.spec.ManifestException;
import dev.flotilla.local.spec.ManifestLoader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every Flotilla custom resource under examples/ passes the generated CRDs of crds/ as the API
 * server would check it (structural schema, unknown fields, CEL rules), and the chart ships exactly
 * those CRDs.
 */
class CustomResourceTest {
  private static final ManifestLoader LOADER = new ManifestLoader(CrdCatalog.bundled());

  private static List<String> crdFileNames(Path dir) throws IOException {
    assertThat(dir).as("CRD directory").isDirectory();
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".yml"))
          .sorted()
          .toList();
    }
  }

  @Test
  void chartCrdsAreTheGeneratedCrds() throws IOException {
    List<String> names = crdFileNames(Repo.crds());

    assertThat(names)
        .contains("federations.flotilla.dev-v1.yml", "clientpools.flotilla.dev-v1.yml");
    assertThat(crdFileNames(Repo.chart().resolve("crds"))).isEqualTo(names);
    for (String name : names) {
      assertThat(Repo.chart().resolve("crds").resolve(name))
          .as("charts/flotilla/crds/" + name)
          .hasSameBinaryContentAs(Repo.crds().resolve(name));
    }
  }

  @Test
  void theValidatorUsesTheCrdsOfThisCheckout() throws IOException {
    for (String name : crdFileNames(Repo.crds())) {
      try (InputStream bundled = CrdCatalog.class.getResourceAsStream("/crds/" + name)) {
        assertThat(bundled).as("CRD " + name + " bundled in flotilla-local").isNotNull();
        assertThat(bundled.readAllBytes())
            .as("bundled " + name + " (rebuild the local module)")
            .isEqualTo(Files.readAllBytes(Repo.crds().resolve(name)));
      }
    }
  }

  @Test
  void everyExampleCustomResourceIsValid() {
    Map<Path, List<Map<String, Object>>> byFile = new LinkedHashMap<>();
    for (Path file : Examples.manifestFiles()) {
      List<Map<String, Object>> resources =
          Yaml.documents(file).stream().filter(Examples::isFlotilla).toList();
      if (!resources.isEmpty()) {
        byFile.put(file, resources);
      }
    }
    List<String> kinds = new ArrayList<>();
    byFile.forEach(
        (file, resources) -> {
          try {
            LOADER
                .parse(file.toString(), dumpAll(resources))
                .forEach(r -> kinds.add(r.kind() + "/" + r.name()));
          } catch (ManifestException e) {
            throw new AssertionError(e.getMessage(), e);
          }
        });

    assertThat(kinds)
        .contains(
            "Federation/sentiment",
            "ClientPool/a100",
            "ClientPool/t4",
            "ClientPool/cpu",
            "ClientPool/a100-mig-1g",
            "ClientPool/t4-shared");
  }

  @Test
  void theCrdsRejectBrokenVariantsOfTheExamples() {
    Map<String, Object> pool =
        Examples.object("heterogeneous/clientpools.yaml", "ClientPool", "a100");

    assertRejected(with(pool, "spec.rank", 0), "spec.rank");
    assertRejected(with(pool, "spec.gpus", 1), "gpus");
    assertRejected(with(pool, "spec.image", "ghcr.io/Flotilla/trainer:1"), "spec.image");
    assertRejected(
        with(pool, "spec.clients.list", List.of(Map.of("id", "x", "dataUri", "s3://b/x.jsonl"))),
        "set exactly one of list and count");
    Map<String, Object> federation =
        Examples.object("heterogeneous/federation.yaml", "Federation", "sentiment");
    assertRejected(
        with(federation, "spec.aggregation.strategy", "AVERAGE"), "spec.aggregation.strategy");
    assertRejected(
        with(federation, "spec.sampling.clientsPerRound", 2),
        "set exactly one of clientsPerRound and fraction");
  }

  private static void assertRejected(Map<String, Object> resource, String expected) {
    assertThatThrownBy(() -> LOADER.parse("variant", Yaml.dump(resource)))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining(expected);
  }

  /** A deep copy of {@code resource} with the value at a dotted path replaced. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> with(Map<String, Object> resource, String path, Object value) {
    Map<String, Object> copy = (Map<String, Object>) Yaml.documents(Yaml.dump(resource)).get(0);
    String[] keys = path.split("\\.");
    Map<String, Object> parent = copy;
    for (int i = 0; i < keys.length - 1; i++) {
      parent = (Map<String, Object>) parent.get(keys[i]);
    }
    parent.put(keys[keys.length - 1], value);
    return copy;
  }

  private static String dumpAll(List<Map<String, Object>> resources) {
    StringBuilder out = new StringBuilder();
    resources.forEach(r -> out.append("---\n").append(Yaml.dump(r)));
    return out.toString();
  }
}
