package contact_test

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/qomon/terraform-provider-qomon/internal/acctest"
	"github.com/qomon/terraform-provider-qomon/internal/qomonsim"
)

// The bulk refresh (refresh_mode, package sweep) must show exactly the plan the per-contact
// GETs show. Each test runs one scenario twice, with refresh_mode = "get" and "search", each
// against its own simulator: the plans (actions, attribute changes, changes found outside
// Terraform) must be the same, and the request log of the search run must show that it swept
// the space and read with a GET the contacts it had to.
//
// The two runs go through the same CLI commands, each with a provider of its own: the contacts
// of refresh_mode = "get" are qomon_contact.get, whose provider is served as "qomon", and those
// of "search" are qomon_contact.search, whose provider is served under a second name,
// "qomonsearch" (a second provider server, with its own settings and simulator). Terraform
// runs each command's provider servers apart, so neither run sees the other's contacts,
// requests or records; the commands, and their cost, are shared.

// refreshContacts is the number of contacts of a scenario: enough that, once the sweep has
// checked itself against a few GETs (3 samples), some contacts are refreshed without a request.
const refreshContacts = 8

// refreshModes are the two runs of a scenario, by refresh_mode.
var refreshModes = []string{"get", "search"}

// refreshProvider is the provider local name of a run: the provider's own for "get", a second
// one for "search".
func refreshProvider(mode string) string {
	if mode == "get" {
		return "qomon"
	}
	return "qomonsearch"
}

// refreshConfig manages, for each run, contacts 0 to 7 with a name, a mail and an address each,
// and a note on the first; the contacts of renamed (an HCL list of count.index values, or "")
// renamed. The address brings Qomon's geocoding, whose score is a number that the state file
// keeps as a decimal: what the sweep's samples compare must survive that round trip. (count,
// not for_each: the testing library's state checks do not read for_each keys.)
func refreshConfig(renamed string) string {
	surname := `"Person ${count.index}"`
	if renamed != "" {
		surname = `contains(` + renamed + `, count.index) ? "Person ${count.index} (renamed)" : "Person ${count.index}"`
	}
	config := requiredProviders(refreshProvider("get"), refreshProvider("search"))
	for _, mode := range refreshModes {
		config += fmt.Sprintf(`
provider %q {
  refresh_mode = %q
}

resource "qomon_contact" %q {
  provider  = %s
  count     = %d
  firstname = "Ada"
  surname   = %s
  mail      = "person${count.index}@example.org"
  address   = { street = "${count.index} rue des Lilas", postalcode = "75011", city = "Paris" }
  notes     = count.index == 0 ? [{ content = "met at the market" }] : null
}
`, refreshProvider(mode), mode, mode, refreshProvider(mode), refreshContacts, surname)
	}
	return config
}

// planSummary is a plan with what differs between two runs of a scenario left out (ids,
// timestamps): per resource, the action and the attributes it changes with their new values
// (computed ones as "(known after apply)"), and the attributes found changed outside
// Terraform.
func planSummary(p *tfjson.Plan) []string {
	var out []string
	for _, rc := range p.ResourceChanges {
		var actions []string
		for _, a := range rc.Change.Actions {
			actions = append(actions, string(a))
		}
		line := rc.Address + ": " + strings.Join(actions, ",")
		if changed := changedAttributes(rc.Change); len(changed) > 0 {
			line += " " + strings.Join(changed, "; ")
		}
		out = append(out, line)
	}
	for _, rc := range p.ResourceDrift {
		out = append(out, "drift "+rc.Address+": "+strings.Join(driftedAttributes(rc.Change), ", "))
	}
	sort.Strings(out)
	return out
}

// volatile are the attributes whose values differ between two simulators for the same history.
var volatile = map[string]bool{"id": true, "created_at": true, "updated_at": true, "lastchange": true, "user_id": true, "group_id": true}

func changedAttributes(c *tfjson.Change) []string {
	before, _ := c.Before.(map[string]any)
	after, _ := c.After.(map[string]any)
	unknown, _ := c.AfterUnknown.(map[string]any)
	var out []string
	for _, k := range sortedKeys(after) {
		if volatile[k] {
			continue
		}
		switch {
		case unknown[k] == true:
			out = append(out, k+" = (known after apply)")
		case !reflect.DeepEqual(before[k], after[k]):
			b, _ := json.Marshal(stripKeys(after[k], "id")) // the ids Qomon gives notes differ between simulators
			out = append(out, k+" = "+string(b))
		}
	}
	return out
}

func driftedAttributes(c *tfjson.Change) []string {
	before, _ := c.Before.(map[string]any)
	after, _ := c.After.(map[string]any)
	if after == nil {
		return []string{"(deleted)"}
	}
	var out []string
	for _, k := range unionKeys(before, after) {
		if !reflect.DeepEqual(before[k], after[k]) {
			out = append(out, k)
		}
	}
	return out
}

