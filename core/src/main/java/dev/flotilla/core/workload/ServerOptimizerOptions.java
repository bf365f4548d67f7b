package dev.flotilla.core.workload;

import dev.flotilla.core.aggregation.ServerOptimizerConfig;
import dev.flotilla.core.aggregation.ServerOptimizerType;
import dev.flotilla.core.spec.ServerOptimizerSpec;
import java.util.Locale;

/**
 * The server optimizer of a federation's aggregators: from the spec (unset fields take the paper's
 * defaults) to the aggregator's options {@code --server-optimizer}, {@code --server-lr}, {@code
 * --server-momentum}, {@code --server-beta1}, {@code --server-beta2}, {@code --server-tau} and
 * {@code --server-momentum-rank}.
 */
public final class ServerOptimizerOptions {
  private ServerOptimizerOptions() {}

  /**
   * The configuration {@code spec} asks for; null: none.
   *
   * @throws IllegalArgumentException naming the field out of range
   */
  public static ServerOptimizerConfig of(ServerOptimizerSpec spec) {
    if (spec == null || spec.getType() == null) {
      return ServerOptimizerConfig.NONE;
    }
    ServerOptimizerConfig defaults =
        ServerOptimizerConfig.defaults(ServerOptimizerType.valueOf(spec.getType().name()));
    return new ServerOptimizerConfig(
        defaults.type(),
        orDefault(spec.getLearningRate(), defaults.learningRate()),
        orDefault(spec.getMomentum(), defaults.momentum()),
        orDefault(spec.getBeta1(), defaults.beta1()),
        orDefault(spec.getBeta2(), defaults.beta2()),
        orDefault(spec.getTau(), defaults.tau()),
        spec.getMomentumRank() == null ? 0 : spec.getMomentumRank());
  }

  static void addTo(ServerOptimizerConfig config, ProgramArguments args) {
    if (config.type() == ServerOptimizerType.NONE) {
      return;
    }
    args.add("server-optimizer", config.type().name().toLowerCase(Locale.ROOT))
        .add("server-lr", config.learningRate())
        .add("server-momentum", config.momentum())
        .add("server-beta1", config.beta1())
        .add("server-beta2", config.beta2())
        .add("server-tau", config.tau())
        .add("server-momentum-rank", config.momentumRank());
  }

  private static double orDefault(Double value, double fallback) {
    return value == null ? fallback : value;
  }
}
