package dev.flotilla.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import java.util.List;

/** One post-LN transformer encoder layer (self-attention, GELU feed-forward), as in BERT. */
final class EncoderLayer {
  private final EncoderConfig config;
  private final LoraLinear query;
  private final LoraLinear key;
  private final LoraLinear value;
  private final LoraLinear attentionOutput;
  private final NDArray[] attentionNorm;
  private final LoraLinear ffnIn;
  private final LoraLinear ffnOut;
  private final NDArray[] outputNorm;

  EncoderLayer(WeightLoader weights, EncoderNaming naming, EncoderConfig config, int index) {
    this.config = config;
    String p = naming.layer() + index + ".";
    int h = config.hidden();
    query = weights.linear(p + naming.query(), h, h, true);
    key = weights.linear(p + naming.key(), h, h, true);
    value = weights.linear(p + naming.value(), h, h, true);
    attentionOutput = weights.linear(p + naming.attentionOutput(), h, h, true);
    attentionNorm = norm(weights, p + naming.attentionNorm(), h);
    ffnIn = weights.linear(p + naming.ffnIn(), h, config.intermediate(), true);
    ffnOut = weights.linear(p + naming.ffnOut(), config.intermediate(), h, true);
    outputNorm = norm(weights, p + naming.outputNorm(), h);
  }

  static NDArray[] norm(WeightLoader weights, String name, int size) {
    return new NDArray[] {weights.load(name + ".weight", size), weights.load(name + ".bias", size)};
  }

  List<LoraLinear> linears() {
    return List.of(query, key, value, attentionOutput, ffnIn, ffnOut);
  }

  NDArray forward(NDArray x, NDArray maskBias, boolean training) {
    int heads = config.heads();
    int headDim = config.headDim();
    NDArray q = Ops.splitHeads(query.forward(x, training), heads, headDim);
    NDArray k = Ops.splitHeads(key.forward(x, training), heads, headDim);
    NDArray v = Ops.splitHeads(value.forward(x, training), heads, headDim);
    NDArray context =
        Ops.mergeHeads(Ops.attention(q, k, v, maskBias, config.attentionDropout(), training));
    NDArray attended = attentionOutput.forward(context, training);
    NDArray a =
        Ops.layerNorm(
            Ops.dropout(attended, config.hiddenDropout(), training).add(x),
            attentionNorm[0],
            attentionNorm[1],
            config.layerNormEps());
    NDArray inner = Activation.gelu(ffnIn.forward(a, training));
    NDArray out = Ops.dropout(ffnOut.forward(inner, training), config.hiddenDropout(), training);
    return Ops.layerNorm(out.add(a), outputNorm[0], outputNorm[1], config.layerNormEps());
  }
}
