package conformance

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qomon/terraform-provider-qomon/internal/qomonsim"
)

// testWriter sends progress lines to the test log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// runSim runs the suite against sim (started with opts when sim is nil) and returns the report.
func runSim(t *testing.T, ctx context.Context, sim *qomonsim.Server, url string, cfg Config) *Report {
	t.Helper()
	cfg.Endpoint, cfg.Token, cfg.Version = url, qomonsim.DefaultToken, "test"
	if cfg.Progress == nil {
		cfg.Progress = testWriter{t}
	}
	rep, err := Run(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Log("report:\n" + rep.Markdown())
		}
	})
	return rep
}

// TestSuiteAgainstTheSimulator runs the suite in both PATCH modes and both spellings: every
// check passes, the suite observes the mode and the spelling the simulator was given, the
// tokens it reports are what the simulator's request log charged, within the budget, and no
// contact is left.
func TestSuiteAgainstTheSimulator(t *testing.T) {
	t.Parallel()
	spellings := map[qomonsim.Spelling]map[string]string{
		qomonsim.SpellingNew: {"custom fields": "custom_fields", "action ids": "action_ids", "birth city": "birth_city",
			"birth department": "birth_dept", "birth country": "birth_country", "note text": "data",
			"address postalcode": "string", "address housenumber": "string", "address floor": "string", "tags": "object"},
		qomonsim.SpellingOld: {"custom fields": "customfields", "action ids": "actions_ids", "birth city": "birthcity",
			"birth department": "birthdept", "birth country": "birthcountry", "note text": "content",
			"address postalcode": "number", "address housenumber": "number", "address floor": "number", "tags": "object"},
	}
	for _, mode := range []qomonsim.PatchMode{qomonsim.PatchReplace, qomonsim.PatchMerge} {
		for spelling, want := range spellings {
			t.Run(string(mode)+"/"+string(spelling), func(t *testing.T) {
				t.Parallel()
				sim, url := qomonsim.NewTestServer(t, qomonsim.Options{PatchMode: mode, Spelling: spelling})
				rep := runSim(t, t.Context(), sim, url, Config{})
				for _, res := range rep.Results {
					if res.Verdict != Pass {
						t.Errorf("%s: %s: %s", res.ID, res.Verdict, res.Observed)
					}
				}
				if len(rep.Results) != len(checks) {
					t.Errorf("%d results for %d checks", len(rep.Results), len(checks))
				}
				facts := func(id string) map[string]string { res, _ := rep.Result(id); return res.Facts }
				if got := facts("patch-semantics")["mode"]; got != string(mode) {
					t.Errorf("observed PATCH mode %q, simulator in %s", got, mode)
				}
				for k, v := range want {
					if got := facts("spelling")[k]; got != v {
						t.Errorf("spelling of %s: %q, want %q", k, got, v)
					}
				}
				if got := facts("mail-case")["stored"]; got != "lower-cased" {
					t.Errorf("mail case %q", got)
				}
				if got := facts("choice-answer")["stored"]; got != "value" {
					t.Errorf("choice answer stored as the %s", got)
				}
				wantSent := `"address": {}`
				if mode == qomonsim.PatchMerge {
					wantSent = `"address": {"city":null,"floor":null,"housenumber":null,"postalcode":null,"street":null}`
				}
				if got := facts("empty-address")["sent"]; got != wantSent {
					t.Errorf("empty address sent as %s, want %s", got, wantSent)
				}
				if advice := strings.Join(rep.Advice(), "\n"); !strings.Contains(advice, `update_mode = "`+string(mode)+`"`) {
					t.Errorf("advice does not name update_mode %s:\n%s", mode, advice)
				}
				if logged := sim.Stats().TokensSpent; rep.Spent != logged || rep.Spent > rep.Budget || rep.Budget != Budget() {
					t.Errorf("spent %d tokens by the report, %d by the simulator's log; budget %d", rep.Spent, logged, rep.Budget)
				}
				if rep.Created != 2 || len(rep.Remaining) != 0 || sim.ContactCount() != 0 {
					t.Errorf("created %d, remaining %v, %d contacts left in the simulator", rep.Created, rep.Remaining, sim.ContactCount())
				}
			})
		}
	}
}

