package dev.flotilla.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The chart matches the operator build: it grants the permissions of the RBAC generated from the
 * reconcilers (operator/target/kubernetes/kubernetes.yml) and nothing more, leaving out only the
 * listed verbs on the custom resources the operator never uses; it sets the namespaces of every
 * controller the operator declares, and every {@code FLOTILLA_*} variable it sets is an operator
 * setting.
 */
class OperatorContractTest {
  private static final Path GENERATED =
      Repo.root().resolve("operator/target/kubernetes/kubernetes.yml");

  /** Every (apiGroup, resource, resourceName, verb) granted by the rules of {@code roles}. */
  private static Set<String> grants(List<Map<String, Object>> roles) {
    Set<String> grants = new TreeSet<>();
    for (Map<String, Object> role : roles) {
      for (Object item : Yaml.list(role, "rules")) {
        Map<String, Object> rule = Yaml.asMap(item);
        List<Object> names = Yaml.list(rule, "resourceNames");
        for (Object group : Yaml.list(rule, "apiGroups")) {
          for (Object resource : Yaml.list(rule, "resources")) {
            for (Object verb : Yaml.list(rule, "verbs")) {
              grants.add(
                  group + "/" + resource + " " + verb + (names.isEmpty() ? "" : " " + names));
            }
          }
        }
      }
    }
    return grants;
  }

  private static List<Map<String, Object>> generated(String kind) {
    assertThat(GENERATED)
        .as("the operator build's manifests (build the operator module first)")
        .isRegularFile();
    return Yaml.documents(GENERATED).stream().filter(d -> kind.equals(d.get("kind"))).toList();
  }

  private static Set<String> withoutResourceNames(Set<String> grants) {
    Set<String> out = new TreeSet<>();
    grants.forEach(g -> out.add(g.replaceAll(" \\[.*]$", "")));
    return out;
  }

  /**
   * What the chart deliberately does not grant of the operator build's generated rules. QOSDK puts
   * every common verb on each controller's primary resource and its status and finalizers
   * subresources (not configurable in QOSDK 7.7); the operator only watches its custom resources,
   * writes their status and never creates, deletes or patches them; only Federations own its
   * objects (so only their finalizers need update). Nothing else may differ.
   */
  private static final Set<String> PRIMARY_GRANTS_NOT_NEEDED = primaryGrantsNotNeeded();

  private static Set<String> primaryGrantsNotNeeded() {
    Set<String> grants = new TreeSet<>();
    for (String plural : List.of("federations", "clientpools")) {
      for (String verb : List.of("create", "delete", "patch", "update")) {
        grants.add("flotilla.dev/" + plural + " " + verb);
      }
      for (String verb : List.of("list", "watch", "create", "delete")) {
        grants.add("flotilla.dev/" + plural + "/status " + verb);
      }
      for (String verb : List.of("get", "list", "watch", "patch", "create", "delete")) {
        grants.add("flotilla.dev/" + plural + "/finalizers " + verb);
      }
    }
    // Nothing the operator creates is owned by a ClientPool, and it adds no finalizer.
    grants.add("flotilla.dev/clientpools/finalizers update");
    return grants;
  }

  /** The chart's rules: within the generated ones, missing exactly the unneeded primary grants. */
  private static void assertMatchesTheGeneratedRules(Set<String> chartRules, String what) {
    Set<String> generated = grants(generated("ClusterRole"));
    assertThat(generated)
        .as("the operator build generates the RBAC from the reconcilers")
        .contains("batch/jobs create", "/secrets get", "flotilla.dev/federations/status patch");

    assertThat(chartRules)
        .as(what + " grants nothing the operator build does not declare")
        .isSubsetOf(generated);
    Set<String> missing = new TreeSet<>(generated);
    missing.removeAll(chartRules);
    assertThat(missing)
        .as(
            what
                + " grants everything the operator build declares except the unneeded verbs on"
                + " the custom resources")
        .isEqualTo(PRIMARY_GRANTS_NOT_NEEDED);
  }

  @Test
  void operatorRulesMatchTheRbacGeneratedFromTheReconcilers() {
    List<Map<String, Object>> chart = Helm.render(List.of(), Map.of());
    Set<String> chartRules =
        grants(
            chart.stream()
                .filter(d -> "ClusterRole".equals(d.get("kind")))
                .filter(d -> "flotilla".equals(Yaml.at(d, "metadata.name")))
                .toList());

    assertMatchesTheGeneratedRules(chartRules, "the ClusterRole");
  }

  @Test
  void generatedRbacHasOneClusterRolePerReconcilerAndNoWildcards() {
    assertThat(generated("ClusterRole"))
        .extracting(role -> Yaml.at(role, "metadata.name"))
        .containsExactlyInAnyOrder("federation-cluster-role", "clientpool-cluster-role");
    assertThat(grants(generated("ClusterRole"))).noneMatch(grant -> grant.contains("*"));
    assertThat(grants(generated("Role")))
        .containsExactlyInAnyOrder(
            "coordination.k8s.io/leases create",
            "coordination.k8s.io/leases get",
            "coordination.k8s.io/leases update");
  }

