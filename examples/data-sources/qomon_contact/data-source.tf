# Look a contact up by its exact e-mail address: a longer address that starts the
# same way (ada.lovelace@example.org.uk) is not a match.
data "qomon_contact" "ada" {
  mail = "ada.lovelace@example.org"
}

# Or by its Qomon id.
data "qomon_contact" "by_id" {
  id = 83854766
}

output "ada_city" {
  value = data.qomon_contact.ada.address.city
}
