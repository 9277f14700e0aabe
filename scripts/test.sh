#!/usr/bin/env bash
# The repository's test command. `make test` runs it; CI runs `.ci/run`, which runs `make test`.
#
#   scripts/test.sh                  every step below, in order, stopping at the first failure
#   scripts/test.sh unit acc ...     only the named steps (each installs the tools it needs)
#
# Steps:
#   tools     install/check the pinned CLIs and tools (scripts/tools.sh; cached in .tools/)
#   static    gofmt, go.mod tidiness, go vet
#   lint      golangci-lint (config: .golangci.yml)
#   vulncheck govulncheck: fails on a known vulnerability in code we call (scripts/vulncheck.sh;
#             database built from golang.org/x/vulndb on the Go module proxy, cached in .work/vulndb/)
#   unit      unit and simulator tests, WITHOUT TF_ACC; -race on the client, simulator and resource logic
#   fuzz      every Go fuzz target briefly (FUZZTIME, default 5s each; `make fuzz` runs them longer)
#   acc       acceptance tests (TF_ACC=1) under Terraform 1.5.7, then OpenTofu 1.12.6
#             (and a `terraform` found on PATH as a third run when QOMON_TEST_PATH_TERRAFORM=1)
#   docs      regenerate docs/ with tfplugindocs, fail on drift, tfplugindocs validate
#   examples  fmt -check and validate of every example under examples/ (offline, dev_overrides)
#   release   goreleaser check; linux_amd64 snapshot; terraform init AND tofu init install it
#             offline from a filesystem mirror; plan/apply/destroy against the standalone simulator
#
# Knobs (environment): TESTARGS (extra `go test` args for unit/acc, e.g. "-run TestAccContact"),
# FUZZTIME, QOMON_TEST_PATH_TERRAFORM=1, QOMON_TEST_NO_RACE=1 (no C compiler: skip -race, loudly),
# GOVULNDB and QOMON_VULNCHECK_STRICT=1 (no vulnerability database fails instead of NOT RUN; see
# scripts/vulncheck.sh).
# Logs: .work/test/ (git-ignored).
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

results=()
current=""
step_start=0
run_start=$SECONDS

summary() {
  local r
  say ""
  say "${_bold}Summary${_reset}"
  for r in "${results[@]+"${results[@]}"}"; do say "  $r"; done
}

on_exit() {
  local rc=$?
  if [ "$rc" -ne 0 ] && [ -n "$current" ]; then
    results+=("FAIL  $current ($((SECONDS - step_start))s)")
    summary
    printf '%sFAILED at step "%s" after %ss (exit %s). Logs: %s%s\n' \
      "$_red" "$current" "$((SECONDS - run_start))" "$rc" "$LOG_DIR" "$_reset" >&2
  fi
  exit "$rc"
}
trap on_exit EXIT

begin() {
  current=$1
  step_start=$SECONDS
  say ""
  say "${_bold}==> [$1] $2${_reset}"
}
end() {
  results+=("ok    $current ($((SECONDS - step_start))s)${1:+  $1}")
  current=""
}

# go_packages: the import paths of our Go packages.
go_packages() {
  go list ./...
}

step_tools() {
  begin tools "pinned CLIs and tools (scripts/tools.sh, cached in .tools/bin)"
  "$ROOT/scripts/tools.sh" # all four, biggest first: two build lanes end together
  say "go:            $(go version)"
  say "terraform:     $(cli_version "$TERRAFORM_BIN")  ($TERRAFORM_BIN)"
  say "tofu:          $(cli_version "$TOFU_BIN")  ($TOFU_BIN)"
  say "golangci-lint: $("$GOLANGCI_BIN" version 2>&1 | head -n 1)"
  say "goreleaser:    $GORELEASER_VERSION  ($GORELEASER_BIN)"
  end
}

