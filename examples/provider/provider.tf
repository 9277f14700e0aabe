terraform {
  required_providers {
    qomon = {
      source = "qomon/qomon"
    }
  }
}

# The API key is read from the QOMON_API_TOKEN environment variable, which
# keeps it out of the configuration and out of version control.
provider "qomon" {}

resource "qomon_contact" "ada" {
  firstname = "Ada"
  surname   = "Lovelace"
  mail      = "ada.lovelace@example.org"
  tags      = ["volunteer"]
}
