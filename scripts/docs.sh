#!/usr/bin/env bash
# Generates or validates docs/ with tfplugindocs (pinned as a Go tool in go.mod), offline.
#
#   scripts/docs.sh [generate] [validate]     (default: both; `make docs`)
#
# tfplugindocs asks a `terraform` binary for the provider schema. It looks one up on PATH (never
# pass --tf-version: that downloads), so .tools/bin, where scripts/tools.sh links terraform to
# our pinned 1.5.7, goes first. --provider-name because a CI clone may not sit in a folder
# named terraform-provider-qomon.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$ROOT"
setup_cli_env

"$ROOT/scripts/tools.sh" terraform
found=$(command -v terraform || true)
[ "$found" = "$TOOLS_BIN/terraform" ] ||
  fail "the terraform tfplugindocs would use is '$found', not our pinned $TOOLS_BIN/terraform"
say "tfplugindocs uses $(cli_version terraform) ($found -> $(readlink "$found"))"

logs="$WORK_DIR/docs"
mkdir -p "$logs"

# run action: tfplugindocs <action>; its chatty output goes to a log, shown only on failure.
run() {
  local log="$logs/$1.log"
  note "tfplugindocs $1 (log: $log)"
  if ! go tool tfplugindocs "$1" --provider-name qomon >"$log" 2>&1; then
    cat "$log" >&2
    fail "tfplugindocs $1 failed"
  fi
  say "  ok"
}

[ $# -gt 0 ] || set -- generate validate
for action in "$@"; do
  case "$action" in
    generate | validate) run "$action" ;;
    *) fail "unknown action '$action' (generate, validate)" ;;
  esac
done
ok "tfplugindocs: $* done"
