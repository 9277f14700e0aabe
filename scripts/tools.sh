#!/usr/bin/env bash
# Installs the CLIs and tools this repository needs, from the Go module proxy only, into a
# versioned, git-ignored cache (.tools/). A second run finds everything in place and returns at once.
#
#   scripts/tools.sh [terraform] [tofu] [golangci-lint] [goreleaser]   (default: all four)
#   scripts/tools.sh actionlint                                        (optional, not in the default)
#   scripts/tools.sh govulncheck                                       (optional, make vulncheck)
#
# Prints nothing but progress on stderr; the binaries land in .tools/bin under fixed names:
#   terraform-1.5.7, tofu-1.12.6, golangci-lint-2.15.0, goreleaser-2.16.0
# plus unversioned links (.tools/bin/terraform -> terraform-1.5.7, ...) so that a script can put
# .tools/bin first on PATH and tools that search PATH (tfplugindocs) find OUR terraform, not
# whatever the machine happens to carry.
#
# Why from source: the only reachable download host is the Go module proxy (toolchain.md).
# Each binary is built in a scratch directory, checked (it must run and report the expected
# version), and only then moved to its final name, so an interrupted or broken build never
# leaves a binary that a later run would trust. A lock per tool lets several scripts (make demo,
# make test, a background install) call this at once without building a tool twice.
set -euo pipefail

# The pinned versions live in lib.sh, next to the paths the other scripts use.
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
tools=$TOOLS_DIR
bin=$TOOLS_BIN
mkdir -p "$bin" "$tools/locks"
# Tool builds must not try to stamp VCS data of a directory that is not theirs.
export GOFLAGS=-buildvcs=false

log() { printf 'tools: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

command -v go >/dev/null 2>&1 || die "Go is not installed (need the version named in go.mod)"

# scratch dirs of this run, removed on exit whatever happens
scratch=()
cleanup() { local d; for d in "${scratch[@]+"${scratch[@]}"}"; do chmod -R u+w "$d" 2>/dev/null || true; rm -rf "$d"; done; }
trap cleanup EXIT
# mkscratch: a fresh scratch dir in $tmp (not via $(...): the list must live in this shell).
mkscratch() { tmp=$(mktemp -d "${TMPDIR:-/tmp}/qomon-tools.XXXXXX"); scratch+=("$tmp"); }

# with_lock name cmd...: run cmd holding .tools/locks/name.lock (waits for another install).
with_lock() {
  local name=$1; shift
  exec {fd}>"$tools/locks/$name.lock"
  if ! flock -n "$fd"; then
    log "waiting: another process is installing $name"
    flock "$fd"
  fi
  "$@"
  exec {fd}>&-
}

# check_version binary want args...: the binary must run and print the wanted version.
check_version() {
  local binary=$1 want=$2; shift 2
  local out
  out=$(CHECKPOINT_DISABLE=1 "$binary" "$@" 2>&1) || die "$binary does not run: $out"
  case "$out" in
    *"$want"*) ;;
    *) die "$binary reports '$out', expected version $want" ;;
  esac
  case "$out" in
    *"$want"-dev*|*"$want"-SNAPSHOT*) die "$binary reports a development build: '$out'" ;;
  esac
}

link() { # name target: .tools/bin/name -> target (relative, so the cache can move)
  ln -sfn "$2" "$bin/$1"
}

# Which Go builds a tool. The CLIs, goreleaser and actionlint are built with the machine's own Go
# (GOTOOLCHAIN=local): OpenTofu 1.12.6 and goreleaser 2.16.0 do not compile with Go 1.27 (their
# grpc versions call x/net/http2 symbols that Go 1.27 builds of x/net no longer have), and what
# they run is not our code. The analysers (GO_MATCH=1) must be built with the Go that builds the
# provider (lib.sh's GOTOOLCHAIN): built with an older Go they refuse to load newer sources.
TOOLS_GOTOOLCHAIN=local

