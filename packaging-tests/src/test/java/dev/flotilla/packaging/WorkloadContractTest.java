package dev.flotilla.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.aggregator.AggregatorMain;
import dev.flotilla.core.adapter.TaskType;
import dev.flotilla.core.protocol.Action;
import dev.flotilla.core.protocol.ProtocolActions;
import dev.flotilla.core.spec.ClientPoolSpec;
import dev.flotilla.core.spec.FederationSpec;
import dev.flotilla.core.spec.TaskKind;
import dev.flotilla.core.workload.AggregatorInvocation;
import dev.flotilla.core.workload.ServerOptimizerOptions;
import dev.flotilla.core.workload.TrainerInvocation;
import dev.flotilla.local.process.JavaCommand;
import dev.flotilla.local.run.WorkloadCommands;
import dev.flotilla.operator.api.v1alpha1.Federation;
import dev.flotilla.operator.workload.JobFactory;
import dev.flotilla.trainer.TrainerMain;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The protocol → workload contract, for both runtimes: every trainer and aggregator the protocol
 * decides in simulated runs becomes an invocation, the operator's Job and the local runtime's
 * command carry its arguments, and the real programs' parsers give back an equal invocation whose
 * fields are the action's and the spec's.
 */
class WorkloadContractTest {
  private static final Instant NOW = Instant.parse("2026-03-01T00:00:00Z");

  @Test
  void everyActionRoundTripsThroughTheProgramsOnBothRuntimes() {
    int trainers = 0;
    int aggregators = 0;
    for (ProtocolActions.Run run : ProtocolActions.runs()) {
      Federation federation = federation(run);
      JobFactory.StorageTarget target =
          new JobFactory.StorageTarget("http://minio.storage:9000", run.spec().getStorage());
      WorkloadCommands local = localCommands(run);
      for (Action action : run.creates()) {
        if (action instanceof Action.CreateTrainer t) {
          ClientPoolSpec pool = run.pools().get(t.client().pool());
          TrainerInvocation cluster =
              TrainerInvocation.of(run.federation(), run.spec(), pool, t, JobFactory.site(target));
          Job job = factory().trainer(federation, t, pool, target, NOW);
          assertThat(TrainerMain.parse(args(job).toArray(String[]::new))).isEqualTo(cluster);
          TrainerInvocation here = local.trainerInvocation(t, pool);
          assertThat(TrainerMain.parse(programArgs(local.command(here)))).isEqualTo(here);
          for (TrainerInvocation in : List.of(cluster, here)) {
            assertTrainerFollows(in, t, run.spec());
          }
          trainers++;
        } else if (action instanceof Action.CreateAggregator a) {
          AggregatorInvocation cluster =
              AggregatorInvocation.of(run.federation(), run.spec(), a, JobFactory.site(target));
          Job job = factory().aggregator(federation, a, target, NOW);
          assertThat(AggregatorMain.parse(args(job).toArray(String[]::new))).isEqualTo(cluster);
          AggregatorInvocation here = local.aggregatorInvocation(a);
          assertThat(AggregatorMain.parse(programArgs(local.command(here)))).isEqualTo(here);
          for (AggregatorInvocation in : List.of(cluster, here)) {
            assertAggregatorFollows(in, a, run.spec());
          }
          aggregators++;
        }
      }
    }
    assertThat(trainers).isGreaterThan(20);
    assertThat(aggregators).isGreaterThan(5);
  }

