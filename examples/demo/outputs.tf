output "contact_ids" {
  description = "The Qomon id of each contact."
  value = {
    ada       = qomon_contact.ada.id
    grace     = qomon_contact.grace.id
    alan      = qomon_contact.alan.id
    katherine = qomon_contact.katherine.id
  }
}

output "ada_geocoding" {
  description = "What Qomon computed from Ada's address."
  value = {
    citycode  = qomon_contact.ada.address.geocoding.citycode
    latitude  = qomon_contact.ada.address.geocoding.latitude
    longitude = qomon_contact.ada.address.geocoding.longitude
  }
}
