package dev.flotilla.operator.policy;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/**
 * The operator's admission policy ({@code flotilla.policy.*}, set by the chart's {@code policy}
 * values): what a Federation or ClientPool may ask for, since creating one runs pods and makes the
 * operator call out with a credential. docs/security.md lists each value and what it prevents.
 */
@ConfigMapping(prefix = "flotilla.policy")
public interface PolicyConfig {

  /** Workload images. */
  Images images();

  /** Object-store endpoints and credentials. */
  Storage storage();

  /** Pod settings a ClientPool chooses. */
  Pools pools();

  /** Workload images. */
  interface Images {
    /**
     * Image prefixes (registry, or registry/repository path) a spec may name, e.g. {@code
     * ghcr.io/flotilla-dev/}; {@code *} allows any image. The operator's default images are always
     * allowed. Absent: only the defaults.
     */
    Optional<List<String>> allowedPrefixes();

    /** Whether a spec's image must be pinned by digest ({@code @sha256:...}). */
    @WithDefault("false")
    boolean requireDigest();
  }

  /** Object-store endpoints and credentials. */
  interface Storage {
    /**
     * Endpoint hosts allowed even when internal: exact names, {@code *.domain} wildcards and IP
     * CIDRs. The operator's default endpoint is always allowed.
     */
    Optional<List<String>> allowedEndpoints();

    /** Whether endpoints on public names and addresses not listed are allowed. */
    @WithDefault("true")
    boolean allowPublicEndpoints();

    /** The keys a {@code secretRef} may name (accessKeyKey and secretKeyKey). */
    @WithDefault("accessKey,secretKey")
    List<String> allowedSecretKeys();
  }

  /** Pod settings a ClientPool chooses. */
  interface Pools {
    /** ServiceAccounts a pool may run its trainers as; absent: none (the namespace default). */
    Optional<List<String>> allowedServiceAccounts();

    /** PriorityClasses a pool may name; absent: none. */
    Optional<List<String>> allowedPriorityClasses();

    /** RuntimeClasses a pool may name (e.g. nvidia); absent: none. */
    Optional<List<String>> allowedRuntimeClasses();

    /** Secrets a pool's env may read with secretKeyRef; absent: none. */
    Optional<List<String>> allowedEnvSecrets();

    /** Toleration keys a pool may use; absent: any key (a toleration of every taint never). */
    Optional<List<String>> allowedTolerationKeys();

    /** nodeSelector keys a pool may use; absent: any. */
    Optional<List<String>> allowedNodeSelectorKeys();
  }
}
