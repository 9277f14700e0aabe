package contact_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/qomon/terraform-provider-qomon/internal/acctest"
	"github.com/qomon/terraform-provider-qomon/internal/qomonsim"
)

// The acceptance tests run in parallel, each against its own simulator (acctest.Parallel):
// acctest.Main prepares the environment once for all of them.
func TestMain(m *testing.M) { os.Exit(acctest.Main(m)) }

// What the acceptance tests share: reading the simulator's store and request log, and hooks
// that run between a step's plan and its apply.

// theContact is the address of the contact most tests manage (contactHCL writes it).
const theContact = "qomon_contact.c"

// attr is the path of an attribute of a contact, written as in an HCL reference:
// "address.geocoding.latitude", "notes.0.id".
func attr(p string) tfjsonpath.Path {
	parts := strings.Split(p, ".")
	path := tfjsonpath.New(parts[0])
	for _, part := range parts[1:] {
		if i, err := strconv.Atoi(part); err == nil {
			path = path.AtSliceIndex(i)
		} else {
			path = path.AtMapKey(part)
		}
	}
	return path
}

// plans checks the value the plan gives an attribute of qomon_contact.c.
func plans(p string, want knownvalue.Check) plancheck.PlanCheck {
	return plancheck.ExpectKnownValue(theContact, attr(p), want)
}

// expectState checks the value of an attribute of the resource or data source at address in
// state after the step.
func expectState(address, p string, want knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(address, attr(p), want)
}

// holds is expectState for qomon_contact.c.
func holds(p string, want knownvalue.Check) statecheck.StateCheck {
	return expectState(theContact, p, want)
}

// requiredProviders is the terraform block of a configuration whose resources use the provider
// under several local names (`provider = <name>`), each served by the factory of that name:
// "qomon", and names such as "qomonsearch" for a second provider server, with settings and a
// simulator of its own, in the same CLI commands.
func requiredProviders(names ...string) string {
	out := "terraform {\n  required_providers {\n"
	for _, name := range names {
		out += fmt.Sprintf("    %s = { source = %q }\n", name, strings.TrimSuffix(acctest.ProviderSource(), "qomon")+name)
	}
	return out + "  }\n}\n"
}

// refreshed is a plan check of the value of an attribute of qomon_contact.c in the state the
// plan refreshed (its prior state): what an apply of the plan would keep in state.
func refreshed(p string, want knownvalue.Check) plancheck.PlanCheck {
	return refreshedState{p, want}
}

type refreshedState struct {
	path string
	want knownvalue.Check
}

func (c refreshedState) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	if req.Plan.PriorState == nil || req.Plan.PriorState.Values == nil || req.Plan.PriorState.Values.RootModule == nil {
		resp.Error = fmt.Errorf("the plan has no prior state")
		return
	}
	for _, r := range req.Plan.PriorState.Values.RootModule.Resources {
		if r.Address != theContact {
			continue
		}
		v, err := tfjsonpath.Traverse(r.AttributeValues, attr(c.path))
		if err == nil {
			err = c.want.CheckValue(v)
		}
		if err != nil {
			resp.Error = fmt.Errorf("%s.%s in the refreshed state: %w", theContact, c.path, err)
		}
		return
	}
	resp.Error = fmt.Errorf("%s is not in the refreshed state", theContact)
}

// What a step's plan must do with qomon_contact.c, or with everything.
var (
	plansUpdate = plancheck.ExpectResourceAction(theContact, plancheck.ResourceActionUpdate)
	plansCreate = plancheck.ExpectResourceAction(theContact, plancheck.ResourceActionCreate)
	emptyPlan   = plancheck.ExpectEmptyPlan()
)

// beforeApply runs checks on a step's plan, before its apply.
func beforeApply(checks ...plancheck.PlanCheck) resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{PreApply: checks}
}

// afterRefresh runs checks on the plan of a plan-only step, made after a refresh.
func afterRefresh(checks ...plancheck.PlanCheck) resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{PostApplyPostRefresh: checks}
}

// qomonCheck is a step's check of what Qomon holds or was asked (it reads no state).
func qomonCheck(check func() error) resource.TestCheckFunc {
	return func(*terraform.State) error { return check() }
}

// noteID is a step's check that records the id of the one contact Qomon holds.
func noteID(t *testing.T, env *acctest.Env, id *int64) resource.TestCheckFunc {
	return func(*terraform.State) error {
		*id, _ = onlyContact(t, env.Sim)
		return nil
	}
}

// onlyContactInState is a step's check that Qomon holds one contact and qomon_contact.c in
// state is that contact; then check runs with its id and stored form.
func onlyContactInState(t *testing.T, env *acctest.Env, check func(id int64, stored map[string]any) error) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		id, stored := onlyContact(t, env.Sim)
		if got, err := stateID(s, theContact); err != nil || got != id {
			return fmt.Errorf("state id %d (%v), want the stored contact %d", got, err, id)
		}
		return check(id, stored)
	}
}

