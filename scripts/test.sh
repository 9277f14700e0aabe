#!/usr/bin/env bash
# The repository's test command. `make test` runs it; CI runs `.ci/run`, which runs `make test`.
#
#   scripts/test.sh                  every step below, in order, stopping at the first failure
#   scripts/test.sh unit acc ...     only the named steps (each builds what it needs)
#
# Steps:
#   tools     the pinned CLIs (scripts/tools.sh) and the Go tools of tools/*/go.mod (the go
#             command builds each once into its build cache)
#   static    gofmt, go.mod tidiness, go vet
#   lint      golangci-lint (.golangci.yml), actionlint (.github/workflows)
#   vulncheck govulncheck: fails on a known vulnerability in code we call
#   unit      unit and simulator tests, WITHOUT TF_ACC; -race on the client, simulator and resource logic
#   fuzz      every Go fuzz target briefly (FUZZTIME, default 5s each; `make fuzz` runs them longer)
#   acc       acceptance tests (TF_ACC=1) under Terraform 1.5.7 and OpenTofu 1.12.6, side by side
#             (and a `terraform` found on PATH as a third run when QOMON_TEST_PATH_TERRAFORM=1)
#   docs      regenerate docs/ with tfplugindocs, fail on drift, tfplugindocs validate
#   examples  fmt -check and validate of every example under examples/ (offline, dev_overrides)
#   release   goreleaser check; linux_amd64 snapshot; terraform init AND tofu init install it
#             offline from a filesystem mirror; plan/apply/destroy against the standalone simulator
#
# Knobs (environment): TESTARGS (extra `go test` arguments for unit/acc, e.g. "-run TestAccContact"),
# FUZZTIME, QOMON_TEST_PATH_TERRAFORM=1, QOMON_TEST_NO_RACE=1 (no C compiler: skip -race, loudly),
# GOVULNDB (another vulnerability database, e.g. https://vuln.go.dev).
# Logs: .work/test/ (git-ignored). Go tests run under gotestsum, which prints a line per package
# and, at the end, the output of each failed test; <run>.json holds every event (`go test -json`).
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$ROOT"
setup_cli_env

LOG_DIR="$WORK_DIR/test"
mkdir -p "$LOG_DIR"
ALL_STEPS=(tools static lint vulncheck unit fuzz acc docs examples release)
# Packages whose tests run under the race detector: the concurrent code (client with its shared
# limiter and retries, the simulator, the resource logic). The rest runs without -race.
RACE_PKGS=(./internal/qomon/... ./internal/qomonsim/... ./internal/contact/...)

results=() current="" step_start=0 run_start=$SECONDS acc_running=()

summary() {
  printf '\n%sSummary%s\n' "$_bold" "$_reset"
  local r
  for r in "${results[@]+"${results[@]}"}"; do say "  $r"; done
}
on_exit() {
  local rc=$? pid
  for pid in "${acc_running[@]+"${acc_running[@]}"}"; do
    kill -- "-$pid" 2>/dev/null || true
  done
  if [ "$rc" -ne 0 ] && [ -n "$current" ]; then
    results+=("FAIL  $current ($((SECONDS - step_start))s)")
    summary
    printf '%sFAILED at step "%s" after %ss (exit %s). Logs: %s%s\n' \
      "$_red" "$current" "$((SECONDS - run_start))" "$rc" "$LOG_DIR" "$_reset" >&2
  fi
  exit "$rc"
}
trap on_exit EXIT
# A signal ends the script (and, through on_exit, the acceptance runs in their own process groups,
# which a Ctrl-C does not reach), even while it waits for them.
trap 'exit 130' INT
trap 'exit 143' TERM
begin() {
  current=$1 step_start=$SECONDS
  printf '\n%s==> [%s] %s%s\n' "$_bold" "$1" "$2" "$_reset"
}
end() {
  results+=("ok    $current ($((SECONDS - step_start))s)${1:+  $1}")
  current=""
}

# gotest name args...: go test under gotestsum, every event kept in $LOG_DIR/name.json; the
# console gets a line per package and the output of the tests that failed (not of the skipped
# ones: every acceptance test skips without TF_ACC). TESTARGS is a list of words on purpose.
gotest() {
  local name=$1
  shift
  # shellcheck disable=SC2086
  tool gotestsum --format pkgname --hide-summary skipped --jsonfile "$LOG_DIR/$name.json" -- "$@" ${TESTARGS:-}
}
# count name action [test-regexp]: how many tests of a gotest run ended with that action.
count() {
  jq -s --arg a "$2" --arg re "${3:-.}" '[.[] | select(.Action == $a and .Test != null and (.Test | test($re)))] | length' "$LOG_DIR/$1.json"
}

