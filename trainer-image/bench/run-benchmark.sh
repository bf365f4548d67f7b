#!/usr/bin/env bash
# Trainer step time and peak RSS versus PyTorch (Python) on the same shapes and threads.
#   trainer-image/bench/run-benchmark.sh [THREADS] [MODELS...]   (default: 2 tiny distilbert decoder)
# Builds the trainer and its test classes in the reactor (no install into ~/.m2); needs Debian
# python3-torch + libopenblas0-openmp (apt-get install -y python3-torch libopenblas0-openmp).
# Step times are wall clock; step_cpu_ms is the CPU time of the thread running the step
# (meaningful with 1 thread: it is what a loaded machine distorts least).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
threads="${1:-2}"; shift || true
models=("${@:-tiny distilbert decoder}")
read -r -a models <<<"${models[*]}"
work="$here/target/bench"; mkdir -p "$work"
cp_file="$work/classpath.txt"
(cd "$here/.." && mvn -B -q -o -pl trainer-image -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test)
cp="$here/target/test-classes:$here/target/classes:$(cat "$cp_file")"
export DJL_CACHE_DIR="${DJL_CACHE_DIR:-$HOME/.cache/flotilla/djl}" OMP_NUM_THREADS="$threads"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for model in "${models[@]}"; do
  java -Xmx1g -XX:+UseSerialGC -cp "$cp" dev.flotilla.trainer.bench.TrainerBenchmark "$model" "$threads" "$work" 2>/dev/null | grep '^{'
  /usr/bin/python3 "$here/bench/torch_step.py" "$model" "$threads"
done | tee "$work/results.jsonl"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/python3 - "$work/results.jsonl" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
by = {}
for r in rows:
    by.setdefault(r["model"], {})[r["impl"]] = r
print(f"{'model':<11} {'djl ms':>8} {'torch ms':>9} {'ratio':>6} {'djl cpu':>8} {'torch cpu':>9} {'ratio':>6} {'djl MB':>7} {'torch MB':>9}")
for m, r in by.items():
    d, t = r["djl"], r["torch"]
    print(f"{m:<11} {d['step_ms']:>8.1f} {t['step_ms']:>9.1f} {d['step_ms']/t['step_ms']:>6.2f}"
          f" {d['step_cpu_ms']:>8.1f} {t['step_cpu_ms']:>9.1f} {d['step_cpu_ms']/t['step_cpu_ms']:>6.2f}"
          f" {d['peak_rss_mb']:>7.0f} {t['peak_rss_mb']:>9.0f}")
PY
