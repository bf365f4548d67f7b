package dev.flotilla.local.run;

import dev.flotilla.core.protocol.Action;
import dev.flotilla.core.workload.AggregatorInvocation;
import dev.flotilla.core.workload.TrainerInvocation;
import dev.flotilla.local.process.JavaCommand;
import dev.flotilla.local.process.ProcessPool;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs each workload as a JVM of this machine on the local runtime's class path, its grant in its
 * own scratch directory readable by this user only.
 */
public final class ProcessLauncher implements WorkloadLauncher {
  private static final String OWNER_ONLY = "rw-------";

  private final FederationBundle bundle;
  private final WorkloadCommands commands;

  private ProcessLauncher(FederationBundle bundle, WorkloadCommands commands) {
    this.bundle = bundle;
    this.commands = commands;
  }

  /**
   * Launchers whose child JVMs get {@code jvmOptions}, and a crash report file in the temporary
   * directory rather than the user's working directory (a defence: trainers stop without a native
   * crash, see the trainer's GracefulStop).
   */
  public static WorkloadLauncher.Factory factory(List<String> jvmOptions) {
    List<String> options = new ArrayList<>(jvmOptions);
    options.add(
        "-XX:ErrorFile="
            + Path.of(System.getProperty("java.io.tmpdir"), "flotilla-hs_err_pid%p.log"));
    return (bundle, site) ->
        new ProcessLauncher(
            bundle,
            new WorkloadCommands(
                bundle.name(), bundle.spec(), JavaCommand.ofCurrentJvm(options), site));
  }

  @Override
  public Launch<TrainerInvocation> trainer(Action.CreateTrainer action, Path log) {
    TrainerInvocation in =
        commands.trainerInvocation(action, bundle.pools().get(action.client().pool()));
    return new Launch<>(
        in,
        Path.of(in.grant()),
        OWNER_ONLY,
        new ProcessPool.Spec(action.name(), commands.command(in), commands.environment(), log));
  }

  @Override
  public Launch<AggregatorInvocation> aggregator(Action.CreateAggregator action, Path log) {
    AggregatorInvocation in = commands.aggregatorInvocation(action);
    return new Launch<>(
        in,
        Path.of(in.grant()),
        OWNER_ONLY,
        new ProcessPool.Spec(action.name(), commands.command(in), commands.environment(), log));
  }
}
