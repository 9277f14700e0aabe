# Volunteers in Lyon or in Villeurbanne who were not black-listed and changed in the last 30 days.
data "qomon_contacts" "volunteers" {
  tag           = "volunteer"
  black_listed  = false
  updated_since = "now-30d"

  any_of = [
    { city = "Lyon" },
    { city = "Villeurbanne" },
  ]

  sort_by        = "surname"
  sort_ascending = true
  max_results    = 500
}

output "volunteer_ids" {
  value = data.qomon_contacts.volunteers.ids
}

output "volunteer_surnames" {
  value = [for c in data.qomon_contacts.volunteers.contacts : c.surname]
}
