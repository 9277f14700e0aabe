package conformance

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// run is the state of one run of the suite.
type run struct {
	client   *qomon.Client
	rec      *recorder
	progress io.Writer
	runID    string
	maxLag   time.Duration

	forms   formPicks
	a, b    int64        // ids of contacts A and B (0: not created)
	stA     contactState // contact A as the checks last saw it
	created []int64
	deleted map[int64]bool
	// unsure are the mail addresses of contacts whose create answer was lost: Qomon may have
	// stored them, so the cleanup looks for them.
	unsure []string
	mode   string // PATCH semantics observed: "replace", "merge" or "" when unknown

	results map[string]*Result
	report  *Report
}

func (r *run) say(format string, args ...any) {
	if r.progress != nil {
		fmt.Fprintf(r.progress, "conformance: "+format+"\n", args...)
	}
}

// result records the outcome of check id.
func (r *run) result(id string, v Verdict, observed string, facts map[string]string, evidence ...string) {
	i := slices.IndexFunc(checks, func(c check) bool { return c.id == id })
	if i < 0 {
		panic("conformance: no check " + id)
	}
	c := checks[i]
	r.results[id] = &Result{ID: id, Title: c.title, Assumed: c.assumed, Observed: observed, Verdict: v, Facts: facts, Evidence: evidence}
	r.say("%-5s %s: %s", v, id, observed)
}

// fail records the failure of a request (what) as the outcome of the checks ids that needed
// it: a SKIP when the run was interrupted or out of tokens, else an ERROR.
func (r *run) fail(ctx context.Context, err error, what string, ids ...string) {
	if ctx.Err() != nil {
		err = context.Cause(ctx)
	}
	for _, id := range ids {
		if _, done := r.results[id]; done {
			continue
		}
		if errors.Is(err, context.Canceled) || errors.Is(err, errBudget) || errors.Is(err, context.DeadlineExceeded) {
			r.result(id, Skip, "not run: "+stopReason(err), nil)
			continue
		}
		r.result(id, Error, what+" failed: "+oneLine(err.Error()), nil)
	}
}

