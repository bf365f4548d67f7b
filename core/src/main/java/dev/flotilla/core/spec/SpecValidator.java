package dev.flotilla.core.spec;

import dev.flotilla.core.workload.ServerOptimizerOptions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks Federation and ClientPool specs in Java with the same rules as the CRD schema (required
 * fields, ranges, CEL rules), for runs without an API server and as a second line of defence. Every
 * problem names its field, e.g. {@code spec.sampling.minClients}.
 */
public final class SpecValidator {

  private static final Pattern DATA_URI =
      Pattern.compile("^(s3://[^/]+/.+|pvc://[a-z0-9]([-a-z0-9]*[a-z0-9])?/.+|/.+)$");
  private static final Pattern CLIENT_ID =
      Pattern.compile("^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$");
  private static final Pattern BUCKET = Pattern.compile("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$");

  private final List<String> problems = new ArrayList<>();

  private SpecValidator() {}

  /** The problems of a Federation spec; empty when it is valid. */
  public static List<String> validate(FederationSpec spec) {
    SpecValidator v = new SpecValidator();
    v.federation(spec);
    return List.copyOf(v.problems);
  }

  /** The problems of a ClientPool spec; empty when it is valid. */
  public static List<String> validate(ClientPoolSpec spec) {
    SpecValidator v = new SpecValidator();
    v.pool(spec);
    return List.copyOf(v.problems);
  }