// TestSearchLagIsMeasured: with a lagging index the contact shows after a few searches, and
// the lag reported bounds the simulator's.
func TestSearchLagIsMeasured(t *testing.T) {
	t.Parallel()
	sim, url := qomonsim.NewTestServer(t, qomonsim.Options{SearchLag: 300 * time.Millisecond})
	rep := runSim(t, t.Context(), sim, url, Config{MaxSearchLag: 2 * time.Second})
	res, _ := rep.Result("search-lag")
	if res.Verdict != Pass || res.Facts["searches"] == "1" || !strings.Contains(res.Observed, "not yet") {
		t.Errorf("search-lag %s: %s %v", res.Verdict, res.Observed, res.Facts)
	}
	if hit, _ := rep.Result("search-hit"); hit.Verdict != Pass {
		t.Errorf("search-hit %s: %s", hit.Verdict, hit.Observed)
	}
}

// TestEachSwitchFailsItsCheck: each simulator switch set to an undocumented behaviour makes
// the matching check, and only it, fail with an observed-vs-assumed line.
func TestEachSwitchFailsItsCheck(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name  string
		opts  qomonsim.Options
		cfg   Config
		check string
		want  string
		skips []string // checks that cannot run once this one fails
	}{
		{"note_ids renew", qomonsim.Options{NoteIDs: qomonsim.NoteIDsRenew}, Config{}, "note-ids", "Qomon recreated it", nil},
		{"empty_lists refuse", qomonsim.Options{EmptyLists: qomonsim.EmptyListsRefuse}, Config{}, "empty-lists",
			"the PATCH of contact A was refused with 422", nil},
		{"empty_address keep", qomonsim.Options{EmptyAddress: qomonsim.EmptyAddressKeep}, Config{}, "empty-address",
			`after "address": {} the address still has city, floor, housenumber, postalcode, street`, nil},
		{"search_omits notes", qomonsim.Options{SearchOmits: []string{"notes"}}, Config{}, "search-hit", "the hit lacks notes", nil},
		{"search_omits form answers", qomonsim.Options{SearchOmits: []string{"formdatas", "custom_fields"}}, Config{}, "search-hit",
			"the hit lacks custom_fields, formdatas", nil},
		{"search_lag beyond the window", qomonsim.Options{SearchLag: 3 * time.Second}, Config{MaxSearchLag: 400 * time.Millisecond},
			"search-lag", "not found by 8 searches", []string{"search-hit"}},
		{"rate_limit.headers plain", qomonsim.Options{RateLimit: qomonsim.RateLimit{Headers: qomonsim.RateLimitHeadersPlain}}, Config{},
			"rate-limit-headers", "X-Ratelimit-Limit: 100;", []string{"token-costs"}},
		{"rate_limit.headers ietf", qomonsim.Options{RateLimit: qomonsim.RateLimit{Headers: qomonsim.RateLimitHeadersIETF}}, Config{},
			"rate-limit-headers", "(ietf shape)", []string{"token-costs"}},
		{"rate_limit.headers none", qomonsim.Options{RateLimit: qomonsim.RateLimit{Headers: qomonsim.RateLimitHeadersNone}}, Config{},
			"rate-limit-headers", "no rate-limit header", []string{"token-costs"}},
		{"not_found_body jsend", qomonsim.Options{NotFoundBody: qomonsim.NotFoundJSend}, Config{}, "not-found-body",
			"GET jsend-error, PATCH jsend-error, DELETE jsend-error", nil},
		{"not_found_body fail", qomonsim.Options{NotFoundBody: qomonsim.NotFoundFail}, Config{}, "not-found-body", "GET jsend-fail", nil},
		{"not_found_body empty", qomonsim.Options{NotFoundBody: qomonsim.NotFoundEmpty}, Config{}, "not-found-body", "GET empty", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sim, url := qomonsim.NewTestServer(t, tt.opts)
			rep := runSim(t, t.Context(), sim, url, tt.cfg)
			for _, res := range rep.Results {
				switch {
				case res.ID == tt.check:
					if res.Verdict != Fail || !strings.Contains(res.Observed, tt.want) {
						t.Errorf("%s: %s %q, want FAIL with %q", res.ID, res.Verdict, res.Observed, tt.want)
					}
					line := "| `" + res.ID + "` " + res.Title + " | FAIL | " + cell(res.Observed) + " | " + cell(res.Assumed) + " |"
					if !strings.Contains(rep.Markdown(), line) {
						t.Errorf("the report lacks the observed-vs-assumed line %q", line)
					}
				case slices.Contains(tt.skips, res.ID):
					if res.Verdict != Skip {
						t.Errorf("%s: %s, want SKIP", res.ID, res.Verdict)
					}
				case res.Verdict != Pass:
					t.Errorf("%s: %s: %s (only %s should fail)", res.ID, res.Verdict, res.Observed, tt.check)
				}
			}
			if sim.ContactCount() != 0 {
				t.Errorf("%d contacts left", sim.ContactCount())
			}
		})
	}
}

