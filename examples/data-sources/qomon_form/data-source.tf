# A radio custom field: each answer option's id is found by its label (or value).
data "qomon_form" "job" {
  type  = "custom_fields"
  label = "Job"
}

# A free-text custom field has a single entry, whose id every answer uses.
data "qomon_form" "nickname" {
  type  = "custom_fields"
  label = "Nickname"
}

# Any other type answers through formdatas.
data "qomon_form" "newsletter" {
  type  = "consent"
  label = "Newsletter"
}

resource "qomon_contact" "ada" {
  firstname = "Ada"
  surname   = "Lovelace"
  mail      = "ada.lovelace@example.org"

  custom_fields = [
    {
      form_id     = data.qomon_form.job.id
      form_ref_id = data.qomon_form.job.options["Architect"]
      data        = "Architect"
    },
    {
      form_id     = data.qomon_form.nickname.id
      form_ref_id = data.qomon_form.nickname.values[0].id
      data        = "Countess"
    },
  ]

  formdatas = [
    {
      form_id     = data.qomon_form.newsletter.id
      form_ref_id = data.qomon_form.newsletter.options["yes"]
      data        = "yes"
    },
  ]
}
