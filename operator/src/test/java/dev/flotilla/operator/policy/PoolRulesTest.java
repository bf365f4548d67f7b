package dev.flotilla.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.core.spec.ClientPoolSpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A pool borrows no identity, priority, runtime, Secret or operator variable unless allowed. */
class PoolRulesTest {
  private static final PoolRules DEFAULTS =
      new PoolRules(List.of(), List.of(), List.of(), List.of(), Optional.empty(), Optional.empty());

  private static ClientPoolSpec pool(String yaml) {
    return Serialization.unmarshal(
        "rank: 4\nclients: {count: 2, dataUriTemplate: \"s3://d/{index}\"}\n" + yaml,
        ClientPoolSpec.class);
  }

  @Test
  void aPlainPoolPasses() {
    assertThat(
            DEFAULTS.refusals(
                pool(
                    "env: [{name: NCCL_DEBUG, value: WARN}]\n"
                        + "tolerations: [{key: nvidia.com/gpu, operator: Exists}]\n"
                        + "nodeSelector: {accelerator: a100}\n")))
        .isEmpty();
  }

  @Test
  void refusesServiceAccountPriorityAndRuntimeClassesByDefault() {
    assertThat(
            DEFAULTS.refusals(
                pool(
                    "serviceAccountName: cluster-admin\n"
                        + "priorityClassName: system-node-critical\n"
                        + "runtimeClassName: kata\n")))
        .containsExactly(
            "spec.serviceAccountName 'cluster-admin' is not allowed"
                + " (flotilla.policy.pools.allowed-service-accounts: [])",
            "spec.priorityClassName 'system-node-critical' is not allowed"
                + " (flotilla.policy.pools.allowed-priority-classes: [])",
            "spec.runtimeClassName 'kata' is not allowed"
                + " (flotilla.policy.pools.allowed-runtime-classes: [])");
  }

  @Test
  void allowsListedServiceAccountPriorityAndRuntimeClasses() {
    PoolRules allowing =
        new PoolRules(
            List.of("trainer"),
            List.of("batch-low"),
            List.of("nvidia"),
            List.of(),
            Optional.empty(),
            Optional.empty());
    assertThat(
            allowing.refusals(
                pool(
                    "serviceAccountName: trainer\npriorityClassName: batch-low\n"
                        + "runtimeClassName: nvidia\n")))
        .isEmpty();
  }

  @Test
  void refusesEnvThatReadsAnUnlistedSecretOrSetsAnOperatorVariable() {
    List<String> refusals =
        DEFAULTS.refusals(
            pool(
                """
                env:
                  - {name: FLOTILLA_S3_ACCESS_KEY, value: x}
                  - {name: JAVA_TOOL_OPTIONS, value: -javaagent:/tmp/a.jar}
                  - {name: HOME, value: /}
                  - {name: DJL_CACHE_DIR, value: /}
                  - name: TOKEN
                    valueFrom: {secretKeyRef: {name: other-teams-secret, key: token}}
                """));
    assertThat(refusals).hasSize(5);
    assertThat(refusals.get(0)).startsWith("spec.env[0].name 'FLOTILLA_S3_ACCESS_KEY' is set by");
    assertThat(refusals.get(1)).startsWith("spec.env[1].name 'JAVA_TOOL_OPTIONS'");
    assertThat(refusals.get(2)).startsWith("spec.env[2].name 'HOME'");
    assertThat(refusals.get(3)).startsWith("spec.env[3].name 'DJL_CACHE_DIR'");
    assertThat(refusals.get(4))
        .isEqualTo(
            "spec.env[4].valueFrom.secretKeyRef.name 'other-teams-secret' is not allowed"
                + " (flotilla.policy.pools.allowed-env-secrets: [])");
  }

  @Test
  void allowsSecretKeyRefsToListedSecrets() {
    PoolRules allowing =
        new PoolRules(
            List.of(),
            List.of(),
            List.of(),
            List.of("hf-token"),
            Optional.empty(),
            Optional.empty());
    assertThat(
            allowing.refusals(
                pool(
                    "env: [{name: HF_TOKEN, valueFrom: {secretKeyRef: {name: hf-token, key: t}}}]")))
        .isEmpty();
  }

  @Test
  void refusesATolerationOfEveryTaintAndUnlistedKeysWhenAListIsGiven() {
    assertThat(DEFAULTS.refusals(pool("tolerations: [{operator: Exists}]")))
        .containsExactly(
            "spec.tolerations[0].key is empty: a toleration of every taint is never allowed");
    PoolRules listed =
        new PoolRules(
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            Optional.of(List.of("nvidia.com/gpu")),
            Optional.of(List.of("accelerator")));
    assertThat(
            listed.refusals(
                pool(
                    "tolerations: [{key: node-role.kubernetes.io/control-plane, operator: Exists}]\n"
                        + "nodeSelector: {accelerator: a100, kubernetes.io/hostname: master-0}\n")))
        .containsExactly(
            "spec.tolerations[0].key 'node-role.kubernetes.io/control-plane' is not allowed"
                + " (flotilla.policy.pools.allowed-toleration-keys: [nvidia.com/gpu])",
            "spec.nodeSelector[kubernetes.io/hostname] 'kubernetes.io/hostname' is not allowed"
                + " (flotilla.policy.pools.allowed-node-selector-keys: [accelerator])");
  }

  @Test
  void reservesTheWorkloadEnvironmentAndTheJvmOptions() {
    assertThat(PoolRules.reservedVariables())
        .contains(
            "HOME",
            "DJL_CACHE_DIR",
            "ENGINE_CACHE_DIR",
            "FLOTILLA_DATA_SECRET_KEY",
            "JAVA_TOOL_OPTIONS",
            "JDK_JAVA_OPTIONS");
  }
}
