package dev.flotilla.local.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * Runs local workloads (trainers, the aggregator) as child processes with bounded parallelism
 * (JVMs, or podman clients whose exit code is their container's): extra submissions wait in FIFO
 * order. Output goes to one log file per workload. Closing the pool kills every child and its
 * descendants.
 */
public final class ProcessPool implements AutoCloseable {
  /** A workload to run. */
  public record Spec(String id, List<String> command, Map<String, String> environment, Path log) {
    /** Copies the collections. */
    public Spec {
      command = List.copyOf(command);
      environment = Map.copyOf(environment);
    }
  }

  /** A workload that finished with {@code exitCode} after {@code elapsed}. */
  public record Exit(String id, int exitCode, Duration elapsed, Path log) {}

  private record Running(Spec spec, Process process, Instant started) {}

  private final int parallelism;
  private final Deque<Spec> queued = new ArrayDeque<>();
  private final Map<String, Running> running = new LinkedHashMap<>();
  private final List<Exit> exited = new ArrayList<>();
  private boolean closed;

  /** A pool running at most {@code parallelism} processes at once. */
  public ProcessPool(int parallelism) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
    }
    this.parallelism = parallelism;
  }

  /** Queues {@code spec}; it starts as soon as a slot is free (ignored once closed). */
  public synchronized void submit(Spec spec) {
    if (closed) {
      return;
    }
    if (isActive(spec.id())) {
      throw new IllegalStateException("workload " + spec.id() + " is already queued or running");
    }
    queued.addLast(spec);
  }

  /** Whether {@code id} is queued or running. */
  public synchronized boolean isActive(String id) {
    return running.containsKey(id) || queued.stream().anyMatch(s -> s.id().equals(id));
  }

  /** Whether {@code id} is running (started, not yet exited). */
  public synchronized boolean isRunning(String id) {
    return running.containsKey(id);
  }

  /** The operating-system process id of running workload {@code id}. */
  public synchronized OptionalLong pid(String id) {
    Running r = running.get(id);
    return r == null ? OptionalLong.empty() : OptionalLong.of(r.process().pid());
  }

  /** Number of running processes. */
  public synchronized int runningCount() {
    return running.size();
  }

  /** Number of workloads waiting for a slot. */
  public synchronized int queuedCount() {
    return queued.size();
  }

  /**
   * Collects exited processes and starts queued ones into free slots.
   *
   * @return the workloads that exited since the last call, in exit-observation order
   * @throws IOException when a process cannot be started (missing java binary, unwritable log)
   */
  public synchronized List<Exit> poll() throws IOException {
    for (var it = running.values().iterator(); it.hasNext(); ) {
      Running r = it.next();
      if (!r.process().isAlive()) {
        it.remove();
        exited.add(
            new Exit(
                r.spec().id(),
                r.process().exitValue(),
                Duration.between(r.started(), Instant.now()),
                r.spec().log()));
      }
    }
    while (!closed && running.size() < parallelism && !queued.isEmpty()) {
      Spec spec = queued.removeFirst();
      running.put(spec.id(), new Running(spec, start(spec), Instant.now()));
    }
    List<Exit> result = List.copyOf(exited);
    exited.clear();
    return result;
  }

  private static Process start(Spec spec) throws IOException {
    Files.createDirectories(spec.log().toAbsolutePath().getParent());
    ProcessBuilder builder = new ProcessBuilder(spec.command());
    builder.environment().putAll(spec.environment());
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(spec.log().toFile()));
    Process process = builder.start();
    process.getOutputStream().close();
    return process;
  }

  /** Kills workload {@code id} (and its descendants) if running, or drops it from the queue. */
  public synchronized void kill(String id) {
    queued.removeIf(s -> s.id().equals(id));
    Running r = running.get(id);
    if (r != null) {
      terminate(List.of(r.process()));
    }
  }

  /** Kills every running child and forgets the queue; later submissions are ignored. */
  @Override
  public synchronized void close() {
    closed = true;
    queued.clear();
    terminate(running.values().stream().map(Running::process).toList());
    running.clear();
  }

  private static void terminate(List<Process> processes) {
    for (Process p : processes) {
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
    }
    for (Process p : processes) {
      try {
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
    }
  }
}
