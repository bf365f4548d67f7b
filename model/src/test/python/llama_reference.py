#!/usr/bin/env python3
"""Independent numpy reference of a Llama/Qwen2 decoder forward pass.

Writes a tiny random Qwen2-style model (grouped-query attention, q/k/v biases, untied LM
head) as two BF16 safetensors shards with model.safetensors.index.json, then computes
next-token logits in float64 from the BF16-rounded weights for the token ids below.

    python3 model/src/test/python/llama_reference.py \
        model/src/test/resources/parity/tiny-qwen2
"""
import json
import math
import struct
import sys
from pathlib import Path

import numpy as np

CFG = {"model_type": "qwen2", "vocab_size": 40, "hidden_size": 16, "intermediate_size": 24,
       "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2,
       "rms_norm_eps": 1e-6, "rope_theta": 10000.0, "hidden_act": "silu",
       "tie_word_embeddings": False, "eos_token_id": 3}
IDS = [[2, 17, 5, 33, 8, 21, 3], [2, 9, 30, 12]]


def bf16(x):
    """Round float32 to bfloat16 (nearest even); returns (uint16 bits, float64 values)."""
    bits = np.asarray(x, dtype=np.float32).view(np.uint32)
    rounded = ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16).astype(np.uint16)
    values = (rounded.astype(np.uint32) << 16).view(np.float32).astype(np.float64)
    return rounded, values


def write_shard(path, tensors):
    header, offset, blobs = {"__metadata__": {"format": "pt"}}, 0, []
    for name in sorted(tensors):
        raw = tensors[name][0].tobytes()
        header[name] = {"dtype": "BF16", "shape": list(tensors[name][0].shape), "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
        blobs.append(raw)
    head = json.dumps(header).encode()
    head += b" " * (-len(head) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(head)) + head + b"".join(blobs))


def rms(x, w, eps):
    return x / np.sqrt((x * x).mean(-1, keepdims=True) + eps) * w


def forward(w, ids):
    c = CFG
    t, h, heads, kv = len(ids), c["hidden_size"], c["num_attention_heads"], c["num_key_value_heads"]
    d = h // heads
    inv = 1.0 / c["rope_theta"] ** (np.arange(0, d, 2) / d)
    ang = np.arange(t)[:, None] * inv[None]
    cos, sin = np.cos(np.concatenate([ang, ang], -1)), np.sin(np.concatenate([ang, ang], -1))
    rot = lambda x: np.concatenate([-x[..., d // 2:], x[..., :d // 2]], -1)
    x = w["model.embed_tokens.weight"][ids]
    for i in range(c["num_hidden_layers"]):
        p = f"model.layers.{i}."
        lin = lambda n, v, bias=True: v @ w[p + n + ".weight"].T + (w[p + n + ".bias"] if bias else 0)
        a = rms(x, w[p + "input_layernorm.weight"], c["rms_norm_eps"])
        q = lin("self_attn.q_proj", a).reshape(t, heads, d).transpose(1, 0, 2)
        k = lin("self_attn.k_proj", a).reshape(t, kv, d).transpose(1, 0, 2)
        v = lin("self_attn.v_proj", a).reshape(t, kv, d).transpose(1, 0, 2)
        q, k = q * cos + rot(q) * sin, k * cos + rot(k) * sin
        k, v = np.repeat(k, heads // kv, 0), np.repeat(v, heads // kv, 0)
        s = q @ k.transpose(0, 2, 1) / math.sqrt(d) + np.triu(np.full((t, t), -np.inf), 1)
        s = np.exp(s - s.max(-1, keepdims=True))
        ctx = (s / s.sum(-1, keepdims=True) @ v).transpose(1, 0, 2).reshape(t, h)
        x = x + lin("self_attn.o_proj", ctx, False)
        m = rms(x, w[p + "post_attention_layernorm.weight"], c["rms_norm_eps"])
        g = lin("mlp.gate_proj", m, False)
        x = x + lin("mlp.down_proj", g / (1 + np.exp(-g)) * lin("mlp.up_proj", m, False), False)
    x = rms(x, w["model.norm.weight"], c["rms_norm_eps"])
    return x @ w["lm_head.weight"].T


def main():
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(7)
    c = CFG
    h, f, v, d = c["hidden_size"], c["intermediate_size"], c["vocab_size"], c["hidden_size"] // c["num_attention_heads"]
    shapes = {"model.embed_tokens.weight": (v, h), "model.norm.weight": (h,), "lm_head.weight": (v, h)}
    for i in range(c["num_hidden_layers"]):
        p = f"model.layers.{i}."
        shapes.update({p + "input_layernorm.weight": (h,), p + "post_attention_layernorm.weight": (h,),
                       p + "self_attn.q_proj.weight": (c["num_attention_heads"] * d, h), p + "self_attn.q_proj.bias": (c["num_attention_heads"] * d,),
                       p + "self_attn.k_proj.weight": (c["num_key_value_heads"] * d, h), p + "self_attn.k_proj.bias": (c["num_key_value_heads"] * d,),
                       p + "self_attn.v_proj.weight": (c["num_key_value_heads"] * d, h), p + "self_attn.v_proj.bias": (c["num_key_value_heads"] * d,),
                       p + "self_attn.o_proj.weight": (h, c["num_attention_heads"] * d),
                       p + "mlp.gate_proj.weight": (f, h), p + "mlp.up_proj.weight": (f, h), p + "mlp.down_proj.weight": (h, f)})
    tensors = {}
    for name, shape in sorted(shapes.items()):
        base = 1.0 if name.endswith("layernorm.weight") or name == "model.norm.weight" else 0.0
        tensors[name] = bf16(base + rng.normal(0, 0.3, shape))
    names = sorted(tensors)
    shards = {"model-00001-of-00002.safetensors": names[::2], "model-00002-of-00002.safetensors": names[1::2]}
    for file, members in shards.items():
        write_shard(out / file, {n: tensors[n] for n in members})
    index = {"metadata": {}, "weight_map": {n: file for file, members in shards.items() for n in members}}
    (out / "model.safetensors.index.json").write_text(json.dumps(index, indent=1) + "\n")
    (out / "config.json").write_text(json.dumps(CFG, indent=1) + "\n")
    weights = {n: t[1] for n, t in tensors.items()}
    logits = [np.round(forward(weights, ids), 6).tolist() for ids in IDS]
    (out / "reference.json").write_text(json.dumps({"ids": IDS, "logits": logits}) + "\n")


if __name__ == "__main__":
    main()
