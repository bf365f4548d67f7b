package dev.flotilla.operator.workload;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyOnExitCodesRequirement;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyOnPodConditionsPattern;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import java.util.List;

/**
 * The Kubernetes Job controller's handling of failed pods, as documented for {@code batch/v1} Jobs
 * with {@code restartPolicy: Never}: each failed pod is matched against the pod failure policy's
 * rules in order (first match wins: FailJob fails the Job with reason {@code PodFailurePolicy},
 * Ignore retries without counting, Count or no match counts), and the Job fails with {@code
 * BackoffLimitExceeded} once more than {@code backoffLimit} pods counted. Runs the real Job
 * JobFactory writes against a script of pod ends.
 */
final class JobControllerSimulation {

  /** How one pod of the Job ended. */
  record PodEnd(Integer exitCode, boolean disrupted) {
    static PodEnd exit(int code) {
      return new PodEnd(code, false);
    }

    /** Evicted or preempted: the pod gets a DisruptionTarget condition and is killed. */
    static PodEnd disruption() {
      return new PodEnd(143, true);
    }
  }

  private JobControllerSimulation() {}

  /** {@code job} with the status the controller gives it after {@code pods} ran in turn. */
  static Job run(Job job, List<PodEnd> pods) {
    int counted = 0;
    int backoffLimit = job.getSpec().getBackoffLimit();
    for (PodEnd pod : pods) {
      if (pod.exitCode() == 0 && !pod.disrupted()) {
        return finished(job, "Complete", "Completed");
      }
      String action = match(job.getSpec().getPodFailurePolicy().getRules(), pod);
      switch (action) {
        case "FailJob" -> {
          return finished(job, "Failed", "PodFailurePolicy");
        }
        case "Ignore" -> {}
        default -> {
          counted++;
          if (counted > backoffLimit) {
            return finished(job, "Failed", "BackoffLimitExceeded");
          }
        }
      }
    }
    throw new IllegalArgumentException("the script ends before the Job does: " + pods);
  }

  private static String match(List<PodFailurePolicyRule> rules, PodEnd pod) {
    for (PodFailurePolicyRule rule : rules) {
      PodFailurePolicyOnExitCodesRequirement codes = rule.getOnExitCodes();
      if (codes != null && matches(codes, pod.exitCode())) {
        return rule.getAction();
      }
      List<PodFailurePolicyOnPodConditionsPattern> conditions = rule.getOnPodConditions();
      if (conditions != null
          && pod.disrupted()
          && conditions.stream()
              .anyMatch(
                  c -> "DisruptionTarget".equals(c.getType()) && "True".equals(c.getStatus()))) {
        return rule.getAction();
      }
    }
    return "Count";
  }

  private static boolean matches(PodFailurePolicyOnExitCodesRequirement codes, int exitCode) {
    boolean in = codes.getValues().contains(exitCode);
    return switch (codes.getOperator()) {
      case "In" -> in;
      case "NotIn" -> !in && exitCode != 0;
      default -> throw new IllegalArgumentException("operator " + codes.getOperator());
    };
  }

  private static Job finished(Job job, String type, String reason) {
    job.setStatus(
        new JobStatusBuilder()
            .withActive(0)
            .withConditions(
                new JobConditionBuilder()
                    .withType(type)
                    .withStatus("True")
                    .withReason(reason)
                    .build())
            .build());
    return job;
  }
}
