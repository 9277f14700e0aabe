# Import a contact by its Qomon id.
terraform import qomon_contact.ada 83854766

# Or by its e-mail address, which must match exactly one contact.
terraform import qomon_contact.ada mail:ada.lovelace@example.org
