package dev.flotilla.packaging;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The external tools fetched by {@code packaging-tests/fetch-tools.sh} (helm, kubectl, the node
 * schema validator) and a runner for them.
 */
public final class Tools {
  private static final String LAYER = "kubectl-layer-2.2.2";
  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  private Tools() {}

  private static Path toolsDir() {
    String dir = System.getProperty("flotilla.tools.dir");
    if (dir == null) {
      dir = System.getProperty("user.home") + "/.cache/flotilla/tools";
    }
    return Path.of(dir);
  }

  private static Path existing(Path path) {
    if (!Files.exists(path)) {
      throw new IllegalStateException(
          path + " is missing: run packaging-tests/fetch-tools.sh (mvn verify runs it)");
    }
    return path;
  }

  /** The helm binary (v4.1.4). */
  public static Path helm() {
    return existing(toolsDir().resolve(LAYER).resolve("helm"));
  }

  /** The kubectl binary (v1.35.2), used offline for its built-in kustomize. */
  public static Path kubectl() {
    return existing(toolsDir().resolve(LAYER).resolve("kubectl"));
  }

  /** {@code node_modules} of the schema validator. */
  public static Path nodeModules() {
    return existing(toolsDir().resolve("node-validate/node_modules"));
  }

  /** The schema validator script. */
  public static Path validatorScript() {
    String script = System.getProperty("flotilla.node.validator", "src/test/node/validate.mjs");
    return existing(Path.of(script).toAbsolutePath());
  }

  /** Runs {@code command} in {@code workDir}, waiting at most two minutes. */
  public static ProcessResult run(Path workDir, List<String> command) {
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
    // Helm keeps its caches and config under HELM_*; keep them out of the user's home.
    Path helmHome = Path.of(System.getProperty("java.io.tmpdir"), "flotilla-helm");
    builder.environment().put("HELM_CACHE_HOME", helmHome.resolve("cache").toString());
    builder.environment().put("HELM_CONFIG_HOME", helmHome.resolve("config").toString());
    builder.environment().put("HELM_DATA_HOME", helmHome.resolve("data").toString());
    try {
      Process process = builder.start();
      process.getOutputStream().close();
      CompletableFuture<String> out = read(process.getInputStream());
      CompletableFuture<String> err = read(process.getErrorStream());
      if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not finish in " + TIMEOUT);
      }
      return new ProcessResult(List.copyOf(command), process.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + command, e);
    }
  }

  /** {@link #run(Path, List)} with the command given as varargs. */
  public static ProcessResult run(Path workDir, Object... command) {
    List<String> args = new ArrayList<>();
    for (Object arg : command) {
      args.add(arg.toString());
    }
    return run(workDir, args);
  }

  private static CompletableFuture<String> read(InputStream in) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }
}
