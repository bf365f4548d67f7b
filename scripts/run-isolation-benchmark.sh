#!/usr/bin/env bash
# Prints what the data-plane isolation costs (grant signing, granted vs credentialed S3 round trips,
# SHA-256 per GiB), each against a reference measured in the same run. Run on an idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -ntp -q -pl core -am test-compile
classpath=$(mktemp)
trap 'rm -f "$classpath"' EXIT
mvn -B -ntp -q -pl core dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$classpath"
cp=$(cat "$classpath")
java -cp "core/target/test-classes:core/target/classes:$cp" \
  dev.flotilla.core.storage.bench.IsolationCostBenchmark
