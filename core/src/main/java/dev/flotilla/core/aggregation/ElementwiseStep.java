package dev.flotilla.core.aggregation;

import dev.flotilla.core.adapter.FloatTensor;
import java.util.Arrays;
import java.util.Map;

/**
 * One server optimizer step on a tensor, element by element (package-private): Δ = target −
 * previous is the pseudo-gradient, and the result is previous + η·m (SGD: m = β·m + Δ) or previous
 * + η·m/(√v + τ) (Adam, Yogi, Adagrad, Reddi et al. Algorithm 2, without bias correction, m
 * starting at 0 and v at τ²). Moments are read from the previous state under {@code m:<name>} and
 * {@code v:<name>} and written to {@code next}.
 */
final class ElementwiseStep {
  private ElementwiseStep() {}

  static float[] apply(
      ServerOptimizerConfig cfg,
      String name,
      int[] shape,
      float[] previous,
      double[] target,
      OptimizerState old,
      Map<String, FloatTensor> next) {
    int n = previous.length;
    float[] out = new float[n];
    ServerOptimizerType type = cfg.type();
    double eta = cfg.learningRate();
    if (type == ServerOptimizerType.SGD) {
      if (cfg.momentum() == 0) {
        for (int i = 0; i < n; i++) {
          out[i] = (float) (previous[i] + eta * (target[i] - previous[i]));
        }
        return out;
      }
      float[] m = moment(old, type, "m:" + name, n, 0);
      float[] m2 = new float[n];
      for (int i = 0; i < n; i++) {
        double mi = cfg.momentum() * m[i] + (target[i] - previous[i]);
        m2[i] = (float) mi;
        out[i] = (float) (previous[i] + eta * mi);
      }
      next.put("m:" + name, new FloatTensor(shape, m2));
      return out;
    }
    double tau = cfg.tau();
    float[] m = moment(old, type, "m:" + name, n, 0);
    float[] v = moment(old, type, "v:" + name, n, (float) (tau * tau));
    float[] m2 = new float[n];
    float[] v2 = new float[n];
    double b1 = cfg.beta1();
    double b2 = cfg.beta2();
    for (int i = 0; i < n; i++) {
      double delta = target[i] - previous[i];
      double sq = delta * delta;
      double mi = b1 * m[i] + (1 - b1) * delta;
      double vi =
          switch (type) {
            case ADAM -> b2 * v[i] + (1 - b2) * sq;
            case YOGI -> v[i] - (1 - b2) * sq * Math.signum(v[i] - sq);
            case ADAGRAD -> v[i] + sq;
            default -> throw new IllegalStateException("not adaptive: " + type);
          };
      m2[i] = (float) mi;
      v2[i] = (float) vi;
      out[i] = (float) (previous[i] + eta * mi / (Math.sqrt(Math.max(0, vi)) + tau));
    }
    next.put("m:" + name, new FloatTensor(shape, m2));
    next.put("v:" + name, new FloatTensor(shape, v2));
    return out;
  }

  private static float[] moment(
      OptimizerState old, ServerOptimizerType type, String key, int n, float initial) {
    return old.tensor(type, key)
        .filter(t -> t.data().length == n)
        .map(t -> t.data().clone())
        .orElseGet(
            () -> {
              float[] fresh = new float[n];
              Arrays.fill(fresh, initial);
              return fresh;
            });
  }
}