// recordPlan keeps the summary of the plan it checks.
type recordPlan struct{ into *[]string }

func (r recordPlan) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, _ *plancheck.CheckPlanResponse) {
	*r.into = planSummary(req.Plan)
}

// runPlan is the part of a plan summary about one run's contacts, written as qomon_contact.c,
// so that the two runs' parts compare.
func runPlan(summary []string, mode string) []string {
	var out []string
	for _, line := range summary {
		if strings.Contains(line, "qomon_contact."+mode+"[") {
			out = append(out, strings.ReplaceAll(line, "qomon_contact."+mode+"[", "qomon_contact.c["))
		}
	}
	sort.Strings(out)
	return out
}

// refreshRun is one run of a scenario: its simulator, the contact ids by key, the plan it
// recorded, and the requests of that plan.
type refreshRun struct {
	env      *acctest.Env
	ids      map[int]int64 // by count.index
	plan     []string
	requests []qomonsim.Request
}

// scenario is what a refresh test does between the apply that creates the contacts and the plan
// it compares: change Qomon (or the configuration's history) as the scenario needs.
type scenario struct {
	opts qomonsim.Options
	// before runs, for each run, after the contacts are created and before the compared plan.
	before func(t *testing.T, run *refreshRun)
	// rename, if set, is an apply between the creation and the compared plan.
	rename *renameApply
}

// renameApply is an apply that renames the contacts of keys (an HCL list of count.index
// values); prepare runs before it, for each run; the apply must fail with expectError, if set.
type renameApply struct {
	keys        string
	prepare     func(run *refreshRun)
	expectError *regexp.Regexp
}

// samePlanBothWays runs sc under refresh_mode get and search, checks that both plans are want,
// and returns the search run for the caller's checks of its requests.
func samePlanBothWays(t *testing.T, sc scenario, want []string) *refreshRun {
	t.Helper()
	runs := map[string]*refreshRun{}
	factories := map[string]func() (tfprotov6.ProviderServer, error){}
	for _, mode := range refreshModes {
		runs[mode] = &refreshRun{env: acctest.Start(t, sc.opts), ids: map[int]int64{}}
		factories[refreshProvider(mode)] = runs[mode].env.Factories["qomon"]
	}
	get, search := runs["get"], runs["search"]
	each := func(f func(run *refreshRun)) {
		for _, mode := range refreshModes {
			f(runs[mode])
		}
	}
	config := refreshConfig("")
	steps := []resource.TestStep{{
		Config: config,
		Check: func(s *terraform.State) error {
			for mode, run := range runs {
				for i := range refreshContacts {
					id, err := stateID(s, fmt.Sprintf("qomon_contact.%s.%d", mode, i))
					if err != nil {
						return err
					}
					run.ids[i] = id
				}
			}
			return nil
		},
	}}
	if r := sc.rename; r != nil {
		steps = append(steps, resource.TestStep{
			PreConfig: func() {
				if r.prepare != nil {
					each(r.prepare)
				}
			},
			Config:      refreshConfig(r.keys),
			ExpectError: r.expectError,
		})
	}
	var plan []string
	steps = append(steps, resource.TestStep{
		PreConfig: func() {
			each(func(run *refreshRun) {
				if sc.before != nil {
					sc.before(t, run)
				}
				run.env.Sim.ResetRequests()
			})
		},
		Config:             config,
		PlanOnly:           true,
		ExpectNonEmptyPlan: true, // some scenarios plan nothing: the summary says which
		ConfigPlanChecks: afterRefresh(
			recordPlan{&plan},
			planHook(func() { each(func(run *refreshRun) { run.requests = run.env.Sim.Requests() }) }),
		),
	})
	get.env.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		Steps:                    steps,
	})
	if t.Failed() {
		return search
	}
	get.plan, search.plan = runPlan(plan, "get"), runPlan(plan, "search")
	if !slices.Equal(get.plan, search.plan) {
		t.Errorf("the plans differ\nget:\n  %s\nsearch:\n  %s", strings.Join(get.plan, "\n  "), strings.Join(search.plan, "\n  "))
	}
	if !slices.Equal(get.plan, want) {
		t.Errorf("plan\n got:\n  %s\nwant:\n  %s", strings.Join(get.plan, "\n  "), strings.Join(want, "\n  "))
	}
	if len(get.plan)+len(search.plan) != len(plan) {
		t.Errorf("the plan holds lines of neither run:\n  %s", strings.Join(plan, "\n  "))
	}
	for _, r := range get.requests {
		if r.Path == "/search" && !isMailLookup(r) {
			t.Errorf("refresh_mode = \"get\" swept the space: %s", r.Body)
		}
	}
	return search
}

