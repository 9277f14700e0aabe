#!/usr/bin/env bash
# make demo: the provider doing its job, end to end, on this machine, with no network and no
# Qomon account. It
#   1. uses the `terraform` on PATH if it is 1.5 or newer, and otherwise builds the pinned
#      Terraform 1.5.7 (scripts/tools.sh, minutes once, then cached in .tools/),
#   2. builds the provider and the Qomon simulator (cmd/qomonsim),
#   3. starts the simulator on a free 127.0.0.1 port,
#   4. installs the provider for Terraform through a local filesystem mirror, so that a plain
#      `terraform init` works offline, exactly as it would from the Registry,
#   5. applies examples/demo (a few contacts with address, tags, notes, a custom field),
#   6. changes ONE field (-var), shows the plan (that field only) and applies it, then prints the
#      PATCH request the simulator received and which stored fields changed,
#   7. destroys everything and stops the simulator.
# Everything it writes is under .work/demo/ (git-ignored). QOMON_DEMO_CLI=tofu runs it with
# OpenTofu instead (a `tofu` on PATH, 1.5 or newer, else the pinned 1.12.6).
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$ROOT"
setup_cli_env

work="$WORK_DIR/demo"
token="demo-token"
# The demo installs the local build as version 0.1.0 (the upcoming release, CHANGELOG.md), so the
# configuration can carry an ordinary `version = "~> 0.1"` constraint; Terraform would only pick
# a prerelease such as 0.1.0-dev for an exact pin. The binary itself says it is a demo build.
mirror_version="0.1.0"
binary_version="0.1.0-demo"

tool=${QOMON_DEMO_CLI:-terraform}
case "$tool" in
  terraform) pinned=$TERRAFORM_BIN ;;
  tofu) pinned=$TOFU_BIN ;;
  *) fail "QOMON_DEMO_CLI must be terraform or tofu" ;;
esac
command -v jq >/dev/null 2>&1 || fail "the demo prints JSON with jq: install jq (apt-get install jq)"

step() { say ""; say "${_bold}==> $*${_reset}"; }
# tf args...: run the CLI in the demo's configuration folder, output on the console and in a log.
tf_n=0
tf() {
  tf_n=$((tf_n + 1))
  local log
  log="$work/logs/$(printf '%02d' "$tf_n")-$tool-$1.log"
  say "\$ $tool $*"
  "$cli" -chdir="$work/config" "$@" 2>&1 | tee "$log"
}
# tf_quiet args...: the same, but only the outcome on the console (the full output in the log).
tf_quiet() {
  tf_n=$((tf_n + 1))
  local log
  log="$work/logs/$(printf '%02d' "$tf_n")-$tool-$1.log"
  say "\$ $tool $*   (full output: $log)"
  if ! "$cli" -chdir="$work/config" "$@" >"$log" 2>&1; then
    cat "$log" >&2
    return 1
  fi
  grep -E '^(Plan:|Apply complete|Destroy complete|Warning:)|: (Creation|Destruction) complete' "$log" | sed 's/^/  /' || true
}

cleanup() {
  local rc=$?
  sim_stop
  if [ "$rc" -ne 0 ]; then
    printf '%sThe demo FAILED (exit %s). Look in %s (logs/, qomonsim.log).%s\n' "$_red" "$rc" "$work" "$_reset" >&2
  fi
  exit "$rc"
}
trap cleanup EXIT

rm -rf "$work"
mkdir -p "$work/bin" "$work/logs" "$work/config"

step "1/7 $tool"
# The one already on PATH (before .tools/bin), if it is 1.5 or newer: a newcomer with Terraform
# installed should not wait for a build. The demo needs nothing newer than 1.5.
cli=$(PATH=$ORIG_PATH command -v "$tool" || true)
found=$(if [ -n "$cli" ]; then cli_version "$cli"; fi)
if [ -n "$found" ] && printf '1.5.0\n%s\n' "${found##* v}" | sort -V -C; then
  say "using $found, found on PATH ($cli)"
else
  if [ -z "$cli" ]; then say "no $tool on PATH"; else say "$cli is ${found:-not runnable}: the demo needs 1.5 or newer"; fi
  say "the pinned $(basename "$pinned") then (scripts/tools.sh builds it from the Go module proxy once, in minutes)"
  scripts/tools.sh "$tool"
  cli=$pinned
  say "using $(cli_version "$cli") ($cli)"
fi

