package contact_test

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/qomon/terraform-provider-qomon/internal/acctest"
	"github.com/qomon/terraform-provider-qomon/internal/qomonsim"
)

// Call economy: create is one POST, a refresh one GET, a plan without changes writes nothing,
// destroy is one DELETE (after the refresh Terraform does first).
func TestAccContact_callEconomy(t *testing.T) {
	env := acctest.Parallel(t, qomonsim.Options{})
	config := env.ProviderConfig("") + contactHCL(`firstname = "Ada"`, `surname = "Lovelace"`, `tags = ["alpha"]`,
		`address = { city = "Paris" }`, `notes = [{ content = "hello" }]`)
	var id int64
	idf := func() int64 { return id }
	env.Test(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config:           config,
				ConfigPlanChecks: beforeApply(planHook(env.Sim.ResetRequests)),
				Check: qomonCheck(func() error {
					id, _ = onlyContact(t, env.Sim)
					return expectRequests(env.Sim, idf, "POST /contacts")
				}),
			},
			{
				PreConfig:    env.Sim.ResetRequests,
				RefreshState: true,
				Check: qomonCheck(func() error {
					return expectRequests(env.Sim, idf, "GET /contacts/{id}")
				}),
			},
			{
				// Same configuration: the plan (one GET to refresh) is empty and nothing is written,
				// nor by the plans the testing library makes after the apply, with and without a
				// refresh (CheckDestroy sees every request since this step began).
				PreConfig:        env.Sim.ResetRequests,
				Config:           config,
				ConfigPlanChecks: beforeApply(emptyPlan),
				Check: qomonCheck(func() error {
					return expectRequests(env.Sim, idf, "GET /contacts/{id}")
				}),
			},
		},
		CheckDestroy: qomonCheck(func() error {
			// Since the last step began only reads (refreshes), then the one DELETE.
			if err := expectWrites(env.Sim, idf, "DELETE /contacts/{id}"); err != nil {
				return err
			}
			if n := env.Sim.ContactCount(); n != 0 {
				return fmt.Errorf("%d contacts left after destroy", n)
			}
			return nil
		}),
	})
}

// Scenario 6: a contact deleted in Qomon drops out of state with a warning at refresh; the plan
// proposes to create it and the apply does, with one POST.
func TestAccContact_outOfBandDelete(t *testing.T) {
	env := acctest.Parallel(t, qomonsim.Options{})
	config := env.ProviderConfig("") + contactHCL(`firstname = "Ada"`, `surname = "Lovelace"`)
	var oldID int64
	env.Test(t, resource.TestCase{
		Steps: []resource.TestStep{
			createStep(t, env, config, &oldID),
			{
				PreConfig: func() {
					if !env.Sim.DeleteContact(oldID) {
						t.Fatalf("contact %d was not stored", oldID)
					}
				},
				Config: config,
				ConfigPlanChecks: beforeApply(
					plansCreate,
					planHook(env.Sim.ResetRequests),
				),
				Check: onlyContactInState(t, env, func(newID int64, stored map[string]any) error {
					if newID == oldID {
						return fmt.Errorf("the contact kept its old id %d", oldID)
					}
					if stored["surname"] != "Lovelace" {
						return fmt.Errorf("re-created contact: surname %v", stored["surname"])
					}
					return expectRequests(env.Sim, func() int64 { return newID }, "POST /contacts")
				}),
			},
		},
	})
}

