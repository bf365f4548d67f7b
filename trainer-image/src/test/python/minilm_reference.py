#!/usr/bin/env python3
"""Independent numpy reference of a Hugging Face BERT encoder forward pass.

Reads <model_dir>/config.json and model.safetensors (F32) with numpy only, runs the
BERT forward (float64) on the token ids listed below (produced by the tokenizer in
tokenizer.json, also checked by the Java test) and writes a small JSON of reference
values: the first 8 values of the [CLS] and last-token hidden states, per-token L2
norms and the whole-tensor norm of the last hidden state.

    python3 trainer-image/src/test/python/minilm_reference.py \
        ~/.cache/flotilla/models/all-minilm-l6-v2 \
        trainer-image/src/test/resources/parity/minilm-l6-v2-reference.json
"""
import json
import math
import struct
import sys

import numpy as np

SENTENCES = [
    ("The quick brown fox jumps over the lazy dog.",
     [101, 1996, 4248, 2829, 4419, 14523, 2058, 1996, 13971, 3899, 1012, 102]),
    ("Federated fine-tuning keeps data on the client.",
     [101, 7349, 16848, 2986, 1011, 17372, 7906, 2951, 2006, 1996, 7396, 1012, 102]),
    ("I loved this movie!", [101, 1045, 3866, 2023, 3185, 999, 102]),
]


def read_safetensors(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        data = f.read()
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] != "F32":
            raise ValueError(f"{name}: only F32 is supported, got {info['dtype']}")
        begin, end = info["data_offsets"]
        tensors[name] = np.frombuffer(data[begin:end], dtype="<f4").reshape(info["shape"]).astype(np.float64)
    return tensors


def layer_norm(x, w, b, eps):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * w + b


_erf = np.vectorize(math.erf)


def gelu(x):
    return 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)))


def bert_forward(w, cfg, ids):
    t = len(ids)
    h = cfg["hidden_size"]
    heads = cfg["num_attention_heads"]
    d = h // heads
    eps = cfg["layer_norm_eps"]
    x = (w["embeddings.word_embeddings.weight"][ids]
         + w["embeddings.position_embeddings.weight"][:t]
         + w["embeddings.token_type_embeddings.weight"][[0] * t])
    x = layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
    for i in range(cfg["num_hidden_layers"]):
        p = f"encoder.layer.{i}."

        def lin(name, v):
            return v @ w[p + name + ".weight"].T + w[p + name + ".bias"]

        q = lin("attention.self.query", x).reshape(t, heads, d).transpose(1, 0, 2)
        k = lin("attention.self.key", x).reshape(t, heads, d).transpose(1, 0, 2)
        v = lin("attention.self.value", x).reshape(t, heads, d).transpose(1, 0, 2)
        scores = q @ k.transpose(0, 2, 1) / math.sqrt(d)
        scores = scores - scores.max(-1, keepdims=True)
        probs = np.exp(scores)
        probs = probs / probs.sum(-1, keepdims=True)
        ctx = (probs @ v).transpose(1, 0, 2).reshape(t, h)
        a = layer_norm(lin("attention.output.dense", ctx) + x,
                       w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"], eps)
        inner = gelu(lin("intermediate.dense", a))
        x = layer_norm(lin("output.dense", inner) + a,
                       w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], eps)
    return x


def main():
    model_dir, out = sys.argv[1], sys.argv[2]
    with open(f"{model_dir}/config.json") as f:
        cfg = json.load(f)
    weights = read_safetensors(f"{model_dir}/model.safetensors")
    results = []
    for text, ids in SENTENCES:
        hidden = bert_forward(weights, cfg, ids)
        results.append({
            "text": text,
            "ids": ids,
            "cls_first8": [round(float(v), 7) for v in hidden[0, :8]],
            "last_first8": [round(float(v), 7) for v in hidden[-1, :8]],
            "token_norms": [round(float(v), 6) for v in np.linalg.norm(hidden, axis=-1)],
            "norm": round(float(np.linalg.norm(hidden)), 6),
        })
    with open(out, "w") as f:
        json.dump({"model": model_dir.rstrip("/").split("/")[-1], "sentences": results}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
