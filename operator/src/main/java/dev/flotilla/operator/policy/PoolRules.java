package dev.flotilla.operator.policy;

import dev.flotilla.core.spec.ClientPoolSpec;
import dev.flotilla.core.spec.EnvVarSpec;
import dev.flotilla.core.spec.TolerationSpec;
import dev.flotilla.core.workload.WorkloadContainer;
import dev.flotilla.core.workload.WorkloadEnvironment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The pod settings a ClientPool may choose: its ServiceAccount, PriorityClass and RuntimeClass only
 * from allow-lists (empty by default: a pool borrows no identity, priority or runtime), env that
 * neither reads a Secret outside an allow-list nor sets a variable the operator owns, and
 * tolerations and nodeSelector keys from allow-lists when given.
 *
 * @param serviceAccounts allowed ServiceAccounts
 * @param priorityClasses allowed PriorityClasses
 * @param runtimeClasses allowed RuntimeClasses
 * @param envSecrets Secrets env may read with secretKeyRef
 * @param tolerationKeys allowed toleration keys; empty: any key
 * @param nodeSelectorKeys allowed nodeSelector keys; empty: any key
 */
public record PoolRules(
    List<String> serviceAccounts,
    List<String> priorityClasses,
    List<String> runtimeClasses,
    List<String> envSecrets,
    Optional<List<String>> tolerationKeys,
    Optional<List<String>> nodeSelectorKeys) {

  private static final String SETTING = "flotilla.policy.pools.";

  /** JVM option variables: each can load agents or change the heap of the programs. */
  private static final List<String> JVM_OPTIONS =
      List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");

  /** Copies the lists. */
  public PoolRules {
    serviceAccounts = List.copyOf(serviceAccounts);
    priorityClasses = List.copyOf(priorityClasses);
    runtimeClasses = List.copyOf(runtimeClasses);
    envSecrets = List.copyOf(envSecrets);
  }

  /**
   * Variables a pool may not set: every {@code FLOTILLA_*} (credentials and settings), the
   * environment the operator gives every workload ({@link WorkloadContainer#environment}) and the
   * JVM option variables.
   */
  public static Set<String> reservedVariables() {
    Set<String> names = new TreeSet<>(WorkloadContainer.environment().keySet());
    names.addAll(
        List.of(
            WorkloadEnvironment.ACCESS_KEY,
            WorkloadEnvironment.SECRET_KEY,
            WorkloadEnvironment.DATA_ACCESS_KEY,
            WorkloadEnvironment.DATA_SECRET_KEY));
    names.addAll(JVM_OPTIONS);
    return names;
  }

  /** Every refusal of {@code pool}'s pod settings, each naming its field and the setting. */
  public List<String> refusals(ClientPoolSpec pool) {
    List<String> out = new ArrayList<>();
    named(
        "spec.serviceAccountName",
        pool.getServiceAccountName(),
        serviceAccounts,
        "allowed-service-accounts",
        out);
    named(
        "spec.priorityClassName",
        pool.getPriorityClassName(),
        priorityClasses,
        "allowed-priority-classes",
        out);
    named(
        "spec.runtimeClassName",
        pool.getRuntimeClassName(),
        runtimeClasses,
        "allowed-runtime-classes",
        out);
    env(pool.getEnv(), out);
    tolerations(pool.getTolerations(), out);
    if (pool.getNodeSelector() != null && nodeSelectorKeys.isPresent()) {
      for (String key : new TreeSet<>(pool.getNodeSelector().keySet())) {
        if (!nodeSelectorKeys.get().contains(key)) {
          out.add(
              refused(
                  "spec.nodeSelector[" + key + "]",
                  key,
                  "allowed-node-selector-keys",
                  nodeSelectorKeys.get()));
        }
      }
    }
    return out;
  }

  private static void named(
      String field, String value, List<String> allowed, String setting, List<String> out) {
    if (value != null && !value.isEmpty() && !allowed.contains(value)) {
      out.add(refused(field, value, setting, allowed));
    }
  }

  private void env(List<EnvVarSpec> env, List<String> out) {
    if (env == null) {
      return;
    }
    Set<String> reserved = reservedVariables();
    for (int i = 0; i < env.size(); i++) {
      EnvVarSpec variable = env.get(i);
      String field = "spec.env[" + i + "]";
      String name = variable.getName();
      if (name != null && (name.startsWith("FLOTILLA_") || reserved.contains(name))) {
        out.add(
            field
                + ".name '"
                + name
                + "' is set by the operator (reserved: FLOTILLA_* and "
                + reserved.stream().filter(n -> !n.startsWith("FLOTILLA_")).toList()
                + ")");
      }
      if (variable.getValueFrom() != null && variable.getValueFrom().getSecretKeyRef() != null) {
        String secret = variable.getValueFrom().getSecretKeyRef().getName();
        if (!envSecrets.contains(secret)) {
          out.add(
              refused(
                  field + ".valueFrom.secretKeyRef.name",
                  secret,
                  "allowed-env-secrets",
                  envSecrets));
        }
      }
    }
  }

  private void tolerations(List<TolerationSpec> tolerations, List<String> out) {
    if (tolerations == null) {
      return;
    }
    for (int i = 0; i < tolerations.size(); i++) {
      String key = tolerations.get(i).getKey();
      String field = "spec.tolerations[" + i + "].key";
      if (key == null || key.isEmpty()) {
        out.add(field + " is empty: a toleration of every taint is never allowed");
      } else if (tolerationKeys.isPresent() && !tolerationKeys.get().contains(key)) {
        out.add(refused(field, key, "allowed-toleration-keys", tolerationKeys.get()));
      }
    }
  }

  private static String refused(String field, String value, String setting, List<String> allowed) {
    return field + " '" + value + "' is not allowed (" + SETTING + setting + ": " + allowed + ")";
  }
}
