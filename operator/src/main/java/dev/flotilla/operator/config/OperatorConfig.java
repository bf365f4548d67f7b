package dev.flotilla.operator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Operator-level settings ({@code flotilla.*} in application.properties or the environment). */
@ConfigMapping(prefix = "flotilla")
public interface OperatorConfig {

  /** Job creation settings. */
  Jobs jobs();

  /** Leader election settings. */
  LeaderElection leaderElection();

  /** Object storage defaults. */
  Storage storage();

  /** Workload images used when a Federation does not name its own. */
  Images images();

  /** What one Federation may cost the operator. */
  Limits limits();

  /** What one Federation may cost the operator. */
  interface Limits {
    /**
     * At most this many trainer Jobs of one Federation are active at once; further sampled clients
     * wait for a slot (reported in the JobsCapped condition).
     */
    @WithDefault("256")
    int maxJobsPerFederation();

    /** Connect timeout of the operator's object-storage calls. */
    @WithDefault("3s")
    java.time.Duration storageConnectTimeout();

    /** Read and write timeout of the operator's object-storage calls. */
    @WithDefault("5s")
    java.time.Duration storageReadTimeout();
  }

  /** Aggregator resources and scratch-volume limits. */
  Sizing sizing();

  /** Job creation settings. */
  interface Jobs {
    /** At most this many Job create calls are in flight at once. */
    @WithDefault("32")
    int createParallelism();

    /** Pod retries per Job before it counts as failed (rounds retry clients themselves). */
    @WithDefault("1")
    int backoffLimit();

    /** Seconds a finished Job is kept before Kubernetes deletes it. */
    @WithDefault("3600")
    int ttlSecondsAfterFinished();

    /** Size limit of the cache volume (model and data downloads) of each workload pod. */
    @WithDefault("20Gi")
    String cacheSizeLimit();
  }

  /** Leader election settings. */
  interface LeaderElection {
    /** Name of the coordination.k8s.io Lease. */
    @WithDefault("flotilla-operator-lease")
    String leaseName();
  }

  /** Object storage defaults. */
  interface Storage {
    /** Endpoint used when a Federation's spec.storage.endpoint is omitted. */
    Optional<String> defaultEndpoint();

    /**
     * Credentials Secret used when a Federation's spec.storage.secretRef is omitted; looked up in
     * the Federation's own namespace (each namespace needs its copy).
     */
    Optional<String> defaultSecretName();

    /** Key of the access key id in the default Secret. */
    @WithDefault("accessKey")
    String defaultSecretAccessKeyKey();

    /** Key of the secret access key in the default Secret. */
    @WithDefault("secretKey")
    String defaultSecretSecretKeyKey();
  }

  /** Workload images used when a Federation does not name its own. */
  interface Images {
    /** Trainer image. */
    @WithDefault("ghcr.io/flotilla-dev/flotilla-trainer:0.1.0")
    String trainer();

    /** Aggregator image. */
    @WithDefault("ghcr.io/flotilla-dev/flotilla-aggregator:0.1.0")
    String aggregator();
  }

  /** Aggregator resources and scratch-volume limits (the formula: WorkloadSizing). */
  interface Sizing {
    /** CPU request of each aggregator. */
    @WithDefault("1")
    String aggregatorCpu();

    /** Aggregator memory before any adapter. */
    @WithDefault("768Mi")
    String aggregatorMemoryBase();

    /** Aggregator memory per LoRA rank per target module (over all layers). */
    @WithDefault("2Mi")
    String aggregatorMemoryPerRankModule();

    /** The largest memory request and limit of an aggregator. */
    @WithDefault("32Gi")
    String aggregatorMemoryMax();

    /** Size limit of each workload pod's /tmp volume (scratch, downloads in progress). */
    @WithDefault("4Gi")
    String tmpSizeLimit();
  }
}