  @Test
  void namespacedRolesGrantTheSameRules() {
    List<Map<String, Object>> chart =
        Helm.render(ChartScenarios.values("namespaced-values.yaml"), Map.of());
    List<Map<String, Object>> roles =
        chart.stream()
            .filter(d -> "Role".equals(d.get("kind")))
            .filter(d -> !String.valueOf(Yaml.at(d, "metadata.name")).endsWith("-leader-election"))
            .toList();

    assertThat(roles).hasSize(2);
    for (Map<String, Object> role : roles) {
      assertMatchesTheGeneratedRules(grants(List.of(role)), Yaml.id(role));
    }
  }

  @Test
  void leaderElectionRoleCoversTheOperatorBuildsLeaseRole() {
    List<Map<String, Object>> chart = Helm.render(List.of(), Map.of());
    Map<String, Object> chartRole =
        chart.stream()
            .filter(d -> "flotilla-leader-election".equals(Yaml.at(d, "metadata.name")))
            .filter(d -> "Role".equals(d.get("kind")))
            .findFirst()
            .orElseThrow();

    // The chart narrows get/update to its own Lease; create cannot be narrowed by name.
    assertThat(withoutResourceNames(grants(List.of(chartRole))))
        .isEqualTo(grants(generated("Role")));
  }

  @Test
  void setsTheNamespacesOfEveryControllerTheOperatorDeclares() {
    Map<String, Object> deployment = generated("Deployment").get(0);
    Set<String> controllerVariables = new TreeSet<>();
    Pattern variable = Pattern.compile("QUARKUS_OPERATOR_SDK_CONTROLLERS_[A-Z0-9_]+_NAMESPACES");
    Matcher m = variable.matcher(Yaml.dump(deployment));
    while (m.find()) {
      controllerVariables.add(m.group());
    }

    assertThat(controllerVariables).isNotEmpty();
    assertThat(ChartScenarios.operatorEnv(Helm.render(List.of(), Map.of())).keySet())
        .containsAll(controllerVariables);
  }

  @Test
  void everyFlotillaVariableIsAnOperatorSetting() throws IOException {
    Set<String> settings =
        settings("operator/src/main/java/dev/flotilla/operator/config/OperatorConfig.java", "");
    settings.addAll(
        settings(
            "operator/src/main/java/dev/flotilla/operator/policy/PolicyConfig.java", "POLICY_"));
    assertThat(settings)
        .contains(
            "IMAGES_TRAINER", "JOBS_CREATE_PARALLELISM", "POLICY_POOLS_ALLOWED_SERVICE_ACCOUNTS");

    Set<String> chartVariables = new TreeSet<>();
    for (String scenario : ChartScenarios.names().toList()) {
      ChartScenarios.operatorEnv(Helm.render(ChartScenarios.values(scenario), Map.of()))
          .keySet()
          .stream()
          .filter(name -> name.startsWith("FLOTILLA_"))
          .forEach(name -> chartVariables.add(name.substring("FLOTILLA_".length())));
    }
    assertThat(chartVariables).isNotEmpty();
    assertThat(settings).containsAll(chartVariables);
  }

  /**
   * The environment names (without {@code FLOTILLA_}) of a config mapping's settings: its top-level
   * accessors name the groups of its nested interfaces' settings.
   */
  private static Set<String> settings(String file, String prefix) throws IOException {
    String config = Files.readString(Repo.root().resolve(file));
    assertThat(config).contains("@ConfigMapping(prefix = \"flotilla");
    // Top-level accessors (Jobs jobs();) name the groups of the nested interfaces' settings.
    Map<String, String> groups = new HashMap<>();
    Matcher accessor = Pattern.compile("(?m)^  (\\w+) (\\w+)\\(\\);").matcher(config);
    while (accessor.find()) {
      groups.put(accessor.group(1), accessor.group(2));
    }
    Set<String> settings = new TreeSet<>();
    Matcher nested = Pattern.compile("(?ms)^  interface (\\w+) \\{\\n(.*?)^  }").matcher(config);
    while (nested.find()) {
      Matcher method = Pattern.compile("(?m)^    [\\w<>]+ (\\w+)\\(\\);").matcher(nested.group(2));
      while (method.find()) {
        settings.add(
            prefix + envName(groups.get(nested.group(1))) + "_" + envName(method.group(1)));
      }
    }
    return settings;
  }

  /** {@code leaderElection} to {@code LEADER_ELECTION}: SmallRye's environment variable form. */
  private static String envName(String camelCase) {
    return camelCase.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase();
  }
}
