output "contact_ids" {
  description = "The Qomon id of each contact."
  value       = { for name, contact in qomon_contact.member : name => contact.id }
}

output "ada_geocoding" {
  description = "What Qomon computed from Ada's address."
  value = {
    citycode  = qomon_contact.member["ada"].address.geocoding.citycode
    latitude  = qomon_contact.member["ada"].address.geocoding.latitude
    longitude = qomon_contact.member["ada"].address.geocoding.longitude
  }
}
