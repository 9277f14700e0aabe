# Every contact tagged volunteer, with its attributes (include_resource), so that
# `terraform query -generate-config-out` writes a resource block for each.

list "qomon_contact" "volunteers" {
  provider         = qomon
  include_resource = true
  limit            = 5000

  config {
    tag = "volunteer"
  }
}
