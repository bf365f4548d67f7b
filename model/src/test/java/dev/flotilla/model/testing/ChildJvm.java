package dev.flotilla.model.testing;

import dev.flotilla.core.storage.EmbeddedS3Server;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a program's main class in a separate JVM on the test class path, with the storage
 * credentials of {@link EmbeddedS3Server} in its environment (the programs read credentials only
 * from there).
 */
public final class ChildJvm {
  private ChildJvm() {}

  /**
   * The outcome of a run.
   *
   * @param exitCode the process exit code
   * @param output standard output and error, interleaved
   */
  public record Result(int exitCode, String output) {}

  /** Runs {@code mainClass} with {@code args}; fails when it takes longer than three minutes. */
  public static Result run(Class<?> mainClass, List<String> args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass.getName());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("FLOTILLA_S3_ACCESS_KEY", EmbeddedS3Server.ACCESS_KEY);
    builder.environment().put("FLOTILLA_S3_SECRET_KEY", EmbeddedS3Server.SECRET_KEY);
    Process process = builder.start();
    String output;
    try (InputStream in = process.getInputStream()) {
      output = new String(in.readAllBytes());
    }
    if (!process.waitFor(180, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(mainClass.getSimpleName() + " did not finish:\n" + output);
    }
    return new Result(process.exitValue(), output);
  }
}
