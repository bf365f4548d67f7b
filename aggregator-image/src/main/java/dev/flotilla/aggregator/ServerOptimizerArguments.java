package dev.flotilla.aggregator;

import dev.flotilla.core.aggregation.ServerOptimizerConfig;
import dev.flotilla.core.aggregation.ServerOptimizerType;
import picocli.CommandLine.Option;

/** The aggregator's server optimizer options; unset ones take the optimizer's defaults. */
final class ServerOptimizerArguments {
  @Option(
      names = "--server-optimizer",
      defaultValue = "none",
      description = "none (default), sgd, adam, yogi or adagrad (Reddi et al., ICLR 2021).")
  String type;

  @Option(
      names = "--server-lr",
      description = "Server learning rate η (default 1 for sgd, 0.01 for the adaptive ones).")
  Double learningRate;

  @Option(names = "--server-momentum", description = "SGD momentum β (default 0).")
  Double momentum;

  @Option(names = "--server-beta1", description = "β₁ (default 0.9).")
  Double beta1;

  @Option(names = "--server-beta2", description = "β₂ (default 0.99).")
  Double beta2;

  @Option(names = "--server-tau", description = "τ (default 0.001).")
  Double tau;

  @Option(
      names = "--server-momentum-rank",
      defaultValue = "0",
      description = "FlexLoRA momentum rank budget (default 0: twice the global rank).")
  int momentumRank;

  /**
   * The configuration these options give.
   *
   * @throws IllegalArgumentException naming the option out of range
   */
  ServerOptimizerConfig config() {
    ServerOptimizerConfig d;
    try {
      d = ServerOptimizerConfig.defaults(ServerOptimizerType.forName(type));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--server-optimizer: " + e.getMessage(), e);
    }
    if (d.type() == ServerOptimizerType.NONE) {
      return ServerOptimizerConfig.NONE;
    }
    return new ServerOptimizerConfig(
        d.type(),
        learningRate == null ? d.learningRate() : learningRate,
        momentum == null ? d.momentum() : momentum,
        beta1 == null ? d.beta1() : beta1,
        beta2 == null ? d.beta2() : beta2,
        tau == null ? d.tau() : tau,
        momentumRank);
  }
}
