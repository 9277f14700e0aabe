#!/usr/bin/env bash
# make bench: the CLI benchmarks of internal/bench (a real CLI against the simulator: overhead,
# refresh, rate-limit ceiling, bulk refresh at Qomon's rate; BENCHMARKS.md) and their summary by
# benchstat. Not part of `make test`: every suite at its default sizes, three times, takes about
# an hour on two cores.
#
#   scripts/bench.sh [go test flags]     default: -bench CLI -count 3
#   scripts/bench.sh -bench 'CLIApply/n=500/' -count 5
#   BENCH_CLI=tofu scripts/bench.sh      the same under OpenTofu (default: terraform)
#
# The benchmark flags of internal/bench follow the go test flags: -contacts 500,2000 (apply and
# refresh sizes), -update-mode merge, -provider-env "K=V ...". Raw results (benchstat's input,
# to compare two runs: benchstat old.txt new.txt) land in .work/bench/.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$ROOT"
setup_cli_env
case "${BENCH_CLI:-terraform}" in
  terraform) scripts/tools.sh terraform && cli=$TERRAFORM_BIN ;;
  tofu) scripts/tools.sh tofu && cli=$TOFU_BIN ;;
  *) fail "BENCH_CLI must be terraform or tofu" ;;
esac
[ $# -gt 0 ] || set -- -bench CLI -count 3
out="$WORK_DIR/bench/$(date -u +%Y%m%dT%H%M%SZ)-$(basename "$cli").txt"
mkdir -p "$(dirname "$out")"
note "$(cli_version "$cli"): go test ./internal/bench -run '^\$' -benchtime 1x -timeout 0 $* (raw results: $out)"
TF_ACC_TERRAFORM_PATH=$cli go test ./internal/bench -run '^$' -benchtime 1x -timeout 0 "$@" | tee "$out"
# One table per metric; the comparison suites side by side (the overhead ratio is the
# qomon column against terraform_data's).
tool benchstat -col '/cfg@(terraform_data qomon)' -filter '.name:/^CLI(Apply|Refresh)$/' "$out"
tool benchstat -filter '.name:CLICeiling' "$out"
tool benchstat -filter '.name:CLIBulkRefresh' "$out"
