package contact_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/qomon/terraform-provider-qomon/internal/acctest"
	"github.com/qomon/terraform-provider-qomon/internal/qomon"
	"github.com/qomon/terraform-provider-qomon/internal/qomonsim"
)

// lookedUp is a contact whose every collection and nested attribute is set, so that comparing
// it with what the data sources read covers the whole shape.
const lookedUp = `
resource "qomon_contact" "grace" {
  firstname       = "Grace"
  surname         = "Hopper"
  married_name    = "Murray"
  gender          = "F"
  birthdate       = "1906-12-09"
  age_category    = 6
  birth_city      = "New York"
  nationality     = "American"
  mail            = "Grace.Hopper@Example.org"
  mobile          = "+15550100"
  black_list      = false
  address = {
    housenumber = "7"
    street      = "Navy Road"
    postalcode  = "02134"
    city        = "Arlington"
    country     = "USA"
  }
  tags  = ["cobol", "navy"]
  notes = [{ content = "Found the first bug", pinned = true }]
  formdatas = [
    { form_id = 11300, form_ref_id = 17880, data = "support" },
  ]
  custom_fields = [
    { form_id = 11391, form_ref_id = 17894, data = "Architect" },
    { form_id = 11393, form_ref_id = 17901, data = "Amazing Grace" },
  ]
  action_ids = [7]
}

data "qomon_contact" "by_id" {
  id = qomon_contact.grace.id
}

data "qomon_contact" "by_mail" {
  mail = qomon_contact.grace.mail
}

data "qomon_contacts" "by_surname" {
  surname = qomon_contact.grace.surname
}
`

// Every attribute a contact has, but mail (the resource keeps the configuration's capitals,
// Qomon holds the address in lower case).
var contactAttributes = []string{
	"id", "group_id", "user_id", "created_at", "updated_at", "lastchange",
	"firstname", "surname", "married_name", "gender", "birthdate", "age_category", "birth_city", "birth_dept",
	"birth_country", "nationality", "phone", "mobile", "phone_invalid", "mobile_invalid", "black_list",
	"user_contact_id", "address", "tags", "notes", "formdatas", "custom_fields", "action_ids",
}

// TestAccContactDataSource_sameAsResource reads a contact the resource created through each
// lookup (id, mail written with capitals, a search) and checks that every attribute reads the
// same as in the resource: the data sources use the resource's schema and conversion.
func TestAccContactDataSource_sameAsResource(t *testing.T) {
	env := acctest.Parallel(t, qomonsim.Options{})
	var checks []statecheck.StateCheck
	for _, a := range contactAttributes {
		p := tfjsonpath.New(a)
		checks = append(checks,
			statecheck.CompareValuePairs("qomon_contact.grace", p, "data.qomon_contact.by_id", p, compare.ValuesSame()),
			statecheck.CompareValuePairs("qomon_contact.grace", p, "data.qomon_contact.by_mail", p, compare.ValuesSame()),
			statecheck.CompareValuePairs("qomon_contact.grace", p, "data.qomon_contacts.by_surname", tfjsonpath.New("contacts").AtSliceIndex(0).AtMapKey(a), compare.ValuesSame()),
		)
	}
	checks = append(checks,
		// The lookup argument comes back as configured; the search shows what Qomon holds.
		expectState("data.qomon_contact.by_mail", "mail", knownvalue.StringExact("Grace.Hopper@Example.org")),
		expectState("data.qomon_contact.by_id", "mail", knownvalue.StringExact("grace.hopper@example.org")),
		expectState("data.qomon_contact.by_id", "address.geocoding.latitude", knownvalue.NotNull()),
		expectState("data.qomon_contact.by_id", "notes.0.content", knownvalue.StringExact("Found the first bug")),
		expectState("data.qomon_contacts.by_surname", "contacts", knownvalue.ListSizeExact(1)),
	)
	env.Test(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config:            env.ProviderConfig("") + lookedUp,
			ConfigStateChecks: checks,
		}},
	})
}