step "2/7 building the provider and the simulator"
# Into a filesystem mirror (unpacked layout: <host>/qomon/qomon/<version>/<os>_<arch>/), under
# both registry hosts, so that terraform and tofu install it alike.
platform=$(go env GOOS)_$(go env GOARCH)
binary="terraform-provider-qomon_v$mirror_version"
go build -trimpath -ldflags "-X main.version=$binary_version" -o "$work/bin/$binary" .
for addr in "$PROVIDER_ADDR_TF" "$PROVIDER_ADDR_TOFU"; do
  mkdir -p "$work/mirror/$addr/$mirror_version/$platform"
  cp "$work/bin/$binary" "$work/mirror/$addr/$mirror_version/$platform/"
done
go build -o "$work/bin/qomonsim" ./cmd/qomonsim
say "built $work/bin/$binary (copied into $work/mirror) and $work/bin/qomonsim"

step "3/7 starting the Qomon simulator on 127.0.0.1"
sim_start "$work/bin/qomonsim" "$token" "$work/qomonsim.log"
say "simulator: $SIM_URL (pid $SIM_PID, log $work/qomonsim.log)"
export QOMON_ENDPOINT=$SIM_URL
export QOMON_API_TOKEN=$token

step "4/7 a local filesystem mirror, so that '$tool init' installs the provider offline"
write_mirror_cli_config "$work/cli.tfrc" "$work/mirror"
export TF_CLI_CONFIG_FILE="$work/cli.tfrc"
say "mirror: $work/mirror; CLI config: $work/cli.tfrc"
cp examples/demo/*.tf "$work/config/"
tf init -input=false -no-color

step "5/7 apply examples/demo"
tf_quiet apply -input=false -auto-approve -no-color
say ""
say "One of them as Terraform now knows it (what Qomon computed included: ids, geocoding, dates):"
tf state show -no-color 'qomon_contact.member["ada"]'
contacts=$(curl -fsS "$SIM_URL/_sim/contacts")
say "the simulator now holds $(jq length <<<"$contacts") contact(s)"

step "6/7 change ONE field (grace_mobile) and look at the plan"
before=$(curl -fsS "$SIM_URL/_sim/contacts")
curl -fsS -X DELETE -o /dev/null "$SIM_URL/_sim/requests"
tf plan -input=false -no-color -var 'grace_mobile=+33698765432' -out change.tfplan
say ""
say "What the plan changes, from '$tool show -json':"
"$cli" -chdir="$work/config" show -json change.tfplan | jq -r '
  def unknown(v): if v == null or v == false then false elif v == true then true
                  else (v | tostring | test("true")) end;
  .resource_changes[]
  | select(.change.actions != ["no-op"] and .change.actions != ["read"])
  | .address as $a | .change as $c
  | ([($c.before // {} | keys[]), ($c.after // {} | keys[])] | unique) as $ks
  | "  \($a) (\($c.actions | join(", "))): sets "
    + ([$ks[] | select((unknown($c.after_unknown[.]) | not) and $c.before[.] != $c.after[.])] | join(", "))
    + "; known after apply: "
    + ([$ks[] | select(unknown($c.after_unknown[.]))] | join(", "))'
tf apply -input=false -no-color change.tfplan

say ""
say "The requests the simulator received during that plan and apply:"
requests=$(curl -fsS "$SIM_URL/_sim/requests")
printf '%s\n' "$requests" >"$work/requests.json"
jq -r '.[] | "  \(.method) \(.path) -> \(.status)"' <<<"$requests"
say ""
say "The body of the PATCH (pretty-printed):"
jq 'map(select(.method == "PATCH")) | last | .body' <<<"$requests" | tee "$work/last-patch.json"
after=$(curl -fsS "$SIM_URL/_sim/contacts")
say ""
say "Stored fields that changed in the simulator (timestamps aside):"
jq -rn --argjson before "$before" --argjson after "$after" '
  ($before | map({key: (.id | tostring), value: .}) | from_entries) as $b
  | $after[]
  | .id as $id | . as $new | $b[$id | tostring] as $old
  | [($new | keys[]) | select(. != "UpdatedAt" and . != "lastchange" and $old[.] != $new[.])] as $changed
  | select($changed | length > 0)
  | "  contact \($id): \($changed | join(", "))"'

step "7/7 destroy"
tf_quiet destroy -input=false -auto-approve -no-color
left=$(curl -fsS "$SIM_URL/_sim/contacts" | jq length)
[ "$left" = 0 ] || fail "the simulator still holds $left contact(s) after destroy"
say "the simulator holds 0 contacts"
sim_stop

say ""
ok "Demo done with $(cli_version "$cli")."
say "Where to look:"
say "  $work/config            the configuration (a copy of examples/demo), state, plan file"
say "  $work/logs              the output of every $tool command, in order"
say "  $work/requests.json     the simulator's request log of the change (last-patch.json: the PATCH body)"
say "  $work/qomonsim.log      the simulator's own log"
say "  $work/cli.tfrc, mirror  how $tool installed the provider offline"
