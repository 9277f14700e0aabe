#!/usr/bin/env bash
# Runs every Go fuzz target of the module, one after the other, for FUZZTIME each.
#
#   scripts/fuzz.sh                                   FUZZTIME=60s (make fuzz); make test uses 5s
#   FUZZTIME=10m scripts/fuzz.sh FuzzDecodeContact    only the named target(s)
#   FUZZMINIMIZETIME=60s scripts/fuzz.sh              Go's default minimization budget (1s here)
#
# A target is Go's `func FuzzXxx(f *testing.F)` in a _test.go file, found in the source, so that
# no test binary is built just to list them. A crashing input is written by Go to the package's
# testdata/fuzz/<target>/ and replays as a regression test in every plain `go test` after.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$ROOT"
mkdir -p "$WORK_DIR/fuzz"
FUZZTIME=${FUZZTIME:-60s}
# Go minimizes each new interesting input for up to -fuzzminimizetime (60s by default), and a
# worker fuzzes nothing meanwhile: in make test's 5s, FuzzContactDecode ran only 19 to 189 inputs
# in 6 of 12 runs with the default, and 27,019 to 49,415 in all 7 runs with 1s. Crashers are
# still minimized, for up to that long.
FUZZMINIMIZETIME=${FUZZMINIMIZETIME:-1s}
note "fuzzing each target for $FUZZTIME (logs: $WORK_DIR/fuzz)"
ran=0
while read -r dir pkg; do
  # shellcheck disable=SC2013 # one Go identifier a line
  for target in $(cat "$dir"/*_test.go 2>/dev/null | sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)([A-Za-z_][A-Za-z0-9_]* \*testing\.F).*/\1/p' | sort -u); do
    [ $# -eq 0 ] || [[ " $* " == *" $target "* ]] || continue
    log="$WORK_DIR/fuzz/$target.log"
    go test -run '^$' -fuzz "^$target\$" -fuzztime "$FUZZTIME" -fuzzminimizetime "$FUZZMINIMIZETIME" "$pkg" >"$log" 2>&1 ||
      { cat "$log" >&2; fail "$target ($pkg) failed; the failing input is under the package's testdata/fuzz/$target/"; }
    # Go's last progress line: executions and corpus size reached.
    last=$(grep '^fuzz: elapsed' "$log" | tail -n 1)
    say "ok  ${pkg#github.com/qomon/terraform-provider-qomon/} $target: ${last#fuzz: }"
    ran=$((ran + 1))
  done
done < <(go list -f '{{.Dir}} {{.ImportPath}}' ./...)
[ "$ran" -gt 0 ] || fail "no fuzz target ran (func FuzzXxx(f *testing.F); requested: ${*:-all})"
ok "fuzz: $ran target(s) ran for $FUZZTIME each, no failure"
