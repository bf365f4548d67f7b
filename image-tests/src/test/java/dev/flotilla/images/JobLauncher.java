package dev.flotilla.images;

import dev.flotilla.core.protocol.Action;
import dev.flotilla.core.spec.ClientPoolSpec;
import dev.flotilla.core.workload.AggregatorInvocation;
import dev.flotilla.core.workload.TrainerInvocation;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts each workload of a local run from the Job the operator would create for it: {@link
 * JobFactory} builds the Job (storage at the embedded server, no credential), {@link PodContainers}
 * turns its pod into a container as the kubelet would, and podman runs it. The Job's grant Secret
 * is materialized as the kubelet would: one host file per key with the volume's mode, the grant
 * being minted by the local runner exactly as the operator mints it (the same invocation the Job's
 * arguments come from, {@code WorkloadGrants} and {@code S3GrantSigner} against the embedded
 * server). Every started container is recorded.
 */
final class JobLauncher implements WorkloadLauncher {
  static final String NAMESPACE = "flotilla-images";

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
    this.jobs = new JobFactory(jobSettings(), images(images));
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
  public Launch<TrainerInvocation> trainer(Action.CreateTrainer action, Path log)
      throws IOException {
    Job job = trainerJob(action);
    return new Launch<>(
        jobs.trainerInvocation(federation(), action, pool(action), storage()),
        grantFile(action.name()),
        grantMode(job),
        start(action.name(), container(action.name(), job), log));
  }

  @Override
  public Launch<AggregatorInvocation> aggregator(Action.CreateAggregator action, Path log)
      throws IOException {
    Job job = aggregatorJob(action);
    return new Launch<>(
        jobs.aggregatorInvocation(federation(), action, storage()),
        grantFile(action.name()),
        grantMode(job),
        start(action.name(), container(action.name(), job), log));
  }

  /** The Job JobFactory builds for {@code action}'s trainer. */
  Job trainerJob(Action.CreateTrainer action) {
    return jobs.trainer(federation(), action, pool(action), storage(), Instant.now());
  }

  /** The Job JobFactory builds for {@code action}'s aggregator. */
  Job aggregatorJob(Action.CreateAggregator action) {
    return jobs.aggregator(federation(), action, storage(), Instant.now());
  }

  /** The container of {@code action}'s trainer Job. */
  ContainerSpec trainerSpec(Action.CreateTrainer action) throws IOException {
    return container(action.name(), trainerJob(action));
  }

  /** The container of {@code action}'s aggregator Job. */
  ContainerSpec aggregatorSpec(Action.CreateAggregator action) throws IOException {
    return container(action.name(), aggregatorJob(action));
  }

  /**
   * The host file behind key {@code grant.json} of Job {@code name}'s grant Secret, where the local
   * runner writes the grant before the container starts.
   */
  Path grantFile(String name) {
    return site.scratchDir().resolve(name).resolve("secrets").resolve(JobFactory.GRANT_FILE);
  }

  private ClientPoolSpec pool(Action.CreateTrainer action) {
    return bundle.pools().get(action.client().pool());
  }

  /** The mode the kubelet gives the grant Secret's files. */
  private static String grantMode(Job job) {
    return PodContainers.secretFileMode(job.getSpec().getTemplate().getSpec(), "grant");
  }

  /** The containers started so far. */
  synchronized List<ContainerSpec> started() {
    return List.copyOf(started);
  }

  private ContainerSpec container(String name, Job job) throws IOException {
    // The grant Secret is named after the Job (JobFactory.grantSecret); no other Secret exists.
    Path secrets = Files.createDirectories(grantFile(name).getParent());
    Files.setPosixFilePermissions(secrets, PosixFilePermissions.fromString("rwx------"));
    return PodContainers.translate(
        ContainerLauncher.NAME_PREFIX + name,
        job.getSpec().getTemplate().getSpec(),
        Map.of(),
        Map.of(job.getMetadata().getName(), Map.of(JobFactory.GRANT_FILE, grantFile(name))),
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
