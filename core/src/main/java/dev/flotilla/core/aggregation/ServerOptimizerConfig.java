package dev.flotilla.core.aggregation;

import java.util.Objects;

/**
 * A server optimizer and its hyper-parameters (defaults from Reddi et al., ICLR 2021: β₁ = 0.9, β₂
 * = 0.99, τ = 10⁻³).
 *
 * @param type the optimizer
 * @param learningRate the server learning rate η (&gt; 0)
 * @param momentum β for SGD (FedAvgM), in [0, 1)
 * @param beta1 β₁ of the adaptive optimizers, in [0, 1)
 * @param beta2 β₂ of Adam and Yogi, in [0, 1)
 * @param tau τ, the adaptivity (&gt; 0); the second moment starts at τ²
 * @param momentumRank FlexLoRA only: the rank budget of the factored momentum; 0: twice the global
 *     rank
 */
public record ServerOptimizerConfig(
    ServerOptimizerType type,
    double learningRate,
    double momentum,
    double beta1,
    double beta2,
    double tau,
    int momentumRank) {

  /** Default server learning rate of SGD: 1 (with momentum 0, plain averaging). */
  public static final double SGD_LEARNING_RATE = 1.0;

  /** Default server learning rate of the adaptive optimizers. */
  public static final double ADAPTIVE_LEARNING_RATE = 1e-2;

  /** Default β₁. */
  public static final double BETA1 = 0.9;

  /** Default β₂. */
  public static final double BETA2 = 0.99;

  /** Default τ. */
  public static final double TAU = 1e-3;

  /** No server optimizer. */
  public static final ServerOptimizerConfig NONE =
      new ServerOptimizerConfig(ServerOptimizerType.NONE, 1, 0, BETA1, BETA2, TAU, 0);

  /** Validates the hyper-parameters, naming the field. */
  public ServerOptimizerConfig {
    Objects.requireNonNull(type, "type");
    check("learningRate", learningRate, learningRate > 0 && Double.isFinite(learningRate));
    check("momentum", momentum, momentum >= 0 && momentum < 1);
    check("beta1", beta1, beta1 >= 0 && beta1 < 1);
    check("beta2", beta2, beta2 >= 0 && beta2 < 1);
    check("tau", tau, tau > 0 && Double.isFinite(tau));
    if (momentumRank < 0) {
      throw new IllegalArgumentException(
          "serverOptimizer.momentumRank must be ≥ 0, got " + momentumRank);
    }
  }

  /** {@code type} with the defaults: η = 1 for SGD, 10⁻² for the adaptive ones. */
  public static ServerOptimizerConfig defaults(ServerOptimizerType type) {
    double eta = type.isAdaptive() ? ADAPTIVE_LEARNING_RATE : SGD_LEARNING_RATE;
    return new ServerOptimizerConfig(type, eta, 0, BETA1, BETA2, TAU, 0);
  }

  /** Whether a step changes anything: not NONE, and not SGD with η = 1 and no momentum. */
  public boolean isActive() {
    return switch (type) {
      case NONE -> false;
      case SGD -> learningRate != 1 || momentum > 0;
      default -> true;
    };
  }

  /** The FlexLoRA momentum's rank budget for global rank {@code globalRank}. */
  public int momentumRank(int globalRank) {
    return momentumRank > 0 ? momentumRank : 2 * globalRank;
  }

  private static void check(String field, double value, boolean ok) {
    if (!ok) {
      throw new IllegalArgumentException("serverOptimizer." + field + " is out of range: " + value);
    }
  }
}
