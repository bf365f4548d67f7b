package dev.flotilla.experiments;

/** How an experiment's training examples are divided among its clients. */
public enum Partition {
  /** Shuffled, dealt round-robin: every client sees the same distribution. */
  IID("IID"),
  /**
   * Label skew by McMahan et al.'s shard scheme: examples sorted by label, cut into 2K equal
   * shards, each client gets two random shards (most clients hold one class only).
   */
  LABEL_SKEW("label skew"),
  /** Domain split: examples sorted by source domain, cut into K contiguous equal parts. */
  DOMAIN("domain split");

  private final String label;

  Partition(String label) {
    this.label = label;
  }

  /** The name used in tables. */
  public String label() {
    return label;
  }
}
