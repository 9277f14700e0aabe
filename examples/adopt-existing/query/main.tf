# Adopting every contact tagged volunteer with `terraform query` (Terraform 1.14 or later).
# This folder holds the provider; volunteers.tfquery.hcl holds the query.
#
#   terraform query                                          # lists the volunteers
#   terraform query -generate-config-out=volunteers.tf       # writes their import and resource blocks
#   terraform plan                                           # N to import, 0 to change
#   terraform apply
#   terraform plan                                           # No changes

terraform {
  required_providers {
    qomon = {
      source = "qomon/qomon"
    }
  }
}

provider "qomon" {}
