package dev.flotilla.local.run;

import dev.flotilla.core.protocol.Action;
import dev.flotilla.core.workload.AggregatorInvocation;
import dev.flotilla.core.workload.TrainerInvocation;
import dev.flotilla.local.process.ProcessPool;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How the local runtime starts the workloads the protocol asks for: each one becomes a process the
 * {@link ProcessPool} supervises, either a JVM of this machine ({@link ProcessLauncher}) or a
 * podman client running the workload's image ({@code
 * dev.flotilla.local.container.ContainerLauncher}).
 *
 * <p>A launcher never signs or writes a storage grant: it says where on this machine the workload
 * expects its grant ({@link Launch#grantFile}) and {@link LocalRunner} writes it there, from the
 * launch's invocation, before the process is submitted. No launcher passes a storage credential.
 */
public interface WorkloadLauncher {

  /**
   * One workload ready to start.
   *
   * @param invocation the program's invocation at the workload's site (decides the grant's URLs)
   * @param grantFile host file the grant must be written to before {@code process} starts
   * @param grantPermissions POSIX permissions of that file ({@code rw-------}: only this user)
   * @param process the process to supervise
   * @param <I> invocation type
   */
  record Launch<I>(
      I invocation, Path grantFile, String grantPermissions, ProcessPool.Spec process) {
    /** Checks the fields. */
    public Launch {
      Objects.requireNonNull(invocation, "invocation");
      Objects.requireNonNull(grantFile, "grantFile");
      Objects.requireNonNull(grantPermissions, "grantPermissions");
      Objects.requireNonNull(process, "process");
    }
  }

  /** The start of {@code action}'s trainer, writing its output to {@code log}. */
  Launch<TrainerInvocation> trainer(Action.CreateTrainer action, Path log) throws IOException;

  /** The start of {@code action}'s aggregator, writing its output to {@code log}. */
  Launch<AggregatorInvocation> aggregator(Action.CreateAggregator action, Path log)
      throws IOException;

  /** Makes the launcher of one run once its embedded object store is up. */
  @FunctionalInterface
  interface Factory {
    /** The launcher of {@code bundle}'s workloads, which reach the store as {@code site} says. */
    WorkloadLauncher open(FederationBundle bundle, WorkloadCommands.Environment site)
        throws IOException;
  }
}
