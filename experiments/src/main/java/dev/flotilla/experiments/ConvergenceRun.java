package dev.flotilla.experiments;

import static dev.flotilla.core.aggregation.AggregationStrategyType.FEDAVG;
import static dev.flotilla.core.aggregation.AggregationStrategyType.FLEXLORA;

import dev.flotilla.core.aggregation.AggregationStrategyType;
import dev.flotilla.core.aggregation.ServerOptimizerConfig;
import dev.flotilla.core.aggregation.ServerOptimizerType;
import java.util.ArrayList;
import java.util.List;

/**
 * One configuration of the convergence study: a cell of the experiment grid with a server
 * optimizer.
 *
 * @param cell data set, strategy, clients, partition and ranks
 * @param optimizer short label of the server optimizer, part of the results key
 * @param config the server optimizer
 */
public record ConvergenceRun(ExperimentCell cell, String optimizer, ServerOptimizerConfig config) {

  /** Server learning rate and momentum of the FedAvgM configuration. */
  static final ServerOptimizerConfig FEDAVGM =
      new ServerOptimizerConfig(ServerOptimizerType.SGD, 1.0, 0.5, 0.9, 0.99, 1e-3, 0);

  /** FedAdam with the paper's β₁, β₂, τ and server learning rate 0.01. */
  static final ServerOptimizerConfig ADAM =
      ServerOptimizerConfig.defaults(ServerOptimizerType.ADAM);

  /** The results key of this configuration (the seed is appended). */
  public String name() {
    return cell.id() + "-" + optimizer;
  }

  /** The row label: strategy and optimizer. */
  public String label() {
    return cell.clients() == 1 ? "centralised" : cell.strategy().name() + " + " + optimizer;
  }

  /**
   * The study on {@code dataset}: centralised training, then for the 8-client label skew, the
   * 8-client domain split and 32 IID clients (in that order, so a run cut short by time answers the
   * non-IID question first): FedAvg and FlexLoRA without a server optimizer, each with FedAvgM (η =
   * 1, β = 0.5; factored for FlexLoRA), and FedAvg with FedAdam.
   */
  public static List<ConvergenceRun> study(String dataset) {
    List<ConvergenceRun> runs = new ArrayList<>();
    runs.add(
        new ConvergenceRun(
            new ExperimentCell(dataset, FEDAVG, 1, Partition.IID, RankProfile.HOMOGENEOUS),
            "none",
            ServerOptimizerConfig.NONE));
    for (Object[] split :
        new Object[][] {{Partition.LABEL_SKEW, 8}, {Partition.DOMAIN, 8}, {Partition.IID, 32}}) {
      Partition partition = (Partition) split[0];
      int clients = (Integer) split[1];
      for (AggregationStrategyType strategy : List.of(FEDAVG, FLEXLORA)) {
        ExperimentCell cell =
            new ExperimentCell(dataset, strategy, clients, partition, RankProfile.HOMOGENEOUS);
        runs.add(new ConvergenceRun(cell, "none", ServerOptimizerConfig.NONE));
        runs.add(new ConvergenceRun(cell, "fedavgm", FEDAVGM));
        if (strategy == FEDAVG) {
          runs.add(new ConvergenceRun(cell, "fedadam", ADAM));
        }
      }
    }
    return runs;
  }
}
