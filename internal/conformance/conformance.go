package conformance

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// Markers of the contacts the suite creates: a contact is the suite's only when it has the
// surname and a mail address MailPrefix…@example.org (any case). Tag is added for people
// looking at the space in the Qomon app; the suite clears it on purpose in some checks, so
// it does not rely on it.
const (
	Surname    = "Conformance-Check"
	Firstname  = "Qomon-Provider"
	Tag        = "terraform-provider-qomon-conformance"
	MailPrefix = "qomon-conformance+"
	mailDomain = "@example.org"
)

// mailFor is the address of contact which ("a", "b") of a run. It has capitals on purpose:
// the mail-case check sees what Qomon stores.
func mailFor(runID, which string) string {
	return "Qomon-Conformance+" + runID + "-" + which + "@Example.org"
}

// ours reports whether c is a contact this suite created, in this run or an earlier one.
func ours(c qomon.Contact) bool {
	surname, _ := c.Surname.Get()
	mail, _ := c.Mail.Get()
	mail = strings.ToLower(mail)
	return surname == Surname && strings.HasPrefix(mail, MailPrefix) && strings.HasSuffix(mail, mailDomain) &&
		!strings.ContainsAny(strings.TrimSuffix(strings.TrimPrefix(mail, MailPrefix), mailDomain), "@ ")
}

// DefaultMaxSearchLag is how long the provider searches for a contact whose create answer was
// lost before it sends the create again: searches 0, 2, 6 and 12 s after the answer was lost
// (lostCreateSearches and defaultSearchDelay in internal/contact/resource.go). A space whose
// search lags longer can get a second copy of such a contact.
const DefaultMaxSearchLag = 12 * time.Second

// cleanupTimeout bounds the deletions at the end of a run, which go on after an interrupt.
const cleanupTimeout = time.Minute

// Config says which Qomon API to check, and how.
type Config struct {
	Endpoint  string // base URL; "" is Qomon's
	Token     string // API key of the space
	UserAgent string
	// HTTPClient carries every request (its Transport, under the suite's recorder); nil is
	// Go's default.
	HTTPClient *http.Client
	// MaxSearchLag is the longest search lag the search-lag check accepts; 0 is
	// DefaultMaxSearchLag.
	MaxSearchLag time.Duration
	// Progress gets one line per step; nil is none.
	Progress io.Writer
	// Version is the provider version the report names.
	Version string
}

// Verdict is the outcome of one check.
type Verdict string

// Verdicts.
const (
	Pass  Verdict = "PASS"
	Fail  Verdict = "FAIL"
	Skip  Verdict = "SKIP"  // not run (nothing to check it with, an earlier step failed, interrupted)
	Error Verdict = "ERROR" // a request failed in a way the check does not explain
)

// Result is the outcome of one check.
type Result struct {
	ID       string
	Title    string
	Assumed  string
	Observed string
	Verdict  Verdict
	// Facts are the observations by name, for settings and tests (e.g. "mode": "replace").
	Facts map[string]string
	// Evidence are raw lines of Qomon's answers (headers, error bodies) that back Observed.
	Evidence []string
}

// Report is what a run found.
type Report struct {
	Endpoint string
	Version  string
	Started  time.Time
	Ended    time.Time
	Budget   int // tokens the run could spend, stated before it started
	Spent    int // tokens it spent (Qomon's X-Ratelimit-Cost, or the documented cost)
	Results  []Result
	// Stopped says why the checks ended early ("" when they all ran).
	Stopped string
	// Created counts the contacts this run created; Remaining lists those it could not delete.
	Created   int
	Remaining []int64
	// Leftovers of earlier runs: found by the search, deleted, and whether more remain.
	LeftoversFound, LeftoversDeleted int
	LeftoversFailed                  []int64
}

// Result returns the result of check id.
func (r *Report) Result(id string) (Result, bool) {
	for _, res := range r.Results {
		if res.ID == id {
			return res, true
		}
	}
	return Result{}, false
}

// check is one assumption: its id, what it is about, and what the provider assumes.
type check struct{ id, title, assumed string }

