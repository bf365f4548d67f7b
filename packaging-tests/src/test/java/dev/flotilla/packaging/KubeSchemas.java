package dev.flotilla.packaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Offline validation of Kubernetes objects against the OpenAPI schemas shipped in npm {@code
 * kubernetes-models} (plus its Prometheus Operator, Argo CD and Flux companions), through {@code
 * src/test/node/validate.mjs}.
 */
public final class KubeSchemas {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The validator's verdict on one document.
   *
   * @param source the file
   * @param index the document's position in the file
   * @param apiVersion its apiVersion
   * @param kind its kind
   * @param name its metadata.name
   * @param result {@code valid}, {@code invalid} or {@code no-schema}
   * @param errors the schema errors, for {@code invalid}
   */
  public record Report(
      String source,
      int index,
      String apiVersion,
      String kind,
      String name,
      String result,
      List<String> errors) {

    /** {@code apiVersion kind/name in source}, for messages. */
    public String describe() {
      return apiVersion + " " + kind + "/" + name + " in " + source + ": " + result + " " + errors;
    }
  }

  private KubeSchemas() {}

  /** Validates every document of {@code files}. */
  public static List<Report> validate(List<Path> files) {
    List<String> command = new ArrayList<>();
    command.add("node");
    command.add(Tools.validatorScript().toString());
    command.add(Tools.nodeModules().toString());
    files.forEach(f -> command.add(f.toAbsolutePath().toString()));
    ProcessResult result = Tools.run(Path.of("."), command);
    if (result.exitCode() > 1 || !result.stderr().isBlank()) {
      throw new AssertionError("schema validator failed: " + result.describe());
    }
    List<Report> reports = new ArrayList<>();
    for (String line : result.stdout().split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      try {
        reports.add(JSON.readValue(line, Report.class));
      } catch (IOException e) {
        throw new UncheckedIOException("unexpected validator output: " + line, e);
      }
    }
    return reports;
  }
}
