# Step 1 of adopting existing contacts: find them, and record what the next steps need.
# `terraform apply` here only reads Qomon; it writes the outputs to the state.

terraform {
  required_providers {
    qomon = {
      source = "qomon/qomon"
    }
  }
}

provider "qomon" {}

data "qomon_contacts" "volunteers" {
  tag         = "volunteer"
  max_results = 5000
}

# Must be false: true means more contacts matched than max_results allowed.
output "volunteers_truncated" {
  value = data.qomon_contacts.volunteers.truncated
}

# Save it with `terraform output -json volunteer_ids > ../for-each/volunteers.json`.
output "volunteer_ids" {
  value = data.qomon_contacts.volunteers.ids
}

# For the -generate-config-out route, without jq:
# `terraform output -raw import_blocks > imports.tf`, then
# `terraform plan -generate-config-out=contacts.tf` in the folder that will hold the contacts.
output "import_blocks" {
  value = join("", [for id in data.qomon_contacts.volunteers.ids : <<-EOT
    import {
      to = qomon_contact.contact_${id}
      id = "${id}"
    }

  EOT
  ])
}
