package dev.flotilla.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import dev.flotilla.core.adapter.FloatTensor;
import dev.flotilla.core.adapter.LoraAdapter;
import dev.flotilla.core.adapter.LoraModule;
import dev.flotilla.core.adapter.TaskType;
import dev.flotilla.model.BadInputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A BERT-family sequence classifier (BERT, MiniLM, bge, DistilBERT) with Hugging Face parameter
 * names, a frozen base, LoRA branches on the target modules and a trained classification head.
 */
public final class BertEncoder implements TrainableModel {
  private final NDManager manager;
  private final EncoderConfig config;
  private final LoraSettings lora;
  private final List<String> resolvedTargets;
  private final NDArray wordEmbeddings;
  private final NDArray positionEmbeddings;
  private final NDArray tokenTypeEmbeddings;
  private final NDArray[] embeddingsNorm;
  private final List<EncoderLayer> layers = new ArrayList<>();
  private final LoraLinear pooler;
  private final List<TrainedLinear> head = new ArrayList<>();
  private final List<LoraLinear> adapted;

  /**
   * Loads the base weights into {@code manager} (owned by the model from now on, closed by {@link
   * #close()}) and attaches LoRA: from {@code start} when given (its modules must cover exactly the
   * targeted layers), otherwise freshly (A Kaiming-uniform, B = 0).
   */
  public BertEncoder(
      Checkpoint checkpoint,
      EncoderConfig config,
      int numLabels,
      LoraSettings lora,
      LoraAdapter start,
      NDManager manager) {
    if (numLabels < 2) {
      throw new BadInputException("num labels must be >= 2 for classification, got " + numLabels);
    }
    this.manager = manager;
    this.config = config;
    this.lora = lora;
    EncoderNaming naming = EncoderNaming.of(config.family());
    WeightLoader weights = new WeightLoader(checkpoint, manager, naming.prefix());
    int h = config.hidden();
    wordEmbeddings = weights.load(naming.wordEmbeddings() + ".weight", config.vocabSize(), h);
    positionEmbeddings =
        weights.load(naming.positionEmbeddings() + ".weight", config.maxPositions(), h);
    tokenTypeEmbeddings =
        naming.tokenTypeEmbeddings() == null
            ? null
            : weights.load(naming.tokenTypeEmbeddings() + ".weight", config.typeVocabSize(), h);
    embeddingsNorm = EncoderLayer.norm(weights, naming.embeddingsNorm(), h);
    for (int i = 0; i < config.layers(); i++) {
      layers.add(new EncoderLayer(weights, naming, config, i));
    }
    Map<String, FloatTensor> startHead = start == null ? Map.of() : start.extraTensors();
    if (config.family() == ModelFamily.BERT) {
      if (!weights.has("pooler.dense.weight")) {
        throw new BadInputException(
            checkpoint.location()
                + ": missing bert.pooler.dense.weight; BertForSequenceClassification needs the"
                + " pooler (the import command writes one)");
      }
      pooler = weights.linear("pooler.dense", h, h, true);
    } else {
      pooler = null;
      head.add(
          TrainedLinear.create(
              "pre_classifier", h, h, startHead, checkpoint, manager, lora.initSeed()));
    }
    head.add(
        TrainedLinear.create(
            "classifier", h, numLabels, startHead, checkpoint, manager, lora.initSeed()));
    resolvedTargets = LoraTargets.resolveNames(config.family(), lora.targetModules());
    List<LoraLinear> candidates = new ArrayList<>();
    layers.forEach(layer -> candidates.addAll(layer.linears()));
    adapted = LoraTargets.select(candidates, resolvedTargets);
    AdapterAttacher.attach(adapted, start, lora, manager);
  }

  /** The encoder configuration. */
  public EncoderConfig config() {
    return config;
  }

  /** The last hidden state {@code [B, T, hidden]}. */
  public NDArray encode(ModelBatch batch, boolean training) {
    NDArray ids = batch.inputIds();
    long seqLen = ids.getShape().get(1);
    if (seqLen > config.maxPositions()) {
      throw new BadInputException(
          "sequence length "
              + seqLen
              + " exceeds max_position_embeddings "
              + config.maxPositions());
    }
    NDArray x = Embedding.embedding(ids, wordEmbeddings, SparseFormat.DENSE).head();
    NDArray positions = manager.arange(0, (int) seqLen, 1, DataType.INT64);
    NDArray pos = Embedding.embedding(positions, positionEmbeddings, SparseFormat.DENSE).head();
    positions.close();
    x = x.add(pos);
    if (tokenTypeEmbeddings != null) {
      x =
          x.add(
              Embedding.embedding(batch.tokenTypeIds(), tokenTypeEmbeddings, SparseFormat.DENSE)
                  .head());
    }
    x = Ops.layerNorm(x, embeddingsNorm[0], embeddingsNorm[1], config.layerNormEps());
    x = Ops.dropout(x, config.hiddenDropout(), training);
    NDArray maskBias = Ops.paddingBias(batch.attentionMask());
    for (EncoderLayer layer : layers) {
      x = Ops.scoped(x, input -> layer.forward(input, maskBias, training));
    }
    return x;
  }

  /** Class logits {@code [B, numLabels]}. */
  public NDArray logits(ModelBatch batch, boolean training) {
    NDArray cls = encode(batch, training).get(new NDIndex(":, 0, :"));
    NDArray features;
    if (pooler != null) {
      features = Activation.tanh(pooler.forward(cls, false));
      features = Ops.dropout(features, config.classifierDropout(), training);
      return head.get(0).forward(features);
    }
    features = Activation.relu(head.get(0).forward(cls));
    features = Ops.dropout(features, config.classifierDropout(), training);
    return head.get(1).forward(features);
  }

  @Override
  public ModelOutput forward(ModelBatch batch, boolean training) {
    NDArray logits = logits(batch, training);
    NDArray labels = batch.labels();
    NDArray ones = manager.ones(labels.getShape());
    NDArray loss = Ops.crossEntropy(logits, labels, ones);
    long correct;
    try (NDArray predicted = logits.argMax(-1);
        NDArray hits = predicted.eq(labels)) {
      correct = hits.toType(DataType.INT64, false).sum().getLong();
    }
    return new ModelOutput(loss, correct, batch.size());
  }

  @Override
  public List<LoraLinear> adaptedLayers() {
    return adapted;
  }

  @Override
  public Map<String, NDArray> trainableParameters() {
    Map<String, NDArray> params = new LinkedHashMap<>();
    for (LoraLinear layer : adapted) {
      if (layer.adapted()) {
        params.put(layer.name() + ".lora_A.weight", layer.loraA());
        params.put(layer.name() + ".lora_B.weight", layer.loraB());
      }
    }
    head.forEach(linear -> linear.collect(params));
    return params;
  }

  @Override
  public LoraAdapter toAdapter(String baseModel) {
    Map<String, LoraModule> modules = new LinkedHashMap<>();
    for (LoraLinear layer : adapted) {
      modules.put(layer.name(), layer.toModule());
    }
    Map<String, FloatTensor> extra = new LinkedHashMap<>();
    Map<String, NDArray> headParams = new LinkedHashMap<>();
    head.forEach(linear -> linear.collect(headParams));
    headParams.forEach((name, array) -> extra.put(name, Tensors.toFloatTensor(array)));
    return new LoraAdapter(
        baseModel,
        TaskType.SEQ_CLS,
        lora.alpha(),
        lora.dropout(),
        resolvedTargets,
        modules,
        head.stream().map(TrainedLinear::name).toList(),
        extra);
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
