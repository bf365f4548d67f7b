package dev.flotilla.local.run;

import dev.flotilla.core.protocol.Action;
import dev.flotilla.local.process.ProcessPool;
import java.io.IOException;
import java.nio.file.Path;

/**
 * How the local runtime starts the workloads the protocol asks for: each one becomes a process the
 * {@link ProcessPool} supervises, either a JVM of this machine ({@link ProcessLauncher}) or a
 * podman client running the workload's image ({@code
 * dev.flotilla.local.container.ContainerLauncher}).
 */
public interface WorkloadLauncher {

  /** The process of {@code action}'s trainer, writing its output to {@code log}. */
  ProcessPool.Spec trainer(Action.CreateTrainer action, Path log) throws IOException;

  /** The process of {@code action}'s aggregator, writing its output to {@code log}. */
  ProcessPool.Spec aggregator(Action.CreateAggregator action, Path log) throws IOException;

  /** Makes the launcher of one run once its embedded object store is up. */
  @FunctionalInterface
  interface Factory {
    /** The launcher of {@code bundle}'s workloads, which reach the store as {@code site} says. */
    WorkloadLauncher open(FederationBundle bundle, WorkloadCommands.Environment site)
        throws IOException;
  }
}
