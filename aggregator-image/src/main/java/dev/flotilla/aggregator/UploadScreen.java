package dev.flotilla.aggregator;

import dev.flotilla.core.adapter.AdapterExpectations;
import dev.flotilla.core.adapter.AdapterValidator;
import dev.flotilla.core.adapter.LoraAdapter;
import dev.flotilla.core.adapter.LoraModule;
import dev.flotilla.core.adapter.ModuleShape;
import dev.flotilla.core.storage.ClientMetrics;
import dev.flotilla.core.storage.RoundManifest.FailedClient;
import dev.flotilla.core.storage.RoundManifest.RejectedClient;
import dev.flotilla.core.storage.RoundPlan.PlannedClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Decides which uploads of a round are aggregated. Per client, in id order, each upload must pass
 * {@link UploadChecks} (complete, bounded, hashes matching, the federation's round, attempt, rank,
 * alpha, task type and base model); then, across clients, a byte-identical copy of an earlier
 * client's weights is a duplicate (a sybil copying another's update would double its weight), the
 * module layout must be the majority's (ties: the smallest client id), and the update norm without
 * the LoRA scaling, {@code ‖B·A‖_F} = {@code ‖ΔW‖_F / (α/r)}, must not exceed {@code outlierFactor}
 * × its median over the otherwise accepted clients: compared with the scaling, an honest low-rank
 * client (α/r larger) could be rejected for its rank alone. A bad upload, or any unexpected error
 * while reading it, rejects only its own client.
 */
final class UploadScreen {
  private final UploadReader reader;
  private final UploadChecks checks;
  private final double outlierFactor;

  UploadScreen(UploadReader reader, UploadChecks checks, double outlierFactor) {
    if (!(outlierFactor > 1)) {
      throw new IllegalArgumentException(
          "--norm-outlier-factor must be greater than 1, got " + outlierFactor);
    }
    this.reader = reader;
    this.checks = checks;
    this.outlierFactor = outlierFactor;
  }

  /** Screens the uploads of {@code clients} (any order) for {@code round}. */
  Screening screen(int round, List<PlannedClient> clients) throws IOException {
    List<PlannedClient> sorted = new ArrayList<>(clients);
    sorted.sort(Comparator.comparing(PlannedClient::clientId));
    List<ClientUpload> parsed = new ArrayList<>();
    List<RejectedClient> rejected = new ArrayList<>();
    List<FailedClient> failed = new ArrayList<>();
    for (PlannedClient client : sorted) {
      try {
        int attempt = checks.attemptOf(client.clientId());
        Optional<ClientMetrics> metrics = reader.metrics(round, client.clientId(), attempt);
        if (metrics.isEmpty()) {
          failed.add(new FailedClient(client.clientId(), RoundAggregation.NO_COMPLETE_UPLOAD));
          continue;
        }
        checks.checkMetrics(client, round, metrics.get());
        parsed.add(
            checks.accept(
                client, metrics.get(), reader.adapter(round, client.clientId(), attempt)));
      } catch (RejectedUploadException e) {
        rejected.add(new RejectedClient(client.clientId(), e.getMessage()));
      } catch (RuntimeException e) {
        rejected.add(
            new RejectedClient(client.clientId(), "unexpected error reading the upload: " + e));
      }
    }
    List<ClientUpload> distinct = rejectDuplicates(parsed, rejected);
    List<ClientUpload> consistent = rejectInconsistent(distinct, rejected);
    List<ClientUpload> accepted = rejectNormOutliers(consistent, rejected);
    rejected.sort(Comparator.comparing(RejectedClient::clientId));
    return new Screening(accepted, rejected, failed);
  }

  /** Keeps the first client (by id) of every set of byte-identical weights files. */
  private static List<ClientUpload> rejectDuplicates(
      List<ClientUpload> uploads, List<RejectedClient> rejected) {
    Map<String, String> firstByHash = new HashMap<>();
    List<ClientUpload> distinct = new ArrayList<>();
    for (ClientUpload upload : uploads) {
      String first = firstByHash.putIfAbsent(upload.modelSha256(), upload.clientId());
      if (first == null) {
        distinct.add(upload);
      } else {
        rejected.add(new RejectedClient(upload.clientId(), "duplicate of " + first));
      }
    }
    return distinct;
  }

  /** The layout every client must share: modules with their shapes, extras, configuration. */
  private static String signature(LoraAdapter adapter) {
    StringBuilder sb = new StringBuilder("alpha=").append(adapter.alpha());
    sb.append(";targets=").append(new TreeSet<>(adapter.targetModules()));
    for (LoraModule m : adapter.modules().values()) {
      sb.append(';').append(m.name()).append(ModuleShape.of(m));
    }
    adapter.extraTensors().forEach((name, t) -> sb.append(';').append(name).append(t));
    return sb.toString();
  }

  /**
   * Rejects uploads that differ from the most common layout (ties: the smallest client id) in
   * configuration, modules or shapes, using core's {@link AdapterValidator}.
   */
  private static List<ClientUpload> rejectInconsistent(
      List<ClientUpload> uploads, List<RejectedClient> rejected) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    uploads.forEach(u -> counts.merge(signature(u.adapter()), 1, Integer::sum));
    int most = counts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    Optional<LoraAdapter> reference =
        uploads.stream()
            .map(ClientUpload::adapter)
            .filter(a -> counts.get(signature(a)) == most)
            .findFirst();
    List<ClientUpload> consistent = new ArrayList<>();
    for (ClientUpload upload : uploads) {
      AdapterExpectations expected =
          AdapterExpectations.matching(reference.orElseThrow())
              .withRequiredRank(upload.plannedRank());
      List<String> problems = AdapterValidator.problems(upload.adapter(), expected);
      if (problems.isEmpty()) {
        consistent.add(upload);
      } else {
        rejected.add(new RejectedClient(upload.clientId(), String.join("; ", problems)));
      }
    }
    return consistent;
  }

  private List<ClientUpload> rejectNormOutliers(
      List<ClientUpload> uploads, List<RejectedClient> rejected) {
    Map<String, Double> norms = new HashMap<>();
    uploads.forEach(u -> norms.put(u.clientId(), UpdateNorms.factorNorm(u.adapter())));
    double median = UpdateNorms.median(norms.values());
    if (!(median > 0)) {
      return uploads;
    }
    List<ClientUpload> accepted = new ArrayList<>();
    for (ClientUpload upload : uploads) {
      double norm = norms.get(upload.clientId());
      if (norm > outlierFactor * median) {
        rejected.add(
            new RejectedClient(
                upload.clientId(),
                String.format(
                    Locale.ROOT,
                    "update norm ‖B·A‖ %.4g (without α/r) is %.1fx the median %.4g (limit %.1fx)",
                    norm,
                    norm / median,
                    median,
                    outlierFactor)));
      } else {
        accepted.add(upload);
      }
    }
    return accepted;
  }
}
