package dev.flotilla.core.workload;

import dev.flotilla.core.protocol.Action;
import dev.flotilla.core.spec.ClientPoolSpec;
import dev.flotilla.core.spec.FederationSpec;
import dev.flotilla.core.spec.TrainingSpec;
import java.util.List;
import java.util.Objects;

/**
 * Everything one trainer run is told, as a value: built from a protocol action and the spec by
 * {@link #of}, rendered by {@link #toArgs} for a Job or a local process, and parsed back into an
 * equal value by the trainer program. The one place a training option is added.
 *
 * @param federation federation name
 * @param round round being trained, from 1
 * @param attempt attempt of the round, from 1
 * @param baseRound committed round whose rank adapter starts training; 0: fresh LoRA
 * @param clientId client id
 * @param rank the client's LoRA rank
 * @param alpha lora_alpha
 * @param dropout lora_dropout
 * @param targetModules LoRA target module suffixes
 * @param model base model, tokenizer, task
 * @param data the client's data location
 * @param dataStorage the data owner's store serving {@code data}; null: the Federation's store
 * @param startAdapter starting adapter (s3:// prefix or directory); null: fresh or the layout's
 * @param epochs local epochs (ignored when {@code maxSteps} > 0)
 * @param maxSteps optimizer steps; 0: by epochs
 * @param batchSize batch size
 * @param learningRate peak learning rate
 * @param warmupRatio warm-up fraction of the steps
 * @param weightDecay AdamW decoupled weight decay
 * @param maxGradNorm global gradient-norm clip; 0: off
 * @param evalFraction fraction of the client's examples held out for a local evaluation; 0: none
 * @param seed the federation's training seed
 * @param threads PyTorch intra-op threads; 0: all cores
 * @param storage object storage; null when writing to {@code outputDir}
 * @param grant file holding this attempt's {@link dev.flotilla.core.storage.StorageGrant}; null:
 *     storage credentials from the environment
 * @param outputDir local directory receiving the upload instead of storage; null: storage
 * @param cacheDir model cache; null: the user's cache
 * @param workDir scratch directory; null: a temporary one
 * @param proximalMu FedProx proximal coefficient μ on the LoRA factors (0: off)
 */
public record TrainerInvocation(
    String federation,
    int round,
    int attempt,
    int baseRound,
    String clientId,
    int rank,
    double alpha,
    double dropout,
    List<String> targetModules,
    ModelOptions model,
    String data,
    DataAccess dataStorage,
    String startAdapter,
    int epochs,
    int maxSteps,
    int batchSize,
    double learningRate,
    double warmupRatio,
    double weightDecay,
    double maxGradNorm,
    double evalFraction,
    long seed,
    int threads,
    StorageAccess storage,
    String grant,
    String outputDir,
    String cacheDir,
    String workDir,
    double proximalMu) {

  /** AdamW weight decay of federation trainers (the spec has no field for it). */
  public static final double DEFAULT_WEIGHT_DECAY = 0;

  /** Gradient-norm clip of federation trainers (the spec has no field for it). */
  public static final double DEFAULT_MAX_GRAD_NORM = 1.0;

  /** Checks the fields and copies the list. */
  public TrainerInvocation {
    Objects.requireNonNull(federation, "federation");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(data, "data");
    targetModules = List.copyOf(targetModules);
    if (round < 1 || attempt < 1 || baseRound < 0 || baseRound >= round) {
      throw new IllegalArgumentException(
          "round "
              + round
              + ", attempt "
              + attempt
              + ", base round "
              + baseRound
              + ": need round >= 1, attempt >= 1, 0 <= base round < round");
    }
    if (!(evalFraction >= 0 && evalFraction <= 0.5)) {
      throw new IllegalArgumentException("eval fraction must be in [0, 0.5], got " + evalFraction);
    }
    if (storage == null && outputDir == null) {
      throw new IllegalArgumentException("a trainer needs object storage or an output directory");
    }
  }

  /**
   * The trainer {@code action} asks for, in federation {@code federation}, for a client of {@code
   * pool}, run at {@code site}.
   */
  public static TrainerInvocation of(
      String federation,
      FederationSpec spec,
      ClientPoolSpec pool,
      Action.CreateTrainer action,
      WorkloadSite site) {
    TrainingSpec training = spec.getTraining();
    StorageAccess storage = StorageAccess.of(spec.getStorage(), site);
    return new TrainerInvocation(
        federation,
        action.round(),
        action.attempt(),
        action.baseRound(),
        action.client().id(),
        action.client().rank(),
        spec.getLora().getAlpha(),
        spec.getLora().getDropout(),
        spec.getLora().getTargetModules(),
        ModelOptions.of(spec),
        action.client().dataUri(),
        DataAccess.of(pool.getDataStorage()),
        action.startingAdapterPrefix() == null ? null : storage.uri(action.startingAdapterPrefix()),
        training.epochsOrDefault(),
        training.getMaxSteps() == null ? 0 : training.getMaxSteps(),
        training.getBatchSize(),
        training.getLearningRate(),
        training.getWarmupRatio(),
        DEFAULT_WEIGHT_DECAY,
        DEFAULT_MAX_GRAD_NORM,
        training.evalFractionOrDefault(),
        training.getSeed(),
        site.threads(),
        storage,
        site.grantFile(),
        null,
        site.cacheDir(),
        site.workDir(),
        training.getProximalMu() == null ? 0 : training.getProximalMu());
  }

  /** The program arguments (credentials are not among them: they come from the environment). */
  public List<String> toArgs() {
    ProgramArguments args =
        new ProgramArguments()
            .add("federation", federation)
            .add("round", round)
            .add("attempt", attempt)
            .add("base-round", baseRound)
            .add("client-id", clientId)
            .add("rank", rank)
            .add("alpha", alpha)
            .add("dropout", dropout)
            .addList("target-modules", targetModules);
    model.addTo(args);
    args.add("data", data);
    if (dataStorage != null) {
      dataStorage.addTo(args);
    }
    args.add("start-adapter", startAdapter)
        .add("epochs", epochs)
        .add("max-steps", maxSteps)
        .add("batch-size", batchSize)
        .add("learning-rate", learningRate)
        .add("warmup-ratio", warmupRatio)
        .add("weight-decay", weightDecay)
        .add("max-grad-norm", maxGradNorm)
        .add("eval-fraction", evalFraction)
        .add("seed", seed)
        .add("threads", threads);
    if (storage != null) {
      storage.addTo(args);
    }
    return args.add("grant", grant)
        .add("output-dir", outputDir)
        .add("cache-dir", cacheDir)
        .add("work-dir", workDir)
        .add("proximal-mu", proximalMu)
        .toList();
  }
}
