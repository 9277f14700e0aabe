#!/usr/bin/env bash
# make vulncheck, and the `vulncheck` step of scripts/test.sh: govulncheck over the module's
# packages at symbol level, so it fails only for a known vulnerability in code the provider (or
# its simulator and tools in this module) actually calls. Vulnerabilities in packages we import
# or modules we require without calling the affected code are counted, not failed on.
#
# The database. The published one, https://vuln.go.dev, is not reachable from every machine that
# runs the tests (it is not from the shared development machine). The Go module proxy is, and it
# serves the database's source repository, golang.org/x/vulndb, whose data/osv/ holds every
# entry as one OSV JSON file. So by default this script
#   1. resolves golang.org/x/vulndb@latest on the module proxy, or, when that fails (proxy down,
#      offline with a warm module cache), falls back to VULNDB_PINNED below, loudly;
#   2. turns that version's data/osv into the layout govulncheck reads from disk, with our
#      generator scripts/vulndb (standard library only), into .work/vulndb/<version>/ (git-ignored).
#      The directory is reused while the vulndb version and the generator are unchanged, so a second
#      run skips this step; other versions are pruned after a day;
#   3. runs govulncheck -db file://.work/vulndb/<version> ./... and prints the version it used.
# The entries are the ones vuln.go.dev is generated from, as of that vulndb commit. One difference:
# data/osv leaves each entry's "modified" time unset (vuln.go.dev fills it in from git history),
# so the index records the vulndb commit time instead (govulncheck's "DB updated" time).
#
# Environment:
#   GOVULNDB=<url>             use that database instead, as before: https://vuln.go.dev where it is
#                              reachable, or file:///path/to/another/mirror
#   QOMON_VULNCHECK_STRICT=1   no database (vulndb not fetchable, GOVULNDB unreachable) is a failure.
#                              Without it, that case prints a warning, writes "NOT RUN" as the
#                              result and exits 0 (make test's summary lists the step as SKIP,
#                              never ok). The GitHub test workflow sets it.
# Exit status: 0 no vulnerability in called code (or not run, see above); 1 vulnerabilities in
# called code, govulncheck failed, or no database under QOMON_VULNCHECK_STRICT=1.
# Full govulncheck output: .work/vulncheck.log; one-line result: .work/vulncheck.result.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$ROOT"

# The fallback when @latest cannot be resolved: a version known to build a good database.
VULNDB_MODULE=golang.org/x/vulndb
VULNDB_PINNED=v0.0.0-20261105234957-e22db6528018

