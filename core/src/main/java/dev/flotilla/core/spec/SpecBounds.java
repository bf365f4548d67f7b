package dev.flotilla.core.spec;

/**
 * The limits of every tenant-controlled field, in one place: the spec classes' schema annotations
 * (which generate the CRDs) and {@link SpecValidator} read the same constants, so the API server
 * and the operator refuse at the same value. Why each limit: docs/architecture.md, "Bounds and
 * validation".
 */
public final class SpecBounds {

  /** Longest Federation name: it is the value of the flotilla.dev/federation label of every Job. */
  public static final int FEDERATION_NAME = 63;

  /** Most rounds: manifests of 10,000 rounds list in ten 1,000-key pages. */
  public static final int ROUNDS = 10_000;

  /**
   * Most clients of a Federation (all pools together) and of one generated pool: the directory of
   * 10,000 clients is about 2 MB of operator memory and one sample shuffle of 10,000 entries.
   */
  public static final int CLIENTS = 10_000;

  /**
   * Most listed clients of one pool: 1,000 entries of up to ~1.1 KB stay below etcd's 1.5 MiB
   * object limit; larger pools use count and dataUriTemplate.
   */
  public static final int LISTED_CLIENTS = 1_000;

  /** Longest generated-client id prefix: the prefix plus a five-digit index stays a 63-char id. */
  public static final int ID_PREFIX = 40;

  /** Most pools a Federation selects by name. */
  public static final int POOLS = 32;

  /** Longest data or model URI: an S3 key is at most 1,024 bytes, plus scheme and bucket. */
  public static final int URI = 1_100;

  /**
   * A data or model URI: {@code s3://bucket/key}, an absolute path inside the image, or {@code
   * file:} (resolved only by {@code ./flotilla run}; the operator refuses it).
   */
  public static final String URI_PATTERN = "^(s3://[^/]+/.+|/.+|file:.+)$";

  /** Highest LoRA rank (client and global): a rank-1,024 adapter of a 4,096-wide model is 4 GB. */
  public static final int RANK = 1_024;

  /** Most classes of a classification task (the head is numLabels × hidden). */
  public static final int LABELS = 10_000;

  /** Most epochs per round. */
  public static final int EPOCHS = 1_000;

  /** Most optimizer steps per round. */
  public static final int MAX_STEPS = 1_000_000;

  /** Largest batch. */
  public static final int BATCH_SIZE = 4_096;

  /** Longest token sequence. */
  public static final int SEQ_LENGTH = 32_768;

  /** Highest learning rate. */
  public static final int LEARNING_RATE = 1;

  /** Highest LoRA alpha. */
  public static final int ALPHA = 100_000;

  /** Most LoRA target modules, and the longest module name. */
  public static final int TARGET_MODULES = 64;

  /** Longest name of a module, label key part, Secret key or generic short string. */
  public static final int SHORT_STRING = 253;

  /** Longest roundTimeout string and the longest duration it may name (7 days). */
  public static final int DURATION_STRING = 32;

  /** A Go-style duration string such as 30m or 1h30m (also valid inside a CEL string literal). */
  public static final String DURATION_PATTERN = "^([0-9]+([.][0-9]+)?(ms|s|m|h))+$";

  /** Longest roundTimeout: 7 days, in hours. */
  public static final int ROUND_TIMEOUT_HOURS = 168;

  /** Most retries of a round: each retry re-runs every unfinished client. */
  public static final int ROUND_RETRIES = 100;

  /** Longest endpoint URL. */
  public static final int ENDPOINT = 512;

  /** Longest storage prefix. */
  public static final int PREFIX = 256;

  /** A storage prefix: '/'-separated segments, none of them '.' or '..' (no escape upwards). */
  public static final String PREFIX_PATTERN =
      "^[A-Za-z0-9._-]*[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9._-]*[A-Za-z0-9_-][A-Za-z0-9._-]*)*$";

  /** A region name. */
  public static final String REGION_PATTERN = "^[a-z0-9-]+$";

  /** A key of a Secret (Kubernetes' own grammar). */
  public static final String SECRET_KEY_PATTERN = "^[-._a-zA-Z0-9]+$";

  /** A DNS-1123 subdomain (names of ServiceAccounts, PriorityClasses, RuntimeClasses). */
  public static final String DNS_SUBDOMAIN_PATTERN =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  /** Longest region. */
  public static final int REGION = 64;

  /** Longest image reference. */
  public static final int IMAGE = 512;

  /** Most labels in a selector, entries in nodeSelector, requests or limits. */
  public static final int MAP_ENTRIES = 32;

  /** Longest label value (Kubernetes' own limit). */
  public static final int LABEL_VALUE = 63;

  /** Longest qualified label key: a 253-char DNS prefix, '/', a 63-char name. */
  public static final int LABEL_KEY = 317;

  /** Longest resource quantity string. */
  public static final int QUANTITY = 64;

  /** Most tolerations. */
  public static final int TOLERATIONS = 32;

  /** Longest toleration: one year. */
  public static final long TOLERATION_SECONDS = 31_536_000L;

  /** Most environment variables of a pool. */
  public static final int ENV = 64;

  /** Longest environment variable value. */
  public static final int ENV_VALUE = 4_096;

  private SpecBounds() {}
}
