#!/usr/bin/env bash
# Runs every Go fuzz target of the module, one after the other, for FUZZTIME each.
#
#   scripts/fuzz.sh                     FUZZTIME=60s (make fuzz); the test command uses 5s
#   FUZZTIME=10m scripts/fuzz.sh FuzzDecodeContact    only the named target(s)
#
# Targets are found by their declaration (`func FuzzXxx(f *testing.F)` in a _test.go file), so
# no test binary is built just to list them. A crashing input is written by Go to the package's
# testdata/fuzz/<target>/ and then replays as a regression test in every plain `go test`.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$ROOT"

FUZZTIME=${FUZZTIME:-60s}
only=("$@")

logs="$WORK_DIR/fuzz"
mkdir -p "$logs"
note "fuzzing each target for $FUZZTIME (logs: $logs)"
found=0 ran=0
while read -r dir pkg; do
  # Go's own rule for a fuzz target: func FuzzXxx(f *testing.F) in a _test.go file.
  while read -r target; do
    [ -n "$target" ] || continue
    found=$((found + 1))
    if [ ${#only[@]} -gt 0 ]; then
      case " ${only[*]} " in *" $target "*) ;; *) continue ;; esac
    fi
    log="$logs/$target.log"
    if ! go test -run '^$' -fuzz "^${target}\$" -fuzztime "$FUZZTIME" "$pkg" >"$log" 2>&1; then
      cat "$log" >&2
      fail "$target ($pkg) failed; a failing input is saved under the package's testdata/fuzz/$target/"
    fi
    # the last progress line: executions and corpus size reached
    say "ok  ${pkg#github.com/qomon/terraform-provider-qomon/} $target: $(grep -E '^fuzz: elapsed' "$log" | tail -n 1 | sed 's/^fuzz: //')"
    ran=$((ran + 1))
  done < <(cat "$dir"/*_test.go 2>/dev/null |
    sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(\([A-Za-z_][A-Za-z0-9_]*\) \*testing\.F).*/\1/p' | sort -u)
done < <(go list -f '{{.Dir}} {{.ImportPath}}' ./...)

[ "$found" -gt 0 ] || fail "no fuzz target (func FuzzXxx(f *testing.F)) found in the module"
[ "$ran" -gt 0 ] || fail "none of the requested targets (${only[*]}) exists"
ok "fuzz: $ran target(s) ran for $FUZZTIME each, no failure"
