package dev.flotilla.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The Argo CD Lua health checks of examples/gitops/argocd on the cases in resources/health. */
class ArgoHealthCheckTest {
  private static final Path ARGOCD = Repo.examples().resolve("gitops/argocd");

  static Stream<Arguments> federationCases() throws IOException {
    return cases("federation");
  }

  static Stream<Arguments> clientPoolCases() throws IOException {
    return cases("clientpool");
  }

  @SuppressWarnings("unchecked")
  private static Stream<Arguments> cases(String kind) throws IOException {
    try (InputStream in =
        ArgoHealthCheckTest.class.getResourceAsStream("/health/" + kind + "-cases.yaml")) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      List<Map<String, Object>> cases =
          new org.yaml.snakeyaml.Yaml(new SafeConstructor(new LoaderOptions())).load(text);
      return cases.stream()
          .map(
              c -> Arguments.of(c.get("name"), c.get("object"), c.get("status"), c.get("message")));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("federationCases")
  void federationHealth(String name, Map<String, Object> object, String status, String message) {
    ArgoHealthCheck.Health health =
        new ArgoHealthCheck(ARGOCD.resolve("federation-health.lua")).evaluate(object);

    assertThat(health.status()).as(name).isEqualTo(status);
    assertThat(health.message()).as(name).contains(message);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clientPoolCases")
  void clientPoolHealth(String name, Map<String, Object> object, String status, String message) {
    ArgoHealthCheck.Health health =
        new ArgoHealthCheck(ARGOCD.resolve("clientpool-health.lua")).evaluate(object);

    assertThat(health.status()).as(name).isEqualTo(status);
    assertThat(health.message()).as(name).contains(message);
  }

  @Test
  void argocdConfigMapEmbedsTheLuaSourcesVerbatim() throws IOException {
    Map<String, Object> configMap = Yaml.documents(ARGOCD.resolve("argocd-cm.yaml")).get(0);
    Map<String, Object> data = Yaml.map(configMap, "data");

    assertThat(data.get("resource.customizations.health.flotilla.dev_Federation"))
        .isEqualTo(Files.readString(ARGOCD.resolve("federation-health.lua")));
    assertThat(data.get("resource.customizations.health.flotilla.dev_ClientPool"))
        .isEqualTo(Files.readString(ARGOCD.resolve("clientpool-health.lua")));
  }
}
