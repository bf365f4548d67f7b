package dev.flotilla.operator.workload;

import java.util.Map;

/** Label keys and values stamped on every Flotilla workload (Jobs and their pods). */
public final class WorkloadLabels {

  /** Federation owning the workload; the Job informer is filtered on this label. */
  public static final String FEDERATION = "flotilla.dev/federation";

  /**
   * Namespace of the Federation owning the workload: a trainer of a pool in another namespace runs
   * there, where no owner reference can point back to its Federation.
   */
  public static final String FEDERATION_NAMESPACE = "flotilla.dev/federation-namespace";

  /** Round number of the workload. */
  public static final String ROUND = "flotilla.dev/round";

  /** Client id of a trainer workload. */
  public static final String CLIENT = "flotilla.dev/client";

  /** Attempt of the round the workload belongs to. */
  public static final String ATTEMPT = "flotilla.dev/attempt";

  /** Standard name label. */
  public static final String NAME = "app.kubernetes.io/name";

  /** Standard instance label. */
  public static final String INSTANCE = "app.kubernetes.io/instance";

  /** Standard component label: {@link #TRAINER} or {@link #AGGREGATOR}. */
  public static final String COMPONENT = "app.kubernetes.io/component";

  /** Standard managed-by label. */
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";

  /** Component value of trainer workloads. */
  public static final String TRAINER = "trainer";

  /** Component value of aggregator workloads. */
  public static final String AGGREGATOR = "aggregator";

  /** Value of {@link #NAME} and {@link #MANAGED_BY}. */
  public static final String FLOTILLA = "flotilla";

  /** Label selector of the Job informer: every workload some Federation manages. */
  public static final String SELECTOR = FEDERATION + "," + MANAGED_BY + "=" + FLOTILLA;

  private WorkloadLabels() {}

  /** The labels shared by all workloads of a federation's round. */
  public static Map<String, String> common(
      String namespace, String federation, int round, String component) {
    return Map.of(
        FEDERATION_NAMESPACE, namespace,
        NAME, FLOTILLA,
        INSTANCE, federation,
        COMPONENT, component,
        MANAGED_BY, FLOTILLA,
        FEDERATION, federation,
        ROUND, Integer.toString(round));
  }
}
