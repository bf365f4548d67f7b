package dev.flotilla.core.protocol;

import dev.flotilla.core.spec.ClientPoolSpec;
import dev.flotilla.core.spec.DataStorageSpec;
import dev.flotilla.core.spec.FederationSpec;
import dev.flotilla.core.spec.ModelArchitecture;
import dev.flotilla.core.spec.SecretKeysRef;
import dev.flotilla.core.spec.TaskKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Workload actions the protocol really decides, for contract tests of the programs it starts: the
 * create actions of simulated runs (retries, a straggler, a failed round, later rounds starting
 * from committed adapters) under specs that set every optional model and training field.
 */
public final class ProtocolActions {

  /** A spec, its pools and the create actions the protocol decided under them. */
  public record Run(
      String federation,
      FederationSpec spec,
      Map<String, ClientPoolSpec> pools,
      List<Action> creates) {}

  private ProtocolActions() {}

  /** Runs of several specs, each with trainers and aggregators of more than one round. */
  public static List<Run> runs() {
    List<Run> runs = new ArrayList<>();
    for (FederationSpec spec : specs()) {
      FederationWorld.Script script =
          (round, attempt, clientId) ->
              round == 2 && attempt == 1
                  ? FederationWorld.Outcome.FAIL_RETRIABLE
                  : FederationWorld.Outcome.SUCCEED;
      Map<String, ClientPoolSpec> pools = Fixtures.pools(3);
      DataStorageSpec data = new DataStorageSpec();
      data.setEndpoint("https://data.team-b.example:9000");
      SecretKeysRef secret = new SecretKeysRef();
      secret.setName("team-b-data");
      data.setSecretRef(secret);
      pools.get("large").setDataStorage(data);
      FederationWorld world = new FederationWorld(spec, pools, script).run();
      runs.add(new Run(Fixtures.FED, spec, pools, List.copyOf(world.creates)));
    }
    return runs;
  }

  private static List<FederationSpec> specs() {
    FederationSpec plain = Fixtures.spec(3, 4, 3);
    FederationSpec everything = Fixtures.spec(3, 4, 2);
    everything.getBaseModel().setArchitecture(ModelArchitecture.BERT);
    everything.getBaseModel().setTokenizer("s3://models/tokenizers/minilm/tokenizer.json");
    everything.getTraining().setMaxSteps(7);
    everything.getTraining().setWarmupRatio(0.25);
    everything.getTraining().setEvalFraction(0.2);
    everything.getTraining().setSeed(1234L);
    everything.getTraining().setProximalMu(0.01);
    everything.getLora().setTargetModules(List.of("query", "key", "value"));
    everything.getStorage().setPrefix("team-a/runs");
    everything.getStorage().setRegion("eu-west-1");
    everything.getStorage().setPathStyle(false);
    dev.flotilla.core.spec.EvaluationSpec evaluation = new dev.flotilla.core.spec.EvaluationSpec();
    evaluation.setDataUri("s3://data/heldout.jsonl");
    everything.setEvaluation(evaluation);
    dev.flotilla.core.spec.ServerOptimizerSpec momentum =
        new dev.flotilla.core.spec.ServerOptimizerSpec();
    momentum.setType(dev.flotilla.core.spec.ServerOptimizer.SGD);
    momentum.setLearningRate(0.7);
    momentum.setMomentum(0.9);
    momentum.setMomentumRank(12);
    everything.getAggregation().setServerOptimizer(momentum);
    FederationSpec causal = Fixtures.spec(2, 4, 1);
    causal.getTask().setType(TaskKind.CAUSAL_LM);
    causal.getTask().setNumLabels(null);
    causal.getBaseModel().setArchitecture(ModelArchitecture.LLAMA);
    causal.getTraining().setEpochs(3);
    causal.setEvaluation(evaluation);
    dev.flotilla.core.spec.ServerOptimizerSpec yogi =
        new dev.flotilla.core.spec.ServerOptimizerSpec();
    yogi.setType(dev.flotilla.core.spec.ServerOptimizer.YOGI);
    yogi.setTau(0.01);
    causal.getAggregation().setStrategy(dev.flotilla.core.spec.AggregationStrategy.HETLORA);
    causal.getAggregation().setServerOptimizer(yogi);
    return List.of(plain, everything, causal);
  }
}
