package dev.flotilla.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The NVIDIA device-plugin configuration and the GPU ClientPools agree: every requested nvidia.com
 * resource is one the configured strategy advertises, every named device-plugin config exists, and
 * GPU pools tolerate the GPU taint and select nodes by GPU Feature Discovery labels.
 */
class GpuExamplesTest {
  private static final Pattern MIG_RESOURCE = Pattern.compile("nvidia\\.com/mig-[1-7]g\\.[0-9]+gb");

  private static Map<String, Map<String, Object>> deviceConfigs() {
    Map<String, Object> configMap =
        Examples.object("gpu/time-slicing-config.yaml", "ConfigMap", "time-slicing-config");
    Map<String, Map<String, Object>> configs = new TreeMap<>();
    Yaml.map(configMap, "data")
        .forEach((key, text) -> configs.put(key, Yaml.documents((String) text).get(0)));
    return configs;
  }

  private static List<Map<String, Object>> gpuPools() {
    return Examples.customResources().stream()
        .filter(o -> "ClientPool".equals(o.get("kind")))
        .filter(
            o ->
                Yaml.map(o, "spec.resources.limits").keySet().stream()
                    .anyMatch(k -> k.startsWith("nvidia.com/")))
        .toList();
  }

  @Test
  void deviceConfigsAreVersionOneWithValidSharing() {
    Map<String, Map<String, Object>> configs = deviceConfigs();

    assertThat(configs).containsKeys("any", "tesla-t4", "a100-mig");
    configs.forEach(
        (name, config) -> {
          assertThat(config.get("version")).as(name).isEqualTo("v1");
          assertThat(Yaml.at(config, "flags.migStrategy")).as(name).isIn("none", "single", "mixed");
          for (Object resource : Yaml.list(config, "sharing.timeSlicing.resources")) {
            Map<String, Object> r = Yaml.asMap(resource);
            assertThat(r.get("name")).as(name).isEqualTo("nvidia.com/gpu");
            assertThat((Integer) r.get("replicas")).as(name + " replicas").isGreaterThan(1);
          }
        });
  }

  @Test
  void operatorAndStandaloneValuesUseTheConfigMapAndTheMixedStrategy() {
    Map<String, Object> operator =
        Yaml.documents(Repo.examples().resolve("gpu/gpu-operator-values.yaml")).get(0);
    Map<String, Object> plugin =
        Yaml.documents(Repo.examples().resolve("gpu/device-plugin-values.yaml")).get(0);

    assertThat(Yaml.at(operator, "mig.strategy")).isEqualTo("mixed");
    assertThat(Yaml.at(operator, "devicePlugin.config.name")).isEqualTo("time-slicing-config");
    assertThat(deviceConfigs())
        .containsKey((String) Yaml.at(operator, "devicePlugin.config.default"));
    assertThat(Yaml.at(plugin, "migStrategy")).isEqualTo("mixed");
    assertThat(Yaml.at(plugin, "config.name")).isEqualTo("time-slicing-config");
    assertThat(deviceConfigs()).containsKey((String) Yaml.at(plugin, "config.default"));
  }

  @Test
  void gpuPoolsTolerateTheGpuTaintAndSelectGpuFeatureDiscoveryLabels() {
    List<Map<String, Object>> pools = gpuPools();

    assertThat(pools)
        .extracting(p -> Yaml.at(p, "metadata.name"))
        .contains("a100", "t4", "a100-mig-1g", "a100-mig-single", "t4-shared");
    for (Map<String, Object> pool : pools) {
      String name = Yaml.id(pool);
      assertThat(Yaml.list(pool, "spec.tolerations"))
          .as(name + " tolerates nvidia.com/gpu")
          .anySatisfy(t -> assertThat(Yaml.asMap(t)).containsEntry("key", "nvidia.com/gpu"));
      assertThat(Yaml.map(pool, "spec.nodeSelector"))
          .as(name)
          .containsKey("nvidia.com/gpu.product");
    }
  }

  @Test
  void migResourcesAreRequestedOnlyFromMixedStrategyNodes() {
    for (Map<String, Object> pool : gpuPools()) {
      Map<String, Object> limits = Yaml.map(pool, "spec.resources.limits");
      Map<String, Object> selector = Yaml.map(pool, "spec.nodeSelector");
      for (String resource : limits.keySet()) {
        if (resource.startsWith("nvidia.com/mig-")) {
          assertThat(resource).as(Yaml.id(pool)).matches(MIG_RESOURCE);
          assertThat(selector).as(Yaml.id(pool)).containsEntry("nvidia.com/mig.strategy", "mixed");
        } else if (resource.startsWith("nvidia.com/")) {
          assertThat(resource).as(Yaml.id(pool)).isEqualTo("nvidia.com/gpu");
        }
      }
      if ("single".equals(selector.get("nvidia.com/mig.strategy"))) {
        assertThat((String) selector.get("nvidia.com/gpu.product"))
            .as(Yaml.id(pool) + ": single strategy relabels the product with the MIG profile")
            .matches(".*-MIG-[1-7]g\\.[0-9]+gb");
      }
    }
  }

  @Test
  void timeSlicedPoolsSelectAConfigThatSharesTheirGpu() {
    Map<String, Map<String, Object>> configs = deviceConfigs();
    for (Map<String, Object> pool : gpuPools()) {
      Map<String, Object> selector = Yaml.map(pool, "spec.nodeSelector");
      Object configName = selector.get("nvidia.com/device-plugin.config");
      if (configName == null) {
        continue;
      }
      Map<String, Object> config = configs.get(configName);
      assertThat(config)
          .as(Yaml.id(pool) + " selects an existing device-plugin config")
          .isNotNull();
      boolean shared = !Yaml.list(config, "sharing.timeSlicing.resources").isEmpty();
      boolean renamed = Boolean.TRUE.equals(Yaml.at(config, "sharing.timeSlicing.renameByDefault"));
      if (shared && !renamed) {
        assertThat((String) selector.get("nvidia.com/gpu.product"))
            .as(Yaml.id(pool) + ": GFD marks time-sliced GPUs -SHARED")
            .endsWith("-SHARED");
      }
    }
  }

  @Test
  void heterogeneousPoolsUseTheRanksOfTheirHardware() {
    Map<String, Integer> ranks = new TreeMap<>();
    for (Map<String, Object> pool : Examples.objects("heterogeneous/clientpools.yaml")) {
      ranks.put((String) Yaml.at(pool, "metadata.name"), (Integer) Yaml.at(pool, "spec.rank"));
    }
    assertThat(ranks).containsExactlyInAnyOrderEntriesOf(Map.of("a100", 64, "t4", 8, "cpu", 4));
    assertThat(
            Yaml.map(
                Examples.object("heterogeneous/clientpools.yaml", "ClientPool", "cpu"),
                "spec.resources.limits"))
        .as("the CPU pool requests no GPU")
        .doesNotContainKeys("nvidia.com/gpu");
  }
}