// isMailLookup tells a search by e-mail address (the 404 rule's second look) from a sweep.
func isMailLookup(r qomonsim.Request) bool { return strings.Contains(string(r.Body), `"attr":"mail"`) }

// sweepUse counts the plan's sweep pages, and the GETs by contact (count.index).
func (run *refreshRun) sweepUse() (pages int, gets map[int]int) {
	gets = map[int]int{}
	keyOf := map[string]int{}
	for k, id := range run.ids {
		keyOf["/contacts/"+strconv.FormatInt(id, 10)] = k
	}
	for _, r := range run.requests {
		switch {
		case r.Method == "POST" && r.Path == "/search" && !isMailLookup(r):
			pages++
		case r.Method == "GET":
			gets[keyOf[r.Path]]++
		}
	}
	return pages, gets
}

// expectSweep checks the search run's plan: one sweep page, a GET for each contact in mustGet,
// and no more GETs than those and the sweep's samples; at least one contact was refreshed
// without a request.
func (run *refreshRun) expectSweep(t *testing.T, mustGet ...int) {
	t.Helper()
	pages, gets := run.sweepUse()
	if pages != 1 {
		t.Errorf("the search run swept %d pages, want 1 (%s)", pages, requestsLine(run.requests))
	}
	for _, k := range mustGet {
		if gets[k] == 0 {
			t.Errorf("contact %d was not read with a GET (%v)", k, gets)
		}
	}
	total := 0
	for _, n := range gets {
		total += n
	}
	if total > len(mustGet)+3 || total >= refreshContacts {
		t.Errorf("%d GETs for %d contacts (%v): the sweep spared none, or more than its 3 samples", total, refreshContacts, gets)
	}
}

// Modified in Qomon: a managed field and an unmanaged one edited in the app, notes edited in
// the app. The plan reverts the managed field and the notes, and shows what changed outside
// Terraform, as the GETs do.
func TestAccContact_bulkRefreshModified(t *testing.T) {
	t.Parallel()
	sc := scenario{before: func(t *testing.T, run *refreshRun) {
		must(t, run.env.Sim.EditContact(run.ids[1], func(c map[string]any) { c["surname"] = "Edited in the app" }))
		must(t, run.env.Sim.EditContact(run.ids[2], func(c map[string]any) { c["phone"] = "+33 1 23 45 67 89" }))
		must(t, run.env.Sim.EditContact(run.ids[0], func(c map[string]any) {
			c["notes"] = []any{map[string]any{"content": "met at the market, twice"}}
		}))
	}}
	search := samePlanBothWays(t, sc, expectPlan([]string{
		"drift qomon_contact.c[0]: lastchange, notes, updated_at, user_id",
		"drift qomon_contact.c[1]: lastchange, surname, updated_at, user_id",
		"drift qomon_contact.c[2]: lastchange, phone, updated_at, user_id",
	}, map[int]string{
		0: "update notes = [{\"content\":\"met at the market\",\"pinned\":false}]",
		1: "update surname = \"Person 1\"",
	}))
	search.expectSweep(t, 0, 1, 2)
}

// Deleted in Qomon: missing from the sweep, the contact is read with a GET, and the 404 rule
// (a search by its e-mail address) confirms it is gone: the plan creates it again.
func TestAccContact_bulkRefreshDeleted(t *testing.T) {
	t.Parallel()
	sc := scenario{before: func(t *testing.T, run *refreshRun) {
		if !run.env.Sim.DeleteContact(run.ids[3]) {
			t.Fatal("contact 3 was not stored")
		}
	}}
	search := samePlanBothWays(t, sc, expectPlan([]string{
		"drift qomon_contact.c[3]: (deleted)",
	}, map[int]string{
		3: "create address = {\"addition\":null,\"building\":null,\"city\":\"Paris\",\"country\":null,\"county\":null," +
			"\"door\":null,\"floor\":null,\"housenumber\":null,\"infos\":null,\"pollingstation\":null,\"postalcode\":\"75011\",\"state\":null," +
			"\"street\":\"3 rue des Lilas\"}; firstname = \"Ada\"; mail = \"person3@example.org\"; surname = \"Person 3\"",
	}))
	search.expectSweep(t, 3)
}

// Index lag, and contacts written by this pipeline: an apply updates two contacts, and the plan
// that follows runs while Qomon's search index still holds their old versions (older than the
// state): they are read with a GET, and the plan is empty, as with GETs. Without that rule the
// plan would miss nothing here (only UpdatedAt is taken from the sweep), but a sweep that took
// the index's copy as current would propose to revert the apply.
func TestAccContact_bulkRefreshLagging(t *testing.T) {
	t.Parallel()
	sc := scenario{rename: &renameApply{
		keys: "[4, 5]",
		// Every contact stored now is indexed; what changes after it stays out of the index for
		// an hour. The plan the testing library makes after the apply, with a refresh, is the
		// plan that runs while the index lags: it must be empty.
		prepare: func(run *refreshRun) { run.env.Sim.Configure(func(o *qomonsim.Options) { o.SearchLag = time.Hour }) },
	}}
	// The compared plan goes back to the first configuration: it reverts the two renames.
	search := samePlanBothWays(t, sc, expectPlan(nil, map[int]string{
		4: "update surname = \"Person 4\"",
		5: "update surname = \"Person 5\"",
	}))
	search.expectSweep(t, 4, 5)
}