// checks are every assumption the suite checks, in report order.
var checks = []check{
	{"patch-semantics", "What PATCH does with the fields it leaves out",
		`replace: every field left out is cleared, as Qomon documents (a merging PATCH is supported with update_mode = "merge")`},
	{"null-clears", "A field sent as null", "is cleared"},
	{"note-ids", "Notes sent back with their id", "keep their id and creation date; a note sent without an id is a new note"},
	{"empty-lists", "Lists sent as []", "are accepted and left empty: tags, notes, formdatas, custom_fields and action_ids"},
	{"empty-address", "Clearing the address", `replace: "address": {} clears every part; merge: parts sent as null are cleared`},
	{"search-lag", "How long search lags a write", fmt.Sprintf("a new contact is found by search within %s, the provider's lost-create search window", DefaultMaxSearchLag)},
	{"search-hit", "A search hit against GET", "carries every field a GET carries, notes and form answers included, with the same values"},
	{"spelling", "Spellings and types of the answers", "every variant key in one documented spelling (the provider reads both)"},
	{"mail-case", "A mail address sent with capitals", "is stored as sent or in lower case (the provider searches both)"},
	{"birthdate", "A birthdate sent as midnight UTC", "comes back the same day, as YYYY-MM-DD or as midnight UTC in RFC 3339"},
	{"choice-answer", "A choice answer sent with its option's label", "is stored as the option's value"},
	{"write-answers", "The contact a create or a PATCH answers with", "equals what the next GET shows"},
	{"updated-at", "UpdatedAt after a PATCH", "is later than before"},
	{"rate-limit-headers", "Rate-limit headers", "X-Ratelimit-Limit: burst:<n>;rate:<r>, and X-Ratelimit-Remaining, X-Ratelimit-Cost and X-Ratelimit-Reset (seconds) on every successful answer"},
	{"token-costs", "Tokens per call (X-Ratelimit-Cost)", "5 for POST /contacts and PATCH /contacts/{id}, 1 for every other call"},
	{"delete", "DELETE and what follows", "DELETE answers 2xx; then GET and PATCH answer 404, and a second DELETE 404 or 2xx"},
	{"not-found-body", "The body of a missing contact's 404", "an RFC 7807 problem object with status 404, on GET, PATCH and DELETE alike"},
}

// CheckIDs lists every check, in report order.
func CheckIDs() []string {
	out := make([]string, len(checks))
	for i, c := range checks {
		out[i] = c.id
	}
	return out
}

// Run runs every check against the API at cfg.Endpoint with cfg.Token. It creates its own
// contacts, deletes them before it returns (when ctx is cancelled too: the deletions get a
// minute of their own), and never spends more than Budget() tokens. The error is for a
// configuration the client refuses; everything Qomon answers ends up in the report.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	endpoint := cfg.Endpoint
	if endpoint == "" {
		endpoint = qomon.DefaultEndpoint
	}
	u, err := url.Parse(endpoint)
	if err != nil {
		return nil, fmt.Errorf("the endpoint %q is not a URL: %w", endpoint, err)
	}
	hc := http.Client{}
	if cfg.HTTPClient != nil {
		hc = *cfg.HTTPClient
	}
	next := hc.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	runCtx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	rec := &recorder{next: next, basePath: strings.TrimSuffix(u.Path, "/"), cancel: cancel}
	hc.Transport = rec
	client, err := qomon.New(qomon.Config{Endpoint: endpoint, Token: cfg.Token, UserAgent: cfg.UserAgent, HTTPClient: &hc})
	if err != nil {
		return nil, err
	}
	maxLag := cfg.MaxSearchLag
	if maxLag <= 0 {
		maxLag = DefaultMaxSearchLag
	}
	r := &run{
		client: client, rec: rec, progress: cfg.Progress, runID: newRunID(), maxLag: maxLag,
		results: map[string]*Result{}, deleted: map[int64]bool{},
		report: &Report{Endpoint: endpoint, Version: cfg.Version, Started: time.Now().UTC(), Budget: Budget()},
	}
	r.say("run %s: token budget %d", r.runID, Budget())

	rec.setLimit(upTo("leftovers"))
	r.sweep(runCtx)
	rec.setLimit(upTo("delete"))
	r.runChecks(runCtx)
	if cause := context.Cause(runCtx); cause != nil {
		r.report.Stopped = "interrupted"
		if errors.Is(cause, errBudget) {
			r.report.Stopped = "the token budget was spent"
		}
	}

	cleanupCtx, stop := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer stop()
	rec.setLimit(Budget())
	r.cleanup(cleanupCtx)

	r.finish()
	return r.report, nil
}

func newRunID() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