// createStep applies config, which creates the test's one contact, and records its id.
func createStep(t *testing.T, env *acctest.Env, config string, id *int64) resource.TestStep {
	return resource.TestStep{Config: config, Check: noteID(t, env, id)}
}

// editInQomon edits contact *id in the simulator, as a person in the Qomon app would: a
// PreConfig or a planHook.
func editInQomon(t *testing.T, env *acctest.Env, id *int64, edit func(c map[string]any)) func() {
	return func() { must(t, env.Sim.EditContact(*id, edit)) }
}

// planHook runs fn as a pre-apply plan check: after Terraform made the plan, before it applies
// it. Tests use it to reset the request log (so that a check sees the apply's requests only),
// to snapshot the store, or to edit a contact as a person would between plan and apply.
type planHook func()

func (h planHook) CheckPlan(context.Context, plancheck.CheckPlanRequest, *plancheck.CheckPlanResponse) {
	h()
}

// onlyContact returns the id and stored form of the one contact the simulator holds.
func onlyContact(t *testing.T, sim *qomonsim.Server) (int64, map[string]any) {
	t.Helper()
	all := sim.Contacts()
	if len(all) != 1 {
		t.Fatalf("the simulator holds %d contacts, want 1", len(all))
	}
	id, _ := all[0]["id"].(float64)
	return int64(id), all[0]
}

// requestsLine summarises a request log as "POST /contacts, GET /contacts/1", for messages.
func requestsLine(reqs []qomonsim.Request) string {
	parts := make([]string, 0, len(reqs))
	for _, r := range reqs {
		parts = append(parts, r.Method+" "+r.Path)
	}
	return strings.Join(parts, ", ")
}

// countRequests counts the requests of the log with this method and path.
func countRequests(sim *qomonsim.Server, method, path string) int {
	n := 0
	for _, r := range sim.Requests() {
		if r.Method == method && r.Path == path {
			n++
		}
	}
	return n
}

// searchBody is what a POST /search asked for.
type searchBody struct {
	Page    int             `json:"page"`
	PerPage int             `json:"per_page"`
	Query   json.RawMessage `json:"query"`
}

// searchBodies decodes the searches of the simulator's log, in order.
func searchBodies(sim *qomonsim.Server) ([]searchBody, error) {
	var out []searchBody
	for _, r := range sim.Requests() {
		if r.Method != "POST" || r.Path != "/search" {
			continue
		}
		var body struct {
			Data struct {
				Search searchBody `json:"advanced_search"`
			} `json:"data"`
		}
		if err := json.Unmarshal(r.Body, &body); err != nil {
			return nil, fmt.Errorf("search body: %v", err)
		}
		out = append(out, body.Data.Search)
	}
	return out, nil
}

// configurationCheck is the request every provider process sends once, when it is configured
// (POST /kpi): not a request about a contact, so the checks below leave it out.
func configurationCheck(r qomonsim.Request) bool { return r.Method == "POST" && r.Path == "/kpi" }

// formsListing is one of the requests a provider process sends once, the first time a
// configuration with form answers is planned (the forms catalogue, one GET per family):
// not about a contact either. TestAccContact_formsCatalogueCost counts them.
func formsListing(r qomonsim.Request) bool {
	return r.Method == "GET" && strings.HasPrefix(r.Path, "/v1/forms/type/")
}

// expectRequests checks that the log holds exactly these requests about contacts, in order
// ("GET /contacts/{id}" with {id} standing for the contact's id).
func expectRequests(sim *qomonsim.Server, id func() int64, want ...string) error {
	got := sim.Requests()
	var lines []string
	for _, r := range got {
		if !configurationCheck(r) && !formsListing(r) {
			lines = append(lines, r.Method+" "+r.Path)
		}
	}
	var wantLines []string
	for _, w := range want {
		if strings.Contains(w, "{id}") {
			w = strings.ReplaceAll(w, "{id}", strconv.FormatInt(id(), 10))
		}
		wantLines = append(wantLines, w)
	}
	if !reflect.DeepEqual(lines, wantLines) {
		return fmt.Errorf("requests:\n got: %s\nwant: %s", strings.Join(lines, ", "), strings.Join(wantLines, ", "))
	}
	return nil
}

// expectWrites is expectRequests for the requests that are not GETs.
func expectWrites(sim *qomonsim.Server, id func() int64, want ...string) error {
	var lines, wantLines []string
	for _, r := range sim.Requests() {
		if r.Method != "GET" && !configurationCheck(r) {
			lines = append(lines, r.Method+" "+r.Path)
		}
	}
	for _, w := range want {
		wantLines = append(wantLines, strings.ReplaceAll(w, "{id}", strconv.FormatInt(id(), 10)))
	}
	if !reflect.DeepEqual(lines, wantLines) {
		return fmt.Errorf("writes:\n got: %s\nwant: %s", strings.Join(lines, ", "), strings.Join(wantLines, ", "))
	}
	return nil
}

