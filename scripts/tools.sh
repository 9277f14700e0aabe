#!/usr/bin/env bash
# Builds the pinned CLIs, once, from the Go module proxy into .tools/bin (git-ignored):
#
#   scripts/tools.sh [terraform] [tofu]      (default: both; a second run returns at once)
#
# .tools/bin/terraform-1.5.7 and .tools/bin/tofu-1.12.6, plus unversioned links to them
# (tfplugindocs runs the `terraform` it finds on PATH). The Go tools (golangci-lint,
# govulncheck, goreleaser, ...) are not built here: each is a `tool` directive in
# tools/<name>/go.mod, which the go command builds on first use (lib.sh's `tool`).
#
# Each CLI is built under a temporary name, checked (it must run and report the pinned version)
# and then renamed: an interrupted build never leaves a binary a later run would trust, and two
# builds at once (worktrees sharing .tools) each rename a complete binary.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
mkdir -p "$TOOLS_BIN"
export GOTOOLCHAIN=$CLI_GOTOOLCHAIN GOFLAGS=-buildvcs=false CHECKPOINT_DISABLE=1

# build name version: builds $TOOLS_BIN/name-version with build_<name> unless it is there.
build() {
  local out="$TOOLS_BIN/$1-$2" start=$SECONDS version
  if [ ! -x "$out" ]; then
    note "building $1 $2 with $GOTOOLCHAIN (minutes on a cold Go build cache, then cached)"
    "build_$1" "$out.tmp$$" || fail "building $1 $2 failed"
    # An empty CLI configuration: tofu warns on stdout about a missing one.
    version=$(TF_CLI_CONFIG_FILE=/dev/null cli_version "$out.tmp$$")
    [ "$version" = "Terraform v$2" ] || [ "$version" = "OpenTofu v$2" ] || fail "$out.tmp$$ reports '$version', not version $2"
    mv "$out.tmp$$" "$out"
    say "$1 $2 ready in $((SECONDS - start))s"
  fi
  ln -sfn "$1-$2" "$TOOLS_BIN/$1"
}

# Each CLI is linked by `go run`, whose `-exec cp` copies the binary to $1 instead of running it:
# the go command keeps what `go run` links in its build cache (Go 1.24 and later), where
# `go build` and `go install` keep only the compiled packages, so that a fresh clone copies the
# CLIs from the cache instead of linking each again for half a minute.
build_terraform() {
  (cd / && go run -exec cp "github.com/hashicorp/terraform@v$TERRAFORM_VERSION" "$1")
}

# OpenTofu's module has a replace directive, which `go run pkg@version` refuses: build it where
# the go command downloaded it. That path is the same on every run, so a rebuild finds it in the
# build cache. version.dev=no: without it the binary calls itself $TOFU_VERSION-dev.
build_tofu() {
  local src
  src=$(cd / && go mod download -json "github.com/opentofu/opentofu@v$TOFU_VERSION" | jq -r .Dir)
  (cd "$src" && go run -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" -exec cp ./cmd/tofu "$1")
}

[ $# -gt 0 ] || set -- terraform tofu
for cli in "$@"; do
  case "$cli" in
    terraform) build terraform "$TERRAFORM_VERSION" ;;
    tofu) build tofu "$TOFU_VERSION" ;;
    *) fail "unknown CLI '$cli' (terraform, tofu; the Go tools are in tools/)" ;;
  esac
done
