# With a mocked provider: no Qomon, no simulator, no token. Every resource and data source of the
# provider returns made-up values. A bare mock_provider gives qomon_form an empty options map, so
# data.qomon_form.job.options["Nurse"] would fail with "Invalid index": mock_data gives the form
# the options the module looks up.

mock_provider "qomon" {
  mock_data "qomon_form" {
    defaults = {
      id = 11391
      options = {
        Architect = 17894
        Nurse     = 17896
      }
    }
  }

  mock_resource "qomon_contact" {
    defaults = {
      id = 20000001
    }
  }
}

variables {
  members = {
    "florence@example.org" = { firstname = "Florence", surname = "Nightingale", job = "Nurse" }
  }
  tag = "volunteer"
}

run "answers_use_the_form_ids" {
  assert {
    condition     = output.job_option_ids["florence@example.org"] == 17896
    error_message = "The answer should use the Nurse option's id."
  }

  assert {
    condition     = one(qomon_contact.member["florence@example.org"].custom_fields).form_id == 11391
    error_message = "The answer should use the Job form's id."
  }

  assert {
    condition     = qomon_contact.member["florence@example.org"].tags == toset(["volunteer"])
    error_message = "The tag comes from var.tag."
  }
}

run "an_unknown_job_is_an_error" {
  command = plan

  variables {
    members = {
      "florence@example.org" = { firstname = "Florence", surname = "Nightingale", job = "Astronaut" }
    }
  }

  # The Job form has no Astronaut option: the module's precondition fails, as the test expects.
  expect_failures = [qomon_contact.member]
}
