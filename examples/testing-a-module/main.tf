# A small module that manages a team's contacts, with each member's job as a Qomon custom field.
# The files under tests/ test it with `tofu test` (or `terraform test`, Terraform 1.7 or later):
# against the Qomon simulator, and with a mocked provider.

terraform {
  required_providers {
    qomon = {
      source = "qomon/qomon"
    }
  }
}

variable "members" {
  description = "The team, by e-mail address."
  type = map(object({
    firstname = string
    surname   = string
    job       = string
  }))
}

variable "tag" {
  description = "The tag every member carries."
  type        = string
  default     = "team"
}

data "qomon_form" "job" {
  type  = "custom_fields"
  label = "Job"
}

resource "qomon_contact" "member" {
  for_each = var.members

  firstname = each.value.firstname
  surname   = each.value.surname
  mail      = each.key
  tags      = [var.tag]

  lifecycle {
    precondition {
      condition     = contains(keys(data.qomon_form.job.options), each.value.job)
      error_message = "The Job form has no option ${each.value.job}: add it in the Qomon app first."
    }
  }

  custom_fields = [
    {
      form_id     = data.qomon_form.job.id
      form_ref_id = data.qomon_form.job.options[each.value.job]
      data        = each.value.job
    },
  ]
}

output "contact_ids" {
  description = "The Qomon id of each member, by e-mail address."
  value       = { for mail, c in qomon_contact.member : mail => c.id }
}

output "job_option_ids" {
  description = "The id of each member's job option, by e-mail address."
  value       = { for mail, c in qomon_contact.member : mail => one(c.custom_fields).form_ref_id }
}
