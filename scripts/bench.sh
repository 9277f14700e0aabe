#!/usr/bin/env bash
# End-to-end benchmarks of terraform-provider-qomon against the standalone simulator, through a
# real CLI (issue 7; results and method in BENCHMARKS.md). Not part of `make test`: a full run
# takes 20 to 40 minutes on two cores.
#
#   scripts/bench.sh [runner flags]          e.g. -suites overhead -n 500 -runs 5
#   BENCH_CLI=tofu scripts/bench.sh          the same under OpenTofu (default: terraform)
#   BENCH_KEEP=1 scripts/bench.sh            keep the work directory (configurations, logs, state)
#
# Runner flags (go run ./scripts/bench/runner -h): -suites overhead,ceiling  -n 500,2000
# -ceiling-n 500  -runs 3  -parallelism 10  -burst 100  -rate 50  -update-mode replace|merge.
# A quick smoke run: scripts/bench.sh -n 20 -ceiling-n 40 -runs 1 -rate 400
#
# What it does: installs the pinned CLI (scripts/tools.sh), builds the provider, cmd/qomonsim,
# the measuring wrapper and the runner, points the CLI at the provider through dev_overrides (no
# `init`, nothing downloaded) and lets the runner generate configurations, run the CLI and
# read the simulator's request log. The provider runs under scripts/bench/rsswrap, which
# records each provider process's peak memory and CPU time from the kernel's accounting.
set -euo pipefail

# lib.sh: the pinned CLI paths and the Go toolchain every script uses (GOTOOLCHAIN).
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
root=$ROOT
cd "$root"
export GOFLAGS=-buildvcs=false CHECKPOINT_DISABLE=1

log() { printf 'bench: %s\n' "$*" >&2; }

case "${BENCH_CLI:-terraform}" in
  terraform) scripts/tools.sh terraform; cli=$TERRAFORM_BIN ;;
  tofu) scripts/tools.sh tofu; cli=$TOFU_BIN ;;
  *) log "BENCH_CLI must be terraform or tofu"; exit 2 ;;
esac

work=${BENCH_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/qomon-bench.XXXXXX")}
mkdir -p "$work/bin" "$work/wrap" "$work/runs"
cleanup() {
  if [ "${BENCH_KEEP:-0}" = 1 ]; then log "work directory kept: $work"; else rm -rf "$work/runs"; fi
}
trap cleanup EXIT

log "building the provider, the simulator, the wrapper and the runner"
go build -o "$work/bin/terraform-provider-qomon" .
go build -o "$work/bin/qomonsim" ./cmd/qomonsim
# The CLI finds "terraform-provider-qomon" in the dev_overrides directory: that is the wrapper,
# which runs the real binary named by BENCH_PROVIDER_REAL.
go build -o "$work/wrap/terraform-provider-qomon" ./scripts/bench/rsswrap
go build -o "$work/bin/runner" ./scripts/bench/runner

log "running (work directory $work); figures follow on stdout, raw measurements in $work/results.json"
"$work/bin/runner" \
  -work "$work/runs" \
  -cli "$cli" \
  -provider "$work/bin/terraform-provider-qomon" \
  -wrap-dir "$work/wrap" \
  -sim "$work/bin/qomonsim" \
  -out "$work/results.json" \
  "$@" | tee "$work/summary.md"
