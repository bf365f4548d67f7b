package dev.flotilla.model.train;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * AdamW with decoupled weight decay, as {@code torch.optim.AdamW}: {@code p ← p·(1 − lr·wd)}, then
 * the bias-corrected Adam step. Moment buffers are allocated once, up front.
 */
public final class AdamW implements AutoCloseable {
  private final List<NDArray> params = new ArrayList<>();
  private final List<NDArray> firstMoments = new ArrayList<>();
  private final List<NDArray> secondMoments = new ArrayList<>();
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double weightDecay;
  private int step;

  /** An optimizer over {@code params} with the usual betas (0.9, 0.999) and eps 1e-8. */
  public AdamW(Map<String, NDArray> params, double weightDecay) {
    this(params, 0.9, 0.999, 1e-8, weightDecay);
  }

  /** An optimizer with explicit hyper-parameters. */
  public AdamW(
      Map<String, NDArray> params, double beta1, double beta2, double eps, double weightDecay) {
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
    for (NDArray param : params.values()) {
      this.params.add(param);
      firstMoments.add(param.zerosLike());
      secondMoments.add(param.zerosLike());
    }
  }

  /** Applies one update with learning rate {@code lr} using each parameter's current gradient. */
  public void step(double lr) {
    step++;
    double bias1 = 1 - Math.pow(beta1, step);
    double bias2 = 1 - Math.pow(beta2, step);
    try (NoGrad ignored = new NoGrad()) {
      for (int i = 0; i < params.size(); i++) {
        NDArray p = params.get(i);
        try (NDArray g = p.getGradient()) {
          NDArray m = firstMoments.get(i);
          NDArray v = secondMoments.get(i);
          if (weightDecay != 0) {
            p.muli((float) (1 - lr * weightDecay));
          }
          m.muli((float) beta1);
          try (NDArray scaled = g.mul((float) (1 - beta1))) {
            m.addi(scaled);
          }
          v.muli((float) beta2);
          try (NDArray sq = g.square().muli((float) (1 - beta2))) {
            v.addi(sq);
          }
          try (NDArray denom = v.div((float) bias2).sqrt().addi((float) eps);
              NDArray update = m.div(denom).muli((float) (lr / bias1))) {
            p.subi(update);
          }
        }
      }
    }
  }

  /** Number of updates applied so far. */
  public int steps() {
    return step;
  }

  @Override
  public void close() {
    firstMoments.forEach(NDArray::close);
    secondMoments.forEach(NDArray::close);
  }
}
