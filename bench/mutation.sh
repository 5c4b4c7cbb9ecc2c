#!/usr/bin/env bash
# bench/mutation.sh [GROUP...] — PIT mutation testing, per group (run by `bench/run mutation`).
# Not part of `mvn -B verify`: it is slow (minutes per group on two cores).
# Each group mutates TARGET-CLASSES and runs only TARGET-TESTS (fast, deterministic unit tests;
# *IT and the benchmarks are excluded in the parent pom's pitest-maven configuration).
# Reports: MODULE/target/pit-reports/GROUP/{mutations.xml,mutations.csv,index.html}.
# Last line: "mutation: core=… pixel=… protocol=… gud_wire=… dbi_wire=…" (percent of mutants
# detected, i.e. killed or timed out, over all mutants including uncovered ones).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

# GROUP MODULE TARGET-CLASSES TARGET-TESTS
groups=(
  "core     drivers  org.paneld.drivers.core.*  org.paneld.drivers.core.*"
  "pixel    drivers  org.paneld.drivers.pixel.*  org.paneld.drivers.pixel.*"
  "protocol protocol org.paneld.protocol.*  org.paneld.protocol.*"
  "gud_wire drivers  org.paneld.drivers.gud.GudProtocol*  org.paneld.drivers.gud.GudWireFixtureTest,org.paneld.drivers.gud.GudDrawingTest,org.paneld.drivers.gud.GudFullUpdateTest,org.paneld.drivers.gud.GudFlushPropertyTest,org.paneld.drivers.gud.GudFaultTest,org.paneld.drivers.gud.GudProtocol*Test"
  "dbi_wire drivers  org.paneld.drivers.spi.DbiBus*,org.paneld.drivers.mipidbi.WireFormat*  org.paneld.drivers.spi.DbiBus*Test,org.paneld.drivers.mipidbi.DrawingTest,org.paneld.drivers.mipidbi.InitSequenceTest,org.paneld.drivers.mipidbi.DamagePropertiesTest,org.paneld.drivers.mipidbi.WireFormat*Test"
)

want=("$@")
selected() {
  [[ ${#want[@]} -eq 0 ]] && return 0
  local g; for g in "${want[@]}"; do [[ "$g" == "$1" ]] && return 0; done; return 1
}

echo "bench/mutation: compiling ..." >&2
mvn -B -q -pl protocol,drivers test-compile >&2

summary="mutation:"
for entry in "${groups[@]}"; do
  read -r group module classes tests <<<"$entry"
  selected "$group" || continue
  reports="target/pit-reports/$group"
  echo "bench/mutation: $group ($module: $classes) ..." >&2
  if ! mvn -B -q -pl "$module" org.pitest:pitest-maven:mutationCoverage \
      -DtargetClasses="$classes" -DtargetTests="$tests" -DreportsDirectory="$reports" >&2; then
    echo "bench/mutation: $group: PIT failed (see above)" >&2
    summary="$summary $group=failed"
    continue
  fi
  xml="$root/$module/$reports/mutations.xml"
  # Score: detected / all (PIT marks KILLED, TIMED_OUT, MEMORY_ERROR, RUN_ERROR as detected='true').
  total=$(grep -o "<mutation " "$xml" | wc -l)
  detected=$(grep -o "<mutation detected='true'" "$xml" | wc -l)
  survived=$(grep -o "status='SURVIVED'" "$xml" | wc -l)
  uncovered=$(grep -o "status='NO_COVERAGE'" "$xml" | wc -l)
  score=$(awk -v d="$detected" -v t="$total" 'BEGIN { printf "%.1f", t ? 100 * d / t : 0 }')
  echo "bench/mutation: $group: $detected/$total detected, $survived survived, $uncovered not covered ($score%)" >&2
  summary="$summary $group=$score"
done
echo "$summary"
