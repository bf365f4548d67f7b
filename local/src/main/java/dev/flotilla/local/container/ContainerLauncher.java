package dev.flotilla.local.container;

import dev.flotilla.core.protocol.Action;
import dev.flotilla.core.spec.ClientPoolSpec;
import dev.flotilla.core.spec.EnvVarSpec;
import dev.flotilla.core.spec.FederationSpec;
import dev.flotilla.core.workload.AggregatorInvocation;
import dev.flotilla.core.workload.AggregatorMemory;
import dev.flotilla.core.workload.TrainerInvocation;
import dev.flotilla.core.workload.WorkloadContainer;
import dev.flotilla.core.workload.WorkloadSite;
import dev.flotilla.local.process.ProcessPool;
import dev.flotilla.local.run.FederationBundle;
import dev.flotilla.local.run.WorkloadCommands;
import dev.flotilla.local.run.WorkloadLauncher;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts each workload from its image with podman, as the operator's Job runs it: the invocation's
 * arguments at a container site ({@link WorkloadContainer#site}), the Job's environment (no storage
 * credential) and security settings, a fresh {@code /tmp} volume per workload, a {@code /cache}
 * volume shared by the run's containers, and the grant file the local runner writes mounted
 * read-only at {@link WorkloadContainer#GRANT_FILE_PATH}, where the Job mounts its grant Secret.
 * The image is the ClientPool's, else the Federation's, else the locally built default. A trainer's
 * CPU limit is its pool's, else the run's threads per workload; the aggregator, like its Job, has
 * none. Local {@code file:} inputs (model, tokenizer, data) are mounted read-only at their paths.
 */
public final class ContainerLauncher implements WorkloadLauncher {
  /** Container names are the workload's with this prefix. */
  public static final String NAME_PREFIX = "flotilla-";

  private final FederationBundle bundle;
  private final WorkloadCommands.Environment site;
  private final Podman podman;
  private final ContainerImages images;
  private final WorkloadVolumes volumes;

  private ContainerLauncher(
      FederationBundle bundle,
      WorkloadCommands.Environment site,
      Podman podman,
      ContainerImages images) {
    this.bundle = bundle;
    this.site = site;
    this.podman = podman;
    this.images = images;
    this.volumes = new WorkloadVolumes(site.scratchDir(), InputMounts.of(bundle));
  }

  /** Launchers running {@code images} (unless the manifest names others) with {@code podman}. */
  public static WorkloadLauncher.Factory factory(Podman podman, ContainerImages images) {
    return (bundle, site) -> new ContainerLauncher(bundle, site, podman, images);
  }

  @Override
  public Launch<TrainerInvocation> trainer(Action.CreateTrainer action, Path log)
      throws IOException {
    TrainerInvocation invocation = trainerInvocation(action);
    return new Launch<>(
        invocation,
        volumes.grantFile(action.name()),
        WorkloadVolumes.GRANT_PERMISSIONS,
        process(action.name(), trainerSpec(action, invocation), log));
  }

  @Override
  public Launch<AggregatorInvocation> aggregator(Action.CreateAggregator action, Path log)
      throws IOException {
    AggregatorInvocation invocation = aggregatorInvocation(action);
    return new Launch<>(
        invocation,
        volumes.grantFile(action.name()),
        WorkloadVolumes.GRANT_PERMISSIONS,
        process(action.name(), aggregatorSpec(action, invocation), log));
  }

  /** The invocation of {@code action}'s trainer at the container site. */
  public TrainerInvocation trainerInvocation(Action.CreateTrainer action) {
    ClientPoolSpec pool = bundle.pools().get(action.client().pool());
    return TrainerInvocation.of(bundle.name(), bundle.spec(), pool, action, containerSite());
  }

  /** The invocation of {@code action}'s aggregator at the container site. */
  public AggregatorInvocation aggregatorInvocation(Action.CreateAggregator action) {
    return AggregatorInvocation.of(bundle.name(), bundle.spec(), action, containerSite());
  }

  /**
   * The container of {@code action}'s trainer (its {@code /tmp} volume emptied), running {@code
   * invocation}; its grant is read from {@link #grantFile} of the action's name.
   */
  public ContainerSpec trainerSpec(Action.CreateTrainer action, TrainerInvocation invocation)
      throws IOException {
    FederationSpec spec = bundle.spec();
    ClientPoolSpec pool = bundle.pools().get(action.client().pool());
    String image =
        ContainerImages.first(pool.getImage(), spec.getImages().getTrainer(), images.trainer());
    return container(
        action.name(), image, invocation.toArgs(), poolEnvironment(pool), cpus(pool), null);
  }

  /**
   * The container of {@code action}'s aggregator (its {@code /tmp} volume emptied), running {@code
   * invocation}; its grant is read from {@link #grantFile} of the action's name.
   */
  public ContainerSpec aggregatorSpec(
      Action.CreateAggregator action, AggregatorInvocation invocation) throws IOException {
    FederationSpec spec = bundle.spec();
    String image = ContainerImages.first(spec.getImages().getAggregator(), images.aggregator());
    // The memory limit the cluster's aggregator Job gets with the default sizing.
    return container(
        action.name(),
        image,
        invocation.toArgs(),
        Map.of(),
        null,
        AggregatorMemory.DEFAULTS.bytes(spec, action));
  }

  /**
   * The host file mounted read-only as workload {@code name}'s grant, which the local runner writes
   * before the container starts.
   */
  public Path grantFile(String name) {
    return volumes.grantFile(name);
  }

  private WorkloadSite containerSite() {
    return WorkloadContainer.site(site.endpoint(), true);
  }

  private ProcessPool.Spec process(String name, ContainerSpec spec, Path log) throws IOException {
    Podman.Run run = podman.run(spec);
    return new ProcessPool.Spec(name, run.command(), run.environment(), log);
  }

  private ContainerSpec container(
      String name,
      String image,
      List<String> args,
      Map<String, String> extraEnv,
      Double cpus,
      Long memoryBytes)
      throws IOException {
    // No storage credential: the workload reaches the embedded store only through its grant.
    Map<String, String> env = new LinkedHashMap<>(WorkloadContainer.environment());
    env.putAll(extraEnv);
    return new ContainerSpec(
        NAME_PREFIX + name,
        image,
        bundle.spec().getImages().getPullPolicy(),
        args,
        env,
        Map.of(),
        volumes.forWorkload(name),
        WorkloadContainer.SECURITY,
        null,
        null,
        List.of(),
        cpus,
        memoryBytes);
  }

  /** The pool's CPU limit in cores, else the run's threads per workload. */
  private Double cpus(ClientPoolSpec pool) {
    if (pool.getResources() != null
        && pool.getResources().getLimits() != null
        && pool.getResources().getLimits().containsKey("cpu")) {
      return CpuQuantity.cores(pool.getResources().getLimits().get("cpu"));
    }
    return (double) site.threads();
  }

  /** The pool's plain environment variables (Secret references exist only in a cluster). */
  private static Map<String, String> poolEnvironment(ClientPoolSpec pool) throws IOException {
    Map<String, String> env = new LinkedHashMap<>();
    if (pool.getEnv() == null) {
      return env;
    }
    for (EnvVarSpec var : pool.getEnv()) {
      if (var.getValueFrom() != null) {
        throw new ContainerEngineException(
            "environment variable "
                + var.getName()
                + " of a ClientPool comes from a Secret, which exists only in a cluster");
      }
      env.put(var.getName(), var.getValue());
    }
    return env;
  }
}
