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

[ $# -gt 0 ] || set -- generate validate
for action in "$@"; do
  case "$action" in
    generate)
      note "tfplugindocs generate"
      go tool tfplugindocs generate --provider-name qomon
      ;;
    validate)
      note "tfplugindocs validate"
      go tool tfplugindocs validate --provider-name qomon
      ;;
    *) fail "unknown action '$action' (generate, validate)" ;;
  esac
done
