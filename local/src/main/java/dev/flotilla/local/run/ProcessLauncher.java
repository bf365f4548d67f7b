package dev.flotilla.local.run;

import dev.flotilla.core.protocol.Action;
import dev.flotilla.local.process.JavaCommand;
import dev.flotilla.local.process.ProcessPool;
import java.nio.file.Path;
import java.util.List;

/** Runs each workload as a JVM of this machine on the local runtime's class path. */
public final class ProcessLauncher implements WorkloadLauncher {
  private final WorkloadCommands commands;

  private ProcessLauncher(WorkloadCommands commands) {
    this.commands = commands;
  }

  /** Launchers whose child JVMs get {@code jvmOptions}. */
  public static WorkloadLauncher.Factory factory(List<String> jvmOptions) {
    return (bundle, site) ->
        new ProcessLauncher(
            new WorkloadCommands(
                bundle.name(), bundle.spec(), JavaCommand.ofCurrentJvm(jvmOptions), site));
  }

  @Override
  public ProcessPool.Spec trainer(Action.CreateTrainer action, Path log) {
    return new ProcessPool.Spec(
        action.name(), commands.trainer(action), commands.environment(), log);
  }

  @Override
  public ProcessPool.Spec aggregator(Action.CreateAggregator action, Path log) {
    return new ProcessPool.Spec(
        action.name(), commands.aggregator(action), commands.environment(), log);
  }
}
