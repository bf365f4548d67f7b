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
 * Decides which uploads of a round are aggregated. Per client, in id order: the upload must be
 * complete, parse (finite values, consistent shapes), carry the planned rank, round and the
 * federation's {@code lora_alpha}, share the module layout of the majority, and its update norm
 * {@code ‖ΔW‖_F} must not exceed {@code outlierFactor} × the median over the otherwise accepted
 * clients. A bad upload rejects only its own client.
 */
final class UploadScreen {
  private final UploadReader reader;
  private final double outlierFactor;
  private final double alpha;

  UploadScreen(UploadReader reader, double alpha, double outlierFactor) {
    if (!(outlierFactor > 1)) {
      throw new IllegalArgumentException(
          "--norm-outlier-factor must be greater than 1, got " + outlierFactor);
    }
    this.reader = reader;
    this.outlierFactor = outlierFactor;
    this.alpha = alpha;
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
        Optional<ClientMetrics> metrics = reader.metrics(round, client.clientId());
        if (metrics.isEmpty()) {
          failed.add(new FailedClient(client.clientId(), RoundAggregation.NO_COMPLETE_UPLOAD));
          continue;
        }
        LoraAdapter adapter = reader.adapter(round, client.clientId());
        checkPlan(client, round, metrics.get(), adapter);
        parsed.add(new ClientUpload(client.clientId(), client.rank(), metrics.get(), adapter));
      } catch (RejectedUploadException e) {
        rejected.add(new RejectedClient(client.clientId(), e.getMessage()));
      }
    }
    List<ClientUpload> consistent = rejectInconsistent(parsed, rejected);
    List<ClientUpload> accepted = rejectNormOutliers(consistent, rejected);
    rejected.sort(Comparator.comparing(RejectedClient::clientId));
    return new Screening(accepted, rejected, failed);
  }

  private void checkPlan(
      PlannedClient client, int round, ClientMetrics metrics, LoraAdapter adapter)
      throws RejectedUploadException {
    if (metrics.round() != round) {
      throw new RejectedUploadException(
          "metrics.json is for round " + metrics.round() + ", expected round " + round);
    }
    if (metrics.rank() != client.rank()) {
      throw new RejectedUploadException(
          "metrics.json reports rank "
              + metrics.rank()
              + " for a rank-"
              + client.rank()
              + " client");
    }
    if (adapter.alpha() != alpha) {
      throw new RejectedUploadException(
          "lora_alpha " + adapter.alpha() + " differs from the federation's " + alpha);
    }
    if (adapter.modules().isEmpty()) {
      throw new RejectedUploadException("adapter has no LoRA modules");
    }
    for (LoraModule module : adapter.modules().values()) {
      if (module.rank() != client.rank()) {
        throw new RejectedUploadException(
            "rank "
                + module.rank()
                + " upload for a rank-"
                + client.rank()
                + " client (module "
                + module.name()
                + ")");
      }
    }
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
    uploads.forEach(u -> norms.put(u.clientId(), UpdateNorms.updateNorm(u.adapter())));
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
                    "update norm %.4g is %.1fx the median %.4g (limit %.1fx)",
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