step_tools() {
  begin tools "the pinned CLIs (scripts/tools.sh) and Go tools (tools/*/go.mod)"
  scripts/tools.sh terraform tofu
  say "go:            $(go version)"
  say "terraform:     $(cli_version "$TERRAFORM_BIN")  ($TERRAFORM_BIN)"
  say "tofu:          $(cli_version "$TOFU_BIN")  ($TOFU_BIN)"
  local dir name
  for dir in tools/*/; do
    name=$(basename "$dir")
    tool_bin "$name" >/dev/null
    printf '%-14s %s\n' "$name:" "$(go version -m "$(tool_bin "$name")" | awk '$1 == "mod" { print $3 }')"
  done
  end
}

step_static() {
  begin static "gofmt, go.mod tidiness, go vet"
  local unformatted
  # shellcheck disable=SC2046 # one word per package folder
  unformatted=$(gofmt -l $(go list -f '{{.Dir}}' ./...))
  [ -z "$unformatted" ] || fail "gofmt would change these files (run: gofmt -w <file>):
$unformatted"
  # A release builds from go.mod as committed: it must already be tidy. Checked, never rewritten.
  go mod tidy -diff || fail "go.mod/go.sum are not tidy (the diff above is what 'go mod tidy' would change)"
  go vet ./...
  end "gofmt, go mod tidy -diff, go vet: clean"
}

step_lint() {
  begin lint "golangci-lint (.golangci.yml), actionlint (.github/workflows)"
  tool golangci-lint config verify
  tool golangci-lint run ./...
  tool actionlint
  end "golangci-lint, actionlint: clean"
}

# The database: https://vuln.go.dev is not reachable from every machine that runs the tests; the
# Go module proxy is, and serves the database's source, golang.org/x/vulndb, whose data/osv holds
# every entry. indexdb, the vulndb's own builder, turns the latest version of it into the layout
# govulncheck reads (cached per version in .work/vulndb/). Without the proxy, the version indexdb
# was built from (already in the module cache) is used.
step_vulncheck() {
  begin vulncheck "govulncheck against the Go vulnerability database"
  local db=${GOVULNDB:-} version dir src
  if [ -z "$db" ]; then
    if ! version=$(go list -m -f '{{.Version}}' golang.org/x/vulndb@latest); then
      version=$(go list -modfile=tools/indexdb/go.mod -m -f '{{.Version}}' golang.org/x/vulndb)
      note "golang.org/x/vulndb@latest cannot be resolved: using $version, the version indexdb was built from"
    fi
    dir="$WORK_DIR/vulndb/$version"
    if [ ! -d "$dir" ]; then
      src=$(cd / && go mod download -json "golang.org/x/vulndb@$version" | jq -r .Dir)
      tool indexdb -vulns "$src/data/osv" -out "$dir.tmp$$"
      mv -T "$dir.tmp$$" "$dir" 2>/dev/null || rm -rf "$dir.tmp$$" # another run was first
    fi
    find "$WORK_DIR/vulndb" -mindepth 1 -maxdepth 1 ! -name "$version" -mtime +1 -exec rm -rf {} +
    db="file://$dir"
  fi
  # Exit status 3: a vulnerability in code we call; the report above says which and where.
  tool govulncheck -db "$db" ./... | tee "$LOG_DIR/vulncheck.log"
  end "no known vulnerability in called code; database: ${version:+golang.org/x/vulndb }${version:-$db}"
}

step_unit() {
  begin unit "unit and simulator tests (no TF_ACC)"
  local race=(-race) race_list others
  race_list=$(go list "${RACE_PKGS[@]}")
  others=$(go list ./... | grep -vxF "$race_list")
  if [ "${QOMON_TEST_NO_RACE:-}" = 1 ]; then
    say "${_red}QOMON_TEST_NO_RACE=1: the race detector is OFF for this run${_reset}"
    race=()
  elif [ "$(go env CGO_ENABLED)" != 1 ] || ! command -v "$(go env CC)" >/dev/null; then
    fail "go test -race needs cgo and a C compiler ($(go env CC)); install one, or set QOMON_TEST_NO_RACE=1 to run without the race detector"
  fi
  # shellcheck disable=SC2086 # lists of import paths
  gotest unit-race "${race[@]}" $race_list
  # shellcheck disable=SC2086
  gotest unit $others
  end "$(($(count unit-race pass) + $(count unit pass))) tests passed, $(($(count unit-race skip) + $(count unit skip))) skipped"
}

step_fuzz() {
  begin fuzz "each Go fuzz target for ${FUZZTIME:-5s}"
  FUZZTIME=${FUZZTIME:-5s} scripts/fuzz.sh
  end
}

# acc_start label cli [NAME=value...]: starts one acceptance run with one CLI in the background,
# its console output kept in $LOG_DIR/acc-<label>.log for acc_finish.
acc_start() {
  local label=$1 cli=$2 version
  shift 2
  version=$(cli_version "$cli")
  [ -n "$version" ] || fail "$cli does not run"
  # In a process group of its own (set -m), which on_exit ends if this script stops first.
  set -m
  # shellcheck disable=SC2163,SC2086 # "$@" holds NAME=value words; acc_pkgs, import paths
  (export TF_ACC=1 TF_ACC_TERRAFORM_PATH="$cli" "$@" && gotest "acc-$label" -timeout 30m $acc_pkgs) \
    >"$LOG_DIR/acc-$label.log" 2>&1 &
  set +m
  acc_running+=("$!")
  acc_runs+=("$!:$label:$version ($cli)")
}

# acc_finish: waits for every run acc_start started, then prints each one's output in turn and
# fails on the first that failed (after all have ended: no run is left behind).
acc_finish() {
  local label what version status=() i passed
  for i in "${!acc_runs[@]}"; do
    status[i]=0
    wait "${acc_runs[i]%%:*}" || status[i]=$?
  done
  acc_running=()
  for i in "${!acc_runs[@]}"; do
    IFS=: read -r _ label what <<<"${acc_runs[i]}"
    version=${what% (*}
    note "acceptance tests with $what"
    cat "$LOG_DIR/acc-$label.log"
    [ "${status[i]}" -eq 0 ] || fail "acceptance tests failed under $version (every event: $LOG_DIR/acc-$label.json)"
    passed=$(count "acc-$label" pass '^TestAcc[^/]*$')
    [ "$passed" -gt 0 ] || fail "no TestAcc* test passed under $version: acceptance tests are missing or all skipped"
    acc_summary+=("$version: $passed TestAcc* passed, $(count "acc-$label" skip) skipped")
  done
}

# The runs go side by side, so that each fills the other's quiet spells: the end of a run, where
# internal/contact runs alone two tests at a time, and the tests waiting on a delay. On a machine
# whose CPUs they already keep busy, they take as long together as one after the other.
step_acc() {
  begin acc "acceptance tests (TF_ACC=1) under each CLI, the runs side by side"
  scripts/tools.sh terraform tofu
  acc_runs=() acc_summary=()
  # The packages whose tests drive a CLI (through internal/acctest or internal/clitest): the
  # others' tests do the same with TF_ACC as without, and the unit step runs them.
  acc_pkgs=$(go list -f '{{.ImportPath}} {{join .TestImports " "}} {{join .XTestImports " "}}' ./internal/... |
    awk '{ for (i = 2; i <= NF; i++) if ($i ~ /\/internal\/(acctest|clitest)$/) { print $1; next } }')
  acc_start terraform "$TERRAFORM_BIN" TF_ACC_PROVIDER_NAMESPACE=qomon
  acc_start tofu "$TOFU_BIN" TF_ACC_PROVIDER_HOST=registry.opentofu.org TF_ACC_PROVIDER_NAMESPACE=qomon
  if [ "${QOMON_TEST_PATH_TERRAFORM:-}" = 1 ]; then
    local path_tf
    path_tf=$(PATH=$ORIG_PATH command -v terraform) || fail "QOMON_TEST_PATH_TERRAFORM=1 but there is no terraform on PATH"
    acc_start path-terraform "$path_tf" TF_ACC_PROVIDER_NAMESPACE=qomon
  fi
  local run
  for run in "${acc_runs[@]}"; do say "running: ${run#*:*:}"; done
  say "(each run's output follows once all have ended)"
  acc_finish
  local joined
  joined=$(printf '%s; ' "${acc_summary[@]}")
  end "${joined%; }"
}

step_docs() {
  begin docs "tfplugindocs generate (drift check) and validate, offline with terraform $TERRAFORM_VERSION"
  scripts/docs.sh generate
  if [ -n "$(git status --porcelain -- docs/)" ]; then
    git --no-pager diff --stat -- docs/
    fail "docs/ differs from what tfplugindocs generates: run 'make docs' and commit docs/"
  fi
  scripts/docs.sh validate
  end "docs/: no drift, valid"
}

step_examples() {
  begin examples "terraform/tofu fmt -check and validate of every example"
  scripts/check-examples.sh
  end
}

step_release() {
  begin release "goreleaser check, linux_amd64 snapshot, offline install from a filesystem mirror"
  scripts/release-check.sh
  end
}

steps=("$@")
[ ${#steps[@]} -gt 0 ] || steps=("${ALL_STEPS[@]}")
for s in "${steps[@]}"; do
  case " ${ALL_STEPS[*]} " in
    *" $s "*) ;;
    *) fail "unknown step '$s' (steps: ${ALL_STEPS[*]})" ;;
  esac
done
for s in "${steps[@]}"; do
  "step_$s"
done

summary
ok "PASS: ${#steps[@]} step(s) passed in $((SECONDS - run_start))s: ${steps[*]}"
