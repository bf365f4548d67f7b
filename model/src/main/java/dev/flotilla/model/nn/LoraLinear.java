package dev.flotilla.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import dev.flotilla.core.adapter.FloatTensor;
import dev.flotilla.core.adapter.LoraModule;
import java.util.SplittableRandom;

/**
 * A frozen linear layer {@code y = x·Wᵀ + b} with an optional trainable LoRA branch {@code (α/r)·
 * dropout(x)·Aᵀ·Bᵀ}; W is {@code [out, in]} as in PyTorch.
 */
public final class LoraLinear {
  private final String name;
  private final NDArray weight;
  private final NDArray bias;
  private NDArray loraA;
  private NDArray loraB;
  private float scaling;
  private float dropout;

  /** A plain frozen layer named by its Hugging Face module path ({@code bias} may be null). */
  public LoraLinear(String name, NDArray weight, NDArray bias) {
    this.name = name;
    this.weight = weight;
    this.bias = bias;
  }

  /** The Hugging Face module path, e.g. {@code bert.encoder.layer.0.attention.self.query}. */
  public String name() {
    return name;
  }

  /** Input features. */
  public int inFeatures() {
    return (int) weight.getShape().get(1);
  }

  /** Output features. */
  public int outFeatures() {
    return (int) weight.getShape().get(0);
  }

  /** The frozen weight {@code [out, in]}. */
  public NDArray weight() {
    return weight;
  }

  /** Whether a LoRA branch is attached. */
  public boolean adapted() {
    return loraA != null;
  }

  /** Trainable A {@code [r, in]}, or null. */
  public NDArray loraA() {
    return loraA;
  }

  /** Trainable B {@code [out, r]}, or null. */
  public NDArray loraB() {
    return loraB;
  }

  /**
   * Attaches a fresh LoRA branch: A Kaiming-uniform with a = √5 (PEFT's default, bound {@code
   * 1/√in}), B = 0. Row i of A depends only on (seed, module name, i), so clients of different
   * ranks share their leading rows.
   */
  public void attachFresh(NDManager manager, LoraSettings settings) {
    int in = inFeatures();
    float[] a = new float[settings.rank() * in];
    double bound = 1.0 / Math.sqrt(in);
    for (int row = 0; row < settings.rank(); row++) {
      SplittableRandom random =
          new SplittableRandom(settings.initSeed() * 1_000_003L + name.hashCode() * 31L + row);
      for (int col = 0; col < in; col++) {
        a[row * in + col] = (float) ((random.nextDouble() * 2 - 1) * bound);
      }
    }
    attach(
        manager,
        new LoraModule(
            name,
            new FloatTensor(new int[] {settings.rank(), in}, a),
            FloatTensor.zeros(outFeatures(), settings.rank())),
        settings);
  }

  /** Attaches a LoRA branch with given A and B (a starting adapter); shapes are checked. */
  public void attach(NDManager manager, LoraModule module, LoraSettings settings) {
    if (module.inFeatures() != inFeatures() || module.outFeatures() != outFeatures()) {
      throw new IllegalArgumentException(
          "module "
              + name
              + ": adapter shape in="
              + module.inFeatures()
              + " out="
              + module.outFeatures()
              + " does not match the base layer in="
              + inFeatures()
              + " out="
              + outFeatures());
    }
    loraA = Tensors.toNd(manager, module.a());
    loraB = Tensors.toNd(manager, module.b());
    loraA.setRequiresGradient(true);
    loraB.setRequiresGradient(true);
    scaling = (float) (settings.alpha() / module.rank());
    dropout = (float) settings.dropout();
  }

  /**
   * Forward pass; LoRA dropout is active only when {@code training}. Inputs of rank > 2 are
   * flattened to rows so the bias add is fused into the matrix product (PyTorch's C++ {@code
   * linear} fuses it only for 2-D inputs); the LoRA scaling is applied to the rank-r intermediate,
   * and the LoRA output is added in place.
   */
  public NDArray forward(NDArray x, boolean training) {
    Shape shape = x.getShape();
    int rank = shape.dimension();
    NDArray rows = rank > 2 ? x.reshape(-1, shape.get(rank - 1)) : x;
    NDArray y =
        bias == null
            ? Linear.linear(rows, weight).head()
            : Linear.linear(rows, weight, bias).head();
    if (loraA != null) {
      NDArray input = Ops.dropout(rows, dropout, training);
      NDArray down = Ops.scale(Linear.linear(input, loraA).head(), scaling);
      y.addi(Linear.linear(down, loraB).head());
    }
    return rank > 2 ? y.reshape(shape.slice(0, rank - 1).add(outFeatures())) : y;
  }

  /** The current LoRA weights as a core module. */
  public LoraModule toModule() {
    return new LoraModule(name, Tensors.toFloatTensor(loraA), Tensors.toFloatTensor(loraB));
  }

  /** Folds {@code (α/r)·B·A} into W and detaches the branch (used to check merge equivalence). */
  public void merge() {
    if (loraA == null) {
      return;
    }
    NDArray delta = loraB.matMul(loraA).mul(scaling);
    weight.addi(delta);
    delta.close();
    loraA = null;
    loraB = null;
  }
}
