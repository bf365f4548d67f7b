package dev.flotilla.local.container;

import dev.flotilla.core.protocol.Action;
import dev.flotilla.core.spec.ClientPoolSpec;
import dev.flotilla.core.spec.EnvVarSpec;
import dev.flotilla.core.spec.FederationSpec;
import dev.flotilla.core.workload.AggregatorInvocation;
import dev.flotilla.core.workload.TrainerInvocation;
import dev.flotilla.core.workload.WorkloadContainer;
import dev.flotilla.core.workload.WorkloadEnvironment;
import dev.flotilla.core.workload.WorkloadSite;
import dev.flotilla.local.process.ProcessPool;
import dev.flotilla.local.run.FederationBundle;
import dev.flotilla.local.run.WorkloadCommands;
import dev.flotilla.local.run.WorkloadLauncher;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts each workload from its image with podman, as the operator's Job runs it: the invocation's
 * arguments at a container site ({@link WorkloadContainer#site}), the Job's environment and
 * security settings, a fresh {@code /tmp} volume per workload and a {@code /cache} volume shared by
 * the run's containers. The image is the ClientPool's, else the Federation's, else the locally
 * built default. A trainer's CPU limit is its pool's, else the run's threads per workload; the
 * aggregator, like its Job, has none. Local {@code file:} inputs (model, tokenizer, data) are
 * mounted read-only at their paths.
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
  public ProcessPool.Spec trainer(Action.CreateTrainer action, Path log) throws IOException {
    return process(action.name(), trainerSpec(action), log);
  }

  @Override
  public ProcessPool.Spec aggregator(Action.CreateAggregator action, Path log) throws IOException {
    return process(action.name(), aggregatorSpec(action), log);
  }

  /** The container of {@code action}'s trainer (its {@code /tmp} volume emptied). */
  public ContainerSpec trainerSpec(Action.CreateTrainer action) throws IOException {
    FederationSpec spec = bundle.spec();
    ClientPoolSpec pool = bundle.pools().get(action.client().pool());
    TrainerInvocation invocation =
        TrainerInvocation.of(bundle.name(), spec, action, containerSite());
    String image =
        ContainerImages.first(pool.getImage(), spec.getImages().getTrainer(), images.trainer());
    return container(action.name(), image, invocation.toArgs(), poolEnvironment(pool), cpus(pool));
  }

  /** The container of {@code action}'s aggregator (its {@code /tmp} volume emptied). */
  public ContainerSpec aggregatorSpec(Action.CreateAggregator action) throws IOException {
    FederationSpec spec = bundle.spec();
    AggregatorInvocation invocation =
        AggregatorInvocation.of(bundle.name(), spec, action, containerSite());
    String image = ContainerImages.first(spec.getImages().getAggregator(), images.aggregator());
    return container(action.name(), image, invocation.toArgs(), Map.of(), null);
  }

  private WorkloadSite containerSite() {
    return WorkloadContainer.site(site.endpoint(), true);
  }

  private ProcessPool.Spec process(String name, ContainerSpec spec, Path log) throws IOException {
    Podman.Run run = podman.run(spec);
    return new ProcessPool.Spec(name, run.command(), run.environment(), log);
  }

  private ContainerSpec container(
      String name, String image, List<String> args, Map<String, String> extraEnv, Double cpus)
      throws IOException {
    Map<String, String> env = new LinkedHashMap<>(WorkloadContainer.environment());
    env.putAll(extraEnv);
    Map<String, String> secrets = new HashMap<>();
    secrets.put(WorkloadEnvironment.ACCESS_KEY, site.accessKey());
    secrets.put(WorkloadEnvironment.SECRET_KEY, site.secretKey());
    return new ContainerSpec(
        NAME_PREFIX + name,
        image,
        bundle.spec().getImages().getPullPolicy(),
        args,
        env,
        secrets,
        volumes.forWorkload(name),
        WorkloadContainer.SECURITY,
        null,
        null,
        List.of(),
        cpus,
        null);
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
