package dev.flotilla.operator.workload;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.core.protocol.Action.CreateAggregator;
import dev.flotilla.core.protocol.Action.CreateTrainer;
import dev.flotilla.core.protocol.ClientRef;
import dev.flotilla.core.spec.ClientPoolSpec;
import dev.flotilla.core.spec.DurationStrings;
import dev.flotilla.core.spec.EnvVarSpec;
import dev.flotilla.core.spec.FederationSpec;
import dev.flotilla.core.spec.ResourcesSpec;
import dev.flotilla.core.spec.SecretKeysRef;
import dev.flotilla.core.spec.StorageSpec;
import dev.flotilla.core.spec.TolerationSpec;
import dev.flotilla.core.workload.AggregatorInvocation;
import dev.flotilla.core.workload.ExitCode;
import dev.flotilla.core.workload.TrainerInvocation;
import dev.flotilla.core.workload.WorkloadContainer;
import dev.flotilla.core.workload.WorkloadEnvironment;
import dev.flotilla.core.workload.WorkloadSite;
import dev.flotilla.operator.api.v1alpha1.Federation;
import dev.flotilla.operator.config.OperatorConfig;
import dev.flotilla.operator.storage.StorageSecrets;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRuleBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the Kubernetes Jobs of trainers and aggregators from protocol actions: restricted security
 * context, read-only root filesystem with {@code /tmp} and {@code /cache} volumes, credentials only
 * through {@code secretKeyRef} (the Federation's Secret or the operator's default one), the
 * ClientPool's image and scheduling, standard labels and an owner reference to the Federation.
 */
public final class JobFactory {

  private static final String CONTAINER = "workload";
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private final OperatorConfig.Jobs jobs;
  private final OperatorConfig.Images images;
  private final SecretKeysRef defaultSecret;

  /** A factory using the operator's Job settings, default images and default storage Secret. */
  public JobFactory(OperatorConfig config) {
    this(config.jobs(), config.images(), StorageSecrets.defaultRef(config.storage()));
  }

  /** A factory with explicit settings and no default storage Secret. */
  public JobFactory(OperatorConfig.Jobs jobs, OperatorConfig.Images images) {
    this(jobs, images, null);
  }

  /**
   * A factory with explicit settings.
   *
   * @param defaultSecret credentials of Federations without {@code spec.storage.secretRef} (a
   *     Secret in the Federation's namespace), or null for none
   */
  public JobFactory(
      OperatorConfig.Jobs jobs, OperatorConfig.Images images, SecretKeysRef defaultSecret) {
    this.jobs = jobs;
    this.images = images;
    this.defaultSecret = defaultSecret;
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
    List<String> args =
        TrainerInvocation.of(federation.getMetadata().getName(), spec, action, site(storage))
            .toArgs();

    Map<String, String> labels =
        new HashMap<>(
            WorkloadLabels.common(
                federation.getMetadata().getName(), action.round(), WorkloadLabels.TRAINER));
    labels.put(WorkloadLabels.CLIENT, client.id());
    labels.put(WorkloadLabels.ATTEMPT, Integer.toString(action.attempt()));

    Container container =
        container(trainerImage(spec, pool), spec, args, storage)
            .withResources(resources(pool.getResources()))
            .addAllToEnv(extraEnv(pool.getEnv()))
            .build();
    PodSpecBuilder pod = podSpec(container);
    if (pool.getNodeSelector() != null) {
      pod.withNodeSelector(pool.getNodeSelector());
    }
    pod.withTolerations(tolerations(pool.getTolerations()))
        .withAffinity(affinity(pool.getAffinity()))
        .withRuntimeClassName(pool.getRuntimeClassName())
        .withPriorityClassName(pool.getPriorityClassName())
        .withServiceAccountName(pool.getServiceAccountName());
    return job(federation, action.name(), labels, pod, action.deadline(), now);
  }

  /** The Job of a round's aggregator. */
  public Job aggregator(
      Federation federation, CreateAggregator action, StorageTarget storage, Instant now) {
    FederationSpec spec = federation.getSpec();
    List<String> args =
        AggregatorInvocation.of(federation.getMetadata().getName(), spec, action, site(storage))
            .toArgs();

    Map<String, String> labels =
        new HashMap<>(
            WorkloadLabels.common(
                federation.getMetadata().getName(), action.round(), WorkloadLabels.AGGREGATOR));
    labels.put(WorkloadLabels.ATTEMPT, Integer.toString(action.attempt()));
    Container container =
        container(image(spec.getImages().getAggregator(), images.aggregator()), spec, args, storage)
            .build();
    return job(federation, action.name(), labels, podSpec(container), action.deadline(), now);
  }

  private Job job(
      Federation federation,
      String name,
      Map<String, String> labels,
      PodSpecBuilder pod,
      Instant deadline,
      Instant now) {
    FederationSpec spec = federation.getSpec();
    return new JobBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(federation.getMetadata().getNamespace())
        .withLabels(labels)
        .withOwnerReferences(
            new OwnerReferenceBuilder()
                .withApiVersion(federation.getApiVersion())
                .withKind(federation.getKind())
                .withName(federation.getMetadata().getName())
                .withUid(federation.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build())
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

  private ContainerBuilder container(
      String image, FederationSpec spec, List<String> args, StorageTarget storage) {
    List<EnvVar> env = new ArrayList<>();
    StorageSecrets.choose(storage.storage(), defaultSecret)
        .map(StorageSecrets.Choice::ref)
        .ifPresent(
            secret -> {
              env.add(
                  secretEnv(
                      WorkloadEnvironment.ACCESS_KEY, secret.getName(), secret.getAccessKeyKey()));
              env.add(
                  secretEnv(
                      WorkloadEnvironment.SECRET_KEY, secret.getName(), secret.getSecretKeyKey()));
            });
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

  private PodSpecBuilder podSpec(Container container) {
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
            new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build(),
            new VolumeBuilder()
                .withName("cache")
                .withNewEmptyDir()
                .withSizeLimit(new Quantity(jobs.cacheSizeLimit()))
                .endEmptyDir()
                .build());
  }

  /** Where a workload of this cluster runs: all the pod's cores, the Job's volumes. */
  public static WorkloadSite site(StorageTarget storage) {
    return WorkloadContainer.site(storage.endpoint(), storage.storage().getPathStyle());
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
