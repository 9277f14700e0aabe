package contact_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/qomon/terraform-provider-qomon/internal/acctest"
	"github.com/qomon/terraform-provider-qomon/internal/qomonsim"
)

// modes runs a test once per update mode, against a simulator with the matching PATCH.
func modes(t *testing.T, test func(t *testing.T, env *acctest.Env, provider string)) {
	t.Parallel()
	for _, mode := range []string{"replace", "merge"} {
		t.Run(mode, func(t *testing.T) {
			patchMode := qomonsim.PatchReplace
			if mode == "merge" {
				patchMode = qomonsim.PatchMerge
			}
			env := acctest.Parallel(t, qomonsim.Options{PatchMode: patchMode})
			test(t, env, env.ProviderConfig(`update_mode = "`+mode+`"`))
		})
	}
}

// Scenario 3: a managed attribute removed from the configuration is cleared in Qomon once
// (the plan shows it going to null); from then on it is unmanaged: a value someone enters in
// Qomon later stays, and the plan is empty.
func TestAccContact_removeManagedAttribute(t *testing.T) {
	modes(t, func(t *testing.T, env *acctest.Env, provider string) {
		var id int64
		var before map[string]any
		env.Test(t, resource.TestCase{
			Steps: []resource.TestStep{
				{
					Config: provider + contactHCL(`firstname = "Ada"`, `surname = "Lovelace"`, `phone = "0102030405"`,
						`address = { street = "rue de Rivoli", city = "Paris" }`, `tags = ["alpha"]`),
				},
				{
					Config: provider + contactHCL(`firstname = "Ada"`, `surname = "Lovelace"`, `address = { city = "Paris" }`),
					ConfigPlanChecks: beforeApply(
						plansUpdate,
						plans("phone", knownvalue.Null()),
						plans("tags", knownvalue.Null()),
						plans("address.street", knownvalue.Null()),
						plans("address.city", knownvalue.StringExact("Paris")),
						snapshot(t, env, &id, &before),
					),
					Check: qomonCheck(func() error {
						after, _ := env.Sim.Contact(id)
						if got, want := changedKeys(before, after), []string{"address.street", "phone", "tags"}; !equalStrings(got, want) {
							return fmt.Errorf("Qomon's store changed in %v, want %v", got, want)
						}
						if _, ok := after["phone"]; ok {
							return fmt.Errorf("phone still stored: %v", after["phone"])
						}
						if n := len(after["tags"].([]any)); n != 0 {
							return fmt.Errorf("%d tags still stored", n)
						}
						return nil
					}),
				},
				{
					// Someone enters a phone and a tag in Qomon: no longer managed, they stay.
					PreConfig: editInQomon(t, env, &id, func(c map[string]any) {
						c["phone"] = "0999999999"
						c["tags"] = []any{map[string]any{"name": "from-the-app"}}
					}),
					Config: provider + contactHCL(`firstname = "Ada"`, `surname = "Lovelace"`, `address = { city = "Paris" }`),
					ConfigPlanChecks: beforeApply(
						emptyPlan,
						planHook(env.Sim.ResetRequests),
					),
					ConfigStateChecks: []statecheck.StateCheck{
						holds("phone", knownvalue.StringExact("0999999999")),
						holds("tags", knownvalue.SetExact([]knownvalue.Check{
							knownvalue.StringExact("from-the-app"),
						})),
					},
					Check: qomonCheck(func() error {
						// An empty plan writes nothing.
						return expectRequests(env.Sim, func() int64 { return id })
					}),
				},
			},
		})
	})
}

// Scenario 4: fields set in Qomon (a mobile, a consent answer) on a contact whose configuration
// does not set them survive an update of another field; the plan carries them unchanged and
// state shows them.
func TestAccContact_outOfBandUnmanagedFieldsSurvive(t *testing.T) {
	modes(t, func(t *testing.T, env *acctest.Env, provider string) {
		var id int64
		var before map[string]any
		consent := map[string]any{"form_id": formConsent, "form_ref_id": refConsentEmail, "data": "consent_email"}
		env.Test(t, resource.TestCase{
			Steps: []resource.TestStep{
				createStep(t, env, provider+contactHCL(`firstname = "Ada"`, `surname = "Lovelace"`), &id),
				{
					PreConfig: editInQomon(t, env, &id, func(c map[string]any) {
						c["mobile"] = "0611223344"
						c["formdatas"] = []any{consent}
					}),
					Config: provider + contactHCL(`firstname = "Ada"`, `surname = "King"`),
					ConfigPlanChecks: beforeApply(
						plansUpdate,
						plans("mobile", knownvalue.StringExact("0611223344")),
						plans("formdatas", knownvalue.SetExact([]knownvalue.Check{
							knownvalue.ObjectPartial(map[string]knownvalue.Check{
								"form_id": knownvalue.Int64Exact(formConsent), "data": knownvalue.StringExact("consent_email"),
							}),
						})),
						snapshot(t, env, &id, &before),
					),
					ConfigStateChecks: []statecheck.StateCheck{
						holds("mobile", knownvalue.StringExact("0611223344")),
						holds("formdatas", knownvalue.SetSizeExact(1)),
					},
					Check: qomonCheck(func() error {
						after, _ := env.Sim.Contact(id)
						if got, want := changedKeys(before, after), []string{"surname"}; !equalStrings(got, want) {
							return fmt.Errorf("Qomon's store changed in %v, want %v", got, want)
						}
						if after["mobile"] != "0611223344" || len(after["formdatas"].([]any)) != 1 {
							return fmt.Errorf("out-of-band data lost: mobile %v, formdatas %v", after["mobile"], after["formdatas"])
						}
						return nil
					}),
				},
			},
		})
	})
}

// Scenario 5: an out-of-band edit of a managed field shows in the plan as a correction, which
// the apply makes. Other spellings of the same value (Unicode composed differently) are no
// edit: the plan stays empty.
func TestAccContact_outOfBandEditOfManagedField(t *testing.T) {
	modes(t, func(t *testing.T, env *acctest.Env, provider string) {
		var id int64
		var before map[string]any
		config := provider + contactHCL(`firstname = "Ada"`, `surname = "Hélène"`, `mail = "ada@example.org"`)
		env.Test(t, resource.TestCase{
			Steps: []resource.TestStep{
				createStep(t, env, config, &id),
				{
					PreConfig: editInQomon(t, env, &id, func(c map[string]any) { c["firstname"] = "Ado" }),
					Config:    config,
					ConfigPlanChecks: beforeApply(
						plansUpdate,
						plans("firstname", knownvalue.StringExact("Ada")),
						snapshot(t, env, &id, &before),
					),
					Check: qomonCheck(func() error {
						after, _ := env.Sim.Contact(id)
						if before["firstname"] != "Ado" || after["firstname"] != "Ada" {
							return fmt.Errorf("firstname: %v before the apply, %v after; want Ado then Ada", before["firstname"], after["firstname"])
						}
						if got, want := changedKeys(before, after), []string{"firstname"}; !equalStrings(got, want) {
							return fmt.Errorf("Qomon's store changed in %v, want %v", got, want)
						}
						return nil
					}),
				},
				{
					// The same surname with decomposed accents (e + U+0301) is not a change.
					PreConfig:        editInQomon(t, env, &id, func(c map[string]any) { c["surname"] = "He\u0301le\u0300ne" }),
					Config:           config,
					ConfigPlanChecks: beforeApply(emptyPlan),
				},
			},
		})
	})
}
