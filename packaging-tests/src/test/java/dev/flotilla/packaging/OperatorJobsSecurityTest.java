package dev.flotilla.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.core.protocol.Action;
import dev.flotilla.core.protocol.ProtocolActions;
import dev.flotilla.operator.api.v1alpha1.Federation;
import dev.flotilla.operator.workload.JobFactory;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Jobs the operator creates (the real {@link JobFactory}, from the protocol's actions in
 * simulated runs, trainers and aggregators) pass the restricted Pod Security Standard, bound their
 * scratch volumes and the aggregator's memory, and are selected by the chart's workload
 * NetworkPolicy.
 */
class OperatorJobsSecurityTest {
  private static final Instant NOW = Instant.parse("2026-03-01T00:00:00Z");
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  /** Every trainer and aggregator Job of the simulated runs, as the API server would store it. */
  private static List<Map<String, Object>> operatorJobs() {
    JobFactory factory = TestJobFactory.create();
    List<Map<String, Object>> out = new ArrayList<>();
    for (ProtocolActions.Run run : ProtocolActions.runs()) {
      Federation federation = new Federation();
      federation.setMetadata(
          new ObjectMetaBuilder()
              .withName(run.federation())
              .withNamespace("team-a")
              .withUid("4f1c2d3e-0000-4000-8000-000000000002")
              .build());
      federation.setSpec(run.spec());
      JobFactory.StorageTarget target =
          new JobFactory.StorageTarget("http://minio.storage:9000", run.spec().getStorage());
      for (Action action : run.creates()) {
        Job job = null;
        if (action instanceof Action.CreateTrainer t) {
          job = factory.trainer(federation, t, run.pools().get(t.client().pool()), target, NOW);
        } else if (action instanceof Action.CreateAggregator a) {
          job = factory.aggregator(federation, a, target, NOW);
        }
        if (job != null) {
          out.add(Yaml.asMap(JSON.convertValue(job, Map.class)));
        }
      }
    }
    return out;
  }

  private static String component(Map<String, Object> job) {
    return (String)
        Yaml.map(job, "spec.template.metadata.labels").get("app.kubernetes.io/component");
  }

  @Test
  void trainerAndAggregatorJobsMeetTheRestrictedPodSecurityStandard() {
    List<Map<String, Object>> jobs = operatorJobs();

    assertThat(jobs)
        .extracting(OperatorJobsSecurityTest::component)
        .contains("trainer", "aggregator");
    for (Map<String, Object> job : jobs) {
      assertThat(PodSecurityRestricted.violations(PodSecurityRestricted.podSpec(job)))
          .as(Yaml.id(job))
          .isEmpty();
    }
  }

  @Test
  void scratchVolumesAndTheAggregatorsMemoryAreBounded() {
    for (Map<String, Object> job : operatorJobs()) {
      Map<String, Object> pod = PodSecurityRestricted.podSpec(job);
      for (Object volume : Yaml.list(pod, "volumes")) {
        Map<String, Object> v = Yaml.asMap(volume);
        if (v.containsKey("emptyDir")) {
          assertThat(Yaml.at(v, "emptyDir.sizeLimit"))
              .as(Yaml.id(job) + " " + v.get("name"))
              .isNotNull();
        }
      }
      if ("aggregator".equals(component(job))) {
        Map<String, Object> container = Yaml.asMap(Yaml.list(pod, "containers").get(0));
        assertThat(Yaml.at(container, "resources.limits.memory")).as(Yaml.id(job)).isNotNull();
        assertThat(Yaml.at(container, "resources.requests.memory"))
            .isEqualTo(Yaml.at(container, "resources.limits.memory"));
        assertThat(Yaml.at(container, "resources.requests.cpu")).isNotNull();
      }
    }
  }

  @Test
  void theChartsWorkloadNetworkPolicySelectsEveryOperatorJobsPods() {
    List<Map<String, Object>> policies =
        Helm.render(ChartScenarios.values("namespaced-values.yaml"), Map.of()).stream()
            .filter(d -> "NetworkPolicy".equals(d.get("kind")))
            .filter(d -> "team-a".equals(Yaml.at(d, "metadata.namespace")))
            .toList();
    assertThat(policies).hasSize(1);
    Map<String, Object> selector = Yaml.map(policies.get(0), "spec.podSelector");

    for (Map<String, Object> job : operatorJobs()) {
      Map<String, Object> labels = Yaml.map(job, "spec.template.metadata.labels");
      assertThat(NetworkPolicies.selects(selector, labels)).as(Yaml.id(job)).isTrue();
    }
  }
}
