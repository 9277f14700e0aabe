# The configuration `make demo` applies (scripts/demo.sh): four contacts of a small association,
# against a local Qomon simulator. The endpoint and the token come from QOMON_ENDPOINT and
# QOMON_API_TOKEN, which the demo script points at the simulator; the same file works against
# Qomon itself with a real token.

terraform {
  required_providers {
    qomon = {
      source  = "qomon/qomon"
      version = "~> 0.1"
    }
  }
}

provider "qomon" {}

# The answer options of a custom field, by name: no numeric id in the configuration.
data "qomon_form" "job" {
  type  = "custom_fields"
  label = "Job"
}

locals {
  # The association's members, by a name of our choosing. Each sets what is known of the person;
  # what an entry leaves out (Grace's notes, Katherine's address), Terraform does not manage and
  # the provider never clears in Qomon.
  members = {
    ada = {
      firstname = "Ada"
      surname   = "Lovelace"
      gender    = "F"
      birthdate = "1815-12-10"
      mail      = "ada.lovelace@example.org"
      address   = { housenumber = "12", street = "Rue de Rivoli", postalcode = "75004", city = "Paris", country = "France" }
      tags      = ["volunteer", "newsletter"]
      notes     = [{ content = "Met at the spring fair; happy to help with the mailing.", pinned = true }]
      job       = "Engineer"
    }
    grace = {
      firstname = "Grace"
      surname   = "Hopper"
      gender    = "F"
      mail      = "grace.hopper@example.org"
      mobile    = var.grace_mobile
      address   = { housenumber = "3", street = "Quai Saint-Vincent", postalcode = "69001", city = "Lyon", country = "France" }
      tags      = ["volunteer", "door-to-door"]
    }
    alan = {
      firstname = "Alan"
      surname   = "Turing"
      gender    = "M"
      mail      = "alan.turing@example.org"
      address   = { housenumber = "8", street = "Cours Julien", postalcode = "13006", city = "Marseille", country = "France" }
      tags      = ["donor"]
      notes     = [{ content = "Prefers to be contacted by mail." }]
      job       = "Teacher"
    }
    katherine = {
      firstname = "Katherine"
      surname   = "Johnson"
      gender    = "F"
      mail      = "katherine.johnson@example.org"
      tags      = ["newsletter"]
    }
  }
}

resource "qomon_contact" "member" {
  for_each = local.members

  firstname = each.value.firstname
  surname   = each.value.surname
  gender    = each.value.gender
  birthdate = try(each.value.birthdate, null)
  mail      = each.value.mail
  mobile    = try(each.value.mobile, null)
  address   = try(each.value.address, null)
  tags      = each.value.tags
  notes     = try(each.value.notes, null)

  # A member with a job answers the Job field: the form's id, and the id of the option whose
  # value is the job (a job the form does not offer is an error at plan time).
  custom_fields = can(each.value.job) ? [{
    form_id     = data.qomon_form.job.id
    form_ref_id = data.qomon_form.job.options[each.value.job]
    data        = each.value.job
  }] : null
}
