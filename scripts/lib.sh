# shellcheck shell=bash
# shellcheck disable=SC2034 # the variables below are used by the scripts that source this file
# Sourced by the scripts in this folder: the pinned CLIs, the Go toolchain, the environment every
# terraform/tofu run needs, and small helpers. Sourcing changes nothing on disk.

TERRAFORM_VERSION=1.5.7
TOFU_VERSION=1.12.6

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# The Go of every build, test and tool: .go-version (the GNUmakefile and the GitHub workflows read
# it too). go.mod's `go 1.26.8` is the oldest Go that compiles the provider, but Go 1.26.8's
# standard library has vulnerabilities the provider reaches (net/http, crypto/tls, crypto/x509),
# fixed in 1.27.3; the go command fetches that toolchain from the module proxy when GOTOOLCHAIN
# names it. QOMON_GOTOOLCHAIN=local keeps the machine's own Go (govulncheck then reports its gaps).
export GOTOOLCHAIN=${QOMON_GOTOOLCHAIN:-go$(tr -d ' \n' <"$ROOT/.go-version")}
# OpenTofu 1.12.6 and goreleaser 2.16.0 do not compile with Go 1.27 (their grpc uses x/net/http2
# symbols that x/net leaves out of Go 1.27 builds): they, and Terraform with them, are built with
# this Go, which the go command also fetches when the machine's is another.
CLI_GOTOOLCHAIN=go1.26.8

TOOLS_BIN="$ROOT/.tools/bin" # the CLIs (scripts/tools.sh); git-ignored
TERRAFORM_BIN="$TOOLS_BIN/terraform-$TERRAFORM_VERSION"
TOFU_BIN="$TOOLS_BIN/tofu-$TOFU_VERSION"
WORK_DIR="$ROOT/.work" # scratch space of the scripts (logs, demo, release check); git-ignored
PROVIDER_ADDR_TF=registry.terraform.io/qomon/qomon
PROVIDER_ADDR_TOFU=registry.opentofu.org/qomon/qomon
# The PATH we were started with, before .tools/bin was put first (to find a CLI the machine has).
ORIG_PATH=${QOMON_ORIG_PATH:-$PATH}
export QOMON_ORIG_PATH=$ORIG_PATH

# tool NAME ARGS...: runs a Go tool (golangci-lint, govulncheck, indexdb, tfplugindocs,
# actionlint, gotestsum, benchstat, goreleaser). Each is a `tool` directive in its own
# tools/NAME/go.mod, so that it builds with exactly the dependency versions its release pins
# (one shared go.mod raised actionlint's YAML parser to a version it does not compile with).
# tool_bin NAME builds it on first use (the go command keeps it in its build cache) and prints
# its path; goreleaser is built with CLI_GOTOOLCHAIN, and runs with the provider's Go. Finding
# the path means hashing every source file of the tool (seconds for golangci-lint), so it is kept
# for the rest of the run in QOMON_TOOL_<NAME>, exported for the scripts a script runs.
tool_bin() {
  local var=QOMON_TOOL_${1//-/_} toolchain=$GOTOOLCHAIN path
  if [ ! -x "${!var:-}" ]; then
    [ "$1" != goreleaser ] || toolchain=$CLI_GOTOOLCHAIN
    path=$(GOTOOLCHAIN=$toolchain go tool -modfile="$ROOT/tools/$1/go.mod" -n "$1") || return
    export "$var=$path"
  fi
  printf '%s\n' "${!var}"
}
tool() {
  local var=QOMON_TOOL_${1//-/_}
  tool_bin "$1" >/dev/null && shift && "${!var}" "$@"
}

if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then
  _bold=$'\e[1m' _red=$'\e[31m' _green=$'\e[32m' _reset=$'\e[0m'
else
  _bold='' _red='' _green='' _reset=''
fi
say() { printf '%s\n' "$*"; }
note() { printf '%s--> %s%s\n' "$_bold" "$*" "$_reset"; }
fail() { printf '%sFAIL: %s%s\n' "$_red" "$*" "$_reset" >&2; exit 1; }
ok() { printf '%s%s%s\n' "$_green" "$*" "$_reset"; }

# setup_cli_env: what every terraform/tofu run needs:
# - .tools/bin first on PATH: tfplugindocs runs the `terraform` it finds there (our pinned one);
# - a CLI configuration that exists: with TF_CLI_CONFIG_FILE naming a missing file, tofu prints a
#   warning on stdout that breaks terraform-plugin-testing's parsing of its version;
# - no checkpoint calls, no prompts, and no inherited acceptance-test knobs (each run sets its own).
setup_cli_env() {
  mkdir -p "$TOOLS_BIN" "$WORK_DIR"
  export PATH="$TOOLS_BIN:$ORIG_PATH"
  [ -f "$ROOT/.tools/empty.tfrc" ] || : >"$ROOT/.tools/empty.tfrc"
  export TF_CLI_CONFIG_FILE="$ROOT/.tools/empty.tfrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 TF_INPUT=0
  unset TF_ACC TF_ACC_TERRAFORM_PATH TF_ACC_TERRAFORM_VERSION TF_ACC_PROVIDER_HOST TF_ACC_PROVIDER_NAMESPACE
  unset TF_PLUGIN_CACHE_DIR TF_DATA_DIR TF_WORKSPACE
}

# cli_version binary: "Terraform v1.5.7" / "OpenTofu v1.12.6", the first line of `version`. Read
# whole: `| head -n 1` can close the pipe while the CLI still writes, and it then dies of SIGPIPE.
cli_version() {
  local out
  out=$("$1" version 2>/dev/null) || true
  printf '%s\n' "${out%%$'\n'*}"
}

# sim_start bin token log: the standalone simulator (cmd/qomonsim) in the background on a port
# the kernel picks; it writes its base URL to -url-file. Sets SIM_PID and SIM_URL; sim_stop ends it.
sim_start() {
  rm -f "$3.url"
  "$1" -addr 127.0.0.1:0 -url-file "$3.url" -token "$2" >"$3" 2>&1 &
  SIM_PID=$!
  local _
  for _ in $(seq 100); do
    SIM_URL=$(head -n 1 "$3.url" 2>/dev/null || true)
    if [ -n "$SIM_URL" ] && curl -fsS -o /dev/null "$SIM_URL/_sim/stats"; then return 0; fi
    kill -0 "$SIM_PID" 2>/dev/null || break
    sleep 0.1
  done
  cat "$3" >&2
  fail "the simulator did not start (log: $3)"
}
sim_stop() {
  [ -z "${SIM_PID:-}" ] || { kill "$SIM_PID" 2>/dev/null || true; wait "$SIM_PID" 2>/dev/null || true; }
  SIM_PID=
}

# write_mirror_cli_config file mirror_dir: a CLI configuration that installs qomon/qomon (both
# registry hosts) from a local filesystem mirror and nothing else from the network.
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
