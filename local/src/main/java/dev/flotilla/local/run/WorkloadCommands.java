package dev.flotilla.local.run;

import dev.flotilla.core.protocol.Action;
import dev.flotilla.core.spec.ClientPoolSpec;
import dev.flotilla.core.spec.FederationSpec;
import dev.flotilla.core.workload.AggregatorInvocation;
import dev.flotilla.core.workload.TrainerInvocation;
import dev.flotilla.core.workload.WorkloadContainer;
import dev.flotilla.core.workload.WorkloadEnvironment;
import dev.flotilla.core.workload.WorkloadSite;
import dev.flotilla.local.process.JavaCommand;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the protocol's create actions into local command lines (the spec's URIs are already local,
 * see {@link FederationBundle}): the trainer and aggregator CLIs with the same options the operator
 * puts into its Jobs, storage pointing at the embedded server, and no credential: each workload
 * gets a grant file next to its scratch directory, as a Job gets its grant Secret.
 */
public final class WorkloadCommands {
  /** Main class of the trainer. */
  public static final String TRAINER_MAIN = "dev.flotilla.trainer.TrainerMain";

  /** File name of a workload's storage grant in its scratch directory. */
  public static final String GRANT_FILE = WorkloadContainer.GRANT_FILE;

  /** Main class of the aggregator. */
  public static final String AGGREGATOR_MAIN = "dev.flotilla.aggregator.AggregatorMain";

  /**
   * Where the workloads run.
   *
   * @param endpoint embedded S3 endpoint
   * @param threads PyTorch threads per process
   * @param cacheDir model/data cache shared by the processes
   * @param scratchDir parent of the per-workload scratch directories
   */
  public record Environment(String endpoint, int threads, Path cacheDir, Path scratchDir) {}

  private final String federation;
  private final FederationSpec spec;
  private final JavaCommand java;
  private final Environment env;

  /** Commands for federation {@code federation} with {@code spec}. */
  public WorkloadCommands(
      String federation, FederationSpec spec, JavaCommand java, Environment env) {
    this.federation = federation;
    this.spec = spec;
    this.java = java;
    this.env = env;
  }

  /**
   * Environment variables of every workload. No storage credential: as on a cluster, a workload
   * reaches the embedded store only through the presigned URLs of its grant file.
   */
  public Map<String, String> environment() {
    Map<String, String> variables = new HashMap<>();
    variables.put(WorkloadEnvironment.OMP_NUM_THREADS, Integer.toString(env.threads()));
    if (System.getenv(WorkloadEnvironment.DJL_CACHE_DIR) == null) {
      String djl = env.cacheDir().resolve("djl").toString();
      variables.put(WorkloadEnvironment.DJL_CACHE_DIR, djl);
      variables.put(WorkloadEnvironment.ENGINE_CACHE_DIR, djl);
    }
    return variables;
  }

  /** The trainer invocation of {@code action} (a client of {@code pool}) on this machine. */
  public TrainerInvocation trainerInvocation(Action.CreateTrainer action, ClientPoolSpec pool) {
    return TrainerInvocation.of(federation, spec, pool, action, site(action.name()));
  }

  /** The aggregator invocation of {@code action} on this machine. */
  public AggregatorInvocation aggregatorInvocation(Action.CreateAggregator action) {
    return AggregatorInvocation.of(federation, spec, action, site(action.name()));
  }

  /** The command that runs {@code invocation}. */
  public List<String> command(TrainerInvocation invocation) {
    return java.command(TRAINER_MAIN, invocation.toArgs());
  }

  /** The command that runs {@code invocation}. */
  public List<String> command(AggregatorInvocation invocation) {
    return java.command(AGGREGATOR_MAIN, invocation.toArgs());
  }

  /** Where workload {@code name} runs here: the embedded store, path-style, its own scratch. */
  private WorkloadSite site(String name) {
    return new WorkloadSite(
        env.endpoint(),
        true,
        env.threads(),
        env.cacheDir().toString(),
        env.scratchDir().resolve(name).toString(),
        env.scratchDir().resolve(name).resolve(GRANT_FILE).toString());
  }
}