func stopReason(err error) string {
	if errors.Is(err, errBudget) {
		return "the token budget was spent"
	}
	return "the run was interrupted"
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// retry runs call again after a 429 (Qomon's bucket is shared by every integration of the
// space), waiting what Retry-After says; other errors are the caller's.
func (r *run) retry(ctx context.Context, call func() error) error {
	for attempt := 1; ; attempt++ {
		err := call()
		var apiErr *qomon.APIError
		if err == nil || attempt == 4 || !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusTooManyRequests {
			return err
		}
		wait := 5 * time.Second
		if ex, ok := r.rec.last(apiErr.Method, apiErr.Path); ok {
			if s, ok := qomon.RetryAfter(ex.header); ok && s < time.Minute {
				wait = s
			}
		}
		r.say("rate limited; waiting %s", wait)
		select {
		case <-ctx.Done():
			return context.Cause(ctx)
		case <-time.After(wait):
		}
	}
}

// create creates a contact and remembers it for the cleanup, or its mail address when the
// answer was lost.
func (r *run) create(ctx context.Context, c qomon.Contact) (*qomon.Contact, error) {
	var out *qomon.Contact
	err := r.retry(ctx, func() (err error) { out, err = r.client.CreateContact(ctx, c); return err })
	if err != nil {
		var apiErr *qomon.APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode < 400 || apiErr.StatusCode >= 500 || qomon.IsOutcomeUnknown(err) {
			r.unsure = append(r.unsure, c.Mail.Value)
		}
		return nil, err
	}
	id, _ := out.ID.Get()
	r.created = append(r.created, id)
	r.report.Created++
	return out, nil
}

func (r *run) get(ctx context.Context, id int64) (*qomon.Contact, error) {
	var out *qomon.Contact
	err := r.retry(ctx, func() (err error) { out, err = r.client.GetContact(ctx, id); return err })
	return out, err
}

func (r *run) update(ctx context.Context, id int64, body qomon.Contact) (*qomon.Contact, error) {
	var out *qomon.Contact
	err := r.retry(ctx, func() (err error) { out, err = r.client.UpdateContact(ctx, id, body); return err })
	return out, err
}

func (r *run) delete(ctx context.Context, id int64) error {
	err := r.retry(ctx, func() error { return r.client.DeleteContact(ctx, id) })
	if err == nil || isNotFoundStatus(err) {
		r.deleted[id] = true
	}
	return err
}

func (r *run) search(ctx context.Context, req qomon.SearchRequest) (*qomon.SearchResult, error) {
	var out *qomon.SearchResult
	err := r.retry(ctx, func() (err error) { out, err = r.client.SearchContacts(ctx, req); return err })
	return out, err
}

// sweep deletes what earlier runs left: contacts with the suite's surname and mail prefix.
func (r *run) sweep(ctx context.Context) {
	res, err := r.search(ctx, qomon.SearchRequest{
		Query: qomon.Query{Op: qomon.OpAll, Groups: []qomon.Group{{Op: qomon.OpAll, Conditions: []qomon.Condition{
			{Attr: "surname", Ope: "eql:strictdata", Value: Surname},
		}}}},
		PerPage: 100, Limit: 100,
	})
	if err != nil {
		r.say("could not search for contacts earlier runs left: %s", oneLine(err.Error()))
		return
	}
	for _, c := range res.Contacts {
		if !ours(c) {
			continue
		}
		r.report.LeftoversFound++
		if r.report.LeftoversDeleted+len(r.report.LeftoversFailed) >= maxLeftovers {
			continue
		}
		id, _ := c.ID.Get()
		if err := r.delete(ctx, id); err != nil && !isNotFoundStatus(err) {
			r.report.LeftoversFailed = append(r.report.LeftoversFailed, id)
			continue
		}
		r.report.LeftoversDeleted++
	}
	if r.report.LeftoversFound > 0 {
		r.say("deleted %d of %d contacts earlier runs left", r.report.LeftoversDeleted, r.report.LeftoversFound)
	}
}

// cleanupSearches are the delays, after the first, of the searches for a contact whose
// create answer was lost: long enough for a search index that lags by a few seconds.
var cleanupSearches = []time.Duration{0, 2 * time.Second, 3 * time.Second}

// cleanup deletes every contact this run created and has not deleted yet, and looks for
// those whose create answer was lost.
func (r *run) cleanup(ctx context.Context) {
	for _, mail := range r.unsure {
		r.findLost(ctx, mail)
	}
	for _, id := range r.created {
		if r.deleted[id] {
			continue
		}
		if err := r.delete(ctx, id); err != nil && !isNotFoundStatus(err) {
			r.report.Remaining = append(r.report.Remaining, id)
			r.say("could not delete contact %d: %s", id, oneLine(err.Error()))
		}
	}
	if len(r.report.Remaining) == 0 {
		r.say("deleted every contact this run created (%d)", len(r.created))
	}
}

// findLost searches for the contact of a lost create answer by its mail address, and adds
// it to the contacts to delete.
func (r *run) findLost(ctx context.Context, mail string) {
	req := qomon.SearchRequest{
		Query: qomon.Query{Op: qomon.OpAll, Groups: []qomon.Group{{Op: qomon.OpAtLeastOne, Conditions: []qomon.Condition{
			{Attr: "mail", Ope: "eql:strictdata", Value: mail},
			{Attr: "mail", Ope: "eql:strictdata", Value: strings.ToLower(mail)},
		}}}},
		PerPage: 10, Limit: 10,
	}
	r.say("the answer to a create was lost; searching for %s", mail)
	for _, wait := range cleanupSearches {
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		res, err := r.search(ctx, req)
		if err != nil {
			r.say("could not search for %s: %s", mail, oneLine(err.Error()))
			return
		}
		found := false
		for _, c := range res.Contacts {
			if id, _ := c.ID.Get(); ours(c) && !slices.Contains(r.created, id) {
				r.created = append(r.created, id)
				r.report.Created++
				found = true
			}
		}
		if found {
			return
		}
	}
}

// finish fills the report: every check in order (those not run as skipped), the tokens.
func (r *run) finish() {
	reason := "not run"
	if r.report.Stopped != "" {
		reason = "not run: " + r.report.Stopped
	}
	for _, c := range checks {
		res, ok := r.results[c.id]
		if !ok {
			res = &Result{ID: c.id, Title: c.title, Assumed: c.assumed, Observed: reason, Verdict: Skip}
		}
		r.report.Results = append(r.report.Results, *res)
	}
	r.report.Spent = r.rec.tokens()
	r.report.Ended = time.Now().UTC()
}
