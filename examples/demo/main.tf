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

resource "qomon_contact" "ada" {
  firstname = "Ada"
  surname   = "Lovelace"
  gender    = "F"
  birthdate = "1815-12-10"
  mail      = "ada.lovelace@example.org"

  address = {
    housenumber = "12"
    street      = "Rue de Rivoli"
    postalcode  = "75004"
    city        = "Paris"
    country     = "France"
  }

  tags = ["volunteer", "newsletter"]

  notes = [
    { content = "Met at the spring fair; happy to help with the mailing.", pinned = true },
  ]

  custom_fields = [
    {
      form_id     = data.qomon_form.job.id
      form_ref_id = data.qomon_form.job.options["Engineer"]
      data        = "Engineer"
    },
  ]
}

resource "qomon_contact" "grace" {
  firstname = "Grace"
  surname   = "Hopper"
  gender    = "F"
  mail      = "grace.hopper@example.org"
  mobile    = var.grace_mobile

  address = {
    housenumber = "3"
    street      = "Quai Saint-Vincent"
    postalcode  = "69001"
    city        = "Lyon"
    country     = "France"
  }

  tags = ["volunteer", "door-to-door"]
}

resource "qomon_contact" "alan" {
  firstname = "Alan"
  surname   = "Turing"
  gender    = "M"
  mail      = "alan.turing@example.org"

  address = {
    housenumber = "8"
    street      = "Cours Julien"
    postalcode  = "13006"
    city        = "Marseille"
    country     = "France"
  }

  tags = ["donor"]

  notes = [
    { content = "Prefers to be contacted by mail." },
  ]

  custom_fields = [
    {
      form_id     = data.qomon_form.job.id
      form_ref_id = data.qomon_form.job.options["Teacher"]
      data        = "Teacher"
    },
  ]
}

resource "qomon_contact" "katherine" {
  firstname = "Katherine"
  surname   = "Johnson"
  gender    = "F"
  mail      = "katherine.johnson@example.org"
  tags      = ["newsletter"]
}