  private void federation(FederationSpec s) {
    if (s == null) {
      problems.add("spec is required");
      return;
    }
    if (present("spec.baseModel", s.getBaseModel())) {
      uri("spec.baseModel.uri", s.getBaseModel().getUri(), true);
      present("spec.baseModel.architecture", s.getBaseModel().getArchitecture());
    }
    if (present("spec.task", s.getTask()) && present("spec.task.type", s.getTask().getType())) {
      Integer labels = s.getTask().getNumLabels();
      if (s.getTask().getType() == TaskKind.SEQUENCE_CLASSIFICATION && labels == null) {
        problems.add("spec.task.numLabels is required when type is SEQUENCE_CLASSIFICATION");
      }
      atLeast("spec.task.numLabels", labels, 2, false);
    }
    atLeast("spec.rounds", s.getRounds(), 1, true);
    sampling(s.getSampling());
    if (present("spec.roundTimeout", s.getRoundTimeout())) {
      try {
        DurationStrings.parse("spec.roundTimeout", s.getRoundTimeout());
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
    AggregationSpec a = s.getAggregation();
    if (present("spec.aggregation", a)) {
      present("spec.aggregation.strategy", a.getStrategy());
      present("spec.aggregation.weighting", a.getWeighting());
      atLeast("spec.aggregation.globalRank", a.getGlobalRank(), 1, true);
      serverOptimizer(a);
    }
    lora(s.getLora());
    training(s.getTraining());
    storage(s.getStorage());
    if (s.getEvaluation() != null) {
      uri("spec.evaluation.dataUri", s.getEvaluation().getDataUri(), true);
    }
    ClientPoolSelector pools = s.getClientPools();
    if (present("spec.clientPools", pools)) {
      exactlyOne(
          "spec.clientPools.names",
          pools.getNames(),
          "spec.clientPools.matchLabels",
          pools.getMatchLabels());
      if (pools.getNames() != null && pools.getNames().isEmpty()) {
        problems.add("spec.clientPools.names must not be empty");
      }
    }
    FailurePolicySpec f = s.getFailurePolicy();
    if (present("spec.failurePolicy", f)) {
      atLeast("spec.failurePolicy.maxRoundRetries", f.getMaxRoundRetries(), 0, true);
      atLeast("spec.failurePolicy.maxFailedRounds", f.getMaxFailedRounds(), 1, true);
    }
    if (s.getImages() != null) {
      image("spec.images.trainer", s.getImages().getTrainer());
      image("spec.images.aggregator", s.getImages().getAggregator());
    }
    present("spec.suspend", s.getSuspend());
  }

  private void serverOptimizer(AggregationSpec a) {
    ServerOptimizerSpec o = a.getServerOptimizer();
    if (o == null) {
      return;
    }
    boolean adaptive =
        o.getType() == ServerOptimizer.ADAM
            || o.getType() == ServerOptimizer.YOGI
            || o.getType() == ServerOptimizer.ADAGRAD;
    if (adaptive && a.getStrategy() == AggregationStrategy.FLEXLORA) {
      problems.add(
          "spec.aggregation.serverOptimizer.type "
              + o.getType()
              + " acts element-wise on the dense update, which FLEXLORA keeps factored: use SGD"
              + " (learningRate, momentum) with FLEXLORA, or strategy FEDAVG or HETLORA");
    }
    try {
      ServerOptimizerOptions.of(o);
    } catch (IllegalArgumentException e) {
      problems.add("spec.aggregation." + e.getMessage());
    }
  }

  private void image(String field, String value) {
    if (value != null && !ImageReference.isValid(value)) {
      problems.add(
          field
              + " must be an image reference such as registry.example.com/team/trainer:1.0, got '"
              + value
              + "'");
    }
  }

  private void sampling(SamplingSpec s) {
    if (!present("spec.sampling", s)) {
      return;
    }
    exactlyOne(
        "spec.sampling.clientsPerRound",
        s.getClientsPerRound(),
        "spec.sampling.fraction",
        s.getFraction());
    atLeast("spec.sampling.clientsPerRound", s.getClientsPerRound(), 1, false);
    if (s.getFraction() != null && !(s.getFraction() > 0 && s.getFraction() <= 1)) {
      problems.add("spec.sampling.fraction must be in (0, 1], got " + s.getFraction());
    }
    atLeast("spec.sampling.minClients", s.getMinClients(), 1, true);
    if (s.getMinClients() != null
        && s.getClientsPerRound() != null
        && s.getMinClients() > s.getClientsPerRound()) {
      problems.add(
          "spec.sampling.minClients ("
              + s.getMinClients()
              + ") must not exceed spec.sampling.clientsPerRound ("
              + s.getClientsPerRound()
              + ")");
    }
    present("spec.sampling.seed", s.getSeed());
  }

  private void lora(LoraSpec l) {
    if (!present("spec.lora", l)) {
      return;
    }
    if (present("spec.lora.alpha", l.getAlpha()) && !(l.getAlpha() > 0)) {
      problems.add("spec.lora.alpha must be > 0, got " + l.getAlpha());
    }
    if (present("spec.lora.dropout", l.getDropout())
        && !(l.getDropout() >= 0 && l.getDropout() < 1)) {
      problems.add("spec.lora.dropout must be in [0, 1), got " + l.getDropout());
    }
    if (l.getTargetModules() == null || l.getTargetModules().isEmpty()) {
      problems.add("spec.lora.targetModules must name at least one module");
    }
  }

  private void training(TrainingSpec t) {
    if (!present("spec.training", t)) {
      return;
    }
    if (t.getEpochs() != null && t.getMaxSteps() != null) {
      problems.add("set at most one of spec.training.epochs and spec.training.maxSteps");
    }
    atLeast("spec.training.epochs", t.getEpochs(), 1, false);
    atLeast("spec.training.maxSteps", t.getMaxSteps(), 1, false);
    atLeast("spec.training.batchSize", t.getBatchSize(), 1, true);
    atLeast("spec.training.maxSeqLength", t.getMaxSeqLength(), 8, true);
    if (present("spec.training.learningRate", t.getLearningRate()) && !(t.getLearningRate() > 0)) {
      problems.add("spec.training.learningRate must be > 0, got " + t.getLearningRate());
    }
    if (present("spec.training.warmupRatio", t.getWarmupRatio())
        && !(t.getWarmupRatio() >= 0 && t.getWarmupRatio() < 1)) {
      problems.add("spec.training.warmupRatio must be in [0, 1), got " + t.getWarmupRatio());
    }
    present("spec.training.seed", t.getSeed());
  }

  private void storage(StorageSpec s) {
    if (!present("spec.storage", s)) {
      return;
    }
    if (present("spec.storage.bucket", s.getBucket()) && !BUCKET.matcher(s.getBucket()).matches()) {
      problems.add("spec.storage.bucket is not a valid bucket name: '" + s.getBucket() + "'");
    }
    if (s.getEndpoint() != null
        && !(s.getEndpoint().startsWith("http://") || s.getEndpoint().startsWith("https://"))) {
      problems.add("spec.storage.endpoint must be an http(s) URL, got '" + s.getEndpoint() + "'");
    }
    present("spec.storage.prefix", s.getPrefix());
    if (s.getSecretRef() != null) {
      present("spec.storage.secretRef.name", s.getSecretRef().getName());
    }
  }

  private void pool(ClientPoolSpec p) {
    if (p == null) {
      problems.add("spec is required");
      return;
    }
    atLeast("spec.rank", p.getRank(), 1, true);
    ClientsSpec c = p.getClients();
    if (present("spec.clients", c)) {
      exactlyOne("spec.clients.list", c.getList(), "spec.clients.count", c.getCount());
      atLeast("spec.clients.count", c.getCount(), 1, false);
      if (c.getCount() != null) {
        uri("spec.clients.dataUriTemplate", c.getDataUriTemplate(), true);
        present("spec.clients.idPrefix", c.getIdPrefix());
      }
      if (c.getList() != null) {
        entries(c.getList());
      }
    }
    image("spec.image", p.getImage());
    if (p.getEnv() != null) {
      for (int i = 0; i < p.getEnv().size(); i++) {
        EnvVarSpec e = p.getEnv().get(i);
        present("spec.env[" + i + "].name", e.getName());
        if (e.getValue() != null && e.getValueFrom() != null) {
          problems.add("spec.env[" + i + "]: set at most one of value and valueFrom");
        }
      }
    }
  }

  private void entries(List<ClientEntry> list) {
    if (list.isEmpty()) {
      problems.add("spec.clients.list must not be empty");
    }
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      ClientEntry e = list.get(i);
      String field = "spec.clients.list[" + i + "]";
      if (present(field + ".id", e.getId())) {
        if (!CLIENT_ID.matcher(e.getId()).matches()) {
          problems.add(
              field + ".id must be 1-63 letters, digits, '.', '_' or '-', got '" + e.getId() + "'");
        } else if (!ids.add(e.getId())) {
          problems.add(field + ".id '" + e.getId() + "' is listed twice");
        }
      }
      uri(field + ".dataUri", e.getDataUri(), true);
      atLeast(field + ".rank", e.getRank(), 1, false);
    }
  }

  private boolean present(String field, Object value) {
    if (value == null) {
      problems.add(field + " is required");
      return false;
    }
    return true;
  }

  private void atLeast(String field, Number value, long min, boolean required) {
    if (value == null) {
      if (required) {
        problems.add(field + " is required");
      }
    } else if (value.longValue() < min) {
      problems.add(field + " must be >= " + min + ", got " + value);
    }
  }

  private void exactlyOne(String field1, Object value1, String field2, Object value2) {
    if ((value1 == null) == (value2 == null)) {
      problems.add("set exactly one of " + field1 + " and " + field2);
    }
  }

  private void uri(String field, String value, boolean required) {
    if (value == null) {
      if (required) {
        problems.add(field + " is required");
      }
    } else if (!DATA_URI.matcher(value).matches()) {
      problems.add(
          field
              + " must be s3://bucket/key, pvc://claim/path or an absolute path, got '"
              + value
              + "'");
    }
  }
}
