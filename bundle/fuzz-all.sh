#!/usr/bin/env bash
# Fuzzes every @FuzzTest of bundle/src/test/java/org/anytls4j/anytls/fuzz for real, one target per JVM (Jazzer fuzzes
# one method per run), each for FuzzDurations.MAX (10 minutes). A finding stops that target only: Jazzer has written it
# as crash-<sha1> into the target's Inputs directory (SECURITY.md §3 says what to do with it); the script goes on with
# the next target and exits non-zero at the end.
#
#   bundle/fuzz-all.sh                   # every target
#   bundle/fuzz-all.sh SettingsFuzzTest  # only the targets whose Class#method contains this text
#
# Writes one log per target to bundle/target/fuzz-logs/ and prints, per target, libFuzzer's own account of how long
# it fuzzed and how many inputs it ran.
set -euo pipefail

bundle_dir="$(cd "$(dirname "$0")" && pwd)"
root_dir="$(dirname "$bundle_dir")"
filter="${1:-}"
logs="$bundle_dir/target/fuzz-logs"
mkdir -p "$logs"

targets=()
for source in "$bundle_dir"/src/test/java/org/anytls4j/anytls/fuzz/*FuzzTest.java; do
  class="$(basename "$source" .java)"
  while read -r method; do
    targets+=("$class#$method")
  done < <(grep -A1 '@FuzzTest' "$source" | sed -n 's/^ *void \([A-Za-z0-9_]*\)(.*/\1/p')
done

failed=()
cd "$root_dir"
mvn -B -q install -pl testkit,api -DskipTests

for target in "${targets[@]}"; do
  [[ -z "$filter" || "$target" == *"$filter"* ]] || continue
  log="$logs/${target/\#/.}.log"
  echo "[fuzz] $target (log: $log)"
  if ! JAZZER_FUZZ=1 mvn -B -pl bundle test -Djunit.jupiter.execution.timeout.mode=disabled -Dtest="$target" -Dsurefire.failIfNoSpecifiedTests=false >"$log" 2>&1; then
    echo "[fuzz] $target FAILED: a finding or a build error, see $log" >&2
    grep -E 'crash-|== Java Exception|ERROR\]' "$log" | head -20 >&2 || true
    failed+=("$target")
    continue
  fi
  # libFuzzer's summary line: "Done <n> runs in <s> second(s)"
  summary="$(grep -Eo 'Done [0-9]+ runs in [0-9]+ second\(s\)' "$log" | tail -1 || true)"
  echo "[fuzz] $target: ${summary:-no libFuzzer summary found, see the log}"
done

if ((${#failed[@]})); then
  echo "[fuzz] targets with a finding or an error: ${failed[*]}" >&2
  exit 1
fi
