#!/usr/bin/env bash
# Installs the CLIs and tools this repository needs, from the Go module proxy only, into a
# versioned, git-ignored cache (.tools/). A second run finds everything in place and returns at once.
#
#   scripts/tools.sh [terraform] [tofu] [golangci-lint] [goreleaser]   (default: all)
#
# Prints nothing but progress on stderr; the binaries land in .tools/bin under fixed names:
#   terraform-1.5.7, tofu-1.12.6, golangci-lint-2.15.0, goreleaser-2.16.0
set -euo pipefail

TERRAFORM_VERSION=1.5.7
TOFU_VERSION=1.12.6
GOLANGCI_VERSION=2.15.0
GORELEASER_VERSION=2.16.0

root=$(cd "$(dirname "$0")/.." && pwd)
tools="$root/.tools"
bin="$tools/bin"
mkdir -p "$bin"
export GOFLAGS=-buildvcs=false

log() { printf 'tools: %s\n' "$*" >&2; }

# go install into a scratch GOBIN, then move the binary to its versioned name, so that an
# interrupted install never leaves a half-written binary under the final name.
go_install() { # name version package
  local name=$1 version=$2 pkg=$3 out="$bin/$1-$2"
  [ -x "$out" ] && return 0
  log "installing $name $version (go install $pkg)"
  local tmp
  tmp=$(mktemp -d)
  (cd "$tmp" && GOBIN="$tmp/bin" go install "$pkg")
  mv "$tmp/bin/$(basename "${pkg%@*}" | sed 's#/v[0-9]*$##')" "$out" 2>/dev/null || mv "$tmp"/bin/* "$out"
  rm -rf "$tmp"
}

terraform() {
  go_install terraform "$TERRAFORM_VERSION" "github.com/hashicorp/terraform@v$TERRAFORM_VERSION"
}

tofu() {
  local out="$bin/tofu-$TOFU_VERSION"
  [ -x "$out" ] && return 0
  log "building OpenTofu $TOFU_VERSION from its Go module (about 3 minutes on a cold cache)"
  local tmp dir
  tmp=$(mktemp -d)
  # go mod download runs outside any module so it cannot touch our go.mod.
  dir=$(cd "$tmp" && go mod download -json "github.com/opentofu/opentofu@v$TOFU_VERSION" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -n "$dir" ] || { log "could not download github.com/opentofu/opentofu@v$TOFU_VERSION"; exit 1; }
  cp -r "$dir" "$tmp/src"
  chmod -R u+w "$tmp/src"
  (cd "$tmp/src" && go build -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" -o "$tmp/tofu" ./cmd/tofu)
  mv "$tmp/tofu" "$out"
  rm -rf "$tmp"
}

golangci_lint() {
  go_install golangci-lint "$GOLANGCI_VERSION" "github.com/golangci/golangci-lint/v2/cmd/golangci-lint@v$GOLANGCI_VERSION"
}

goreleaser() {
  go_install goreleaser "$GORELEASER_VERSION" "github.com/goreleaser/goreleaser/v2@v$GORELEASER_VERSION"
}

[ $# -gt 0 ] || set -- terraform tofu golangci-lint goreleaser
for t in "$@"; do
  case "$t" in
    terraform) terraform ;;
    tofu) tofu ;;
    golangci-lint) golangci_lint ;;
    goreleaser) goreleaser ;;
    *) log "unknown tool $t"; exit 2 ;;
  esac
done
