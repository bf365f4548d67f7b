package dev.flotilla.core.storage;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Every object key of one federation, under {@code <prefix>/<federation>/}. Rounds are numbered
 * from 1 and zero-padded to 4 digits so keys sort by round:
 *
 * <pre>
 * rounds/0003/plan.json                                  round plan, written before workloads start
 * rounds/0003/clients/&lt;id&gt;/attempt-1/adapter_model.safetensors   client upload of one round
 * rounds/0003/clients/&lt;id&gt;/attempt-1/adapter_config.json         attempt (metrics.json LAST)
 * rounds/0003/clients/&lt;id&gt;/attempt-1/metrics.json
 * rounds/0003/global/adapter_model.safetensors           global adapter at the global rank
 * rounds/0003/ranks/&lt;k&gt;/adapter_model.safetensors       redistributed adapter of rank k
 * rounds/0003/server-optimizer/state.safetensors         server optimizer state (when one is set)
 * rounds/0003/manifest.json                              the round's commit marker, written last
 * </pre>
 *
 * @param bucket bucket holding the objects
 * @param prefix key prefix (may be empty), without leading or trailing slash
 * @param federation federation name (a DNS-1123 label)
 */
public record StorageLayout(String bucket, String prefix, String federation) {

  /** File name of the LoRA weights (PEFT layout). */
  public static final String ADAPTER_MODEL = "adapter_model.safetensors";

  /** File name of the PEFT adapter configuration. */
  public static final String ADAPTER_CONFIG = "adapter_config.json";

  /** File name of a client's training metrics; its presence marks a complete upload. */
  public static final String METRICS = "metrics.json";

  /** File name of the round plan. */
  public static final String PLAN = "plan.json";

  /** File name of the round commit marker. */
  public static final String MANIFEST = "manifest.json";

  /** File name of the ownership record. */
  public static final String OWNER = "owner.json";

  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]+");

  /** Normalises the prefix (strips slashes) and checks the names can be used as key segments. */
  public StorageLayout {
    Objects.requireNonNull(bucket, "bucket");
    prefix = prefix == null ? "" : prefix.replaceAll("^/+|/+$", "");
    checkSegment("federation", federation);
  }

  /** Key prefix of everything belonging to the federation, ending with {@code /}. */
  public String root() {
    return prefix.isEmpty() ? federation + "/" : prefix + "/" + federation + "/";
  }

  /** Key prefix of all rounds, ending with {@code /}. */
  public String roundsPrefix() {
    return root() + "rounds/";
  }

  /** Key prefix of round {@code round}, e.g. {@code flotilla/fed/rounds/0003/}. */
  public String roundPrefix(int round) {
    if (round < 1) {
      throw new IllegalArgumentException("round numbers start at 1, got " + round);
    }
    String digits = Integer.toString(round);
    return roundsPrefix() + "0".repeat(Math.max(0, 4 - digits.length())) + digits + "/";
  }

  /** Key prefix of all client uploads of a round. */
  public String clientsPrefix(int round) {
    return roundPrefix(round) + "clients/";
  }

  /**
   * Key prefix of one client's upload in a round attempt: keyed per attempt, so a trainer of one
   * attempt can never overwrite, or be mixed with, the upload of another.
   */
  public String clientAdapterPrefix(int round, String clientId, int attempt) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be >= 1, got " + attempt);
    }
    return clientsPrefix(round) + checkSegment("clientId", clientId) + "/attempt-" + attempt + "/";
  }

  /** Key of one client's {@code metrics.json} of a round attempt, the last object it uploads. */
  public String clientMetrics(int round, String clientId, int attempt) {
    return clientAdapterPrefix(round, clientId, attempt) + METRICS;
  }

  /** Key of the round plan. */
  public String planKey(int round) {
    return roundPrefix(round) + PLAN;
  }

  /** Key prefix of the global adapter produced by a round. */
  public String globalAdapterPrefix(int round) {
    return roundPrefix(round) + "global/";
  }

  /** Key prefix of the adapter of rank {@code rank} redistributed after a round. */
  public String rankAdapterPrefix(int round, int rank) {
    if (rank < 1) {
      throw new IllegalArgumentException("rank must be >= 1, got " + rank);
    }
    return roundPrefix(round) + "ranks/" + rank + "/";
  }

  /**
   * Key of the server optimizer state a round leaves for the next (written before the manifest, its
   * hash recorded there).
   */
  public String serverOptimizerStateKey(int round) {
    return roundPrefix(round) + "server-optimizer/state.safetensors";
  }

  /** Key of the ownership record of the federation's prefix. */
  public String ownerKey() {
    return root() + OWNER;
  }

  /** Key of the round's commit marker. */
  public String manifestKey(int round) {
    return roundPrefix(round) + MANIFEST;
  }

  /**
   * Where a client of rank {@code rank} finds its starting adapter for a round whose base is {@code
   * baseRound} (the last committed round before it, normally {@code round - 1}); empty when {@code
   * baseRound} is 0: the trainer initialises fresh adapters (B = 0).
   */
  public Optional<String> startingAdapterPrefix(int baseRound, int rank) {
    if (baseRound < 0) {
      throw new IllegalArgumentException("baseRound must be >= 0, got " + baseRound);
    }
    return baseRound == 0 ? Optional.empty() : Optional.of(rankAdapterPrefix(baseRound, rank));
  }

  /** The {@code s3://bucket/key} URI of a key or prefix of this layout. */
  public S3Uri uri(String key) {
    return new S3Uri(bucket, key);
  }

  private static String checkSegment(String field, String value) {
    if (value == null
        || !SEGMENT.matcher(value).matches()
        || value.equals(".")
        || value.equals("..")) {
      throw new IllegalArgumentException(
          field + " must be letters, digits, '.', '_' or '-', got '" + value + "'");
    }
    return value;
  }
}
