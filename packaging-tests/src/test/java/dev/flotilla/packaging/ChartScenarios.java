package dev.flotilla.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The chart's test scenarios and accessors for what it renders. */
public final class ChartScenarios {
  private ChartScenarios() {}

  /** "default" plus the name of each values file under charts/flotilla/ci. */
  public static Stream<String> names() {
    List<String> names = new ArrayList<>(List.of("default"));
    try (Stream<Path> files = Files.list(Repo.chart().resolve("ci"))) {
      files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith("-values.yaml"))
          .sorted()
          .forEach(names::add);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + Repo.chart().resolve("ci"), e);
    }
    return names.stream();
  }

  /** The values files of a scenario (none for "default"). */
  public static List<Path> values(String scenario) {
    return scenario.equals("default") ? List.of() : List.of(Repo.chart().resolve("ci/" + scenario));
  }

  /** The literal environment variables of the operator container. */
  public static Map<String, String> operatorEnv(List<Map<String, Object>> docs) {
    Map<String, Object> container =
        Yaml.asMap(Yaml.list(only(docs, "Deployment"), "spec.template.spec.containers").get(0));
    Map<String, String> env = new LinkedHashMap<>();
    for (Object item : Yaml.list(container, "env")) {
      Map<String, Object> variable = Yaml.asMap(item);
      if (variable.containsKey("value")) {
        env.put((String) variable.get("name"), (String) variable.get("value"));
      }
    }
    return env;
  }

  /** The kinds of {@code docs}, in order. */
  public static List<Object> kinds(List<Map<String, Object>> docs) {
    return docs.stream().map(d -> d.get("kind")).toList();
  }

  /** The single object of {@code kind} in {@code docs}. */
  public static Map<String, Object> only(List<Map<String, Object>> docs, String kind) {
    List<Map<String, Object>> matching =
        docs.stream().filter(d -> kind.equals(d.get("kind"))).toList();
    assertThat(matching).as("rendered " + kind).hasSize(1);
    return matching.get(0);
  }
}
