package dev.flotilla.images;

import dev.flotilla.core.protocol.Action;
import dev.flotilla.core.spec.SecretKeysRef;
import dev.flotilla.core.workload.WorkloadContainer;
import dev.flotilla.local.container.ContainerImages;
import dev.flotilla.local.container.ContainerLauncher;
import dev.flotilla.local.container.ContainerSpec;
import dev.flotilla.local.container.Podman;
import dev.flotilla.local.process.ProcessPool;
import dev.flotilla.local.run.FederationBundle;
import dev.flotilla.local.run.WorkloadCommands;
import dev.flotilla.local.run.WorkloadLauncher;
import dev.flotilla.operator.api.v1alpha1.Federation;
import dev.flotilla.operator.config.OperatorConfig;
import dev.flotilla.operator.workload.JobFactory;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts each workload of a local run from the Job the operator would create for it: {@link
 * JobFactory} builds the Job (storage at the embedded server, credentials from a Secret holding the
 * server's keys), {@link PodContainers} turns its pod into a container as the kubelet would, and
 * podman runs it. Every started container is recorded.
 */
final class JobLauncher implements WorkloadLauncher {
  static final String NAMESPACE = "flotilla-images";
  static final String SECRET = "flotilla-storage";

  private final FederationBundle bundle;
  private final WorkloadCommands.Environment site;
  private final Podman podman;
  private final JobFactory jobs;
  private final boolean audit;
  private final List<ContainerSpec> started = new ArrayList<>();

  private JobLauncher(
      FederationBundle bundle,
      WorkloadCommands.Environment site,
      Podman podman,
      ContainerImages images,
      boolean audit) {
    this.bundle = bundle;
    this.site = site;
    this.podman = podman;
    this.audit = audit;
    SecretKeysRef secret = new SecretKeysRef();
    secret.setName(SECRET);
    secret.setAccessKeyKey("accessKey");
    secret.setSecretKeyKey("secretKey");
    this.jobs = new JobFactory(jobSettings(), images(images), secret);
  }

  /** A factory of launchers that record themselves into {@code sink}. */
  static WorkloadLauncher.Factory factory(
      Podman podman, ContainerImages images, List<JobLauncher> sink) {
    return factory(podman, images, sink, false);
  }

  /**
   * A factory of launchers that record themselves into {@code sink}; with {@code audit} each Job's
   * container runs with a writable root filesystem and is kept, for {@link Podman#changes}.
   */
  static WorkloadLauncher.Factory factory(
      Podman podman, ContainerImages images, List<JobLauncher> sink, boolean audit) {
    return (bundle, site) -> {
      JobLauncher launcher = new JobLauncher(bundle, site, podman, images, audit);
      sink.add(launcher);
      return launcher;
    };
  }

  @Override
  public ProcessPool.Spec trainer(Action.CreateTrainer action, Path log) throws IOException {
    return start(action.name(), trainerSpec(action), log);
  }

  @Override
  public ProcessPool.Spec aggregator(Action.CreateAggregator action, Path log) throws IOException {
    return start(action.name(), aggregatorSpec(action), log);
  }

  /** The Job JobFactory builds for {@code action}'s trainer. */
  Job trainerJob(Action.CreateTrainer action) {
    return jobs.trainer(
        federation(), action, bundle.pools().get(action.client().pool()), storage(), Instant.now());
  }

  /** The container of {@code action}'s trainer Job. */
  ContainerSpec trainerSpec(Action.CreateTrainer action) throws IOException {
    return container(action.name(), trainerJob(action));
  }

  /** The container of {@code action}'s aggregator Job. */
  ContainerSpec aggregatorSpec(Action.CreateAggregator action) throws IOException {
    return container(
        action.name(), jobs.aggregator(federation(), action, storage(), Instant.now()));
  }

  /** The containers started so far. */
  synchronized List<ContainerSpec> started() {
    return List.copyOf(started);
  }

  private ContainerSpec container(String name, Job job) throws IOException {
    return PodContainers.translate(
        ContainerLauncher.NAME_PREFIX + name,
        job.getSpec().getTemplate().getSpec(),
        Map.of(SECRET, Map.of("accessKey", site.accessKey(), "secretKey", site.secretKey())),
        site.scratchDir().resolve(name).resolve("volumes"));
  }

  private ProcessPool.Spec start(String name, ContainerSpec spec, Path log) throws IOException {
    Podman.Run run = audit ? podman.runKept(writableRoot(spec)) : podman.run(spec);
    synchronized (this) {
      started.add(spec);
    }
    return new ProcessPool.Spec(name, run.command(), run.environment(), log);
  }

  private static ContainerSpec writableRoot(ContainerSpec spec) {
    WorkloadContainer.Security s = spec.security();
    return new ContainerSpec(
        spec.name(),
        spec.image(),
        spec.pullPolicy(),
        spec.args(),
        spec.env(),
        spec.secretEnv(),
        spec.mounts(),
        new WorkloadContainer.Security(
            s.runAsNonRoot(),
            false,
            s.allowPrivilegeEscalation(),
            s.privileged(),
            s.dropCapabilities(),
            s.seccompProfile()),
        spec.runAsUser(),
        spec.runAsGroup(),
        spec.supplementalGroups(),
        spec.cpus(),
        spec.memoryBytes());
  }

  private JobFactory.StorageTarget storage() {
    return new JobFactory.StorageTarget(site.endpoint(), bundle.spec().getStorage());
  }

  private Federation federation() {
    Federation federation = new Federation();
    federation.setMetadata(
        new ObjectMetaBuilder()
            .withName(bundle.name())
            .withNamespace(NAMESPACE)
            .withUid("00000000-0000-0000-0000-000000000001")
            .build());
    federation.setSpec(bundle.spec());
    return federation;
  }

  private static OperatorConfig.Jobs jobSettings() {
    return new OperatorConfig.Jobs() {
      @Override
      public int createParallelism() {
        return 1;
      }

      @Override
      public int backoffLimit() {
        return 1;
      }

      @Override
      public int ttlSecondsAfterFinished() {
        return 3600;
      }

      @Override
      public String cacheSizeLimit() {
        return "20Gi";
      }
    };
  }

  private static OperatorConfig.Images images(ContainerImages images) {
    return new OperatorConfig.Images() {
      @Override
      public String trainer() {
        return images.trainer();
      }

      @Override
      public String aggregator() {
        return images.aggregator();
      }
    };
  }
}
