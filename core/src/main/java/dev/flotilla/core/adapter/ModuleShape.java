package dev.flotilla.core.adapter;

/**
 * The shape of a base model's linear layer that LoRA adapts: {@code weight} is {@code [out, in]}.
 *
 * @param inFeatures input features k (columns of lora_A)
 * @param outFeatures output features d (rows of lora_B)
 */
public record ModuleShape(int inFeatures, int outFeatures) {
  /** Checks both sizes are positive. */
  public ModuleShape {
    if (inFeatures < 1 || outFeatures < 1) {
      throw new IllegalArgumentException(
          "module sizes must be positive, got in=" + inFeatures + " out=" + outFeatures);
    }
  }

  /** The shape of the layer {@code module} adapts. */
  public static ModuleShape of(LoraModule module) {
    return new ModuleShape(module.inFeatures(), module.outFeatures());
  }
}