// roundTripper adapts a function.
type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestInterruptedRunCleansUp: a run whose context is cancelled in the middle (Ctrl-C)
// still deletes the contacts it created.
func TestInterruptedRunCleansUp(t *testing.T) {
	t.Parallel()
	sim, url := qomonsim.NewTestServer(t, qomonsim.Options{})
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var patches atomic.Int32
	transport := roundTripper(func(r *http.Request) (*http.Response, error) {
		if r.Method == http.MethodPatch && patches.Add(1) == 2 {
			cancel() // the second PATCH: contact A and B exist
		}
		return http.DefaultTransport.RoundTrip(r)
	})
	rep := runSim(t, ctx, sim, url, Config{HTTPClient: &http.Client{Transport: transport}})
	if rep.Stopped != "interrupted" || rep.Created != 2 || len(rep.Remaining) != 0 {
		t.Errorf("stopped %q, created %d, remaining %v", rep.Stopped, rep.Created, rep.Remaining)
	}
	if sim.ContactCount() != 0 {
		t.Errorf("%d contacts left after an interrupted run", sim.ContactCount())
	}
	if res, _ := rep.Result("empty-lists"); res.Verdict != Skip || !strings.Contains(res.Observed, "interrupted") {
		t.Errorf("a check after the interrupt: %s %s", res.Verdict, res.Observed)
	}
	if logged := sim.Stats().TokensSpent; rep.Spent != logged {
		t.Errorf("spent %d by the report, %d by the log", rep.Spent, logged)
	}
}

