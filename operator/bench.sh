#!/usr/bin/env bash
# Scheduling benchmark of the operator: one 1,000-client round of a 10,000-client federation
# against the fabric8 mock API server, in a JVM capped at 256 MB of heap. Prints timings, the
# speed-up over one-at-a-time creation, and the heap in use. See docs/benchmarks/operator.md.
set -euo pipefail
cd "$(dirname "$0")/.."
# One reactor call: the classpath then resolves core from the reactor, with nothing installed.
mvn -B -q -pl operator -am test-compile dependency:build-classpath -DskipTests \
  -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/operator/target/bench.classpath"
exec java -Xmx256m \
  -cp "operator/target/classes:operator/target/test-classes:$(cat operator/target/bench.classpath)" \
  dev.flotilla.operator.bench.SchedulingBenchmark "$@"