log="$WORK_DIR/vulncheck.log"
result_file="$WORK_DIR/vulncheck.result"
cache="$WORK_DIR/vulndb"
mkdir -p "$WORK_DIR" "$cache"
rm -f "$result_file"
scratch=$(mktemp -d "${TMPDIR:-/tmp}/qomon-vulncheck.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
result() { printf '%s\n' "$*" >"$result_file"; }

# not_run reason: no database to check against. Fails under QOMON_VULNCHECK_STRICT=1.
not_run() {
  result "NOT RUN: $1"
  if [ "${QOMON_VULNCHECK_STRICT:-}" = 1 ]; then
    fail "govulncheck could not run: $1 (QOMON_VULNCHECK_STRICT=1)"
  fi
  warn "govulncheck NOT RUN: $1. Nothing was checked. The default database is built from $VULNDB_MODULE on the Go module proxy; GOVULNDB=<url> names another (https://vuln.go.dev, file:///<mirror>)."
  exit 0
}

"$ROOT/scripts/tools.sh" govulncheck
bin="$TOOLS_BIN/govulncheck"

# json_field name: the value of "name": "..." in the one-object JSON that `go list -m -json` prints.
json_field() { sed -n "s/^[[:space:]]*\"$1\": \"\(.*\)\",\{0,1\}\$/\1/p"; }

# vulndb_db: sets db (a file:// URL) and db_desc for golang.org/x/vulndb, building the cache if needed.
vulndb_db() {
  local info version when how="latest on the module proxy" err
  # go commands run outside any module, so that they can never touch our go.mod.
  if ! info=$(cd "$scratch" && go list -m -json "$VULNDB_MODULE@latest" 2>"$scratch/err"); then
    err=$(tr '\n' ' ' <"$scratch/err" | sed 's/ *$//')
    warn "could not resolve $VULNDB_MODULE@latest ($err); falling back to the pinned $VULNDB_PINNED"
    how="PINNED FALLBACK: @latest unavailable"
    if ! info=$(cd "$scratch" && go list -m -json "$VULNDB_MODULE@$VULNDB_PINNED" 2>"$scratch/err"); then
      err=$(tr '\n' ' ' <"$scratch/err" | sed 's/ *$//')
      not_run "neither $VULNDB_MODULE@latest nor @$VULNDB_PINNED can be fetched ($err)"
    fi
  fi
  version=$(json_field Version <<<"$info")
  when=$(json_field Time <<<"$info")
  if [ -z "$version" ] || [ -z "$when" ]; then
    fail "unexpected answer from go list -m -json $VULNDB_MODULE: $info"
  fi

  local dir="$cache/$version" stamp gen
  # The cache is keyed by the vulndb version; the stamp also names the generator, so a change
  # to scripts/vulndb rebuilds it.
  gen=$(sha256sum <scripts/vulndb/main.go | cut -c1-16)
  stamp="vulndb $version generator $gen"
  exec {lock}>"$cache/.lock" # one builder at a time (parallel make test runs)
  flock "$lock"
  if [ "$(cat "$dir/.stamp" 2>/dev/null || true)" = "$stamp" ]; then
    note "vulnerability database: cached $dir"
  else
    local src start=$SECONDS tmp="$dir.tmp.$$"
    if ! src=$(cd "$scratch" && go mod download -json "$VULNDB_MODULE@$version" 2>"$scratch/err" | json_field Dir); then
      src=""
    fi
    if [ -z "$src" ] || [ ! -d "$src/data/osv" ]; then
      err=$(tr '\n' ' ' <"$scratch/err" | sed 's/ *$//')
      if [ -z "$src" ]; then
        not_run "$VULNDB_MODULE@$version cannot be downloaded ($err)"
      fi
      fail "$VULNDB_MODULE@$version has no data/osv directory ($src): its layout changed, scripts/vulndb needs a look"
    fi
    rm -rf "$tmp"
    go run ./scripts/vulndb -in "$src/data/osv" -out "$tmp" -default-modified "$when" ||
      fail "scripts/vulndb could not build a database from $src/data/osv (see above)"
    printf '%s\n' "$stamp" >"$tmp/.stamp"
    rm -rf "$dir"
    mv "$tmp" "$dir"
    note "vulnerability database: built $dir in $((SECONDS - start))s"
  fi
  touch "$dir"
  # Other versions (and leftovers of interrupted builds) go once they have not been used for a day.
  find "$cache" -mindepth 1 -maxdepth 1 -type d ! -name "$version" -mmin +1440 -exec rm -rf {} +
  exec {lock}>&-
  db="file://$dir"
  db_desc="$VULNDB_MODULE $version (commit time $when; $how)"
}

if [ -n "${GOVULNDB:-}" ]; then
  db=$GOVULNDB
  db_desc="$GOVULNDB (GOVULNDB)"
else
  vulndb_db
fi

note "govulncheck $("$bin" -version 2>/dev/null | sed -n 's/^Scanner: //p') ./... against $db_desc"
rc=0
"$bin" -db "$db" ./... >"$log" 2>&1 || rc=$?
# The console gets the findings with at most 3 example traces each; the log has them all.
awk '
  /Example traces found:/ { n = 0 }
  /^ +#[0-9]+: / { if (++n > 3) { more++; next } }
  /^$/ && more { printf "      ... %d more trace(s) in the log\n", more; more = 0 }
  { print }
' "$log"

# The verdict lines of govulncheck's text output, joined (it wraps them).
text=$(tr '\n' ' ' <"$log")
called=$(sed -n 's/.*Your code is affected by \([0-9]*\) vulnerabilit.*/\1/p' <<<"$text")
imported=$(sed -n 's/.*also found \([0-9]*\) vulnerabilit[a-z]* in packages you import.*/\1/p' <<<"$text")
required=$(sed -n 's/.* \([0-9]*\) vulnerabilit[a-z]* in modules you require.*/\1/p' <<<"$text")
if grep -q 'No vulnerabilities found' "$log"; then called=0; fi
counts="${called:-0} in called code, ${imported:-0} in imported packages (not called), ${required:-0} in required modules (not imported); db: $db_desc"

case "$rc" in
  0)
    result "$counts"
    ok "govulncheck: no known vulnerability in code this module calls ($counts)"
    ;;
  3)
    # One line per finding: id, then each affected module (or standard library package) with
    # the version found and the version that fixes it.
    say ""
    say "Vulnerabilities in called code (module@found -> fixed):"
    awk '
      function flush() { if (id != "") print "  " id ":" line; line = "" }
      /^Vulnerability #/ { flush(); id = $3 }
      /^ +Found in: / { found = $3 }
      /^ +Fixed in: / { line = line " " found " -> " $3 ";" }
      END { flush() }
    ' "$log" | sed 's/;$//'
    result "FAIL: $counts"
    fail "govulncheck: $called known vulnerabilit$([ "$called" = 1 ] && echo y || echo ies) in code this module calls (above; traces in $log). Upgrade the modules named to their 'Fixed in' versions (the standard library: the Go toolchain in go.mod), then run make vulncheck again."
    ;;
  *)
    if [ -n "${GOVULNDB:-}" ] && grep -qE 'fetching vulnerabilities|no such host|dial tcp|connection refused|i/o timeout' "$log"; then
      not_run "the vulnerability database at $GOVULNDB is unreachable"
    fi
    result "FAIL: govulncheck exited with status $rc"
    fail "govulncheck did not complete (exit status $rc; see above, log: $log)"
    ;;
esac
