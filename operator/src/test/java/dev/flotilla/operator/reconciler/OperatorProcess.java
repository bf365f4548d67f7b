package dev.flotilla.operator.reconciler;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged operator ({@code target/quarkus-app/quarkus-run.jar}, production profile) as a child
 * process pointed at a mock API server: started like a container with a pod name as its {@code
 * HOSTNAME} (the leader election identity), stopped with SIGKILL like an OOM kill or a node loss.
 * Its output goes to a log file per start.
 */
final class OperatorProcess implements AutoCloseable {

  private final Process process;
  private final Path log;

  private OperatorProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /**
   * Starts the operator jar against {@code apiServer} with {@code identity} as its pod name; the
   * client namespace (and so the leader election Lease) is {@code namespace}.
   */
  static OperatorProcess start(
      Path jar, String apiServer, String namespace, String identity, Path logDir)
      throws IOException {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "packaged operator not found at " + jar + " (run the package phase first)");
    }
    Files.createDirectories(logDir);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-jar");
    command.add(jar.toString());
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.put("HOSTNAME", identity);
    env.put("QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL", apiServer);
    env.put("QUARKUS_KUBERNETES_CLIENT_NAMESPACE", namespace);
    env.put("QUARKUS_HTTP_PORT", Integer.toString(freePort()));
    env.put("KUBECONFIG", logDir.resolve("no-kubeconfig").toString());
    env.put("QUARKUS_LOG_CATEGORY__DEV_FLOTILLA__LEVEL", "DEBUG");
    // The test object store is on loopback; the GPU pool names a RuntimeClass and PriorityClass.
    env.put("FLOTILLA_POLICY_STORAGE_ALLOWED_ENDPOINTS", "127.0.0.1");
    env.put("FLOTILLA_POLICY_POOLS_ALLOWED_RUNTIME_CLASSES", "nvidia");
    env.put("FLOTILLA_POLICY_POOLS_ALLOWED_PRIORITY_CLASSES", "training");
    Path log = Files.createTempFile(logDir, "operator-" + identity + "-", ".log");
    builder.redirectOutput(log.toFile());
    return new OperatorProcess(builder.start(), log);
  }

  /** SIGKILL, then waits until the process is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("operator did not die after SIGKILL; log " + log);
    }
  }

  /** Whether the process is still running (it must not exit on its own). */
  boolean alive() {
    return process.isAlive();
  }

  /** The log of this start. */
  Path log() {
    return log;
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
