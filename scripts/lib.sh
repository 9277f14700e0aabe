# shellcheck shell=bash
# shellcheck disable=SC2034 # the variables below are used by the scripts that source this file
# Sourced by the scripts in this folder: the pinned tool versions, where the tools live, the
# environment every terraform/tofu run needs, and small helpers. Sourcing changes nothing on disk
# except creating .tools/ and .work/ (both git-ignored).

TERRAFORM_VERSION=1.5.7
TOFU_VERSION=1.12.6
GOLANGCI_VERSION=2.15.0
GORELEASER_VERSION=2.16.0
ACTIONLINT_VERSION=1.7.12 # optional: only for checking .github/workflows by hand
GOVULNCHECK_VERSION=1.9.0 # make vulncheck / the vulncheck step (database: golang.org/x/vulndb from the module proxy)

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# The Go toolchain of every build, test and tool: .go-version (also read by the GNUmakefile and
# the GitHub workflows). go.mod's `go 1.26.8` is the oldest Go that compiles the provider, but
# Go 1.26.8's standard library has vulnerabilities the provider reaches (net/http, crypto/tls,
# crypto/x509; make vulncheck lists them), fixed in Go 1.27.3. The machine's go command fetches
# that toolchain from the module proxy (about 75 MB, 10 s, once) when GOTOOLCHAIN names it.
# QOMON_GOTOOLCHAIN=local keeps the machine's own Go (govulncheck will then report its gaps).
GO_TOOLCHAIN="go$(tr -d ' \n' <"$ROOT/.go-version")"
export GOTOOLCHAIN=${QOMON_GOTOOLCHAIN:-$GO_TOOLCHAIN}
TOOLS_DIR="$ROOT/.tools"
TOOLS_BIN="$TOOLS_DIR/bin"
TERRAFORM_BIN="$TOOLS_BIN/terraform-$TERRAFORM_VERSION"
TOFU_BIN="$TOOLS_BIN/tofu-$TOFU_VERSION"
GOLANGCI_BIN="$TOOLS_BIN/golangci-lint-$GOLANGCI_VERSION"
GORELEASER_BIN="$TOOLS_BIN/goreleaser-$GORELEASER_VERSION"
# Scratch space of the scripts (logs, mirrors, demo state): git-ignored, safe to delete.
WORK_DIR="$ROOT/.work"

# The registry addresses the provider is published under.
PROVIDER_ADDR_TF=registry.terraform.io/qomon/qomon
PROVIDER_ADDR_TOFU=registry.opentofu.org/qomon/qomon

# The PATH we were started with, before .tools/bin was put first (to find a `terraform` the
# machine carries, on purpose and only then).
ORIG_PATH=${QOMON_ORIG_PATH:-$PATH}
export QOMON_ORIG_PATH=$ORIG_PATH

if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then
  _bold=$'\e[1m' _red=$'\e[31m' _green=$'\e[32m' _yellow=$'\e[33m' _reset=$'\e[0m'
else
  _bold='' _red='' _green='' _yellow='' _reset=''
fi
say() { printf '%s\n' "$*"; }
note() { printf '%s--> %s%s\n' "$_bold" "$*" "$_reset"; }
warn() { printf '%sWARNING: %s%s\n' "$_yellow" "$*" "$_reset" >&2; }
fail() { printf '%sFAIL: %s%s\n' "$_red" "$*" "$_reset" >&2; exit 1; }
ok() { printf '%s%s%s\n' "$_green" "$*" "$_reset"; }

# setup_cli_env: what every terraform/tofu run needs (see /work/shared/toolchain.md):
# - .tools/bin first on PATH, so tools that search PATH (tfplugindocs) find our pinned terraform;
# - a CLI config that exists: TF_CLI_CONFIG_FILE may point at a missing file on these machines,
#   and tofu then prints a warning on stdout that breaks terraform-plugin-testing's version parse;
# - no checkpoint calls, no interactive prompts;
# - no inherited acceptance-test knobs that would redirect a run (each run sets its own).
setup_cli_env() {
  mkdir -p "$TOOLS_BIN" "$WORK_DIR"
  export PATH="$TOOLS_BIN:$ORIG_PATH"
  [ -f "$TOOLS_DIR/empty.tfrc" ] || : >"$TOOLS_DIR/empty.tfrc"
  export TF_CLI_CONFIG_FILE="$TOOLS_DIR/empty.tfrc"
  export CHECKPOINT_DISABLE=1
  export TF_IN_AUTOMATION=1
  export TF_INPUT=0
  unset TF_ACC TF_ACC_TERRAFORM_PATH TF_ACC_TERRAFORM_VERSION TF_ACC_PROVIDER_HOST TF_ACC_PROVIDER_NAMESPACE
  unset TF_PLUGIN_CACHE_DIR TF_DATA_DIR TF_WORKSPACE
}

