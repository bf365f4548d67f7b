/**
 * The round protocol: a pure state machine, {@link dev.flotilla.core.protocol.RoundProtocol#decide}
 * from an {@link dev.flotilla.core.protocol.Observation} (spec, status, pools, observed workloads,
 * latest committed manifest, time) to a {@link dev.flotilla.core.protocol.Decision} (new status,
 * idempotent actions, requeue). The operator maps actions to Jobs and Events, the local runtime to
 * processes; neither decides anything itself.
 *
 * <p>Phases and the step that handles each:
 *
 * <pre>
 *  (none)/Pending --StartStep--&gt; Training(r, a) --TrainingStep--&gt; Aggregating(r, a)
 *        ^   resume after the highest manifest      |  retry: a+1        |  aggregator failed: a+1
 *        |                                          v                    v
 *        |                               round failed (skipped)    manifest r found: commit
 *        |                               or federation Failed      -&gt; Training(r+1, 1) or Completed
 *  Suspended &lt;--SuspendStep-- any active phase; ResumeStep continues the same round
 *  Completed/Failed --FinishedStep--&gt; deletes leftovers (Completed re-opens if spec.rounds grows)
 * </pre>
 *
 * <p>Safety rules: intent (round, attempt, phase, deadline) is recorded in the status by one
 * decision and acted on by a later one; names are deterministic, so re-creating is a no-op; the
 * manifest in object storage is the only commit marker; a round's workloads are deleted only after
 * the status has moved past it; the sample is recomputed from (seed, round, sorted ids), so the
 * status never lists clients.
 */
package dev.flotilla.core.protocol;
