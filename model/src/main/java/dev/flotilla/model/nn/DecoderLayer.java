package dev.flotilla.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.List;

/** One pre-norm Llama decoder layer: RMSNorm, rotary grouped-query attention, SwiGLU MLP. */
final class DecoderLayer {
  private final DecoderConfig config;
  private final NDArray inputNorm;
  private final NDArray postAttentionNorm;
  private final LoraLinear q;
  private final LoraLinear k;
  private final LoraLinear v;
  private final LoraLinear o;
  private final LoraLinear gate;
  private final LoraLinear up;
  private final LoraLinear down;

  DecoderLayer(WeightLoader weights, DecoderConfig config, int index) {
    this.config = config;
    String p = "model.layers." + index + ".";
    int h = config.hidden();
    int qOut = config.heads() * config.headDim();
    int kvOut = config.kvHeads() * config.headDim();
    boolean bias = config.attentionBias();
    inputNorm = weights.load(p + "input_layernorm.weight", h);
    postAttentionNorm = weights.load(p + "post_attention_layernorm.weight", h);
    q = weights.linear(p + "self_attn.q_proj", h, qOut, bias);
    k = weights.linear(p + "self_attn.k_proj", h, kvOut, bias);
    v = weights.linear(p + "self_attn.v_proj", h, kvOut, bias);
    o = weights.linear(p + "self_attn.o_proj", qOut, h, false);
    gate = weights.linear(p + "mlp.gate_proj", h, config.intermediate(), false);
    up = weights.linear(p + "mlp.up_proj", h, config.intermediate(), false);
    down = weights.linear(p + "mlp.down_proj", config.intermediate(), h, false);
  }

  List<LoraLinear> linears() {
    return List.of(q, k, v, o, gate, up, down);
  }

  NDArray forward(NDArray x, Rotary rotary, NDArray maskBias, boolean training) {
    NDArray h = Ops.rmsNorm(x, inputNorm, config.rmsNormEps());
    NDArray queries =
        rotary.apply(Ops.splitHeads(q.forward(h, training), config.heads(), config.headDim()));
    NDArray keys =
        repeatKv(
            rotary.apply(
                Ops.splitHeads(k.forward(h, training), config.kvHeads(), config.headDim())));
    NDArray values =
        repeatKv(Ops.splitHeads(v.forward(h, training), config.kvHeads(), config.headDim()));
    NDArray context = Ops.mergeHeads(Ops.attention(queries, keys, values, maskBias, 0, training));
    NDArray residual = x.add(o.forward(context, training));
    NDArray m = Ops.rmsNorm(residual, postAttentionNorm, config.rmsNormEps());
    NDArray g = gate.forward(m, training);
    NDArray gated = g.mul(Activation.sigmoid(g)).mul(up.forward(m, training));
    return residual.add(down.forward(gated, training));
  }

  /** {@code [B, Hkv, T, D]} → {@code [B, Hkv·g, T, D]}, each key/value head repeated g times. */
  private NDArray repeatKv(NDArray x) {
    int groups = config.heads() / config.kvHeads();
    if (groups == 1) {
      return x;
    }
    Shape s = x.getShape();
    return x.expandDims(2)
        .broadcast(new Shape(s.get(0), s.get(1), groups, s.get(2), s.get(3)))
        .reshape(s.get(0), s.get(1) * groups, s.get(2), s.get(3));
  }
}
