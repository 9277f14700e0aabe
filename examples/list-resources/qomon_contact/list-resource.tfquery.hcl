# The contacts of Lyon or tagged donor, who are not black-listed.
list "qomon_contact" "lyon_or_donors" {
  provider = qomon

  config {
    black_listed = false
    any_of = [
      { city = "Lyon" },
      { tag = "donor" },
    ]
  }
}

# Contacts written in the last seven days, with their attributes, at most 200.
list "qomon_contact" "recent" {
  provider         = qomon
  include_resource = true
  limit            = 200

  config {
    updated_since = "now-7d"
  }
}
