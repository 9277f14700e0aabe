# A roster kept in a spreadsheet and exported as CSV: one qomon_contact per row, keyed by e-mail
# address. Edit the file, plan, apply.
#
# csvdecode gives an empty string for an empty cell. For a text attribute, "" means the same as
# leaving the attribute out: the provider does not manage it and never clears what Qomon holds
# (someone may have entered Grace's mobile in the Qomon app). Emptying a cell that held a value
# at the last apply clears that value in Qomon once, as removing the attribute would; the plan
# shows it.

terraform {
  required_providers {
    qomon = {
      source = "qomon/qomon"
    }
  }
}

provider "qomon" {}

locals {
  roster = { for row in csvdecode(file("${path.module}/roster.csv")) : lower(row.mail) => row }
}

resource "qomon_contact" "member" {
  for_each = local.roster

  mail      = each.value.mail
  firstname = each.value.firstname
  surname   = each.value.surname
  mobile    = each.value.mobile

  # Each part of the address is managed on its own: an empty cell leaves that part to Qomon, and
  # a row with no address cell at all manages no address.
  address = {
    street     = each.value.street
    postalcode = each.value.postalcode
    city       = each.value.city
  }

  # A collection is managed as a whole, so an empty list would mean "no tags" and remove the
  # tags people add in the app. An empty cell leaves the tags to Qomon instead.
  tags = each.value.tags == "" ? null : split(";", each.value.tags)
}

output "contact_ids" {
  value = { for mail, c in qomon_contact.member : mail => c.id }
}