// TestAccContactDataSource_lookups finds seeded contacts by id and by mail, exactly: each
// lookup a data source of one configuration.
func TestAccContactDataSource_lookups(t *testing.T) {
	env := acctest.Parallel(t, qomonsim.Options{})
	p := seedSearchPeople(t, env.Sim)
	config := env.ProviderConfig("")
	for _, l := range [][2]string{
		{"by_id", fmt.Sprintf("id = %d", p.paul)},
		// jane@example.org.uk extends this address: it is not a second match.
		{"jane", `mail = "jane@example.org"`},
		{"paul", `mail = "jane@example.org.uk"`},
		{"capitals", `mail = "Jane@Example.ORG"`},
	} {
		config += "data \"qomon_contact\" \"" + l[0] + "\" {\n" + l[1] + "\n}\n"
	}
	expect := func(name, p string, want knownvalue.Check) statecheck.StateCheck {
		return expectState("data.qomon_contact."+name, p, want)
	}
	is := func(name string, id int64, surname string) []statecheck.StateCheck {
		return []statecheck.StateCheck{expect(name, "id", knownvalue.Int64Exact(id)), expect(name, "surname", knownvalue.StringExact(surname))}
	}
	checks := slices.Concat(is("by_id", p.paul, "Martinez"), is("jane", p.jane, "Martin"), is("paul", p.paul, "Martinez"),
		is("capitals", p.jane, "Martin"), []statecheck.StateCheck{
			expect("by_id", "tags", knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("donor"), knownvalue.StringExact("volunteer")})),
			expect("by_id", "address.city", knownvalue.StringExact("Villeurbanne")),
			expect("by_id", "black_list", knownvalue.Bool(true)),
			// The lookup argument comes back as configured.
			expect("capitals", "mail", knownvalue.StringExact("Jane@Example.ORG")),
		})
	env.Test(t, resource.TestCase{Steps: []resource.TestStep{{Config: config, ConfigStateChecks: checks}}})
}

// TestAccContactDataSource_errors covers every way a qomon_contact lookup fails.
func TestAccContactDataSource_errors(t *testing.T) {
	env := acctest.Parallel(t, qomonsim.Options{}, func(c *qomon.Config) { c.Retry.MaxRetries = 0 })
	p := seedSearchPeople(t, env.Sim)
	twin1 := env.Sim.SeedContact(map[string]any{"firstname": "Twin", "surname": "One", "mail": "twins@example.org"})
	twin2 := env.Sim.SeedContact(map[string]any{"firstname": "Twin", "surname": "Two", "mail": "twins@example.org"})
	lookup := func(args string) string {
		return env.ProviderConfig("") + acctest.Block("data", "qomon_contact", "one", args)
	}
	bad := func(args, want string) resource.TestStep { return acctest.Refused(lookup(args), want) }
	env.Test(t, resource.TestCase{
		Steps: []resource.TestStep{
			bad(``, `(?s)Missing Attribute Configuration.*Exactly one of these attributes must be configured: \[id,mail\]`),
			bad(fmt.Sprintf("id = %d\nmail = \"jane@example.org\"", p.jane), `(?s)Invalid Attribute Combination.*id.*mail`),
			bad(`id = 0`, `(?s)id.*at least 1`),
			bad(`mail = "Jane <jane@example.org>"`, `Invalid e-mail address`),
			bad(`id = 99999999`, `(?s)Qomon contact not found.*No contact with id 99999999`),
			// A prefix of an address finds nothing; the message says what was searched.
			bad(`mail = "jane@example.or"`, `(?s)Qomon contact not found.*exact search on mail`),
			bad(`mail = "twins@example.org"`, fmt.Sprintf(`(?s)Several Qomon contacts have this e-mail address.*found 2 contacts.*%d.*%d`, twin1, twin2)),
			{
				PreConfig: func() {
					env.Sim.InjectFault(qomonsim.Fault{Method: "GET", Path: "/contacts/", Kind: qomonsim.FaultStatus, Status: 503})
				},
				Config:      lookup(fmt.Sprintf("id = %d", p.jane)),
				ExpectError: acctest.Wrapped(fmt.Sprintf(`(?s)Cannot read contact %d.*503`, p.jane)),
			},
			{
				PreConfig: func() {
					env.Sim.ClearFaults()
					env.Sim.InjectFault(qomonsim.Fault{Method: "POST", Path: "/search", Kind: qomonsim.FaultStatus, Status: 503})
				},
				Config:      lookup(`mail = "jane@example.org"`),
				ExpectError: acctest.Wrapped(`(?s)Cannot search Qomon contacts by e-mail address.*503`),
			},
		},
	})
}