// Search hits that differ from GET. Hits without notes and form answers: the sweep uses only
// UpdatedAt, so it still spares GETs, and a contact whose notes were edited in the app is read
// because its UpdatedAt moved. Hits without UpdatedAt: the sweep cannot be used, every contact
// is read with a GET (the warning, once per run, is checked in internal/e2e), and the plan is
// the same.
func TestAccContact_bulkRefreshUnfaithfulHits(t *testing.T) {
	t.Parallel()
	editNotes := func(t *testing.T, run *refreshRun) {
		must(t, run.env.Sim.EditContact(run.ids[0], func(c map[string]any) {
			c["notes"] = []any{map[string]any{"content": "met at the market, twice"}}
		}))
	}
	want := expectPlan([]string{
		"drift qomon_contact.c[0]: lastchange, notes, updated_at, user_id",
	}, map[int]string{
		0: "update notes = [{\"content\":\"met at the market\",\"pinned\":false}]",
	})
	t.Run("without notes", func(t *testing.T) {
		t.Parallel()
		sc := scenario{opts: qomonsim.Options{SearchOmits: []string{"notes", "formdatas", "custom_fields"}}, before: editNotes}
		samePlanBothWays(t, sc, want).expectSweep(t, 0)
	})
	t.Run("without UpdatedAt", func(t *testing.T) {
		t.Parallel()
		sc := scenario{opts: qomonsim.Options{SearchOmits: []string{"UpdatedAt"}}, before: editNotes}
		search := samePlanBothWays(t, sc, want)
		pages, gets := search.sweepUse()
		if pages != 1 || len(gets) != refreshContacts {
			t.Errorf("%d sweep pages, GETs %v: want the sweep, then a GET for every contact", pages, gets)
		}
	})
}

// Contacts written by this run. Terraform runs each command in its own provider process, so
// what a write leaves for the next command is its state and the record of what that state
// mirrors (refresh.go); the sweep of the same process never serves a contact it wrote (package
// sweep's tests). The apply renames contacts; the plan that follows goes back to the first
// configuration and must revert the renames, as with GETs.
//   - Answered: each write's answer became the state, marked as mirroring it, so the sweep,
//     indexed after the write, can spare the GETs.
//   - Answer lost: Qomon stored the rename of contact 4 but its answer never came; the apply
//     fails and puts what a GET then showed into state, unmarked: the plan reads it again.
func TestAccContact_bulkRefreshWrittenThisRun(t *testing.T) {
	t.Parallel()
	t.Run("answered", func(t *testing.T) {
		t.Parallel()
		sc := scenario{rename: &renameApply{keys: "[4, 5]"}}
		search := samePlanBothWays(t, sc, expectPlan(nil, map[int]string{
			4: "update surname = \"Person 4\"",
			5: "update surname = \"Person 5\"",
		}))
		search.expectSweep(t)
	})
	t.Run("answer lost", func(t *testing.T) {
		t.Parallel()
		sc := scenario{
			rename: &renameApply{
				keys: "[4]",
				prepare: func(run *refreshRun) {
					run.env.Sim.InjectFault(qomonsim.Fault{Method: "PATCH", Path: "/contacts/" + strconv.FormatInt(run.ids[4], 10),
						Kind: qomonsim.FaultDropResponse})
				},
				expectError: regexp.MustCompile(`Cannot update the contact`),
			},
			before: func(t *testing.T, run *refreshRun) {
				run.env.Sim.ClearFaults()
				c, ok := run.env.Sim.Contact(run.ids[4])
				if !ok || c["surname"] != "Person 4 (renamed)" {
					t.Errorf("Qomon does not hold the lost write: %v", c["surname"])
				}
			},
		}
		search := samePlanBothWays(t, sc, expectPlan(nil, map[int]string{
			4: "update surname = \"Person 4\"",
		}))
		search.expectSweep(t, 4)
	})
}

// expectPlan is the summary of a plan of the scenario's contacts: the drift lines, then each
// contact's line, "no-op" unless changes has another by count.index.
func expectPlan(drift []string, changes map[int]string) []string {
	out := slices.Clone(drift)
	for i := range refreshContacts {
		change, ok := changes[i]
		if !ok {
			change = "no-op"
		}
		out = append(out, fmt.Sprintf("qomon_contact.c[%d]: %s", i, change))
	}
	return out
}