step_static() {
  begin static "gofmt, go.mod tidiness, go vet"
  local dirs unformatted
  mapfile -t dirs < <(go list -f '{{.Dir}}' ./...)
  unformatted=$(gofmt -l "${dirs[@]}")
  [ -z "$unformatted" ] || fail "gofmt would change these files (run: gofmt -w <file>):
$unformatted"
  say "gofmt: clean"
  # A release builds from go.mod as committed: it must already be tidy. Checked, never rewritten.
  local tidy
  if ! tidy=$(go mod tidy -diff 2>&1); then
    printf '%s\n' "$tidy" >&2
    fail "go.mod/go.sum are not tidy (the diff above is what 'go mod tidy' would change)"
  fi
  say "go mod tidy -diff: clean"
  go vet ./...
  say "go vet: clean"
  end
}

step_lint() {
  begin lint "golangci-lint $GOLANGCI_VERSION (.golangci.yml)"
  "$ROOT/scripts/tools.sh" golangci-lint
  "$GOLANGCI_BIN" config verify
  "$GOLANGCI_BIN" run ./...
  say "golangci-lint: clean"
  end
}

step_vulncheck() {
  begin vulncheck "govulncheck $GOVULNCHECK_VERSION against the Go vulnerability database (scripts/vulncheck.sh)"
  local rc=0
  "$ROOT/scripts/vulncheck.sh" || rc=$?
  cp "$WORK_DIR/vulncheck.log" "$LOG_DIR/vulncheck.log" 2>/dev/null || true # with the other logs
  [ "$rc" -eq 0 ] || exit "$rc"
  # Its one-line result (counts and database version, or NOT RUN and why) goes into the summary;
  # a check that did not run is listed as SKIP, not ok.
  local res
  res=$(cat "$WORK_DIR/vulncheck.result" 2>/dev/null || true)
  case "$res" in
    "NOT RUN"*)
      results+=("SKIP  $current ($((SECONDS - step_start))s)  $res")
      current=""
      ;;
    *) end "$res" ;;
  esac
}

