#!/usr/bin/env bash
# Generates or validates docs/ with tfplugindocs (tools/tfplugindocs/go.mod), offline.
#
#   scripts/docs.sh [generate] [validate]     (default: both; `make docs`)
#
# tfplugindocs asks the `terraform` it finds on PATH for the provider's schema (--tf-version
# would download one): .tools/bin, where scripts/tools.sh links terraform to the pinned 1.5.7,
# goes first. --provider-name, because a clone may not sit in a folder named
# terraform-provider-qomon.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$ROOT"
setup_cli_env
scripts/tools.sh terraform
[ "$(command -v terraform)" = "$TOOLS_BIN/terraform" ] ||
  fail "tfplugindocs would run $(command -v terraform), not the pinned $TOOLS_BIN/terraform"

mkdir -p "$WORK_DIR/docs"
[ $# -gt 0 ] || set -- generate validate
for action in "$@"; do
  case "$action" in
    generate | validate) ;;
    *) fail "unknown action '$action' (generate, validate)" ;;
  esac
  # Its chatty output goes to a log, shown on failure.
  log="$WORK_DIR/docs/$action.log"
  tool tfplugindocs "$action" --provider-name qomon >"$log" 2>&1 || { cat "$log" >&2; fail "tfplugindocs $action failed"; }
  say "tfplugindocs $action: ok (log: $log)"
done
