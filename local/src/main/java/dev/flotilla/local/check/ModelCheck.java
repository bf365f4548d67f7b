package dev.flotilla.local.check;

import dev.flotilla.core.spec.BaseModelSpec;
import dev.flotilla.model.BadInputException;
import dev.flotilla.model.BaseModel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks a local base model the way the trainer opens it: {@code config.json} of the architecture
 * {@code spec.baseModel.architecture} names, a tokenizer ({@code spec.baseModel.tokenizer} or the
 * directory's {@code tokenizer.json}), and safetensors weights.
 */
public final class ModelCheck {

  private ModelCheck() {}

  /** Checks {@code model} (URIs already made local); remote models are noted, not checked. */
  public static CheckReport run(BaseModelSpec model) {
    CheckReport report = new CheckReport();
    String uri = model.getUri();
    if (!uri.startsWith("/")) {
      report.note("base model: " + uri + " is remote; not checked on this machine");
      return report;
    }
    Path dir = Path.of(uri);
    if (!Files.isDirectory(dir)) {
      report.problem(
          "base model (spec.baseModel.uri): "
              + dir
              + " is not a directory; import a model with trainer-image/import-model.sh"
              + " (see docs/user-guide.md)");
      return report;
    }
    try {
      BaseModel base =
          BaseModel.open(
              uri,
              dir,
              model.getArchitecture(),
              model.getTokenizer() == null ? null : Path.of(model.getTokenizer()));
      if (!Files.isRegularFile(base.tokenizer())) {
        throw new BadInputException(
            "spec.baseModel.tokenizer " + base.tokenizer() + " does not exist");
      }
      if (!Files.isRegularFile(dir.resolve("model.safetensors"))
          && !Files.isRegularFile(dir.resolve("model.safetensors.index.json"))) {
        throw new BadInputException(
            "model directory " + dir + " has no model.safetensors (or its index)");
      }
      report.ok(
          "base model: "
              + model.getArchitecture()
              + " in "
              + dir
              + ", tokenizer "
              + base.tokenizer());
    } catch (BadInputException e) {
      report.problem("base model (spec.baseModel): " + e.getMessage());
    }
    return report;
  }
}
