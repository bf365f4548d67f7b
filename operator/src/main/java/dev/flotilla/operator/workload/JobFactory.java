package dev.flotilla.operator.workload;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.core.protocol.Action.CreateAggregator;
import dev.flotilla.core.protocol.Action.CreateTrainer;
import dev.flotilla.core.protocol.ClientRef;
import dev.flotilla.core.protocol.WorkloadNames;
import dev.flotilla.core.spec.ClientPoolSpec;
import dev.flotilla.core.spec.DataStorageSpec;
import dev.flotilla.core.spec.DurationStrings;
import dev.flotilla.core.spec.EnvVarSpec;
import dev.flotilla.core.spec.FederationSpec;
import dev.flotilla.core.spec.PoolAccess;
import dev.flotilla.core.spec.ResourcesSpec;
import dev.flotilla.core.spec.SecretKeysRef;
import dev.flotilla.core.spec.StorageSpec;
import dev.flotilla.core.spec.TolerationSpec;
import dev.flotilla.core.storage.StorageGrant;
import dev.flotilla.core.storage.StorageJson;
import dev.flotilla.core.workload.AggregatorInvocation;
import dev.flotilla.core.workload.ExitCode;
import dev.flotilla.core.workload.TrainerInvocation;
import dev.flotilla.core.workload.WorkloadContainer;
import dev.flotilla.core.workload.WorkloadEnvironment;
import dev.flotilla.core.workload.WorkloadSite;
import dev.flotilla.operator.api.v1alpha1.Federation;
import dev.flotilla.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRuleBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the Kubernetes Jobs of trainers and aggregators from protocol actions: restricted security
 * context, read-only root filesystem with {@code /tmp} and {@code /cache} volumes, no storage
 * credential (the attempt's storage grant is mounted from a Secret named after the Job; a pool's
 * own data credential comes from the pool's Secret), the ClientPool's image and scheduling,
 * standard labels and an owner reference to the Federation.
 */
public final class JobFactory {

  private static final String CONTAINER = "workload";
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  /** Mount path of the attempt's storage grant (a Secret named after the Job). */
  public static final String GRANT_PATH = WorkloadContainer.GRANT_PATH;

  /**
   * Mode of the grant file in the pod (0444): Secret files are owned by root, so a non-root
   * workload reads them only through the "other" bits; only the pod's own container sees them.
   */
  public static final int GRANT_FILE_MODE = 0444;

  /** File of the grant inside the Secret and the mount. */
  public static final String GRANT_FILE = WorkloadContainer.GRANT_FILE;

  private final OperatorConfig.Jobs jobs;
  private final OperatorConfig.Images images;
  private final WorkloadSizing sizing;

  /** A factory using the operator's Job settings, default images and sizing. */
  public JobFactory(OperatorConfig config) {
    this(config.jobs(), config.images(), WorkloadSizing.of(config.sizing()));
  }

  /** A factory with explicit settings and the default sizing. */
  public JobFactory(OperatorConfig.Jobs jobs, OperatorConfig.Images images) {
    this(jobs, images, WorkloadSizing.DEFAULTS);
  }

  /** A factory with explicit settings. */
  public JobFactory(OperatorConfig.Jobs jobs, OperatorConfig.Images images, WorkloadSizing sizing) {
    this.jobs = jobs;
    this.images = images;
    this.sizing = sizing;
  }

  /** Where workloads reach the object store. */
  public record StorageTarget(String endpoint, StorageSpec storage) {}

  /** The Job of one client's trainer. */
  public Job trainer(
      Federation federation,
      CreateTrainer action,
      ClientPoolSpec pool,
      StorageTarget storage,
      Instant now) {
    FederationSpec spec = federation.getSpec();
    ClientRef client = action.client();
    List<String> args = trainerInvocation(federation, action, pool, storage).toArgs();

    Map<String, String> labels =
        new HashMap<>(labels(federation, action.round(), WorkloadLabels.TRAINER));
    labels.put(WorkloadLabels.CLIENT, client.id());
    labels.put(WorkloadLabels.ATTEMPT, Integer.toString(action.attempt()));

    Container container =
        container(trainerImage(spec, pool), spec, args)
            .withResources(resources(pool.getResources()))
            .addAllToEnv(dataCredentials(pool.getDataStorage()))
            .addAllToEnv(extraEnv(pool.getEnv()))
            .build();
    String namespace = PoolAccess.namespaceOf(client.pool(), namespace(federation));
    String name = jobName(federation, namespace, action.name());
    PodSpecBuilder pod = podSpec(container, name);
    if (pool.getNodeSelector() != null) {
      pod.withNodeSelector(pool.getNodeSelector());
    }
    pod.withTolerations(tolerations(pool.getTolerations()))
        .withAffinity(affinity(pool.getAffinity()))
        .withRuntimeClassName(pool.getRuntimeClassName())
        .withPriorityClassName(pool.getPriorityClassName())
        .withServiceAccountName(pool.getServiceAccountName());
    return job(federation, namespace, name, labels, pod, action.deadline(), now);
  }

  /**
   * The name of the Job of a workload the protocol named {@code name}, in {@code namespace}: the
   * protocol's name in the Federation's own namespace; in a pool's namespace, where same-named
   * Federations of several namespaces may run trainers of the same clients, that name qualified by
   * the Federation's namespace ({@link WorkloadNames#qualified}).
   */
  public static String jobName(Federation federation, String namespace, String name) {
    return namespace.equals(namespace(federation))
        ? name
        : WorkloadNames.qualified(name, namespace(federation));
  }

  private static String namespace(Federation federation) {
    return federation.getMetadata().getNamespace();
  }

  private static Map<String, String> labels(Federation federation, int round, String component) {
    return WorkloadLabels.common(
        namespace(federation), federation.getMetadata().getName(), round, component);
  }

  /** The Job of a round's aggregator. */
  public Job aggregator(
      Federation federation, CreateAggregator action, StorageTarget storage, Instant now) {
    FederationSpec spec = federation.getSpec();
    List<String> args = aggregatorInvocation(federation, action, storage).toArgs();

    Map<String, String> labels =
        new HashMap<>(labels(federation, action.round(), WorkloadLabels.AGGREGATOR));
    labels.put(WorkloadLabels.ATTEMPT, Integer.toString(action.attempt()));
    Container container =
        container(image(spec.getImages().getAggregator(), images.aggregator()), spec, args)
            .withResources(sizing.aggregatorResources(spec, action))
            .build();
    return job(
        federation,
        namespace(federation),
        action.name(),
        labels,
        podSpec(container, action.name()),
        action.deadline(),
        now);
  }

  /** What the trainer of {@code action} is told (its Job's arguments). */
  public TrainerInvocation trainerInvocation(
      Federation federation, CreateTrainer action, ClientPoolSpec pool, StorageTarget storage) {
    return TrainerInvocation.of(
        federation.getMetadata().getName(), federation.getSpec(), pool, action, site(storage));
  }

  /** What the aggregator of {@code action} is told (its Job's arguments). */
  public AggregatorInvocation aggregatorInvocation(
      Federation federation, CreateAggregator action, StorageTarget storage) {
    return AggregatorInvocation.of(
        federation.getMetadata().getName(), federation.getSpec(), action, site(storage));
  }

  /**
   * The Secret holding a Job's storage grant, created before the Job (so a crash between the two
   * can never leave a Job whose pod waits for a Secret nobody creates) with the Job's owner (the
   * Federation, in its own namespace; none in a pool's namespace) until {@link #ownedBy} hands it
   * to the created Job, so it goes when the Job goes; the pod mounts it read-only.
   */
  public Secret grantSecret(Job job, StorageGrant grant) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(job.getMetadata().getName())
        .withNamespace(job.getMetadata().getNamespace())
        .withLabels(job.getMetadata().getLabels())
        .withOwnerReferences(job.getMetadata().getOwnerReferences())
        .endMetadata()
        .withType("Opaque")
        .withImmutable(true)
        .addToStringData(GRANT_FILE, new String(StorageJson.write(grant), StandardCharsets.UTF_8))
        .build();
  }

  /** The owner reference making {@code job} the owner (and collector) of its grant Secret. */
  public static OwnerReference ownedBy(Job job) {
    return new OwnerReferenceBuilder()
        .withApiVersion("batch/v1")
        .withKind("Job")
        .withName(job.getMetadata().getName())
        .withUid(job.getMetadata().getUid())
        .build();
  }

  private Job job(
      Federation federation,
      String namespace,
      String name,
      Map<String, String> labels,
      PodSpecBuilder pod,
      Instant deadline,
      Instant now) {
    FederationSpec spec = federation.getSpec();
    // Owner references cannot cross namespaces: a Job in a pool's namespace is the Federation's by
    // its labels, deleted by the protocol when its round is over and stopped by its deadline.
    List<OwnerReference> owners =
        namespace.equals(namespace(federation))
            ? List.of(
                new OwnerReferenceBuilder()
                    .withApiVersion(federation.getApiVersion())
                    .withKind(federation.getKind())
                    .withName(federation.getMetadata().getName())
                    .withUid(federation.getMetadata().getUid())
                    .withController(true)
                    .withBlockOwnerDeletion(true)
                    .build())
            : List.of();
    return new JobBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .withLabels(labels)
        .withOwnerReferences(owners)
        .endMetadata()
        .withNewSpec()
        .withBackoffLimit(jobs.backoffLimit())
        .withActiveDeadlineSeconds(activeDeadlineSeconds(deadline, now))
        .withTtlSecondsAfterFinished(ttlSeconds(spec))
        .withNewPodFailurePolicy()
        // Evictions and preemptions do not count against the backoff limit (checked first: a
        // disrupted pod exits by a signal or however its shutdown ends).
        .addToRules(
            new PodFailurePolicyRuleBuilder()
                .withAction("Ignore")
                .addNewOnPodCondition()
                .withType("DisruptionTarget")
                .withStatus("True")
                .endOnPodCondition()
                .build())
        // Every failure the programs do not call retriable (bad input, an unexpected error)
        // fails the Job at once; retriable ones count against the backoff limit.
        .addToRules(
            new PodFailurePolicyRuleBuilder()
                .withAction("FailJob")
                .withNewOnExitCodes()
                .withContainerName(CONTAINER)
                .withOperator("NotIn")
                .withValues(ExitCode.retriableCodes())
                .endOnExitCodes()
                .build())
        .endPodFailurePolicy()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(labels)
        .endMetadata()
        .withSpec(pod.build())
        .endTemplate()
        .endSpec()
        .build();
  }

  private ContainerBuilder container(String image, FederationSpec spec, List<String> args) {
    // No storage credential: the workload reaches the Federation's store only through the
    // presigned URLs of its grant, mounted from the Job's own Secret.
    List<EnvVar> env = new ArrayList<>();
    WorkloadContainer.environment()
        .forEach((name, value) -> env.add(new EnvVar(name, value, null)));
    WorkloadContainer.Security security = WorkloadContainer.SECURITY;
    return new ContainerBuilder()
        .withName(CONTAINER)
        .withImage(image)
        .withImagePullPolicy(spec.getImages().getPullPolicy())
        .withArgs(args)
        .withEnv(env)
        .withVolumeMounts(
            new VolumeMountBuilder()
                .withName("tmp")
                .withMountPath(WorkloadContainer.TMP_PATH)
                .build(),
            new VolumeMountBuilder()
                .withName("cache")
                .withMountPath(WorkloadContainer.CACHE_PATH)
                .build(),
            new VolumeMountBuilder()
                .withName("grant")
                .withMountPath(GRANT_PATH)
                .withReadOnly(true)
                .build())
        .withNewSecurityContext()
        .withRunAsNonRoot(security.runAsNonRoot())
        .withAllowPrivilegeEscalation(security.allowPrivilegeEscalation())
        .withReadOnlyRootFilesystem(security.readOnlyRootFilesystem())
        .withPrivileged(security.privileged())
        .withNewCapabilities()
        .withDrop(security.dropCapabilities())
        .endCapabilities()
        .withNewSeccompProfile()
        .withType(security.seccompProfile())
        .endSeccompProfile()
        .endSecurityContext();
  }

  private PodSpecBuilder podSpec(Container container, String grantSecret) {
    return new PodSpecBuilder()
        .withRestartPolicy("Never")
        .withAutomountServiceAccountToken(false)
        .withEnableServiceLinks(false)
        .withNewSecurityContext()
        .withRunAsNonRoot(WorkloadContainer.SECURITY.runAsNonRoot())
        .withNewSeccompProfile()
        .withType(WorkloadContainer.SECURITY.seccompProfile())
        .endSeccompProfile()
        .endSecurityContext()
        .withContainers(container)
        .withVolumes(
            new VolumeBuilder()
                .withName("tmp")
                .withNewEmptyDir()
                .withSizeLimit(new Quantity(sizing.tmpSizeLimit()))
                .endEmptyDir()
                .build(),
            new VolumeBuilder()
                .withName("cache")
                .withNewEmptyDir()
                .withSizeLimit(new Quantity(jobs.cacheSizeLimit()))
                .endEmptyDir()
                .build(),
            new VolumeBuilder()
                .withName("grant")
                .withNewSecret()
                .withSecretName(grantSecret)
                // World-readable inside the pod: the kubelet owns Secret files by root (no
                // fsGroup here), and the image's user (any non-root UID) must read the grant.
                .withDefaultMode(GRANT_FILE_MODE)
                .endSecret()
                .build());
  }

  /** Where a workload of this cluster runs: all the pod's cores, the Job's volumes. */
  public static WorkloadSite site(StorageTarget storage) {
    return WorkloadContainer.site(storage.endpoint(), storage.storage().getPathStyle());
  }

  /** The pool's own data credential, from its Secret (the operator never reads it). */
  private static List<EnvVar> dataCredentials(DataStorageSpec data) {
    if (data == null) {
      return List.of();
    }
    SecretKeysRef ref = data.getSecretRef();
    return List.of(
        secretEnv(WorkloadEnvironment.DATA_ACCESS_KEY, ref.getName(), ref.getAccessKeyKey()),
        secretEnv(WorkloadEnvironment.DATA_SECRET_KEY, ref.getName(), ref.getSecretKeyKey()));
  }

  private static EnvVar secretEnv(String name, String secret, String key) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewSecretKeyRef()
        .withName(secret)
        .withKey(key)
        .endSecretKeyRef()
        .endValueFrom()
        .build();
  }

  private static List<EnvVar> extraEnv(List<EnvVarSpec> env) {
    List<EnvVar> out = new ArrayList<>();
    if (env == null) {
      return out;
    }
    for (EnvVarSpec var : env) {
      if (var.getValueFrom() != null && var.getValueFrom().getSecretKeyRef() != null) {
        var ref = var.getValueFrom().getSecretKeyRef();
        out.add(
            new EnvVarBuilder()
                .withName(var.getName())
                .withNewValueFrom()
                .withNewSecretKeyRef()
                .withName(ref.getName())
                .withKey(ref.getKey())
                .withOptional(ref.getOptional())
                .endSecretKeyRef()
                .endValueFrom()
                .build());
      } else {
        out.add(new EnvVar(var.getName(), var.getValue(), null));
      }
    }
    return out;
  }

  private static ResourceRequirements resources(ResourcesSpec spec) {
    if (spec == null) {
      return null;
    }
    return new ResourceRequirementsBuilder()
        .withRequests(quantities(spec.getRequests()))
        .withLimits(quantities(spec.getLimits()))
        .build();
  }

  private static Map<String, Quantity> quantities(Map<String, String> values) {
    if (values == null || values.isEmpty()) {
      return null;
    }
    Map<String, Quantity> out = new LinkedHashMap<>();
    values.forEach((name, value) -> out.put(name, new Quantity(value)));
    return out;
  }

  private static List<Toleration> tolerations(List<TolerationSpec> specs) {
    if (specs == null) {
      return List.of();
    }
    return specs.stream()
        .map(
            t ->
                new TolerationBuilder()
                    .withKey(t.getKey())
                    .withOperator(t.getOperator())
                    .withValue(t.getValue())
                    .withEffect(t.getEffect())
                    .withTolerationSeconds(t.getTolerationSeconds())
                    .build())
        .toList();
  }

  private static Affinity affinity(JsonNode affinity) {
    if (affinity == null || affinity.isNull()) {
      return null;
    }
    return SERIALIZATION.convertValue(affinity, Affinity.class);
  }

  /** The pool's image, else the Federation's trainer image, else the operator default. */
  private String trainerImage(FederationSpec spec, ClientPoolSpec pool) {
    return image(pool.getImage(), image(spec.getImages().getTrainer(), images.trainer()));
  }

  private static String image(String fromSpec, String fallback) {
    return fromSpec == null || fromSpec.isBlank() ? fallback : fromSpec;
  }

  /** Seconds until the attempt's deadline (at least one minute): the Job's own time limit. */
  static long activeDeadlineSeconds(Instant deadline, Instant now) {
    long seconds = (long) Math.ceil(Duration.between(now, deadline).toMillis() / 1000.0);
    return Math.max(60, seconds);
  }

  /**
   * Finished Jobs must outlive every attempt of their round (the protocol reads their outcome), so
   * the TTL is at least {@code roundTimeout x (maxRoundRetries + 1)} plus the configured margin.
   */
  private int ttlSeconds(FederationSpec spec) {
    long round = DurationStrings.parse("spec.roundTimeout", spec.getRoundTimeout()).toSeconds();
    int attempts = spec.getFailurePolicy().getMaxRoundRetries() + 1;
    return (int) Math.min(Integer.MAX_VALUE, round * attempts + jobs.ttlSecondsAfterFinished());
  }
}
