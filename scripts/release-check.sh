#!/usr/bin/env bash
# The release, proven on this machine: what `goreleaser release` builds on a v* tag is a package
# that a plain `terraform init` and `tofu init` install, and the installed binary works.
#   1. goreleaser check (.goreleaser.yml is valid);
#   2. a snapshot release for this platform only (linux_amd64 on CI): the full matrix takes ~6
#      minutes on 2 cores and proves nothing more about the package shape; signed with a
#      throwaway GPG key when gpg is available, to exercise the `signs` section too;
#   3. the artifacts the Registry wants: the zip holds terraform-provider-qomon_v<version>,
#      SHA256SUMS covers the zip and the manifest, the signature verifies, the binary is static
#      and trimmed;
#   4. the zip laid out as a filesystem mirror (packed layout) under registry.terraform.io and
#      registry.opentofu.org, a CLI config that installs qomon/qomon from there only;
#   5. `terraform init` and `tofu init`, offline, install it (byte for byte the binary in the
#      zip); `plan` against the standalone simulator, `apply` (the simulator stores the contact
#      and sees the version in the User-Agent), an empty re-plan, `destroy`.
# goreleaser is pinned in tools/goreleaser/go.mod (lib.sh's `tool`).
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$ROOT"
setup_cli_env
scripts/tools.sh terraform tofu

work="$WORK_DIR/release"
dist="$work/dist"
rm -rf "$work"
mkdir -p "$work/bin"
platform=$(go env GOOS)_$(go env GOARCH)
token="release-check-token"

cleanup() {
  sim_stop
  [ -z "${GNUPGHOME:-}" ] || gpgconf --kill gpg-agent >/dev/null 2>&1 || true
}
trap cleanup EXIT

note "goreleaser check"
tool goreleaser check

# goreleaser's build target name for this platform (goreleaser adds the default micro-architecture).
case "$platform" in
  *_amd64) target="${platform}_v1" ;;
  *_arm64) target="${platform}_v8.0" ;;
  *_386) target="${platform}_sse2" ;;
  *_arm) target="${platform}_6" ;;
  *) target=$platform ;;
esac
# The release config with two changes, both for this check only: one build target (goreleaser's
# release has no --single-target), and dist/ under .work/. Everything else (names, flags,
# ldflags, checksums, signing) is the real config.
cfg="$work/goreleaser.yml"
{ echo "dist: $dist"; sed "0,/^  - id: provider\$/s//&\n    targets: [\"$target\"]/" .goreleaser.yml; } >"$cfg"
grep -q "targets: \[\"$target\"\]" "$cfg" || fail "could not restrict .goreleaser.yml to $target (no '  - id: provider' build?)"

skip=publish
if command -v gpg >/dev/null 2>&1; then
  # A throwaway key in a private keyring: proves the signs section signs the checksum file.
  export GNUPGHOME="$work/gnupg"
  mkdir -p "$GNUPGHOME"
  chmod 700 "$GNUPGHOME"
  gpg --batch --quiet --passphrase '' --quick-generate-key "release-check <release-check@invalid>" ed25519 sign 1d 2>/dev/null
  GPG_FINGERPRINT=$(gpg --batch --with-colons --list-secret-keys 2>/dev/null | awk -F: '$1 == "fpr" { print $10; exit }')
  export GPG_FINGERPRINT
else
  note "gpg is not installed: the snapshot is not signed and the signature is not checked"
  skip=publish,sign
fi

note "goreleaser release --snapshot for $target"
if ! tool goreleaser release --config "$cfg" --snapshot --clean --skip="$skip" >"$work/goreleaser.log" 2>&1; then
  cat "$work/goreleaser.log" >&2
  fail "goreleaser release --snapshot failed (log: $work/goreleaser.log)"
fi
grep -E 'building binary|archiving|checksumming|signing|succeeded' "$work/goreleaser.log" || true

version=$(jq -r .version "$dist/metadata.json")
case "$version" in
  *[A-Z]*) fail "snapshot version '$version' has capitals: terraform lowercases prerelease versions" ;;
  "" | null) fail "no version in $dist/metadata.json" ;;