# cli_version binary: "Terraform v1.5.7" / "OpenTofu v1.12.6" (first line of `version`).
cli_version() {
  "$1" version 2>/dev/null | head -n 1
}

# sim_start bin token log [extra flags...]: start the standalone simulator (cmd/qomonsim) in the
# background on a port the kernel picks (-addr 127.0.0.1:0; it writes its base URL to -url-file).
# Sets SIM_PID and SIM_URL; the caller stops it with sim_stop (from an EXIT trap).
sim_start() {
  local binary=$1 token=$2 log=$3; shift 3
  local url_file="$log.url"
  rm -f "$url_file"
  "$binary" -addr 127.0.0.1:0 -url-file "$url_file" -token "$token" "$@" >"$log" 2>&1 &
  SIM_PID=$!
  SIM_URL=""
  local _
  for _ in $(seq 1 100); do
    if [ -z "$SIM_URL" ] && [ -s "$url_file" ]; then
      SIM_URL=$(head -n 1 "$url_file")
    fi
    if [ -n "$SIM_URL" ] && curl -fsS -o /dev/null "$SIM_URL/_sim/stats" 2>/dev/null; then
      return 0
    fi
    if ! kill -0 "$SIM_PID" 2>/dev/null; then
      cat "$log" >&2
      fail "the simulator exited at start (log: $log)"
    fi
    sleep 0.1
  done
  cat "$log" >&2
  fail "the simulator did not answer within 10s (url: '${SIM_URL}', log: $log)"
}

sim_stop() {
  if [ -n "${SIM_PID:-}" ] && kill -0 "$SIM_PID" 2>/dev/null; then
    kill "$SIM_PID" 2>/dev/null || true
    wait "$SIM_PID" 2>/dev/null || true
  fi
  SIM_PID=
}

# write_mirror_cli_config file mirror_dir: a CLI config that installs qomon/qomon (both registry
# hosts) from a local filesystem mirror and nothing else from the network.
write_mirror_cli_config() {
  cat >"$1" <<HCL
provider_installation {
  filesystem_mirror {
    path    = "$2"
    include = ["$PROVIDER_ADDR_TF", "$PROVIDER_ADDR_TOFU"]
  }
  direct {
    exclude = ["$PROVIDER_ADDR_TF", "$PROVIDER_ADDR_TOFU"]
  }
}
HCL
}

# go_os_arch: e.g. linux_amd64, the platform name terraform uses for this machine.
go_os_arch() {
  printf '%s_%s' "$(go env GOOS)" "$(go env GOARCH)"
}

# make_zip out.zip dir file: a zip of dir/file stored under its bare name (what Terraform expects
# inside a provider package). zip if the machine has it, else Python's zipfile.
make_zip() {
  local out=$1 dir=$2 file=$3
  rm -f "$out"
  if command -v zip >/dev/null 2>&1; then
    (cd "$dir" && zip -q -X "$out" "$file")
  elif command -v python3 >/dev/null 2>&1; then
    (cd "$dir" && python3 -m zipfile -c "$out" "$file")
  else
    fail "neither zip nor python3 is installed: cannot build a provider package"
  fi
}

# zip_list file.zip: the names in a zip, one a line.
zip_list() {
  if command -v unzip >/dev/null 2>&1; then
    unzip -Z1 "$1"
  elif command -v python3 >/dev/null 2>&1; then
    python3 -c 'import sys, zipfile; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' "$1"
  else
    fail "neither unzip nor python3 is installed: cannot list $1"
  fi
}
