package dev.flotilla.core.adapter;

/**
 * One LoRA-adapted linear module: {@code A} is {@code rank × inFeatures}, {@code B} is {@code
 * outFeatures × rank}, so the module's update is {@code (alpha / rank) · B · A}.
 *
 * @param name the module path inside the base model, e.g. {@code
 *     bert.encoder.layer.0.attention.self.query}
 * @param a the down projection, shape {@code [rank, inFeatures]}
 * @param b the up projection, shape {@code [outFeatures, rank]}
 */
public record LoraModule(String name, FloatTensor a, FloatTensor b) {

  /** Checks that A and B are matrices whose shared dimension is the rank. */
  public LoraModule {
    if (a.rank() != 2 || b.rank() != 2) {
      throw new IllegalArgumentException(
          "module " + name + ": lora_A " + a + " and lora_B " + b + " must be matrices");
    }
    if (a.dim(0) != b.dim(1)) {
      throw new IllegalArgumentException(
          "module "
              + name
              + ": lora_A "
              + a
              + " has rank "
              + a.dim(0)
              + " but lora_B "
              + b
              + " has rank "
              + b.dim(1));
    }
  }

  /** The LoRA rank r. */
  public int rank() {
    return a.dim(0);
  }

  /** Input features k of the adapted linear layer. */
  public int inFeatures() {
    return a.dim(1);
  }

  /** Output features d of the adapted linear layer. */
  public int outFeatures() {
    return b.dim(0);
  }
}
