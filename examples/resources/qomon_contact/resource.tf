# A contact whose names, e-mail address, birthdate, street, postal code and city, tags, notes,
# form answers and custom fields are managed by Terraform. Every other field (phone numbers, the
# other parts of the address...) is left to the people who use Qomon: Terraform shows it in
# state but never changes it.
resource "qomon_contact" "ada" {
  firstname = "Ada"
  surname   = "Lovelace"
  mail      = "ada.lovelace@example.org"
  birthdate = "1815-12-10"

  address = {
    street     = "12 rue de Rivoli"
    postalcode = "75001"
    city       = "Paris"
  }

  tags = ["volunteer", "newsletter"]

  notes = [
    { content = "Met at the Saturday market." },
    { content = "Prefers to be called in the evening.", pinned = true },
  ]

  # Answers to advanced fields and custom fields, by form and option id
  # (see the qomon_form data source to look them up by label).
  formdatas = [
    { form_id = 11240, form_ref_id = 17871 },
  ]
  custom_fields = [
    { form_id = 11393, form_ref_id = 17901, data = "Countess" },
  ]
}

# Geocoding computed by Qomon can be referenced like any attribute.
output "ada_location" {
  value = qomon_contact.ada.address.geocoding.location
}
