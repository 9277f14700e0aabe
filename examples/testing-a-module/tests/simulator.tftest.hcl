# Against the Qomon simulator (or a sandbox space): the provider reads QOMON_ENDPOINT and
# QOMON_API_TOKEN from the environment. `tofu test` creates the contacts, checks them, and
# destroys them at the end.

variables {
  members = {
    "ada@example.org"   = { firstname = "Ada", surname = "Lovelace", job = "Engineer" }
    "grace@example.org" = { firstname = "Grace", surname = "Hopper", job = "Teacher" }
  }
}

run "plan_shows_the_team" {
  command = plan

  assert {
    condition     = length(qomon_contact.member) == 2
    error_message = "The plan should hold one contact per member."
  }

  assert {
    condition     = qomon_contact.member["ada@example.org"].tags == toset(["team"])
    error_message = "Every member should carry the team tag."
  }
}

run "apply_creates_the_team" {
  assert {
    condition     = alltrue([for id in values(output.contact_ids) : id > 0])
    error_message = "Qomon should give every member an id."
  }

  # The option ids come from the space's Job form: Engineer and Teacher are two of its options.
  assert {
    condition     = output.job_option_ids["ada@example.org"] == data.qomon_form.job.options["Engineer"]
    error_message = "Ada's job should be the Engineer option."
  }

  assert {
    condition     = one(qomon_contact.member["grace@example.org"].custom_fields).data == "Teacher"
    error_message = "Qomon should hold Grace's job."
  }
}

run "a_member_changes_job" {
  variables {
    members = {
      "ada@example.org"   = { firstname = "Ada", surname = "Lovelace", job = "Architect" }
      "grace@example.org" = { firstname = "Grace", surname = "Hopper", job = "Teacher" }
    }
  }

  assert {
    condition     = output.job_option_ids["ada@example.org"] == data.qomon_form.job.options["Architect"]
    error_message = "Ada's job should now be the Architect option."
  }
}
