package dev.flotilla.packaging;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** Runs {@code helm lint} and {@code helm template} on the Flotilla chart, fully offline. */
public final class Helm {
  /** Kubernetes version the chart is rendered for. */
  public static final String KUBE_VERSION = "1.33.0";

  /** Release name used in renders. */
  public static final String RELEASE = "flotilla";

  /** Namespace used in renders. */
  public static final String NAMESPACE = "flotilla-system";

  private static final Map<List<Object>, String> RENDERS = new ConcurrentHashMap<>();

  private Helm() {}

  /** {@code helm lint --strict} with the given values files. */
  public static ProcessResult lint(List<Path> valuesFiles) {
    List<String> command = new ArrayList<>(List.of(Tools.helm().toString(), "lint", "--strict"));
    command.addAll(valueArguments(valuesFiles, List.of()));
    command.add(Repo.chart().toString());
    return Tools.run(Repo.chart(), command);
  }

  /** {@code helm template} with the given values files and {@code --set} pairs. */
  public static ProcessResult template(List<Path> valuesFiles, Map<String, String> sets) {
    List<String> pairs = new ArrayList<>();
    sets.forEach((key, value) -> pairs.add(key + "=" + value));
    return template(valuesFiles, pairs);
  }

  /** {@code helm template} with the given values files and raw {@code --set} arguments. */
  public static ProcessResult template(List<Path> valuesFiles, List<String> sets) {
    List<String> command =
        new ArrayList<>(
            List.of(
                Tools.helm().toString(),
                "template",
                RELEASE,
                Repo.chart().toString(),
                "--namespace",
                NAMESPACE,
                "--kube-version",
                KUBE_VERSION,
                "--include-crds"));
    command.addAll(valueArguments(valuesFiles, sets));
    return Tools.run(Repo.chart(), command);
  }

  /**
   * {@code helm install --dry-run=client}: renders the chart and its NOTES.txt without a cluster.
   */
  public static ProcessResult installDryRun(List<Path> valuesFiles) {
    List<String> command =
        new ArrayList<>(
            List.of(
                Tools.helm().toString(),
                "install",
                RELEASE,
                Repo.chart().toString(),
                "--namespace",
                NAMESPACE,
                "--dry-run=client"));
    command.addAll(valueArguments(valuesFiles, List.of()));
    return Tools.run(Repo.chart(), command);
  }

  /** The rendered documents of a successful {@link #template}; renders are cached per input. */
  public static List<Map<String, Object>> render(List<Path> valuesFiles, Map<String, String> sets) {
    String rendered =
        RENDERS.computeIfAbsent(
            List.of(valuesFiles, new TreeMap<>(sets)),
            key -> template(valuesFiles, sets).stdoutOrFail());
    return Yaml.documents(rendered);
  }

  private static List<String> valueArguments(List<Path> files, List<String> sets) {
    List<String> arguments = new ArrayList<>();
    for (Path file : files) {
      arguments.add("--values");
      arguments.add(file.toString());
    }
    for (String set : sets) {
      arguments.add("--set");
      arguments.add(set);
    }
    return arguments;
  }
}