// lastBody decodes the body of the last request with this method.
func lastBody(sim *qomonsim.Server, method string) (map[string]any, error) {
	reqs := sim.Requests()
	for i := len(reqs) - 1; i >= 0; i-- {
		if reqs[i].Method != method {
			continue
		}
		var env struct {
			Data struct {
				Contact map[string]any `json:"contact"`
			} `json:"data"`
		}
		if err := json.Unmarshal(reqs[i].Body, &env); err != nil {
			return nil, fmt.Errorf("%s body: %w", method, err)
		}
		return env.Data.Contact, nil
	}
	return nil, fmt.Errorf("no %s request in the log (%s)", method, requestsLine(reqs))
}

// sortedKeys lists a map's keys in order.
func sortedKeys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// computedKeys are what Qomon recomputes on every write (they may differ after any update).
var computedKeys = map[string]bool{"UpdatedAt": true, "lastchange": true, "user_id": true, "lastchangeuserid": true}

// geocodingKeys are what Qomon recomputes when an address part changes.
var geocodingKeys = map[string]bool{"id": true, "citycode": true, "latitude": true, "longitude": true, "location": true, "score": true, "invalid": true}

// changedKeys compares two stored forms of a contact and lists what differs, as "surname",
// "address.city", "tags" (collections as wholes, ignoring the ids Qomon renumbers), leaving
// out what Qomon recomputes on every write.
func changedKeys(before, after map[string]any) []string {
	var out []string
	keys := map[string]bool{}
	for k := range before {
		keys[k] = true
	}
	for k := range after {
		keys[k] = true
	}
	for k := range keys {
		if computedKeys[k] {
			continue
		}
		b, a := before[k], after[k]
		if k == "address" {
			bm, _ := b.(map[string]any)
			am, _ := a.(map[string]any)
			for _, part := range unionKeys(bm, am) {
				if geocodingKeys[part] {
					continue
				}
				if !reflect.DeepEqual(bm[part], am[part]) {
					out = append(out, "address."+part)
				}
			}
			continue
		}
		if !reflect.DeepEqual(stripVolatile(b), stripVolatile(a)) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// stripVolatile drops from collection items what Qomon renumbers or re-dates on every write
// (ids, timestamps), so that an untouched collection compares equal.
func stripVolatile(v any) any {
	return stripKeys(v, "id", "created_at", "updated_at", "appearance_count")
}

// stripKeys drops these keys from the items of a collection (a list of objects).
func stripKeys(v any, keys ...string) any {
	list, ok := v.([]any)
	if !ok {
		return v
	}
	out := make([]any, 0, len(list))
	for _, item := range list {
		if m, ok := item.(map[string]any); ok {
			cp := map[string]any{}
			for k, x := range m {
				if !slices.Contains(keys, k) {
					cp[k] = x
				}
			}
			item = cp
		}
		out = append(out, item)
	}
	return out
}

func unionKeys(a, b map[string]any) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range []map[string]any{a, b} {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	sort.Strings(out)
	return out
}

// stateID reads the contact id from Terraform state.
func stateID(s *terraform.State, address string) (int64, error) {
	rs, ok := s.RootModule().Resources[address]
	if !ok {
		return 0, fmt.Errorf("%s is not in state", address)
	}
	return strconv.ParseInt(rs.Primary.Attributes["id"], 10, 64)
}

// sameJSONText compares a decoded body with expected JSON text, whatever the key order.
func sameJSONText(got map[string]any, want string) error {
	var w map[string]any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		return fmt.Errorf("bad expectation %s: %w", want, err)
	}
	if !reflect.DeepEqual(got, w) {
		g, _ := json.Marshal(got)
		return fmt.Errorf("got %s, want %s", g, want)
	}
	return nil
}

func equalStrings(a, b []string) bool {
	if len(a) == 0 && len(b) == 0 {
		return true
	}
	return reflect.DeepEqual(a, b)
}

// copyExample copies the files of an example folder into dir, so that a test can edit them.
func copyExample(t *testing.T, from, dir string) {
	t.Helper()
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			writeFile(t, filepath.Join(dir, e.Name()), readFile(t, filepath.Join(from, e.Name())))
		}
	}
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func writeFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// expectActions checks the planned action of resources by address, for_each instances
// included (plancheck.ExpectResourceAction does not take them): "update", "no-op"...
type expectActions map[string]string

func (e expectActions) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for address, want := range e {
		found := false
		for _, rc := range req.Plan.ResourceChanges {
			if rc.Address != address {
				continue
			}
			found = true
			var got []string
			for _, a := range rc.Change.Actions {
				got = append(got, string(a))
			}
			if strings.Join(got, ",") != want {
				resp.Error = fmt.Errorf("%s: planned %v, want %s", address, got, want)
				return
			}
		}
		if !found {
			resp.Error = fmt.Errorf("%s is not in the plan", address)
			return
		}
	}
}
