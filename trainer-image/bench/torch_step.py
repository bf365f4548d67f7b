#!/usr/bin/env python3
"""Reference for TrainerBenchmark: the same LoRA training step in PyTorch (eager).

Same shapes, LoRA (r=8, alpha=16, dropout 0.05 on query/value or q_proj/v_proj), frozen
random base (N(0, 0.02)), dropouts 0.1 (encoder), AdamW, global-norm clip 1.0, 3 warm-up
and 10 measured steps. Prints one JSON line: wall and main-thread CPU time per step, minor page
faults per step, peak RSS. FLOTILLA_PROFILE=<prefix> writes a profiler trace of the first
measured step to <prefix>-torch.json.

    /usr/bin/python3 torch_step.py <tiny|distilbert|decoder> <threads>
"""
import json
import math
import os
import resource
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

SHAPES = {  # decoder, vocab, hidden, layers, heads, kv_heads, ffn, batch, seq
    "tiny": (False, 30522, 128, 2, 2, 2, 512, 16, 128),
    "distilbert": (False, 30522, 768, 6, 12, 12, 3072, 16, 128),
    "decoder": (True, 32000, 512, 4, 8, 4, 1408, 8, 128),
}
WARMUP, MEASURED = 3, 10


class LoraLinear(nn.Module):
    def __init__(self, n_in, n_out, lora, bias=True):
        super().__init__()
        self.base = nn.Linear(n_in, n_out, bias=bias)
        nn.init.normal_(self.base.weight, std=0.02)
        if bias:
            nn.init.zeros_(self.base.bias)
        self.base.requires_grad_(False)
        self.lora = lora
        if lora:
            self.a = nn.Parameter(torch.empty(8, n_in))
            nn.init.kaiming_uniform_(self.a, a=math.sqrt(5))
            self.b = nn.Parameter(torch.zeros(n_out, 8))
            self.drop = nn.Dropout(0.05)

    def forward(self, x):
        y = self.base(x)
        if self.lora:
            y = y + F.linear(F.linear(self.drop(x), self.a), self.b) * 2.0
        return y


class EncoderLayer(nn.Module):
    def __init__(self, h, heads, ffn):
        super().__init__()
        self.heads = heads
        self.q, self.k, self.v = LoraLinear(h, h, True), LoraLinear(h, h, False), LoraLinear(h, h, True)
        self.o = LoraLinear(h, h, False)
        self.ln1, self.ln2 = nn.LayerNorm(h, eps=1e-12), nn.LayerNorm(h, eps=1e-12)
        self.i, self.out = LoraLinear(h, ffn, False), LoraLinear(ffn, h, False)
        self.drop = nn.Dropout(0.1)
        for ln in (self.ln1, self.ln2):
            ln.requires_grad_(False)

    def forward(self, x, bias):
        b, t, h = x.shape
        d = h // self.heads
        split = lambda y: y.view(b, t, self.heads, d).transpose(1, 2)
        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        p = self.drop(torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d) + bias, -1))
        ctx = (p @ v).transpose(1, 2).reshape(b, t, h)
        a = self.ln1(x + self.drop(self.o(ctx)))
        return self.ln2(a + self.drop(self.out(F.gelu(self.i(a)))))


class Encoder(nn.Module):
    def __init__(self, vocab, h, layers, heads, ffn):
        super().__init__()
        self.word, self.pos, self.token_type = nn.Embedding(vocab, h), nn.Embedding(512, h), nn.Embedding(2, h)
        self.ln = nn.LayerNorm(h, eps=1e-12)
        self.layers = nn.ModuleList(EncoderLayer(h, heads, ffn) for _ in range(layers))
        self.pooler = LoraLinear(h, h, False)
        for m in (self.word, self.pos, self.token_type, self.ln):
            m.requires_grad_(False)
        self.classifier = nn.Linear(h, 2)
        self.drop = nn.Dropout(0.1)

    def loss(self, ids, mask, labels):
        t = ids.shape[1]
        x = self.word(ids) + self.pos(torch.arange(t)) + self.token_type(torch.zeros_like(ids))
        x = self.drop(self.ln(x))
        bias = (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
        for layer in self.layers:
            x = layer(x, bias)
        pooled = torch.tanh(self.pooler(x[:, 0]))
        return F.cross_entropy(self.classifier(self.drop(pooled)), labels)


class RMSNorm(nn.Module):
    def __init__(self, h):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(h), requires_grad=False)

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-6) * self.weight


def rotate_half(x):
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat((-x2, x1), dim=-1)


