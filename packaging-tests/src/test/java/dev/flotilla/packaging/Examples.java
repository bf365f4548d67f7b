package dev.flotilla.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The YAML files under {@code examples/}, sorted by what they hold. */
public final class Examples {
  private Examples() {}

  /** Every {@code .yaml}/{@code .yml} file under examples/. */
  public static List<Path> yamlFiles() {
    try (Stream<Path> files = Files.walk(Repo.examples())) {
      return files
          .filter(Files::isRegularFile)
          .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + Repo.examples(), e);
    }
  }

  /** Helm values files ({@code *-values.yaml}): input to a chart, not Kubernetes objects. */
  public static boolean isHelmValues(Path file) {
    return file.getFileName().toString().endsWith("-values.yaml");
  }

  /** Kustomize entry points ({@code kustomization.yaml}). */
  public static boolean isKustomization(Path file) {
    return file.getFileName().toString().equals("kustomization.yaml");
  }

  /** Files of Kubernetes objects: everything but values files and kustomizations. */
  public static List<Path> manifestFiles() {
    return yamlFiles().stream().filter(f -> !isHelmValues(f) && !isKustomization(f)).toList();
  }

  /** Every object of every manifest file. */
  public static List<Map<String, Object>> objects() {
    return manifestFiles().stream().flatMap(f -> Yaml.documents(f).stream()).toList();
  }

  /** Objects of API group flotilla.dev. */
  public static List<Map<String, Object>> customResources() {
    return objects().stream().filter(Examples::isFlotilla).toList();
  }

  /** Whether {@code object} is a Flotilla custom resource. */
  public static boolean isFlotilla(Map<String, Object> object) {
    return String.valueOf(object.get("apiVersion")).startsWith("flotilla.dev/");
  }

  /** The objects of one file under examples/. */
  public static List<Map<String, Object>> objects(String relativePath) {
    return Yaml.documents(Repo.examples().resolve(relativePath));
  }

  /** The object named {@code name} of kind {@code kind} in {@code relativePath}. */
  public static Map<String, Object> object(String relativePath, String kind, String name) {
    return objects(relativePath).stream()
        .filter(o -> kind.equals(o.get("kind")) && name.equals(Yaml.at(o, "metadata.name")))
        .findFirst()
        .orElseThrow(() -> new AssertionError(relativePath + " has no " + kind + "/" + name));
  }
}
