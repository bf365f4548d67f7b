package dev.flotilla.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import dev.flotilla.core.adapter.LoraAdapter;
import dev.flotilla.core.adapter.LoraModule;
import dev.flotilla.core.adapter.TaskType;
import dev.flotilla.model.BadInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Llama-family causal LM (Llama, Mistral, Qwen2) with Hugging Face parameter names ({@code
 * model.layers.0.self_attn.q_proj}), frozen base, LoRA on the target modules; the loss is the mean
 * next-token cross-entropy over response tokens only.
 */
public final class LlamaDecoder implements TrainableModel {
  private final NDManager manager;
  private final DecoderConfig config;
  private final LoraSettings lora;
  private final List<String> resolvedTargets;
  private final NDArray embeddings;
  private final List<DecoderLayer> layers = new ArrayList<>();
  private final NDArray finalNorm;
  private final NDArray lmHead;
  private final List<LoraLinear> adapted;

  /** Loads the base weights into {@code manager} (owned by the model) and attaches LoRA. */
  public LlamaDecoder(
      Checkpoint checkpoint,
      DecoderConfig config,
      LoraSettings lora,
      LoraAdapter start,
      NDManager manager) {
    this.manager = manager;
    this.config = config;
    this.lora = lora;
    WeightLoader weights = new WeightLoader(checkpoint, manager, "");
    embeddings = weights.load("model.embed_tokens.weight", config.vocabSize(), config.hidden());
    for (int i = 0; i < config.layers(); i++) {
      layers.add(new DecoderLayer(weights, config, i));
    }
    finalNorm = weights.load("model.norm.weight", config.hidden());
    lmHead =
        config.tieWordEmbeddings() || !weights.has("lm_head.weight")
            ? tiedOrMissing(checkpoint, config)
            : weights.load("lm_head.weight", config.vocabSize(), config.hidden());
    resolvedTargets = LoraTargets.resolveNames(ModelFamily.LLAMA, lora.targetModules());
    List<LoraLinear> candidates = new ArrayList<>();
    layers.forEach(layer -> candidates.addAll(layer.linears()));
    adapted = LoraTargets.select(candidates, resolvedTargets);
    AdapterAttacher.attach(adapted, start, lora, manager);
  }

  private NDArray tiedOrMissing(Checkpoint checkpoint, DecoderConfig config) {
    if (!config.tieWordEmbeddings()) {
      throw new BadInputException(
          checkpoint.location() + ": missing lm_head.weight and tie_word_embeddings is false");
    }
    return embeddings;
  }

  /** Next-token logits {@code [B, T, vocab]}. */
  public NDArray logits(ModelBatch batch, boolean training) {
    return Linear.linear(hidden(batch, training), lmHead).head();
  }

  /** The final-normed hidden state {@code [B, T, hidden]}. */
  private NDArray hidden(ModelBatch batch, boolean training) {
    NDArray ids = batch.inputIds();
    int length = (int) ids.getShape().get(1);
    NDArray x = Embedding.embedding(ids, embeddings, SparseFormat.DENSE).head();
    Rotary rotary = new Rotary(manager, length, config.headDim(), config.ropeTheta());
    NDArray mask = causalBias(length).minimum(Ops.paddingBias(batch.attentionMask()));
    for (DecoderLayer layer : layers) {
      x = Ops.scoped(x, input -> layer.forward(input, rotary, mask, training));
    }
    return Ops.rmsNorm(x, finalNorm, config.rmsNormEps());
  }

  private NDArray causalBias(int length) {
    float[] bias = new float[length * length];
    for (int i = 0; i < length; i++) {
      for (int j = i + 1; j < length; j++) {
        bias[i * length + j] = Ops.MASKED;
      }
    }
    return manager.create(bias, new Shape(1, 1, length, length));
  }

  /**
   * Loss and accuracy over the scored next-token predictions. The LM head runs only on the
   * positions whose next token has a non-zero loss weight (every other row of the full logits has
   * weight 0, so loss and gradients are the same): with a 32k vocabulary the head is the largest
   * matrix product of the model, and its logits the largest arrays.
   */
  @Override
  public ModelOutput forward(ModelBatch batch, boolean training) {
    NDArray hidden = hidden(batch, training);
    int batchSize = (int) hidden.getShape().get(0);
    int length = (int) hidden.getShape().get(1);
    float[] weights = batch.labels().toFloatArray();
    List<Long> predictorRows = new ArrayList<>();
    double scored = 0;
    for (int b = 0; b < batchSize; b++) {
      for (int t = 1; t < length; t++) {
        float w = weights[b * length + t];
        if (w != 0) {
          predictorRows.add((long) b * length + t - 1);
          scored += w;
        }
      }
    }
    if (predictorRows.isEmpty()) {
      // nothing to score: a zero loss that still reaches the parameters (zero gradients)
      return new ModelOutput(Ops.scale(hidden.sum(), 0f), 0, 0);
    }
    long[] rows = predictorRows.stream().mapToLong(Long::longValue).toArray();
    long[] nextRows = Arrays.stream(rows).map(row -> row + 1).toArray();
    NDArray flatHidden = hidden.reshape((long) batchSize * length, config.hidden());
    NDArray next = manager.create(nextRows);
    NDArray logits = Linear.linear(flatHidden.get(manager.create(rows)), lmHead).head();
    NDArray targets = batch.inputIds().flatten().get(next);
    NDArray rowWeights = batch.labels().flatten().get(next);
    NDArray loss = Ops.crossEntropy(logits, targets, rowWeights);
    NDArray hits = logits.argMax(-1).eq(targets).toType(DataType.FLOAT32, false);
    long correct = (long) hits.mul(rowWeights).sum().getFloat();
    return new ModelOutput(loss, correct, (long) scored);
  }

  @Override
  public List<LoraLinear> adaptedLayers() {
    return adapted;
  }

  @Override
  public Map<String, NDArray> trainableParameters() {
    Map<String, NDArray> params = new LinkedHashMap<>();
    for (LoraLinear layer : adapted) {
      params.put(layer.name() + ".lora_A.weight", layer.loraA());
      params.put(layer.name() + ".lora_B.weight", layer.loraB());
    }
    return params;
  }

  @Override
  public LoraAdapter toAdapter(String baseModel) {
    Map<String, LoraModule> modules = new LinkedHashMap<>();
    adapted.forEach(layer -> modules.put(layer.name(), layer.toModule()));
    return new LoraAdapter(
        baseModel,
        TaskType.CAUSAL_LM,
        lora.alpha(),
        lora.dropout(),
        resolvedTargets,
        modules,
        List.of(),
        Map.of());
  }

  @Override
  public void mergeAdapters() {
    adapted.forEach(LoraLinear::merge);
  }

  @Override
  public void close() {
    manager.close();
  }
}
