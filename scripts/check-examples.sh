#!/usr/bin/env bash
# Every example under examples/ must be formatted (terraform fmt and tofu fmt) and must validate
# against the provider built from this tree, with no network: the CLI config maps the provider
# to that build through dev_overrides (validate needs no `init` then), and TF_DATA_DIR keeps each
# run's .terraform out of the examples folder.
#
# A folder with .tf files is validated by Terraform 1.5.7 and OpenTofu 1.12.6; a folder holding
# only .tofu files (features Terraform 1.5 lacks, such as import blocks with for_each) by
# OpenTofu only.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$ROOT"
setup_cli_env

[ -d examples ] || fail "examples/ does not exist"
"$ROOT/scripts/tools.sh" terraform tofu

work="$WORK_DIR/examples"
rm -rf "$work"
mkdir -p "$work/bin"

note "building the provider"
go build -o "$work/bin/terraform-provider-qomon" .

# Both addresses: examples for the docs often omit required_providers (the provider example
# carries it), and an unqualified `qomon` resolves to hashicorp/qomon.
cat >"$work/cli.tfrc" <<HCL
provider_installation {
  dev_overrides {
    "qomon/qomon"     = "$work/bin"
    "hashicorp/qomon" = "$work/bin"
  }
  direct {
    exclude = ["registry.terraform.io/*/*", "registry.opentofu.org/*/*"]
  }
}
HCL
export TF_CLI_CONFIG_FILE="$work/cli.tfrc"

note "fmt -check"
"$TERRAFORM_BIN" fmt -check -recursive -diff examples ||
  fail "terraform fmt would change the files above (run: terraform fmt -recursive examples)"
"$TOFU_BIN" fmt -check -recursive -diff examples ||
  fail "tofu fmt would change the files above (run: tofu fmt -recursive examples)"

mapfile -t dirs < <(find examples -type f \( -name '*.tf' -o -name '*.tofu' \) -printf '%h\n' | sort -u)
[ ${#dirs[@]} -gt 0 ] || fail "no .tf file under examples/"

n=0
for dir in "${dirs[@]}"; do
  clis=()
  if compgen -G "$dir/*.tf" >/dev/null; then clis+=("$TERRAFORM_BIN"); fi
  clis+=("$TOFU_BIN")
  names=()
  for cli in "${clis[@]}"; do
    name=$(basename "$cli")
    data="$work/data/$(printf '%s' "$dir" | tr '/' '_')-$name"
    mkdir -p "$data"
    out="$work/$(printf '%s' "$dir" | tr '/' '_')-$name.log"
    # `get` installs local modules only (offline); validate then needs nothing else.
    if ! TF_DATA_DIR=$data "$cli" -chdir="$dir" get >"$out" 2>&1 ||
      ! TF_DATA_DIR=$data "$cli" -chdir="$dir" validate -no-color >>"$out" 2>&1; then
      cat "$out" >&2
      fail "$dir does not validate with $(cli_version "$cli")"
    fi
    names+=("$name")
  done
  say "ok  $dir (${names[*]})"
  n=$((n + 1))
done
ok "examples: $n folder(s) formatted and valid"
