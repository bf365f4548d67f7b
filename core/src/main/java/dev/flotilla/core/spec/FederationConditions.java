package dev.flotilla.core.spec;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The only writer of status conditions: keeps one condition per type in a fixed order, stamps
 * {@code observedGeneration}, and keeps {@code lastTransitionTime} unless the status value flips.
 */
public final class FederationConditions {

  /** The resource has reached its goal (Federation: completed; ClientPool: valid). */
  public static final String READY = "Ready";

  /** Work is under way (a round is training or aggregating). */
  public static final String PROGRESSING = "Progressing";

  /** Something went wrong: a failed round, or the federation failed. */
  public static final String DEGRADED = "Degraded";

  /**
   * Degraded reasons that block the federation before the protocol can run (invalid spec, storage
   * or Secret or ClientPool problems found by the operator); the protocol withdraws them as soon as
   * it runs again, unlike a failed round, which stays reported.
   */
  public static final Set<String> BLOCKING_REASONS =
      Set.of(
          "InvalidSpec",
          "StorageInvalid",
          "StorageSecretInvalid",
          "StorageUnavailable",
          "ClientPoolInvalid");

  private static final List<String> ORDER = List.of(READY, PROGRESSING, DEGRADED);

  private final List<Condition> conditions;
  private final Long generation;
  private final String now;

  private FederationConditions(List<Condition> current, Long generation, Instant now) {
    this.conditions = new ArrayList<>();
    if (current != null) {
      for (Condition c : current) {
        this.conditions.add(copy(c));
      }
    }
    this.generation = generation;
    this.now = now.toString();
  }

  /** Starts editing a copy of {@code current} (which may be null) for the given generation. */
  public static FederationConditions edit(List<Condition> current, Long generation, Instant now) {
    return new FederationConditions(current, generation, now);
  }

  /** A round is running: Ready=False, Progressing=True; Degraded is left as it is. */
  public FederationConditions progressing(String reason, String message) {
    set(READY, ConditionStatus.False, reason, message);
    set(PROGRESSING, ConditionStatus.True, reason, message);
    if (find(DEGRADED) == null) {
      set(DEGRADED, ConditionStatus.False, "NoFailures", "no round has failed");
    }
    return this;
  }

  /** A round failed but the federation continues: Degraded=True. */
  public FederationConditions degraded(String reason, String message) {
    set(DEGRADED, ConditionStatus.True, reason, message);
    return this;
  }

  /** Every round is done: Ready=True, Progressing=False. */
  public FederationConditions completed(String reason, String message) {
    set(READY, ConditionStatus.True, reason, message);
    set(PROGRESSING, ConditionStatus.False, reason, message);
    return this;
  }

  /** The federation failed for good: Ready=False, Progressing=False, Degraded=True. */
  public FederationConditions failed(String reason, String message) {
    set(READY, ConditionStatus.False, reason, message);
    set(PROGRESSING, ConditionStatus.False, reason, message);
    set(DEGRADED, ConditionStatus.True, reason, message);
    return this;
  }

  /** Suspended by the user: Ready=False, Progressing=False. */
  public FederationConditions suspended(String message) {
    set(READY, ConditionStatus.False, "Suspended", message);
    set(PROGRESSING, ConditionStatus.False, "Suspended", message);
    return this;
  }

  /**
   * Sets one condition; {@code lastTransitionTime} changes only when the status value changes (or
   * the condition is new).
   */
  public FederationConditions set(
      String type, ConditionStatus status, String reason, String message) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(status, "status");
    Condition c = find(type);
    if (c == null) {
      c = new Condition();
      c.setType(type);
      c.setLastTransitionTime(now);
      conditions.add(c);
    } else if (c.getStatus() != status) {
      c.setLastTransitionTime(now);
    }
    c.setStatus(status);
    c.setReason(reason);
    c.setMessage(message);
    c.setObservedGeneration(generation);
    return this;
  }

  /** The condition of {@code type}, or null. */
  public Condition find(String type) {
    for (Condition c : conditions) {
      if (c.getType().equals(type)) {
        return c;
      }
    }
    return null;
  }

  /** The edited conditions: Ready, Progressing, Degraded first, other types after, in order. */
  public List<Condition> toList() {
    List<Condition> sorted = new ArrayList<>(conditions);
    sorted.sort((a, b) -> Integer.compare(rank(a.getType()), rank(b.getType())));
    List<Condition> out = new ArrayList<>();
    for (Condition c : sorted) {
      out.add(copy(c));
    }
    return out;
  }

  private static int rank(String type) {
    int i = ORDER.indexOf(type);
    return i < 0 ? ORDER.size() : i;
  }

  private static Condition copy(Condition c) {
    Condition d = new Condition();
    d.setType(c.getType());
    d.setStatus(c.getStatus());
    d.setReason(c.getReason());
    d.setMessage(c.getMessage());
    d.setLastTransitionTime(c.getLastTransitionTime());
    d.setObservedGeneration(c.getObservedGeneration());
    return d;
  }
}
