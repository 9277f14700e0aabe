package e2e

import (
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/qomon/terraform-provider-qomon/internal/acctest"
	"github.com/qomon/terraform-provider-qomon/internal/provider"
	"github.com/qomon/terraform-provider-qomon/internal/qomon"
	"github.com/qomon/terraform-provider-qomon/internal/qomonsim"
)

// The bad-input table, through a real CLI: configuration values, import ids and provider
// settings. Each case asserts the diagnostic it must produce (a regexp on the CLI's output,
// which names the attribute), and that nothing reached Qomon's store. The malformed-answer half
// is TestMalformedAnswers (client) and TestAccBadAnswers (through the CLI).

type badInput struct {
	name string
	// provider is the provider block's body; env are provider environment variables.
	provider string
	env      map[string]string
	// resource is the body of `resource "qomon_contact" "x"` (a valid one when empty).
	resource string
	// importID, when set, runs an import of qomon_contact.x with this id instead of an apply.
	importID string
	// seed contacts stored before the step (for imports by mail).
	seed []map[string]any
	want string // regexp the CLI's error output must match
}

const validContact = `
  firstname = "Ada"
  surname   = "Lovelace"
  mail      = "ada@example.test"
`

func badInputs() []badInput {
	return []badInput{
		// Configuration values: refused at plan time, the attribute named.
		{name: "gender not M F O", resource: `gender = "X"`, want: `(?s)gender.*value must be one of`},
		{name: "gender lowercase", resource: `gender = "f"`, want: `(?s)gender.*value must be one of`},
		{name: "mail without domain", resource: `mail = "ada"`, want: `(?s)Invalid e-mail address.*mail`},
		{name: "mail with display name", resource: `mail = "Ada <ada@example.test>"`, want: `(?s)Invalid e-mail address.*mail`},
		{name: "mail with spaces", resource: `mail = "ada lovelace@example.test"`, want: `(?s)Invalid e-mail address.*mail`},
		{name: "mail with a dotless domain", resource: `mail = "jane@localhost"`, want: `(?s)Invalid e-mail address.*mail`},
		{name: "tag with spaces around it", resource: `tags = [" spaced "]`, want: `(?s)Spaces around a value.*tags`},
		{name: "birthdate day first", resource: `birthdate = "10/12/1815"`, want: `(?s)Invalid date.*birthdate`},
		{name: "birthdate impossible", resource: `birthdate = "1815-13-45"`, want: `(?s)Invalid date.*birthdate`},
		{name: "birthdate with spaces", resource: `birthdate = " 1815-12-10"`, want: `(?s)Invalid date.*birthdate`},
		{name: "age_category above 6", resource: `age_category = 7`, want: `(?s)age_category.*between 0 and 6`},
		{name: "age_category negative", resource: `age_category = -1`, want: `(?s)age_category.*between 0 and 6`},
		{name: "age_category not a number", resource: `age_category = "three"`, want: `(?s)age_category.*(number is required|Incorrect attribute value type)`},
		{name: "empty answer data", resource: `custom_fields = [{ form_id = 11393, form_ref_id = 17901, data = "" }]`, want: `(?s)Empty value.*data of an element of custom_fields`},
		{name: "empty tag", resource: `tags = ["ok", ""]`, want: `(?s)Empty value.*tags`},
		{name: "empty note", resource: `notes = [{ content = "" }]`, want: `(?s)Empty value.*notes\[0\].content`},
		{name: "form id zero", resource: `formdatas = [{ form_id = 0, form_ref_id = 17871 }]`, want: `(?s)form_id.*at least 1`},
		{name: "negative form ref id", resource: `custom_fields = [{ form_id = 11391, form_ref_id = -3 }]`, want: `(?s)form_ref_id.*at least 1`},
		{name: "answer date not a date", resource: `formdatas = [{ form_id = 11240, form_ref_id = 17871, date = "yesterday" }]`, want: `(?s)Invalid date.*date`},
		{name: "action id zero", resource: `action_ids = [0]`, want: `(?s)action_ids.*at least 1`},
		{name: "user_contact_id zero", resource: `user_contact_id = 0`, want: `(?s)user_contact_id.*at least 1`},
		{name: "unknown attribute", resource: `shoe_size = 44`, want: `(?s)Unsupported argument.*shoe_size`},
		{name: "computed id set", resource: `id = 42`, want: `(?s)(Invalid Configuration for Read-Only Attribute|read-only).*id`},
		{name: "tags not a set of strings", resource: `tags = [["a"]]`, want: `(?s)tags.*(Incorrect attribute value type|string required)`},
		// A value only Qomon can judge: its 422 names the location, the diagnostic the attribute.
		{name: "unknown form id refused at plan time", resource: validContact + `formdatas = [{ form_id = 999999, form_ref_id = 17871 }]`, want: `(?s)Invalid form answer.*formdatas.*no form of this Qomon space has id 999999`},

		// Import ids.
		{name: "import id not a number", importID: "ada", want: `(?s)Invalid import ID.*contact id.*mail:`},
		{name: "import id negative", importID: "-5", want: `(?s)Invalid import ID`},
		{name: "import id zero", importID: "0", want: `(?s)Invalid import ID`},
		{name: "import id with spaces", importID: " 42", want: `(?s)Invalid import ID`},
		{name: "import by malformed mail", importID: "mail:ada", want: `(?s)Invalid import ID.*not an e-mail address`},
		{name: "import by mail no match", importID: "mail:nobody@example.test", want: `(?s)No contact with this e-mail address.*nothing\s+was\s+imported\s+into\s+this\s+qomon_contact`},
		{name: "import by mail two matches", importID: "mail:twin@example.test",
			seed: []map[string]any{{"surname": "Twin", "mail": "twin@example.test"}, {"surname": "Twin", "mail": "twin@example.test"}},
			want: `(?s)No single contact with this e-mail address.*found 2`},
		{name: "import id that does not exist", importID: "99999999", want: `(?s)(Cannot import non-existent remote object|not found|no longer exists)`},

		// Provider settings.
		{name: "missing token", provider: `endpoint = "$URL"`, want: `(?s)Missing or malformed Qomon API token.*QOMON_API_TOKEN`},
		{name: "empty token", provider: `api_token = ""
endpoint = "$URL"`, want: `(?s)api_token.*(at least 1|Missing or malformed Qomon API token)`},
		{name: "wrong token", provider: `api_token = "not-the-token"
endpoint = "$URL"`, want: `(?s)Qomon refused the API key.*401.*api_token`},
		{name: "malformed endpoint", provider: `api_token = "$TOKEN"
endpoint = "qomon dot app"`, want: `(?s)Invalid Qomon endpoint`},
		{name: "http to a remote host", provider: `api_token = "$TOKEN"
endpoint = "http://incoming.qomon.app"`, want: `(?s)Invalid Qomon endpoint.*(plain http|https)`},
		{name: "endpoint with credentials", provider: `api_token = "$TOKEN"
endpoint = "https://user:pass@incoming.qomon.app"`, want: `(?s)Invalid Qomon endpoint.*credentials`},
		{name: "http to a remote host from the environment", provider: `api_token = "$TOKEN"`,
			env: map[string]string{"QOMON_ENDPOINT": "http://10.1.2.3:8787"}, want: `(?s)Invalid Qomon endpoint.*(plain http|https)`},
		{name: "unknown update_mode", provider: `api_token = "$TOKEN"
endpoint = "$URL"
update_mode = "upsert"`, want: `(?s)update_mode.*value must be one of`},
		{name: "unknown update_mode from the environment", provider: `api_token = "$TOKEN"
endpoint = "$URL"`, env: map[string]string{"QOMON_UPDATE_MODE": "upsert"}, want: `(?s)Invalid update mode.*QOMON_UPDATE_MODE`},
		{name: "max_retries out of range", provider: `api_token = "$TOKEN"
endpoint = "$URL"
max_retries = 100`, want: `(?s)max_retries.*between 0 and 20`},
		{name: "rate limit burst below a create", provider: `api_token = "$TOKEN"
endpoint = "$URL"
rate_limit = { burst = 0 }`, want: `(?s)rate_limit.burst.*at least 5 tokens.*not 0\.`},
	}
}

