package dev.flotilla.core.spec;

import dev.flotilla.core.workload.ServerOptimizerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks Federation and ClientPool specs in Java with the same rules and the same {@link
 * SpecBounds} as the CRD schema (required fields, ranges, lengths, CEL rules), so that the operator
 * refuses a spec before any I/O even when the API server did not apply the schema (an outdated CRD,
 * a mock server), and a local run refuses what a cluster would. The schema is the contract: a test
 * (local's SchemaParityTest) runs a table of cases through the CRD schema with CEL and through this
 * class and requires the same verdict. Every problem names its field and limit, e.g. {@code
 * spec.rounds must be <= 10000}.
 */
public final class SpecValidator {

  private static final Pattern DATA_URI = Pattern.compile(SpecBounds.URI_PATTERN);
  private static final Pattern PREFIX = Pattern.compile(SpecBounds.PREFIX_PATTERN);
  private static final Pattern REGION = Pattern.compile(SpecBounds.REGION_PATTERN);
  private static final Pattern SECRET_KEY = Pattern.compile(SpecBounds.SECRET_KEY_PATTERN);
  private static final Pattern DNS_SUBDOMAIN = Pattern.compile(SpecBounds.DNS_SUBDOMAIN_PATTERN);
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

  /**
   * The problems of a Federation's name: it must fit a label value ({@value
   * SpecBounds#FEDERATION_NAME} characters), since every Job carries it in the {@code
   * flotilla.dev/federation} label.
   */
  public static List<String> validateFederationName(String name) {
    if (name != null && name.length() > SpecBounds.FEDERATION_NAME) {
      return List.of(
          "metadata.name must be at most "
              + SpecBounds.FEDERATION_NAME
              + " characters (it is the flotilla.dev/federation label value of every Job), got "
              + name.length());
    }
    return List.of();
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
      uri("spec.baseModel.tokenizer", s.getBaseModel().getTokenizer(), false);
      present("spec.baseModel.architecture", s.getBaseModel().getArchitecture());
    }
    if (present("spec.task", s.getTask()) && present("spec.task.type", s.getTask().getType())) {
      Integer labels = s.getTask().getNumLabels();
      if (s.getTask().getType() == TaskKind.SEQUENCE_CLASSIFICATION && labels == null) {
        problems.add("spec.task.numLabels is required when type is SEQUENCE_CLASSIFICATION");
      }
      atLeast("spec.task.numLabels", labels, 2, false);
      atMost("spec.task.numLabels", labels, SpecBounds.LABELS);
    }
    atLeast("spec.rounds", s.getRounds(), 1, true);
    atMost("spec.rounds", s.getRounds(), SpecBounds.ROUNDS);
    sampling(s.getSampling());
    if (present("spec.roundTimeout", s.getRoundTimeout())
        && length("spec.roundTimeout", s.getRoundTimeout(), SpecBounds.DURATION_STRING)) {
      try {
        Duration max = Duration.ofHours(SpecBounds.ROUND_TIMEOUT_HOURS);
        Duration timeout = DurationStrings.parse("spec.roundTimeout", s.getRoundTimeout(), max);
        if (timeout.compareTo(Duration.ofSeconds(1)) < 0) {
          problems.add(
              "spec.roundTimeout must be between 1s and "
                  + max.toHours()
                  + "h, got '"
                  + s.getRoundTimeout()
                  + "'");
        }
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
    AggregationSpec a = s.getAggregation();
    if (present("spec.aggregation", a)) {
      present("spec.aggregation.strategy", a.getStrategy());
      present("spec.aggregation.weighting", a.getWeighting());
      atLeast("spec.aggregation.globalRank", a.getGlobalRank(), 1, true);
      atMost("spec.aggregation.globalRank", a.getGlobalRank(), SpecBounds.RANK);
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
      long set =
          Stream.of(pools.getNames(), pools.getMatchLabels(), pools.getRefs())
              .filter(Objects::nonNull)
              .count();
      if (set != 1) {
        problems.add(
            "spec.clientPools: set exactly one of names, matchLabels and refs, found " + set);
      }
      if (pools.getNames() != null && pools.getNames().isEmpty()) {
        problems.add("spec.clientPools.names must not be empty");
      }
      if (pools.getRefs() != null && pools.getRefs().isEmpty()) {
        problems.add("spec.clientPools.refs must not be empty");
      }
      if (items("spec.clientPools.names", pools.getNames(), SpecBounds.POOLS)) {
        for (int i = 0; i < pools.getNames().size(); i++) {
          length("spec.clientPools.names[" + i + "]", pools.getNames().get(i), 253);
        }
      }
      labels("spec.clientPools.matchLabels", pools.getMatchLabels(), SpecBounds.LABEL_VALUE);
      items("spec.clientPools.refs", pools.getRefs(), SpecBounds.POOLS);
    }
    FailurePolicySpec f = s.getFailurePolicy();
    if (present("spec.failurePolicy", f)) {
      atLeast("spec.failurePolicy.maxRoundRetries", f.getMaxRoundRetries(), 0, true);
      atMost(
          "spec.failurePolicy.maxRoundRetries", f.getMaxRoundRetries(), SpecBounds.ROUND_RETRIES);
      atLeast("spec.failurePolicy.maxFailedRounds", f.getMaxFailedRounds(), 1, true);
      atMost("spec.failurePolicy.maxFailedRounds", f.getMaxFailedRounds(), SpecBounds.ROUNDS);
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
    if (value != null && length(field, value, SpecBounds.IMAGE) && !ImageReference.isValid(value)) {
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
    atMost("spec.sampling.clientsPerRound", s.getClientsPerRound(), SpecBounds.CLIENTS);
    if (s.getFraction() != null && !(s.getFraction() > 0 && s.getFraction() <= 1)) {
      problems.add("spec.sampling.fraction must be in (0, 1], got " + s.getFraction());
    }
    atLeast("spec.sampling.minClients", s.getMinClients(), 1, true);
    atMost("spec.sampling.minClients", s.getMinClients(), SpecBounds.CLIENTS);
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
    if (present("spec.lora.alpha", l.getAlpha())
        && !(l.getAlpha() > 0 && l.getAlpha() <= SpecBounds.ALPHA)) {
      problems.add("spec.lora.alpha must be in (0, " + SpecBounds.ALPHA + "], got " + l.getAlpha());
    }
    if (present("spec.lora.dropout", l.getDropout())
        && !(l.getDropout() >= 0 && l.getDropout() < 1)) {
      problems.add("spec.lora.dropout must be in [0, 1), got " + l.getDropout());
    }
    if (l.getTargetModules() == null || l.getTargetModules().isEmpty()) {
      problems.add("spec.lora.targetModules must name at least one module");
    } else if (items("spec.lora.targetModules", l.getTargetModules(), SpecBounds.TARGET_MODULES)) {
      for (int i = 0; i < l.getTargetModules().size(); i++) {
        String module = l.getTargetModules().get(i);
        String field = "spec.lora.targetModules[" + i + "]";
        if (present(field, module) && module.isEmpty()) {
          problems.add(field + " must not be empty");
        }
        length(field, module, SpecBounds.SHORT_STRING);
      }
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
    atMost("spec.training.epochs", t.getEpochs(), SpecBounds.EPOCHS);
    atLeast("spec.training.maxSteps", t.getMaxSteps(), 1, false);
    atMost("spec.training.maxSteps", t.getMaxSteps(), SpecBounds.MAX_STEPS);
    atLeast("spec.training.batchSize", t.getBatchSize(), 1, true);
    atMost("spec.training.batchSize", t.getBatchSize(), SpecBounds.BATCH_SIZE);
    atLeast("spec.training.maxSeqLength", t.getMaxSeqLength(), 8, true);
    atMost("spec.training.maxSeqLength", t.getMaxSeqLength(), SpecBounds.SEQ_LENGTH);
    if (present("spec.training.learningRate", t.getLearningRate())
        && !(t.getLearningRate() > 0 && t.getLearningRate() <= SpecBounds.LEARNING_RATE)) {
      problems.add(
          "spec.training.learningRate must be in (0, "
              + SpecBounds.LEARNING_RATE
              + "], got "
              + t.getLearningRate());
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
    endpoint("spec.storage.endpoint", s.getEndpoint());
    if (present("spec.storage.prefix", s.getPrefix())
        && length("spec.storage.prefix", s.getPrefix(), SpecBounds.PREFIX)
        && !PREFIX.matcher(s.getPrefix()).matches()) {
      problems.add(
          "spec.storage.prefix must be '/'-separated segments of letters, digits, '.', '_', '-',"
              + " none of them '.' or '..', got '"
              + s.getPrefix()
              + "'");
    }
    region("spec.storage.region", s.getRegion());
    secretKeys("spec.storage.secretRef", s.getSecretRef());
  }

  private void endpoint(String field, String value) {
    if (value != null
        && length(field, value, SpecBounds.ENDPOINT)
        && !(value.matches("^https?://.+$"))) {
      problems.add(field + " must be an http(s) URL, got '" + value + "'");
    }
  }

  private void region(String field, String value) {
    if (value != null
        && length(field, value, SpecBounds.REGION)
        && !REGION.matcher(value).matches()) {
      problems.add(field + " must be lowercase letters, digits and '-', got '" + value + "'");
    }
  }

  private void secretKeys(String field, SecretKeysRef ref) {
    if (ref == null) {
      return;
    }
    if (present(field + ".name", ref.getName())) {
      dnsName(field + ".name", ref.getName(), SpecBounds.SHORT_STRING);
    }
    secretKey(field + ".accessKeyKey", ref.getAccessKeyKey());
    secretKey(field + ".secretKeyKey", ref.getSecretKeyKey());
  }

  private void secretKey(String field, String value) {
    if (value != null
        && length(field, value, SpecBounds.SHORT_STRING)
        && !SECRET_KEY.matcher(value).matches()) {
      problems.add(field + " must be letters, digits, '-', '.' or '_', got '" + value + "'");
    }
  }

  private void dnsName(String field, String value, int max) {
    if (value != null && length(field, value, max) && !DNS_SUBDOMAIN.matcher(value).matches()) {
      problems.add(field + " must be a lowercase DNS name, got '" + value + "'");
    }
  }

  private void pool(ClientPoolSpec p) {
    if (p == null) {
      problems.add("spec is required");
      return;
    }
    atLeast("spec.rank", p.getRank(), 1, true);
    atMost("spec.rank", p.getRank(), SpecBounds.RANK);
    items("spec.allowedFederations", p.getAllowedFederations(), SpecBounds.MAP_ENTRIES);
    ClientsSpec c = p.getClients();
    if (present("spec.clients", c)) {
      exactlyOne("spec.clients.list", c.getList(), "spec.clients.count", c.getCount());
      atLeast("spec.clients.count", c.getCount(), 1, false);
      atMost("spec.clients.count", c.getCount(), SpecBounds.CLIENTS);
      if (c.getCount() != null) {
        uri("spec.clients.dataUriTemplate", c.getDataUriTemplate(), true);
      }
      if (present("spec.clients.idPrefix", c.getIdPrefix())) {
        length("spec.clients.idPrefix", c.getIdPrefix(), SpecBounds.ID_PREFIX);
      }
      if (c.getList() != null
          && items("spec.clients.list", c.getList(), SpecBounds.LISTED_CLIENTS)) {
        entries(c.getList());
      }
    }
    image("spec.image", p.getImage());
    labels("spec.nodeSelector", p.getNodeSelector(), SpecBounds.LABEL_VALUE);
    if (p.getResources() != null) {
      labels("spec.resources.requests", p.getResources().getRequests(), SpecBounds.QUANTITY);
      labels("spec.resources.limits", p.getResources().getLimits(), SpecBounds.QUANTITY);
    }
    if (items("spec.tolerations", p.getTolerations(), SpecBounds.TOLERATIONS)) {
      for (int i = 0; i < p.getTolerations().size(); i++) {
        TolerationSpec t = p.getTolerations().get(i);
        String field = "spec.tolerations[" + i + "]";
        length(field + ".key", t.getKey(), SpecBounds.LABEL_KEY);
        length(field + ".value", t.getValue(), SpecBounds.LABEL_VALUE);
        atMost(
            field + ".tolerationSeconds", t.getTolerationSeconds(), SpecBounds.TOLERATION_SECONDS);
      }
    }
    dnsName("spec.runtimeClassName", p.getRuntimeClassName(), SpecBounds.SHORT_STRING);
    dnsName("spec.priorityClassName", p.getPriorityClassName(), SpecBounds.SHORT_STRING);
    dnsName("spec.serviceAccountName", p.getServiceAccountName(), SpecBounds.SHORT_STRING);
    if (items("spec.env", p.getEnv(), SpecBounds.ENV)) {
      for (int i = 0; i < p.getEnv().size(); i++) {
        EnvVarSpec e = p.getEnv().get(i);
        if (present("spec.env[" + i + "].name", e.getName())) {
          length("spec.env[" + i + "].name", e.getName(), SpecBounds.SHORT_STRING);
        }
        length("spec.env[" + i + "].value", e.getValue(), SpecBounds.ENV_VALUE);
        if (e.getValue() != null && e.getValueFrom() != null) {
          problems.add("spec.env[" + i + "]: set at most one of value and valueFrom");
        }
      }
    }
    DataStorageSpec data = p.getDataStorage();
    if (data != null) {
      if (present("spec.dataStorage.endpoint", data.getEndpoint())) {
        endpoint("spec.dataStorage.endpoint", data.getEndpoint());
      }
      region("spec.dataStorage.region", data.getRegion());
      if (present("spec.dataStorage.secretRef", data.getSecretRef())) {
        secretKeys("spec.dataStorage.secretRef", data.getSecretRef());
      }
    }
  }

  private void labels(String field, Map<String, String> map, int maxValue) {
    if (map == null) {
      return;
    }
    if (map.size() > SpecBounds.MAP_ENTRIES) {
      problems.add(
          field + " must have at most " + SpecBounds.MAP_ENTRIES + " entries, got " + map.size());
      return;
    }
    map.forEach(
        (k, v) -> {
          if (k.length() > SpecBounds.LABEL_KEY || (v != null && v.length() > maxValue)) {
            problems.add(
                field
                    + ": keys must be at most "
                    + SpecBounds.LABEL_KEY
                    + " and values at most "
                    + maxValue
                    + " characters");
          }
        });
  }

  /** Checks a list's size; true when it is present and within {@code max}. */
  private boolean items(String field, List<?> list, int max) {
    if (list == null) {
      return false;
    }
    if (list.size() > max) {
      problems.add(field + " must have at most " + max + " items, got " + list.size());
      return false;
    }
    return true;
  }

  /** Checks a string's length; true when it is absent or within {@code max}. */
  private boolean length(String field, String value, int max) {
    if (value != null && value.length() > max) {
      problems.add(field + " must be at most " + max + " characters, got " + value.length());
      return false;
    }
    return true;
  }

  private void atMost(String field, Number value, long max) {
    if (value != null && value.longValue() > max) {
      problems.add(field + " must be <= " + max + ", got " + value);
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
      atMost(field + ".rank", e.getRank(), SpecBounds.RANK);
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
    } else if (length(field, value, SpecBounds.URI) && !DATA_URI.matcher(value).matches()) {
      problems.add(
          field
              + " must be s3://bucket/key, an absolute path or (locally) file:, got '"
              + value
              + "'");
    }
  }
}
