"""Reference values for ServerOptimizerReferenceTest, computed independently with numpy.

Reddi et al., "Adaptive Federated Optimization" (ICLR 2021), Algorithm 2 (no bias correction,
m_{-1} = 0, v_{-1} = tau^2), and FedAvgM (m = beta*m + delta, x = x + eta*m), applied to FedAvg on
LoRA factors and the classifier head: three rounds of two rank-2 clients (4 and 12 samples).
Regenerate: python3 generate.py > reference.json
"""
import json
import numpy as np

rng = np.random.default_rng(17)
D, K, R, H = 3, 4, 2, 2
ALPHA = 16.0
N = [4, 12]
P = np.array(N, dtype=np.float64) / sum(N)


def f32(x):
    return np.asarray(x, dtype=np.float32).astype(np.float64)


x0 = {"A": f32(rng.uniform(-0.5, 0.5, (R, K))), "B": f32(rng.normal(0, 0.1, (D, R))),
      "head": f32(rng.normal(0, 0.1, (H,)))}
rounds = []
for t in range(3):
    rounds.append([{"A": f32(rng.uniform(-0.5, 0.5, (R, K))), "B": f32(rng.normal(0, 0.1, (D, R))),
                    "head": f32(rng.normal(0, 0.1, (H,)))} for _ in N])

OPTIMIZERS = {
    "sgd-lr0.5": dict(type="sgd", lr=0.5, momentum=0.0),
    "sgd-momentum": dict(type="sgd", lr=1.0, momentum=0.9),
    "adam": dict(type="adam", lr=0.01, beta1=0.9, beta2=0.99, tau=1e-3),
    "yogi": dict(type="yogi", lr=0.01, beta1=0.9, beta2=0.99, tau=1e-3),
    "adagrad": dict(type="adagrad", lr=0.1, beta1=0.9, beta2=0.99, tau=1e-3),
}


def run(o):
    x = {k: v.copy() for k, v in x0.items()}
    m = {k: np.zeros_like(v) for k, v in x.items()}
    v = {k: np.full_like(val, o.get("tau", 0) ** 2) for k, val in x.items()}
    out = []
    for clients in rounds:
        for key in x:
            avg = sum(p * c[key] for p, c in zip(P, clients))
            delta = avg - x[key]
            if o["type"] == "sgd":
                m[key] = o["momentum"] * m[key] + delta
                x[key] = x[key] + o["lr"] * m[key]
                continue
            m[key] = o["beta1"] * m[key] + (1 - o["beta1"]) * delta
            sq = delta * delta
            if o["type"] == "adam":
                v[key] = o["beta2"] * v[key] + (1 - o["beta2"]) * sq
            elif o["type"] == "yogi":
                v[key] = v[key] - (1 - o["beta2"]) * sq * np.sign(v[key] - sq)
            else:
                v[key] = v[key] + sq
            x[key] = x[key] + o["lr"] * m[key] / (np.sqrt(v[key]) + o["tau"])
        out.append({k: val.ravel().tolist() for k, val in x.items()})
    return out


print(json.dumps({
    "d": D, "k": K, "rank": R, "alpha": ALPHA, "samples": N,
    "start": {k: v.ravel().tolist() for k, v in x0.items()},
    "rounds": [[{k: v.ravel().tolist() for k, v in c.items()} for c in clients] for clients in rounds],
    "optimizers": OPTIMIZERS,
    "expected": {name: run(o) for name, o in OPTIMIZERS.items()},
}, indent=1))
