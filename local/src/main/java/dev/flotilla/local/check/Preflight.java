package dev.flotilla.local.check;

import dev.flotilla.core.protocol.ClientDirectory;
import dev.flotilla.core.protocol.ClientRef;
import dev.flotilla.core.protocol.StrategyRanks;
import dev.flotilla.core.spec.EvaluationSpec;
import dev.flotilla.local.run.FederationBundle;
import java.util.List;

/**
 * Everything that can be checked before training starts, beyond the CRD schema: the strategy
 * against the clients' ranks and globalRank (the operator's check), the base model, and a sample of
 * every data file. {@code flotilla validate} and {@code flotilla run} both run it.
 */
public final class Preflight {

  private Preflight() {}

  /** Checks {@code bundle}, reading at most {@code sample} examples of each data file. */
  public static CheckReport run(FederationBundle bundle, int sample) {
    CheckReport report = new CheckReport();
    List<ClientRef> clients;
    try {
      clients = ClientDirectory.resolve(bundle.pools());
    } catch (IllegalArgumentException e) {
      report.problem(e.getMessage());
      return report;
    }
    List<String> rankProblems = StrategyRanks.problems(bundle.spec().getAggregation(), clients);
    rankProblems.forEach(report::problem);
    if (rankProblems.isEmpty()) {
      report.ok(
          "aggregation: "
              + bundle.spec().getAggregation().getStrategy()
              + " merges the clients' ranks into globalRank "
              + bundle.spec().getAggregation().getGlobalRank());
    }
    report.add(ModelCheck.run(bundle.spec().getBaseModel()));
    EvaluationSpec evaluation = bundle.spec().getEvaluation();
    return report.add(
        new DataCheck(bundle, sample)
            .run(clients, evaluation == null ? null : evaluation.getDataUri()));
  }

  /** Checks only the data files of {@code bundle}: {@code flotilla check-data}. */
  public static CheckReport data(FederationBundle bundle, int sample) {
    CheckReport report = new CheckReport();
    try {
      EvaluationSpec evaluation = bundle.spec().getEvaluation();
      return new DataCheck(bundle, sample)
          .run(
              ClientDirectory.resolve(bundle.pools()),
              evaluation == null ? null : evaluation.getDataUri());
    } catch (IllegalArgumentException e) {
      report.problem(e.getMessage());
      return report;
    }
  }
}