step_unit() {
  begin unit "unit and simulator tests (no TF_ACC)"
  local race=(-race) pkgs=() p rp skip
  # Expand the race patterns to import paths, so the rest can be run without them.
  local race_list
  race_list=$(go list "${RACE_PKGS[@]}" 2>/dev/null || true)
  [ -n "$race_list" ] || fail "none of ${RACE_PKGS[*]} exists"
  while read -r p; do
    skip=0
    for rp in $race_list; do [ "$p" = "$rp" ] && skip=1; done
    [ $skip -eq 1 ] || pkgs+=("$p")
  done < <(go_packages)
  if [ "${QOMON_TEST_NO_RACE:-}" = 1 ]; then
    warn "QOMON_TEST_NO_RACE=1: the race detector is OFF for this run"
    race=()
  elif [ "$(go env CGO_ENABLED)" != 1 ] || ! command -v "$(go env CC)" >/dev/null 2>&1; then
    fail "go test -race needs cgo and a C compiler ($(go env CC)); install one, or set QOMON_TEST_NO_RACE=1 to run without the race detector"
  fi
  say "with ${race[*]:-no -race}: ${race_list//$'\n'/ }"
  # shellcheck disable=SC2086 # TESTARGS is a list of words on purpose
  go test "${race[@]}" $race_list ${TESTARGS:-} 2>&1 | tee "$LOG_DIR/unit-race.log"
  say "without -race: ${#pkgs[@]} other packages"
  if [ ${#pkgs[@]} -gt 0 ]; then
    # shellcheck disable=SC2086
    go test "${pkgs[@]}" ${TESTARGS:-} 2>&1 | tee "$LOG_DIR/unit.log"
  fi
  end
}

step_fuzz() {
  begin fuzz "each Go fuzz target for ${FUZZTIME:-5s}"
  FUZZTIME=${FUZZTIME:-5s} "$ROOT/scripts/fuzz.sh"
  end
}

# failure_output log: what each failed test printed (go test -v interleaves parallel tests:
# keep the lines under each "=== RUN/NAME/CONT <failed test>" header), at most 300 lines.
failure_output() {
  local names
  names=$(grep -oE -- '--- FAIL: [^ ]+' "$1" | awk '{ print $3 }' | sort -u | tr '\n' ' ')
  if [ -z "$names" ]; then
    tail -n 100 "$1"
    return
  fi
  awk -v names="$names" '
    BEGIN { n = split(names, a, " "); for (i = 1; i <= n; i++) failed[a[i]] = 1 }
    /^=== (RUN|NAME|CONT|PAUSE) / { show = ($3 in failed) && $2 != "PAUSE"; if (show) print; next }
    /^ *--- (PASS|SKIP)/ { show = 0; next }
    /^ *--- FAIL/ { print; show = 0; next }
    show { print }
  ' "$1" | head -n 300
}

# acc_run label cli_binary [env assignments...]: one acceptance run with one CLI.
acc_run() {
  local label=$1 cli=$2; shift 2
  local version log="$LOG_DIR/acc-$label.log"
  version=$(cli_version "$cli")
  [ -n "$version" ] || fail "$cli does not run"
  note "acceptance tests with $version ($cli)"
  local start=$SECONDS rc=0
  # shellcheck disable=SC2086
  env TF_ACC=1 TF_ACC_TERRAFORM_PATH="$cli" "$@" \
    go test -v -timeout 30m ./internal/... ${TESTARGS:-} >"$log" 2>&1 || rc=$?
  # The full -v log is on disk; the console gets the verdict lines and the failures.
  grep -E '^(--- FAIL|FAIL|ok |panic:|\?)|^\s+--- FAIL' "$log" || true
  local passed failed skipped acc_passed
  passed=$(grep -cE '^\s*--- PASS' "$log" || true)
  failed=$(grep -cE '^\s*--- FAIL' "$log" || true)
  skipped=$(grep -cE '^\s*--- SKIP' "$log" || true)
  acc_passed=$(grep -cE '^--- PASS: TestAcc' "$log" || true)
  say "$version: $passed passed ($acc_passed top-level TestAcc*), $failed failed, $skipped skipped in $((SECONDS - start))s; log: $log"
  if [ "$rc" -ne 0 ]; then
    failure_output "$log" >&2
    fail "acceptance tests failed under $version (full log: $log)"
  fi
  [ "$acc_passed" -gt 0 ] || fail "no TestAcc* test passed under $version: acceptance tests are missing or all skipped (log: $log)"
  acc_summary+=("$version: $acc_passed TestAcc* passed, $skipped skipped")
}

step_acc() {
  begin acc "acceptance tests (TF_ACC=1) under each CLI"
  "$ROOT/scripts/tools.sh" terraform tofu
  acc_summary=()
  acc_run terraform "$TERRAFORM_BIN"
  acc_run tofu "$TOFU_BIN" TF_ACC_PROVIDER_HOST=registry.opentofu.org TF_ACC_PROVIDER_NAMESPACE=qomon
  if [ "${QOMON_TEST_PATH_TERRAFORM:-}" = 1 ]; then
    local path_tf
    path_tf=$(PATH=$ORIG_PATH command -v terraform || true)
    [ -n "$path_tf" ] || fail "QOMON_TEST_PATH_TERRAFORM=1 but there is no terraform on PATH"
    acc_run path-terraform "$path_tf"
  fi
  end "$(printf '%s; ' "${acc_summary[@]}" | sed 's/; $//')"
}

step_docs() {
  begin docs "tfplugindocs generate (drift check) and validate, offline with terraform $TERRAFORM_VERSION"
  "$ROOT/scripts/tools.sh" terraform
  "$ROOT/scripts/docs.sh" generate
  local drift
  drift=$(git status --porcelain -- docs/)
  if [ -n "$drift" ]; then
    say "$drift"
    git --no-pager diff --stat -- docs/ || true
    fail "docs/ differs from what tfplugindocs generates: run 'make docs' and commit docs/"
  fi
  say "docs/: no drift"
  "$ROOT/scripts/docs.sh" validate
  end
}

step_examples() {
  begin examples "terraform/tofu fmt -check and validate of every example"
  "$ROOT/scripts/tools.sh" terraform tofu
  "$ROOT/scripts/check-examples.sh"
  end
}

step_release() {
  begin release "goreleaser check, linux_amd64 snapshot, offline install from a filesystem mirror"
  "$ROOT/scripts/tools.sh" terraform tofu goreleaser
  "$ROOT/scripts/release-check.sh"
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
