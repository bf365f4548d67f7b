package dev.flotilla.core.aggregation;

import dev.flotilla.core.adapter.LoraModule;
import java.util.List;

/**
 * FedIT-style FedAvg on LoRA factors: A and B are averaged separately with weights p_c. Requires
 * every client, the global rank and every redistribution rank to share one rank per module.
 */
public final class FedAvgStrategy implements AggregationStrategy {
  @Override
  public AggregationResult aggregate(
      List<ClientUpdate> updates, AggregationConfig config, ServerHistory history) {
    RoundInputs in = RoundInputs.of(updates, config);
    for (String name : in.moduleNames()) {
      List<LoraModule> modules = in.modules(name);
      int rank = modules.get(0).rank();
      for (int c = 0; c < modules.size(); c++) {
        if (modules.get(c).rank() != rank) {
          throw new IllegalArgumentException(
              "fedavg needs equal LoRA ranks, but module "
                  + name
                  + " has rank "
                  + modules.get(c).rank()
                  + " at client "
                  + in.clientId(c)
                  + " and rank "
                  + rank
                  + " at client "
                  + in.clientId(0)
                  + "; use hetlora or flexlora for mixed ranks");
        }
      }
      if (config.globalRank() != rank || config.clientRanks().stream().anyMatch(r -> r != rank)) {
        throw new IllegalArgumentException(
            "fedavg keeps the clients' rank "
                + rank
                + " (module "
                + name
                + "), but globalRank="
                + config.globalRank()
                + " and clientRanks="
                + config.clientRanks());
      }
    }
    return FactorAverage.aggregate(in, history);
  }
}