# go_install name version package version-args...
# With GO_MATCH=1, the binary is built with the provider's Go and rebuilt when that changes.
go_install() {
  local name=$1 version=$2 pkg=$3; shift 3
  local out="$bin/$name-$version" goversion="" toolchain=$TOOLS_GOTOOLCHAIN
  if [ "${GO_MATCH:-0}" = 1 ]; then
    toolchain=$GOTOOLCHAIN
    goversion=$(go env GOVERSION)
    if [ -x "$out" ] && [ "$(cat "$out.built-with" 2>/dev/null)" != "$goversion" ]; then
      log "$name $version was built with $(cat "$out.built-with" 2>/dev/null || echo 'another Go'); rebuilding with $goversion"
      rm -f "$out"
    fi
  fi
  if [ ! -x "$out" ]; then
    local start=$SECONDS tmp
    log "installing $name $version (go install $pkg)"
    mkscratch
    # Run outside any module so it can never touch our go.mod.
    (cd "$tmp" && GOBIN="$tmp/bin" GOTOOLCHAIN=$toolchain go install "$pkg") || die "go install $pkg failed"
    local built=("$tmp"/bin/*)
    [ "${#built[@]}" -eq 1 ] && [ -x "${built[0]}" ] || die "go install $pkg produced no single binary"
    check_version "${built[0]}" "$version" "$@"
    mv "${built[0]}" "$out"
    [ -z "$goversion" ] || printf '%s\n' "$goversion" >"$out.built-with"
    log "$name $version ready in $((SECONDS - start))s"
  fi
  link "$name" "$name-$version"
}

install_terraform() {
  go_install terraform "$TERRAFORM_VERSION" "github.com/hashicorp/terraform@v$TERRAFORM_VERSION" version
}

install_tofu() {
  local out="$bin/tofu-$TOFU_VERSION"
  if [ ! -x "$out" ]; then
    local start=$SECONDS tmp dir
    log "building OpenTofu $TOFU_VERSION from its Go module (about 3 minutes on a cold cache)"
    mkscratch
    # `go install` refuses this module (it has replace directives), so download its source and
    # build it in place; go mod download runs outside any module so it cannot touch our go.mod.
    dir=$(cd "$tmp" && GOTOOLCHAIN=$TOOLS_GOTOOLCHAIN go mod download -json "github.com/opentofu/opentofu@v$TOFU_VERSION" |
      sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
    [ -n "$dir" ] && [ -d "$dir" ] || die "could not download github.com/opentofu/opentofu@v$TOFU_VERSION"
    cp -r "$dir" "$tmp/src"
    chmod -R u+w "$tmp/src"
    # version.dev=no: without it the binary calls itself $TOFU_VERSION-dev. No -trimpath: it would
    # defeat the build cache for the next machine user.
    (cd "$tmp/src" && GOTOOLCHAIN=$TOOLS_GOTOOLCHAIN go build -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" -o "$tmp/tofu" ./cmd/tofu) ||
      die "building OpenTofu failed"
    check_version "$tmp/tofu" "$TOFU_VERSION" version
    mv "$tmp/tofu" "$out"
    log "tofu $TOFU_VERSION ready in $((SECONDS - start))s"
  fi
  link tofu "tofu-$TOFU_VERSION"
}

install_golangci_lint() {
  GO_MATCH=1 go_install golangci-lint "$GOLANGCI_VERSION" "github.com/golangci/golangci-lint/v2/cmd/golangci-lint@v$GOLANGCI_VERSION" version
}

install_goreleaser() {
  go_install goreleaser "$GORELEASER_VERSION" "github.com/goreleaser/goreleaser/v2@v$GORELEASER_VERSION" --version
}

install_govulncheck() {
  GO_MATCH=1 go_install govulncheck "$GOVULNCHECK_VERSION" "golang.org/x/vuln/cmd/govulncheck@v$GOVULNCHECK_VERSION" -version
}

install_actionlint() {
  go_install actionlint "$ACTIONLINT_VERSION" "github.com/rhysd/actionlint/cmd/actionlint@v$ACTIONLINT_VERSION" -version
}

# install_one tool: the tool, under its lock.
install_one() {
  case "$1" in
    terraform) with_lock terraform install_terraform ;;
    tofu) with_lock tofu install_tofu ;;
    golangci-lint) with_lock golangci-lint install_golangci_lint ;;
    goreleaser) with_lock goreleaser install_goreleaser ;;
    actionlint) with_lock actionlint install_actionlint ;;
    govulncheck) with_lock govulncheck install_govulncheck ;;
    *) die "unknown tool '$1' (known: terraform tofu golangci-lint goreleaser actionlint govulncheck)" ;;
  esac
}

# The default set, biggest build first so that the two lanes below end at about the same time.
[ $# -gt 0 ] || set -- tofu terraform golangci-lint goreleaser
for t in "$@"; do
  case "$t" in
    terraform | tofu | golangci-lint | goreleaser | actionlint | govulncheck) ;;
    *) die "unknown tool '$t' (known: terraform tofu golangci-lint goreleaser actionlint govulncheck)" ;;
  esac
done

# Tools still to build are built in QOMON_TOOLS_JOBS lanes (default 2): on a fresh 2-core machine
# one build downloads or links while the other compiles. Cached tools cost nothing either way.
missing=()
for t in "$@"; do
  v=""
  case "$t" in
    terraform) v=$TERRAFORM_VERSION ;; tofu) v=$TOFU_VERSION ;; golangci-lint) v=$GOLANGCI_VERSION ;;
    goreleaser) v=$GORELEASER_VERSION ;; actionlint) v=$ACTIONLINT_VERSION ;; govulncheck) v=$GOVULNCHECK_VERSION ;;
  esac
  [ -x "$bin/$t-$v" ] || missing+=("$t")
done
jobs=${QOMON_TOOLS_JOBS:-2}
if [ "${#missing[@]}" -gt 1 ] && [ "$jobs" -gt 1 ]; then
  log "building ${missing[*]} in $jobs parallel lanes"
  pids=() lanes=()
  for ((lane = 0; lane < jobs; lane++)); do
    mine=()
    for ((i = lane; i < ${#missing[@]}; i += jobs)); do mine+=("${missing[$i]}"); done
    [ ${#mine[@]} -gt 0 ] || continue
    # Each lane is a subshell with its own scratch list and cleanup.
    (
      scratch=()
      trap cleanup EXIT
      for t in "${mine[@]}"; do install_one "$t"; done
    ) &
    pids+=($!)
    lanes+=("${mine[*]}")
  done
  failed=()
  for i in "${!pids[@]}"; do
    wait "${pids[$i]}" || failed+=("${lanes[$i]}")
  done
  [ ${#failed[@]} -eq 0 ] || die "could not install: ${failed[*]} (see the messages above)"
fi
# In order, in this shell: links the cached ones, builds whatever a lane did not.
for t in "$@"; do
  install_one "$t"
done