// TestKilledRunIsCleanedUpByTheNext: a run that loses the network after creating its
// contacts (as a killed process would) leaves them; the next run finds and deletes them,
// and nothing that is not the suite's.
func TestKilledRunIsCleanedUpByTheNext(t *testing.T) {
	t.Parallel()
	sim, url := qomonsim.NewTestServer(t, qomonsim.Options{})
	foreign := []map[string]any{
		{"surname": Surname, "mail": "someone@example.org"},                       // the surname, not the mail
		{"surname": "Martin", "mail": "qomon-conformance+12345678-a@example.org"}, // the mail, not the surname
		{"surname": Surname, "mail": "qomon-conformance+1@example.org.evil"},      // the prefix, another domain
		{"surname": Surname},
	}
	for _, c := range foreign {
		if _, err := sim.TrySeedContact(c); err != nil {
			t.Fatal(err)
		}
	}

	var creates atomic.Int32
	var down sync.Once
	offline := make(chan struct{})
	transport := roundTripper(func(r *http.Request) (*http.Response, error) {
		select {
		case <-offline:
			return nil, errors.New("network unreachable")
		default:
		}
		res, err := http.DefaultTransport.RoundTrip(r)
		if r.Method == http.MethodPost && r.URL.Path == "/contacts" && creates.Add(1) == 2 {
			down.Do(func() { close(offline) })
		}
		return res, err
	})
	killed := runSim(t, t.Context(), sim, url, Config{HTTPClient: &http.Client{Transport: transport}})
	if len(killed.Remaining) != 2 || sim.ContactCount() != len(foreign)+2 {
		t.Fatalf("the first run should leave its 2 contacts: remaining %v, %d stored", killed.Remaining, sim.ContactCount())
	}

	next := runSim(t, t.Context(), sim, url, Config{})
	if next.LeftoversFound != 2 || next.LeftoversDeleted != 2 {
		t.Errorf("leftovers found %d, deleted %d", next.LeftoversFound, next.LeftoversDeleted)
	}
	if sim.ContactCount() != len(foreign) {
		t.Errorf("%d contacts stored, want only the %d foreign ones", sim.ContactCount(), len(foreign))
	}
	if passed, failed, _ := next.Counts(); failed != 0 || passed != len(checks) {
		t.Errorf("the next run: %d passed, %d failed", passed, failed)
	}
	if strings.Count(next.Markdown(), "left by earlier runs") != 1 {
		t.Errorf("the report does not say it cleaned up:\n%s", next.Markdown())
	}
}

// TestLostCreateIsFoundAndDeleted: when the answer to a create is lost (Qomon stored the
// contact, the connection dropped), the cleanup finds the contact by its mail and deletes it.
func TestLostCreateIsFoundAndDeleted(t *testing.T) {
	t.Parallel()
	sim, url := qomonsim.NewTestServer(t, qomonsim.Options{})
	sim.InjectFault(qomonsim.Fault{Method: "POST", Path: "/contacts", Kind: qomonsim.FaultDropResponse, Times: 1})
	rep := runSim(t, t.Context(), sim, url, Config{})
	if res, _ := rep.Result("note-ids"); res.Verdict != Error || !strings.Contains(res.Observed, "creating contact A failed") {
		t.Errorf("note-ids after a lost create: %s %s", res.Verdict, res.Observed)
	}
	if rep.Created != 2 || len(rep.Remaining) != 0 || sim.ContactCount() != 0 {
		t.Errorf("created %d, remaining %v, %d contacts left", rep.Created, rep.Remaining, sim.ContactCount())
	}
	if logged := sim.Stats().TokensSpent; rep.Spent != logged || rep.Spent > Budget() {
		t.Errorf("spent %d by the report, %d by the log, budget %d", rep.Spent, logged, Budget())
	}
}

// TestWaitsOnTooManyRequests: a 429 (the space's bucket is shared with other integrations)
// is waited out and the call made again; it costs no token.
func TestWaitsOnTooManyRequests(t *testing.T) {
	t.Parallel()
	sim, url := qomonsim.NewTestServer(t, qomonsim.Options{})
	sim.InjectFault(qomonsim.Fault{Method: "PATCH", Kind: qomonsim.FaultStatus, Status: http.StatusTooManyRequests, RetryAfter: time.Second, Times: 1})
	rep := runSim(t, t.Context(), sim, url, Config{})
	if passed, failed, _ := rep.Counts(); failed != 0 || passed != len(checks) {
		t.Errorf("%d passed, %d failed", passed, failed)
	}
	if sim.Stats().ByStatus[http.StatusTooManyRequests] != 1 || rep.Spent != sim.Stats().TokensSpent {
		t.Errorf("429s %d; spent %d by the report, %d by the log", sim.Stats().ByStatus[429], rep.Spent, sim.Stats().TokensSpent)
	}
}
