#!/usr/bin/env bash
# Every example under examples/ must be formatted (terraform fmt and tofu fmt) and must validate
# against the provider built from this tree, offline: the CLI configuration maps the provider to
# that build with dev_overrides (validate then needs no `init`), and TF_DATA_DIR keeps each
# run's .terraform out of the examples folder. A folder with .tf files is validated by
# Terraform 1.5.7 and OpenTofu 1.12.6; one holding only .tofu files (features Terraform 1.5
# lacks, such as import blocks with for_each) by OpenTofu only.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$ROOT"
setup_cli_env
scripts/tools.sh terraform tofu

work="$WORK_DIR/examples"
rm -rf "$work"
mkdir -p "$work/bin"
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

for cli in "$TERRAFORM_BIN" "$TOFU_BIN"; do
  "$cli" fmt -check -recursive -diff examples || fail "$(basename "$cli") fmt would change the files above (run: terraform fmt -recursive examples)"
done
n=0
while read -r dir; do
  clis=("$TOFU_BIN")
  if compgen -G "$dir/*.tf" >/dev/null; then clis+=("$TERRAFORM_BIN"); fi
  for cli in "${clis[@]}"; do
    name="${dir//\//_}-$(basename "$cli")"
    # `get` installs local modules only (offline); validate then needs nothing else.
    if ! { TF_DATA_DIR="$work/data/$name" "$cli" -chdir="$dir" get && TF_DATA_DIR="$work/data/$name" "$cli" -chdir="$dir" validate -no-color; } >"$work/$name.log" 2>&1; then
      cat "$work/$name.log" >&2
      fail "$dir does not validate with $(cli_version "$cli")"
    fi
  done
  say "ok  $dir (${#clis[@]} CLI(s))"
  n=$((n + 1))
done < <(find examples -type f \( -name '*.tf' -o -name '*.tofu' \) -printf '%h\n' | sort -u)
[ "$n" -gt 0 ] || fail "no .tf file under examples/"
ok "examples: $n folder(s) formatted and valid"