  private static void assertTrainerFollows(
      TrainerInvocation in, Action.CreateTrainer t, FederationSpec spec) {
    assertThat(in.round()).isEqualTo(t.round());
    assertThat(in.attempt()).isEqualTo(t.attempt());
    assertThat(in.baseRound()).isEqualTo(t.baseRound());
    assertThat(in.clientId()).isEqualTo(t.client().id());
    assertThat(in.rank()).isEqualTo(t.client().rank());
    assertThat(in.data()).isEqualTo(t.client().dataUri());
    assertThat(in.startAdapter() != null).isEqualTo(t.startingAdapterPrefix() != null);
    assertThat(in.model().baseModel()).isEqualTo(spec.getBaseModel().getUri());
    assertThat(in.model().architecture()).isEqualTo(spec.getBaseModel().getArchitecture());
    assertThat(in.model().tokenizer()).isEqualTo(spec.getBaseModel().getTokenizer());
    assertThat(in.model().maxSeqLength()).isEqualTo(spec.getTraining().getMaxSeqLength());
    assertThat(in.targetModules()).isEqualTo(spec.getLora().getTargetModules());
    assertThat(in.seed()).isEqualTo(spec.getTraining().getSeed());
    assertThat(in.proximalMu()).isEqualTo(spec.getTraining().getProximalMu());
    assertThat(in.evalFraction()).isEqualTo(spec.getTraining().evalFractionOrDefault());
    assertThat(in.maxSteps())
        .isEqualTo(spec.getTraining().getMaxSteps() == null ? 0 : spec.getTraining().getMaxSteps());
    assertThat(in.storage().prefix()).isEqualTo(spec.getStorage().getPrefix());
    assertThat(in.grant()).as("every runtime hands a grant, never a credential").isNotNull();
  }

  private static void assertAggregatorFollows(
      AggregatorInvocation in, Action.CreateAggregator a, FederationSpec spec) {
    assertThat(in.round()).isEqualTo(a.round());
    assertThat(in.attempt()).isEqualTo(a.attempt());
    assertThat(in.clients()).hasSize(a.clients().size());
    assertThat(in.ranks()).isEqualTo(a.clientRanks());
    assertThat(in.failedRounds()).isEqualTo(a.failedRounds());
    assertThat(in.strategy()).isEqualTo(spec.getAggregation().getStrategy());
    assertThat(in.baseRound()).isEqualTo(a.baseRound());
    assertThat(in.serverOptimizer())
        .isEqualTo(ServerOptimizerOptions.of(spec.getAggregation().getServerOptimizer()));
    assertThat(in.seed()).isEqualTo(spec.getTraining().getSeed());
    // Screening expects the base model name and task type the trainers write into their uploads.
    assertThat(in.baseModel()).isEqualTo(spec.getBaseModel().getUri());
    assertThat(in.taskType())
        .isEqualTo(
            spec.getTask().getType() == TaskKind.CAUSAL_LM ? TaskType.CAUSAL_LM : TaskType.SEQ_CLS);
    if (spec.getEvaluation() == null) {
      assertThat(in.evaluation()).isNull();
    } else {
      // The evaluation loads the base model exactly as the trainers do.
      assertThat(in.evaluation().data()).isEqualTo(spec.getEvaluation().getDataUri());
      assertThat(in.evaluation().model().tokenizer()).isEqualTo(spec.getBaseModel().getTokenizer());
      assertThat(in.evaluation().model().architecture())
          .isEqualTo(spec.getBaseModel().getArchitecture());
    }
  }

  private static Federation federation(ProtocolActions.Run run) {
    Federation federation = new Federation();
    federation.setMetadata(
        new ObjectMetaBuilder()
            .withName(run.federation())
            .withNamespace("team-a")
            .withUid("4f1c2d3e-0000-4000-8000-000000000001")
            .build());
    federation.setSpec(run.spec());
    return federation;
  }

  private static WorkloadCommands localCommands(ProtocolActions.Run run) {
    return new WorkloadCommands(
        run.federation(),
        run.spec(),
        JavaCommand.ofCurrentJvm(List.of()),
        new WorkloadCommands.Environment(
            "http://127.0.0.1:9000",
            2,
            Path.of("/home/user/.cache/flotilla"),
            Path.of("/home/user/run/scratch")));
  }

  private static List<String> args(Job job) {
    return job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
  }

  /** The program's arguments: what follows the main class in a Java command line. */
  private static String[] programArgs(List<String> command) {
    int main =
        Math.max(
            command.indexOf(WorkloadCommands.TRAINER_MAIN),
            command.indexOf(WorkloadCommands.AGGREGATOR_MAIN));
    assertThat(main).as("main class in %s", command).isPositive();
    return new ArrayList<>(command.subList(main + 1, command.size())).toArray(String[]::new);
  }

  private static JobFactory factory() {
    return TestJobFactory.create();
  }
}