// TestAccBadInputs runs every bad input through the CLI. A case either fails at plan time
// (validation) or at apply/import time (provider configuration, Qomon's 422, imports); either
// way the simulator must hold no contact afterwards (nothing written), save what the case
// seeded.
func TestAccBadInputs(t *testing.T) {
	for _, tc := range badInputs() {
		t.Run(tc.name, func(t *testing.T) {
			if tc.env != nil {
				for k, v := range tc.env {
					t.Setenv(k, v)
				}
			} else {
				t.Parallel()
			}
			runBadInput(t, tc)
		})
	}
}

func runBadInput(t *testing.T, tc badInput) {
	sim, url := qomonsim.NewTestServer(t, qomonsim.Options{Tokens: []string{acctest.Token}})
	for _, c := range tc.seed {
		if sim.SeedContact(c) == 0 {
			t.Fatalf("seed %v refused", c)
		}
	}
	before := len(sim.Contacts())

	// With a provider block of its own, the case sees exactly its settings; otherwise the
	// provider is pointed at the simulator as acctest does.
	opts := provider.Options{LostCreateSearchDelay: acctest.LostCreateSearchDelay}
	providerHCL := "provider \"qomon\" {}\n"
	if tc.provider != "" {
		body := strings.NewReplacer("$URL", url, "$TOKEN", acctest.Token).Replace(tc.provider)
		providerHCL = "provider \"qomon\" {\n" + body + "\n}\n"
	} else {
		opts.ClientConfig = func(c *qomon.Config) {
			c.Endpoint, c.Token = url, acctest.Token
			fastRetries(c)
		}
	}
	res := tc.resource
	if res == "" {
		res = validContact
	}
	config := providerHCL + "resource \"qomon_contact\" \"x\" {\n" + res + "\n}\n"

	// One CLI run a case: an apply (refused at plan or at apply time) or an import.
	w := newCLIWork(t, url, acctest.Token, config)
	w.serveInProcess(acctest.Factories(opts))
	figures.add(figBadInputs, 1)
	var out cliResult
	if tc.importID != "" {
		out = w.run(nil, "import", "-no-color", "-input=false", "qomon_contact.x", tc.importID)
	} else {
		out = w.run(nil, "apply", "-auto-approve", "-no-color", "-input=false")
	}
	if out.code == 0 || !regexp.MustCompile(tc.want).MatchString(out.stdout+out.stderr) {
		t.Errorf("want a failure matching %s: %s", tc.want, out)
	}
	if after := len(sim.Contacts()); after != before {
		t.Errorf("the simulator holds %d contacts after a refused input, %d before: something was written", after, before)
	}
	for _, r := range sim.Requests() {
		if r.Method == "PATCH" || r.Method == "DELETE" || (r.Method == "POST" && r.Path == "/contacts" && r.Status < 400) {
			t.Errorf("a refused input wrote to Qomon: %s %s -> %d", r.Method, r.Path, r.Status)
		}
	}
}