esac
name="terraform-provider-qomon"
zip="$dist/${name}_${version}_${platform}.zip"
sums="$dist/${name}_${version}_SHA256SUMS"
note "checking the artifacts of $version"
zips=("$dist"/*.zip)
{ [ ${#zips[@]} -eq 1 ] && [ -f "$zip" ]; } || fail "expected exactly $zip, found: ${zips[*]}"
contents=$(unzip -Z1 "$zip" | sort | tr '\n' ' ')
[ "$contents" = "LICENSE ${name}_v${version} " ] || fail "unexpected zip contents: $contents"
[ -f "$sums" ] || fail "no $sums"
(cd "$dist" && grep " ${name}_${version}_${platform}.zip\$" "$(basename "$sums")" | sha256sum -c --quiet -) ||
  fail "SHA256SUMS does not match the zip"
manifest_sum=$(sha256sum terraform-registry-manifest.json | cut -d' ' -f1)
grep -qx "$manifest_sum  ${name}_${version}_manifest.json" "$sums" ||
  fail "SHA256SUMS lacks the manifest as ${name}_${version}_manifest.json"
jq -e '.metadata.protocol_versions == ["6.0"]' terraform-registry-manifest.json >/dev/null ||
  fail "terraform-registry-manifest.json must declare protocol_versions [\"6.0\"]"
if [ "$skip" = publish ]; then
  gpg --batch --verify "$sums.sig" "$sums" 2>/dev/null || fail "the signature $sums.sig does not verify"
  say "signature: $(basename "$sums").sig verifies"
fi
unzip_dir="$work/unzipped"
mkdir -p "$unzip_dir"
unzip -q "$zip" -d "$unzip_dir"
binary="$unzip_dir/${name}_v${version}"
buildinfo=$(go version -m "$binary")
grep -q 'CGO_ENABLED=0' <<<"$buildinfo" || fail "the binary was built with cgo"
grep -q -- '-trimpath=true' <<<"$buildinfo" || fail "the binary was built without -trimpath"
# (-trimpath keeps -ldflags out of the build info: the version stamp is checked below, in the
# User-Agent the installed binary sends to the simulator.)
say "zip: $(basename "$zip") holds ${name}_v${version} (static, trimmed); SHA256SUMS covers it and the manifest"

note "filesystem mirror (packed layout) and CLI config"
mirror="$work/mirror"
for addr in "$PROVIDER_ADDR_TF" "$PROVIDER_ADDR_TOFU"; do
  mkdir -p "$mirror/$addr"
  cp "$zip" "$mirror/$addr/"
done
write_mirror_cli_config "$work/cli.tfrc" "$mirror"
(cd "$mirror" && find . -type f | sort | sed 's/^/  /')

note "the standalone simulator"
go build -o "$work/bin/qomonsim" ./cmd/qomonsim
sim_start "$work/bin/qomonsim" "$token" "$work/qomonsim.log"
say "simulator: $SIM_URL"

sim_count() {
  curl -fsS "$SIM_URL/_sim/contacts" | jq length
}

# install_and_use label cli host
install_and_use() {
  local label=$1 cli=$2 host=$3
  local dir="$work/$label" log="$work/$label.log"
  mkdir -p "$dir"
  cat >"$dir/main.tf" <<HCL
terraform {
  required_providers {
    qomon = {
      source  = "qomon/qomon"
      version = "= $version"
    }
  }
}

# endpoint and api_token come from QOMON_ENDPOINT and QOMON_API_TOKEN
provider "qomon" {}

resource "qomon_contact" "smoke" {
  firstname = "Release"
  surname   = "Check"
  mail      = "release-check-$label@example.org"
}
HCL
  note "$(cli_version "$cli"): init from the mirror (offline), plan, apply, destroy"
  local -a run=(env TF_CLI_CONFIG_FILE="$work/cli.tfrc" QOMON_ENDPOINT="$SIM_URL" QOMON_API_TOKEN="$token"
    "$cli" -chdir="$dir")
  "${run[@]}" init -input=false -no-color >"$log" 2>&1 || { cat "$log" >&2; fail "$label init failed"; }
  local installed="$dir/.terraform/providers/$host/qomon/qomon/$version/$platform/${name}_v${version}"
  [ -f "$installed" ] || { cat "$log" >&2; fail "$label init did not install $installed"; }
  cmp -s "$installed" "$binary" || fail "$label installed a binary that differs from the one in the zip"
  "${run[@]}" version -no-color 2>&1 | grep -F "provider $host/qomon/qomon v$version" >/dev/null ||
    fail "$label version does not list provider $host/qomon/qomon v$version"
  say "installed $host/qomon/qomon $version from the mirror: byte for byte the binary in the zip"

  # This CLI's requests only, so the User-Agent check below sees this binary's.
  curl -fsS -X DELETE -o /dev/null "$SIM_URL/_sim/requests"
  local rc=0
  "${run[@]}" plan -input=false -no-color -detailed-exitcode -out=smoke.tfplan >>"$log" 2>&1 || rc=$?
  [ "$rc" -eq 2 ] || { cat "$log" >&2; fail "$label plan: expected exit 2 (changes), got $rc"; }
  grep -q "1 to add, 0 to change, 0 to destroy" "$log" || { cat "$log" >&2; fail "$label plan does not add 1 contact"; }
  "${run[@]}" apply -input=false -no-color smoke.tfplan >>"$log" 2>&1 || { cat "$log" >&2; fail "$label apply failed"; }
  [ "$(sim_count)" = 1 ] || fail "after $label apply the simulator holds $(sim_count) contacts, want 1"
  local agents
  agents=$(curl -fsS "$SIM_URL/_sim/requests" | jq -r '[.[].header["User-Agent"][0]] | unique | .[]')
  grep -qE "^${name}/${version}( |$)" <<<"$agents" ||
    fail "the installed binary did not send User-Agent ${name}/${version} ...; the simulator saw: $agents"
  "${run[@]}" plan -input=false -no-color -detailed-exitcode >>"$log" 2>&1 || { cat "$log" >&2; fail "$label: plan after apply is not empty"; }
  "${run[@]}" destroy -input=false -auto-approve -no-color >>"$log" 2>&1 || { cat "$log" >&2; fail "$label destroy failed"; }
  [ "$(sim_count)" = 0 ] || fail "after $label destroy the simulator holds $(sim_count) contacts, want 0"
  say "plan (1 to add), apply (simulator: 1 contact, User-Agent $(head -n 1 <<<"$agents")), empty re-plan, destroy (simulator: 0)"
}

install_and_use terraform "$TERRAFORM_BIN" registry.terraform.io
install_and_use tofu "$TOFU_BIN" registry.opentofu.org

ok "release: $(basename "$zip") installs offline with $(cli_version "$TERRAFORM_BIN") and $(cli_version "$TOFU_BIN") and works against the simulator"
