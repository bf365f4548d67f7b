package dev.flotilla.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Multi-document YAML as plain maps, lists and scalars (SnakeYAML's safe constructor). */
public final class Yaml {
  private Yaml() {}

  /** The non-empty documents of {@code text}; each must be a mapping. */
  @SuppressWarnings("unchecked")
  public static List<Map<String, Object>> documents(String text) {
    org.yaml.snakeyaml.Yaml yaml = new org.yaml.snakeyaml.Yaml(new SafeConstructor(options()));
    List<Map<String, Object>> documents = new ArrayList<>();
    for (Object document : yaml.loadAll(text)) {
      if (document == null) {
        continue;
      }
      if (!(document instanceof Map)) {
        throw new IllegalArgumentException("YAML document is not a mapping: " + document);
      }
      documents.add((Map<String, Object>) document);
    }
    return documents;
  }

  /** The non-empty documents of {@code file}. */
  public static List<Map<String, Object>> documents(Path file) {
    try {
      return documents(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** Serialises one document back to YAML (block style). */
  public static String dump(Object document) {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    return new org.yaml.snakeyaml.Yaml(options).dump(document);
  }

  private static LoaderOptions options() {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    return options;
  }

  /** The value at a dotted path of nested maps ({@code "spec.template.spec"}), or null. */
  @SuppressWarnings("unchecked")
  public static Object at(Map<String, Object> root, String path) {
    Object current = root;
    for (String key : path.split("\\.")) {
      if (!(current instanceof Map)) {
        return null;
      }
      current = ((Map<String, Object>) current).get(key);
    }
    return current;
  }

  /** The map at {@code path}, or an empty map. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> map(Map<String, Object> root, String path) {
    Object value = at(root, path);
    return value instanceof Map ? (Map<String, Object>) value : Map.of();
  }

  /** The list at {@code path}, or an empty list. */
  @SuppressWarnings("unchecked")
  public static List<Object> list(Map<String, Object> root, String path) {
    Object value = at(root, path);
    return value instanceof List ? (List<Object>) value : List.of();
  }

  /** {@code value} as a mapping (a YAML object). */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> asMap(Object value) {
    return (Map<String, Object>) value;
  }

  /** {@code kind/name} of a Kubernetes object, for messages. */
  public static String id(Map<String, Object> object) {
    return object.get("kind") + "/" + at(object, "metadata.name");
  }
}
