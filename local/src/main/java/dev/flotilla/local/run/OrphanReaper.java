package dev.flotilla.local.run;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Cleans up after a run that was killed without its shutdown hook (SIGKILL, power loss): trainers
 * and aggregators it had started may still be running. They are stopped (only if the process with
 * the recorded pid still runs a command naming the workload, so a recycled pid is never touched),
 * and their unfinished records are dropped: the protocol then sees no workload and creates it
 * again, like a Job whose pod vanished with its node.
 */
final class OrphanReaper {
  private OrphanReaper() {}

  /** Stops the leftovers recorded in {@code table} and forgets every unfinished record. */
  static int reap(WorkloadTable table) throws IOException {
    int killed = 0;
    for (WorkloadRecord record : table.unfinished()) {
      if (record.pid() != null && kill(record.pid(), record.name())) {
        killed++;
      }
      table.remove(record.name());
    }
    return killed;
  }

  private static boolean kill(long pid, String name) {
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (handle.isEmpty() || !handle.get().isAlive()) {
      return false;
    }
    String command = handle.get().info().commandLine().orElse("");
    if (!command.contains(name)) {
      return false;
    }
    handle.get().descendants().forEach(ProcessHandle::destroyForcibly);
    handle.get().destroyForcibly();
    CompletableFuture<ProcessHandle> exit = handle.get().onExit();
    try {
      exit.get(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      return true;
    }
    return true;
  }
}