// TestAccBadAnswers: malformed answers from Qomon (or a proxy in front of it) reach the user
// as a clear error through the CLI, and leave no partial state: after each failed step, with
// Qomon behaving again, the next plan shows what a clean state implies (a create still to do,
// or nothing to do), and one apply converges.
func TestAccBadAnswers(t *testing.T) {
	cases := []struct {
		name string
		rule answerRule
		// existing: the contact is created before the rule is set, so the rule hits a
		// refresh (GET) or an update (PATCH) rather than the create.
		existing bool
		update   bool // the failing step changes firstname (hits GET+PATCH)
		want     string
		// after the failure, with Qomon behaving: the action the next plan proposes.
		next string
	}{
		{name: "html 502 on create", rule: answerRule{method: "POST", path: "/contacts", status: 502, ctype: "text/html", body: []byte(htmlPage(502))},
			want: `(?s)502 Bad Gateway`, next: "create"},
		{name: "a 200 without a contact on create, not processed", rule: answerRule{method: "POST", path: "/contacts", status: 200, body: []byte(`{"status":"success","data":{}}`)},
			want: `(?s)Contact may have been created`, next: "create"},
		{name: "truncated json on refresh", existing: true, rule: answerRule{method: "GET", path: "/contacts/", status: 200, body: []byte(`{"status":"success","data":{"contact":{"id":1,"firstna`)},
			want: `(?s)not valid JSON`, next: "no-op"},
		{name: "empty 200 on refresh", existing: true, rule: answerRule{method: "GET", path: "/contacts/", status: 200}, want: `(?s)empty`, next: "no-op"},
		{name: "ten megabytes on refresh", existing: true, rule: answerRule{method: "GET", path: "/contacts/", status: 200,
			body: []byte(`{"status":"success","data":{"contact":{"id":1,"surname":"` + strings.Repeat("L", 10<<20) + `"}}}`)},
			want: `(?s)MiB`, next: "no-op"},
		{name: "wrong types on update", existing: true, update: true, rule: answerRule{method: "PATCH", path: "/contacts/", forward: true, status: 200,
			body: []byte(`{"status":"success","data":{"contact":{"id":"forty-two","firstname":17}}}`)},
			want: `(?s)cannot be read`, next: "no-op"},
		{name: "html 503 on update", existing: true, update: true, rule: answerRule{method: "PATCH", path: "/contacts/", status: 503, ctype: "text/html", body: []byte(htmlPage(503))},
			want: `(?s)503 Service Unavailable`, next: "update"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			figures.add(figBadInputs, 1)
			sim := qomonsim.New(qomonsim.Options{Tokens: []string{acctest.Token}})
			front := &switchable{next: sim}
			srv := httptest.NewServer(front)
			t.Cleanup(srv.Close)
			opts := provider.Options{ClientConfig: func(c *qomon.Config) {
				c.Endpoint, c.Token = srv.URL, acctest.Token
				c.Retry = qomon.Retry{MaxRetries: 1, MinWait: 10 * time.Millisecond, MaxWait: 20 * time.Millisecond}
			}, LostCreateSearchDelay: acctest.LostCreateSearchDelay}
			config := func(first string) string {
				return "provider \"qomon\" {}\nresource \"qomon_contact\" \"x\" {\n firstname = \"" + first + "\"\n surname = \"Lovelace\"\n mail = \"ada@example.test\"\n}\n"
			}
			w := newCLIWork(t, srv.URL, acctest.Token, config("Ada"))
			w.serveInProcess(acctest.Factories(opts))
			if tc.existing {
				w.apply()
			}
			if tc.update {
				w.write("main.tf", config("Augusta"))
			}
			rule := tc.rule
			front.set(&rule)
			res := w.run(nil, "apply", "-auto-approve", "-no-color", "-input=false")
			if res.code == 0 || !regexp.MustCompile(tc.want).MatchString(res.stdout+res.stderr) {
				t.Errorf("want a failure matching %s: %s", tc.want, res)
			}
			if front.hits() == 0 {
				t.Errorf("the bad answer was never served: the scenario did not happen")
			}
			front.set(nil)

			// With Qomon behaving, the plan proposes what a clean state implies, and one apply
			// converges.
			plan := w.run(nil, "plan", "-detailed-exitcode", "-no-color", "-input=false")
			if got := planned(plan); got != tc.next {
				t.Errorf("the plan after the failure proposes %q, want %q: %s", got, tc.next, plan)
			}
			w.apply()
			if n := len(sim.Contacts()); n != 1 {
				t.Errorf("the simulator holds %d contacts, want 1 (no duplicate, nothing lost)", n)
			}
			if empty, res := w.planIsEmpty(); !empty {
				t.Errorf("the plan after converging is not empty: %s", res)
			}
			if res := w.run(nil, "destroy", "-auto-approve", "-no-color", "-input=false"); res.code != 0 {
				t.Fatalf("destroy: %s", res)
			}
			if n := len(sim.Contacts()); n != 0 {
				t.Errorf("the simulator still holds %d contacts after destroy", n)
			}
		})
	}
}

// planned is what a plan -detailed-exitcode of one contact proposes, read from its output.
func planned(res cliResult) string {
	switch {
	case res.code == 0:
		return "no-op"
	case res.code != 2:
		return "failure"
	case strings.Contains(res.stdout, "will be created"):
		return "create"
	case strings.Contains(res.stdout, "will be updated in-place"):
		return "update"
	}
	return "another change"
}