// Scenario 7: in replace mode, an edit made in Qomon between plan and apply to a field the plan
// changes stops the apply with an error naming the field, and nothing is written. An edit to a
// field the plan does not change is kept.
func TestAccContact_editBetweenPlanAndApply(t *testing.T) {
	env := acctest.Parallel(t, qomonsim.Options{})
	provider := env.ProviderConfig("")
	var id int64
	env.Test(t, resource.TestCase{
		Steps: []resource.TestStep{
			createStep(t, env, provider+contactHCL(`firstname = "Ada"`, `surname = "Lovelace"`), &id),
			{
				Config: provider + contactHCL(`firstname = "Augusta"`, `surname = "Lovelace"`),
				ConfigPlanChecks: beforeApply(
					planHook(editInQomon(t, env, &id, func(c map[string]any) { c["firstname"] = "Ado" })),
					planHook(env.Sim.ResetRequests),
				),
				ExpectError: regexp.MustCompile(`(?s)Contact changed in Qomon.*firstname`),
			},
			{
				// Nothing was written: Qomon still holds the edit, and only the fresh read happened.
				PreConfig: func() {
					if err := expectRequests(env.Sim, func() int64 { return id }, "GET /contacts/{id}"); err != nil {
						t.Error(err)
					}
					if stored, _ := env.Sim.Contact(id); stored["firstname"] != "Ado" {
						t.Errorf("firstname in Qomon = %v, want the person's edit Ado", stored["firstname"])
					}
				},
				// A new plan sees the edit and corrects it.
				Config: provider + contactHCL(`firstname = "Augusta"`, `surname = "Lovelace"`),
				ConfigStateChecks: []statecheck.StateCheck{
					holds("firstname", knownvalue.StringExact("Augusta")),
				},
			},
			{
				// An edit of a field the plan leaves alone goes through and survives the apply.
				Config: provider + contactHCL(`firstname = "Augusta"`, `surname = "King"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{planHook(editInQomon(t, env, &id, func(c map[string]any) { c["mobile"] = "0655443322" }))},
					// The next refresh (the testing library's plan after the apply) shows the
					// mobile; not managed, so that plan is empty (which the library checks).
					PostApplyPostRefresh: []plancheck.PlanCheck{refreshed("mobile", knownvalue.StringExact("0655443322"))},
				},
				Check: qomonCheck(func() error {
					stored, _ := env.Sim.Contact(id)
					if stored["mobile"] != "0655443322" || stored["surname"] != "King" {
						return fmt.Errorf("after the apply Qomon holds mobile %v, surname %v; want the edit and King", stored["mobile"], stored["surname"])
					}
					return nil
				}),
			},
		},
	})
}

// A create whose answer is lost (Qomon stored the contact, the connection dropped before the
// answer): the contact is found by its e-mail address and adopted, not created twice. When the
// searches find nothing, it is sent again. Without an e-mail address the apply stops and
// explains how to import.
func TestAccContact_createAnswerLost(t *testing.T) {
	t.Parallel()
	ada := contactHCL(`firstname = "Ada"`, `surname = "Lovelace"`, `mail = "ada@example.org"`)
	drop := qomonsim.Fault{Kind: qomonsim.FaultDropResponse, Times: 1}
	cases := []struct {
		name     string
		opts     qomonsim.Options
		provider string // the provider block's arguments
		config   string
		fault    qomonsim.Fault // on POST /contacts, from the apply on
		err      string         // what the apply fails with, if it must
		// check runs after the apply, with the id of the contact Qomon and state hold; when
		// the apply fails, after the destroy, with id 0.
		check func(env *acctest.Env, id int64) error
	}{{
		name:   "adopted by e-mail",
		config: contactHCL(`firstname = "Ada"`, `surname = "Lovelace"`, `mail = "Ada@Example.org"`),
		fault:  drop,
		check: func(env *acctest.Env, id int64) error {
			return expectRequests(env.Sim, func() int64 { return id }, "POST /contacts", "POST /search", "GET /contacts/{id}")
		},
	}, {
		// A gateway answered 503 and Qomon never saw the request: four searches spread over the
		// index lag find nothing, so the contact is sent again, once, and the apply succeeds.
		name:   "not stored, sent again",
		config: ada,
		fault:  qomonsim.Fault{Kind: qomonsim.FaultStatus, Status: 503, Times: 1},
		check: func(env *acctest.Env, id int64) error {
			return expectRequests(env.Sim, func() int64 { return id },
				"POST /contacts", "POST /search", "POST /search", "POST /search", "POST /search", "POST /contacts")
		},
	}, {
		// Qomon stored the contact but its search index shows it only later: the searches go
		// on until it appears, and it is adopted rather than sent again.
		name:   "stored, found once the index caught up",
		opts:   qomonsim.Options{SearchLag: 200 * time.Millisecond},
		config: ada,
		fault:  drop,
		check: func(env *acctest.Env, _ int64) error {
			// Searches run 0, 50, 150 and 300 ms after the lost answer; how many it took
			// depends on the machine's speed, but never one, and the create is not repeated.
			creates, searches := countRequests(env.Sim, "POST", "/contacts"), countRequests(env.Sim, "POST", "/search")
			if creates != 1 || searches < 2 {
				return fmt.Errorf("%d creates and %d searches; want 1 create and at least 2 searches", creates, searches)
			}
			return nil
		},
	}, {
		// Every send is refused: after the first and max_retries more, each followed by
		// searches that find nothing, the apply stops with instructions and nothing is stored.
		name:     "never answered",
		provider: "max_retries = 2",
		config:   ada,
		fault:    qomonsim.Fault{Kind: qomonsim.FaultStatus, Status: 503},
		err:      `(?s)Contact may have been created.*3\s+create\s+requests.*import`,
		check: func(env *acctest.Env, _ int64) error {
			if posts := countRequests(env.Sim, "POST", "/contacts"); posts != 3 || env.Sim.ContactCount() != 0 {
				return fmt.Errorf("%d creates sent, %d contacts stored; want 3 sent, none stored", posts, env.Sim.ContactCount())
			}
			return nil
		},
	}, {
		name:   "no e-mail to look it up by",
		config: contactHCL(`firstname = "Ada"`, `surname = "Lovelace"`),
		fault:  drop,
		err:    `(?s)Contact may have been created.*import`,
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := acctest.Parallel(t, c.opts)
			step := resource.TestStep{Config: env.ProviderConfig(c.provider) + c.config, ConfigPlanChecks: faultOnCreate(env, c.fault)}
			test := resource.TestCase{}
			if c.err != "" {
				step.ExpectError = regexp.MustCompile(c.err)
				if c.check != nil {
					test.CheckDestroy = qomonCheck(func() error { return c.check(env, 0) })
				}
			} else {
				step.Check = onlyContactInState(t, env, func(id int64, _ map[string]any) error { return c.check(env, id) })
			}
			test.Steps = []resource.TestStep{step}
			env.Test(t, test)
		})
	}
}

// faultOnCreate arms fault on POST /contacts just before the apply, with a fresh request log.
func faultOnCreate(env *acctest.Env, fault qomonsim.Fault) resource.ConfigPlanChecks {
	fault.Method, fault.Path = "POST", "/contacts"
	return beforeApply(planHook(func() {
		env.Sim.ResetRequests()
		env.Sim.InjectFault(fault)
	}))
}

// Scenario 9, apply-time part: Qomon's validation error (422 with errors[].location) becomes a
// diagnostic on the attribute it names.
func TestAccContact_qomonValidationError(t *testing.T) {
	env := acctest.Parallel(t, qomonsim.Options{})
	env.Test(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				// The forms cannot be listed, so the plan cannot refuse the answer (next step):
				// Qomon does.
				PreConfig: func() {
					env.Sim.InjectFault(qomonsim.Fault{Method: "GET", Path: "/v1/forms/", Kind: qomonsim.FaultStatus, Status: 400})
				},
				Config: env.ProviderConfig("") + contactHCL(`surname = "Lovelace"`,
					`custom_fields = [{ form_id = 999999, form_ref_id = 1, data = "x" }]`),
				// Terraform quotes the configuration line of the attribute the diagnostic names.
				ExpectError: regexp.MustCompile(`(?s)Cannot create the contact.*custom_fields = \[.*form\s+999999\s+does\s+not\s+exist`),
			},
			{
				// With the space's forms listed, the plan refuses it, on the attribute.
				PreConfig: env.Sim.ClearFaults,
				Config: env.ProviderConfig("") + contactHCL(`surname = "Lovelace"`,
					`custom_fields = [{ form_id = 999999, form_ref_id = 1, data = "x" }]`),
				ExpectError: regexp.MustCompile(`(?s)Invalid form answer.*custom_fields = \[.*no\s+form\s+of\s+this\s+Qomon\s+space\s+has\s+id\s+999999`),
			},
			{
				Config: env.ProviderConfig("") + contactHCL(`surname = "Lovelace"`,
					`custom_fields = [{ form_id = 11393, form_ref_id = 17901 }]`),
				ExpectError: regexp.MustCompile(`(?s)custom_fields = \[.*data\s+is\s+required`),
			},
		},
	})
}

// A contact deleted in Qomon between plan and apply: the update stops with an error that says
// so, in both modes, and nothing is re-created behind the user's back.
func TestAccContact_deletedBetweenPlanAndApply(t *testing.T) {
	// Both update modes in the same CLI commands, each with its contact and simulator: the apply
	// reports an error for each contact, which the expected error names.
	runs, factories := bothModes(t)
	deleted := func(mode string) string {
		return `Contact deleted in Qomon\s+with qomon_contact\.` + mode + `,.*?plan\s+again`
	}
	runs[0].env.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		Steps: []resource.TestStep{
			{Config: modesConfig(runs, `firstname = "Ada"`, `surname = "Lovelace"`), Check: noteIDs(t, runs)},
			{
				Config: modesConfig(runs, `firstname = "Augusta"`, `surname = "Lovelace"`),
				ConfigPlanChecks: beforeApply(planHook(func() {
					for _, run := range runs {
						run.env.Sim.DeleteContact(run.id)
					}
				})),
				// Terraform reports the two errors in either order.
				ExpectError: regexp.MustCompile(`(?s)` + deleted("replace") + `.*` + deleted("merge") + `|` +
					deleted("merge") + `.*` + deleted("replace")),
			},
		},
		CheckDestroy: eachMode(runs, func(run *modeRun, _ *terraform.State) error {
			if n := run.env.Sim.ContactCount(); n != 0 {
				return fmt.Errorf("%d contacts stored, want none", n)
			}
			return nil
		}),
	})
}