class DecoderLayer(nn.Module):
    def __init__(self, h, heads, kv, ffn):
        super().__init__()
        self.heads, self.kv, self.d = heads, kv, h // heads
        self.n1, self.n2 = RMSNorm(h), RMSNorm(h)
        self.q = LoraLinear(h, heads * self.d, True, bias=False)
        self.k = LoraLinear(h, kv * self.d, False, bias=False)
        self.v = LoraLinear(h, kv * self.d, True, bias=False)
        self.o = LoraLinear(heads * self.d, h, False, bias=False)
        self.gate, self.up = LoraLinear(h, ffn, False, bias=False), LoraLinear(h, ffn, False, bias=False)
        self.down = LoraLinear(ffn, h, False, bias=False)

    def forward(self, x, cos, sin, bias):
        b, t, _ = x.shape
        h = self.n1(x)
        q = self.q(h).view(b, t, self.heads, self.d).transpose(1, 2)
        k = self.k(h).view(b, t, self.kv, self.d).transpose(1, 2)
        v = self.v(h).view(b, t, self.kv, self.d).transpose(1, 2)
        q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
        g = self.heads // self.kv
        k = k[:, :, None].expand(b, self.kv, g, t, self.d).reshape(b, self.heads, t, self.d)
        v = v[:, :, None].expand(b, self.kv, g, t, self.d).reshape(b, self.heads, t, self.d)
        p = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(self.d) + bias, -1)
        x = x + self.o((p @ v).transpose(1, 2).reshape(b, t, -1))
        m = self.n2(x)
        return x + self.down(F.silu(self.gate(m)) * self.up(m))


class Decoder(nn.Module):
    def __init__(self, vocab, h, layers, heads, kv, ffn):
        super().__init__()
        self.embed = nn.Embedding(vocab, h)
        self.embed.requires_grad_(False)
        self.layers = nn.ModuleList(DecoderLayer(h, heads, kv, ffn) for _ in range(layers))
        self.norm = RMSNorm(h)
        self.head = nn.Linear(h, vocab, bias=False)
        self.head.requires_grad_(False)
        self.d = h // heads

    def loss(self, ids, mask, scored):
        t = ids.shape[1]
        inv = 1.0 / (10000 ** (torch.arange(0, self.d, 2).float() / self.d))
        ang = torch.arange(t).float()[:, None] * inv[None]
        emb = torch.cat((ang, ang), -1)
        cos, sin = emb.cos(), emb.sin()
        causal = torch.full((t, t), torch.finfo(torch.float32).min).triu(1)
        x = self.embed(ids)
        for layer in self.layers:
            x = layer(x, cos, sin, causal)
        logits = self.head(self.norm(x))
        nll = F.cross_entropy(logits[:, :-1].reshape(-1, logits.shape[-1]), ids[:, 1:].reshape(-1), reduction="none")
        w = scored[:, 1:].reshape(-1)
        return (nll * w).sum() / w.sum()


def main():
    name, threads = sys.argv[1], int(sys.argv[2])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    decoder, vocab, h, layers, heads, kv, ffn, batch, seq = SHAPES[name]
    model = Decoder(vocab, h, layers, heads, kv, ffn) if decoder else Encoder(vocab, h, layers, heads, ffn)
    model.train()
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=1e-4, weight_decay=0.0)
    stamps, cpu_stamps, faults = [], [], []
    profile = os.environ.get("FLOTILLA_PROFILE")
    profiler = torch.autograd.profiler.profile(record_shapes=True) if profile else None
    for step in range(WARMUP + MEASURED):
        if profiler is not None and step == WARMUP:
            profiler.__enter__()
        ids = torch.randint(5, vocab, (batch, seq))
        mask = torch.ones(batch, seq, dtype=torch.long)
        if decoder:
            target = torch.zeros(batch, seq)
            target[:, seq // 2:] = 1
        else:
            target = torch.randint(0, 2, (batch,))
        loss = model.loss(ids, mask, target)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)
        stamps.append(time.perf_counter())
        cpu_stamps.append(time.thread_time())
        faults.append(resource.getrusage(resource.RUSAGE_SELF).ru_minflt)
        if profiler is not None and step == WARMUP:
            profiler.__exit__(None, None, None)
            profiler.export_chrome_trace(profile + "-torch.json")
    step_ms = (stamps[-1] - stamps[WARMUP - 1]) * 1000 / MEASURED
    cpu_ms = (cpu_stamps[-1] - cpu_stamps[WARMUP - 1]) * 1000 / MEASURED
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"impl": "torch", "model": name, "threads": threads, "step_ms": round(step_ms, 1),
                      "step_cpu_ms": round(cpu_ms, 1),
                      "minor_faults_per_step": (faults[-1] - faults[WARMUP - 1]) // MEASURED,
                      "peak_rss_mb": round(rss), "torch": torch.__version__}))


if __name__ == "__main__":
    main()
