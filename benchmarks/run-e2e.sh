#!/usr/bin/env bash
# Builds what the end-to-end harness needs and runs it. From a clean clone:
#   benchmarks/run-e2e.sh                       # default matrix, fits 10 minutes on 2 cores
#   benchmarks/run-e2e.sh --full                # 1 GiB per throughput case, 10 000 open streams
#   benchmarks/run-e2e.sh --full --memory-only  # heap per idle session (1000) and per open stream (10 000) only
#   benchmarks/run-e2e.sh --update=BENCHMARKS.md   # also replace the results section of BENCHMARKS.md
# Any option is passed to org.anytls4j.benchmarks.e2e.LoopbackHarness (--help lists them). The memory probe starts
# the servers and the sink as child JVMs (ServeMain, same jar); they exit with the harness.
# Set SKIP_BUILD=1 to reuse benchmarks/target/benchmarks.jar; JAVA_OPTS adds JVM options (e.g. a JFR recording).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  mvn -B -q install -DskipTests -pl benchmarks -am
fi
# A fixed heap so that the memory figures do not depend on the machine's default sizing.
exec java -Xms1g -Xmx1g -XX:+UseG1GC ${JAVA_OPTS:-} \
  -cp benchmarks/target/benchmarks.jar org.anytls4j.benchmarks.e2e.LoopbackHarness "$@"
