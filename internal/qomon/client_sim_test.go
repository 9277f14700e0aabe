package qomon

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qomon/terraform-provider-qomon/internal/qomonsim"
)

// These tests run the client against the simulator, which speaks Qomon's wire format on its
// own terms (it shares no type with this package), so a wrong key on either side shows.

func newSimClient(t *testing.T, opts qomonsim.Options, edit ...func(*Config)) (*Client, *qomonsim.Server) {
	t.Helper()
	sim, url := qomonsim.NewTestServer(t, opts)
	cfg := func(c *Config) {
		c.Token = qomonsim.DefaultToken
		c.RateLimit = RateLimit{}
		c.Retry = Retry{MaxRetries: DefaultMaxRetries, MinWait: 5 * time.Millisecond, MaxWait: 20 * time.Millisecond}
	}
	c, _ := newTestClient(t, url, append([]func(*Config){cfg}, edit...)...)
	return c, sim
}

// simAnswer is an answer to the simulator's form labelled formLabel, naming the option by its
// value or label, with the ids of the simulator's own catalogue.
func simAnswer(t *testing.T, sim *qomonsim.Server, formLabel, option string) FormData {
	t.Helper()
	f, _ := qomonsim.FindForm(sim.Forms(), formLabel)
	o, ok := f.Option(option)
	if !ok {
		t.Fatalf("the simulator has no form %q with an option %q", formLabel, option)
	}
	return FormData{FormID: f.ID, FormRefID: o.ID, Data: Some(option)}
}

func fullContact(t *testing.T, sim *qomonsim.Server) Contact {
	return Contact{
		Firstname: Some("Ada"), Surname: Some("Lovelace"), MarriedName: Some("King"), Gender: Some("F"),
		Birthdate: Some("1815-12-10T00:00:00Z"), BirthCity: Some("London"), BirthCountry: Some("United Kingdom"),
		Mail: Some("ada@example.org"), Phone: Some("0612345678"), Mobile: Some("+33612345678"), BlackList: Some(false),
		Address:      Some(Address{HouseNumber: Some("12"), Street: Some("Rue de Rivoli"), PostalCode: Some("01000"), City: Some("Paris"), Country: Some("France")}),
		Tags:         Some([]Tag{{Name: "vip"}, {Name: "volunteer"}}),
		Notes:        Some([]Note{{Content: "Met at the fair", Pinned: Some(true)}}),
		CustomFields: Some([]FormData{simAnswer(t, sim, "Job", "Architect")}),
		Formdatas:    Some([]FormData{simAnswer(t, sim, "Level of support", "support")}),
	}
}

func TestSimContactLifecycle(t *testing.T) {
	for _, spelling := range []qomonsim.Spelling{qomonsim.SpellingNew, qomonsim.SpellingOld} {
		t.Run(string(spelling), func(t *testing.T) {
			c, sim := newSimClient(t, qomonsim.Options{Spelling: spelling})
			ctx := context.Background()
			in := fullContact(t, sim)

			created, err := c.CreateContact(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			id := created.ID.Value
			if id <= 0 || !created.CreatedAt.Present() || !created.GroupID.Present() {
				t.Fatalf("created %#v", created)
			}
			stored, ok := sim.Contact(id)
			if !ok || stored["mail"] != "ada@example.org" {
				t.Fatalf("the simulator holds %v", stored)
			}
			got, err := c.GetContact(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			a := got.Address.Value
			// Whatever the spelling and number types, the client reads the same values.
			if got.BirthCity.Value != "London" || a.PostalCode.Value != "01000" || a.HouseNumber.Value != "12" ||
				!a.Latitude.Present() || !a.Location.Present() || !a.CityCode.Present() {
				t.Errorf("read back %#v / %#v", got, a)
			}
			if len(got.CustomFields.Value) != 1 || got.CustomFields.Value[0].Data.Value != "Architect" || !got.CustomFields.Value[0].ID.Present() {
				t.Errorf("custom fields %#v", got.CustomFields)
			}
			if len(got.Notes.Value) != 1 || got.Notes.Value[0].Content != "Met at the fair" || !got.Notes.Value[0].ID.Present() {
				t.Errorf("notes %#v", got.Notes)
			}
			if len(got.Tags.Value) != 2 || got.Tags.Value[0].Name != "vip" {
				t.Errorf("tags %#v", got.Tags)
			}

			// A read-modify-write PATCH (what replace mode does) changes one field and
			// keeps everything else, whatever spelling Qomon answered in.
			body := got.WithoutReadOnly()
			body.Surname = Some("Byron")
			updated, err := c.UpdateContact(ctx, id, body)
			if err != nil {
				t.Fatal(err)
			}
			if updated.Surname.Value != "Byron" || updated.Mail.Value != "ada@example.org" || updated.Address.Value.City.Value != "Paris" ||
				len(updated.CustomFields.Value) != 1 || len(updated.Notes.Value) != 1 || len(updated.Tags.Value) != 2 {
				t.Errorf("after PATCH: %#v", updated)
			}
			stored, _ = sim.Contact(id)
			if stored["surname"] != "Byron" || stored["birth_city"] == nil && stored["birthcity"] == nil {
				t.Errorf("the simulator holds %v", stored)
			}

			if err := c.DeleteContact(ctx, id); err != nil {
				t.Fatal(err)
			}
			if _, err := c.GetContact(ctx, id); !IsNotFound(err) {
				t.Errorf("GET after DELETE: %v", err)
			}
			if err := c.DeleteContact(ctx, id); !IsNotFound(err) {
				t.Errorf("second DELETE: %v", err)
			}
			if _, err := c.UpdateContact(ctx, id, body); !IsNotFound(err) {
				t.Errorf("PATCH after DELETE: %v", err)
			}
		})
	}
}

func TestSimValidationError(t *testing.T) {
	c, _ := newSimClient(t, qomonsim.Options{})
	_, err := c.CreateContact(context.Background(), Contact{Surname: Some("X"), Mail: Some("not-a-mail"), Gender: Some("Z")})
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 422 || IsOutcomeUnknown(err) {
		t.Fatalf("got %v", err)
	}
	locations := map[string]bool{}
	for _, fe := range apiErr.Errors {
		locations[fe.Location] = true
	}
	if !locations["body.data.contact.mail"] || !locations["body.data.contact.gender"] {
		t.Errorf("field errors %#v", apiErr.Errors)
	}
	if !strings.Contains(err.Error(), "body.data.contact.mail") {
		t.Errorf("the message does not name the field: %v", err)
	}
}

func TestSimUnauthorized(t *testing.T) {
	c, _ := newSimClient(t, qomonsim.Options{}, func(cfg *Config) { cfg.Token = "wrong-token" })
	_, err := c.GetContact(context.Background(), 1)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 401 || !strings.Contains(err.Error(), "QOMON_API_TOKEN") {
		t.Fatalf("got %v", err)
	}
	if strings.Contains(err.Error(), "wrong-token") {
		t.Error("the error repeats the token")
	}
}

func TestSimSearch(t *testing.T) {
	c, sim := newSimClient(t, qomonsim.Options{})
	for i := 1; i <= 25; i++ {
		city := "Paris"
		if i%5 == 0 {
			city = "Lyon"
		}
		if sim.SeedContact(map[string]any{"surname": fmt.Sprintf("S%02d", i), "mail": fmt.Sprintf("c%d@example.org", i),
			"address": map[string]any{"city": city}}) == 0 {
			t.Fatal("seed refused")
		}
	}
	sim.SeedContact(map[string]any{"surname": "Prefix", "mail": "c1@example.org.uk"})
	ctx := context.Background()

	all, err := c.SearchContacts(ctx, SearchRequest{PerPage: 10, SortAttr: "surname", SortAsc: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Contacts) != 26 || all.Pages != 3 || all.Truncated {
		t.Errorf("all: %d contacts, %d pages, truncated %v", len(all.Contacts), all.Pages, all.Truncated)
	}
	cut, err := c.SearchContacts(ctx, SearchRequest{Limit: 12, PerPage: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(cut.Contacts) != 12 || !cut.Truncated {
		t.Errorf("limited: %d contacts, truncated %v", len(cut.Contacts), cut.Truncated)
	}
	exact, err := c.SearchContacts(ctx, SearchRequest{Query: Query{Groups: []Group{{Conditions: []Condition{
		{Attr: "mail", Ope: "eql:strictdata", Value: "c1@example.org"}}}}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(exact.Contacts) != 1 || exact.Contacts[0].Mail.Value != "c1@example.org" {
		t.Errorf("exact mail: %d contacts", len(exact.Contacts))
	}
	lyon, err := c.SearchContacts(ctx, SearchRequest{Query: Query{Groups: []Group{{Conditions: []Condition{
		{Attr: "address.city", Ope: "eql", Value: "Lyon"}}}}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(lyon.Contacts) != 5 {
		t.Errorf("city: %d contacts", len(lyon.Contacts))
	}
	none, err := c.SearchContacts(ctx, SearchRequest{Query: Query{Groups: []Group{{Conditions: []Condition{
		{Attr: "mail", Ope: "eql:strictdata", Value: "nobody@example.org"}}}}}})
	if err != nil || len(none.Contacts) != 0 {
		t.Errorf("no hit: %v, %v", none, err)
	}
}

func TestSimForms(t *testing.T) {
	c, sim := newSimClient(t, qomonsim.Options{})
	ctx := context.Background()
	want := map[string]int{}
	for _, f := range sim.Forms() {
		want[f.Category]++
	}
	for _, category := range qomonsim.Categories {
		forms, err := c.ListForms(ctx, category)
		if err != nil {
			t.Fatal(err)
		}
		if len(forms) != want[category] {
			t.Errorf("%s: %d forms, want %d", category, len(forms), want[category])
		}
	}
	job, ok := qomonsim.FindForm(sim.Forms(), "Job")
	if !ok {
		t.Fatal("the simulator has no form Job")
	}
	got, err := c.GetForm(ctx, job.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Label != "Job" || got.Type != job.Type || len(got.RefValues) != len(job.RefValues) {
		t.Fatalf("form %#v", got)
	}
	for i, rv := range got.RefValues {
		if rv.ID != job.RefValues[i].ID || rv.FormID != job.ID || rv.Value != job.RefValues[i].Value || rv.Label != job.RefValues[i].Label {
			t.Errorf("option %d: %#v, want %#v", i, rv, job.RefValues[i])
		}
	}
	if _, err := c.GetForm(ctx, 999999); !IsNotFound(err) {
		t.Errorf("unknown form: %v", err)
	}
}

// A burst of requests larger than the bucket is paced, not rejected. The rate is a slow one
// (the headroom, one create, is 100 ms of refill at 50/s): at 200/s it was 25 ms, less than a
// loaded machine running -race can delay a request between the client's bucket and the
// simulator's, which then rightly answered 429.
func TestSimRateLimitPacesABurst(t *testing.T) {
	const burst, rate = 50, 50
	c, sim := newSimClient(t, qomonsim.Options{RateLimit: qomonsim.RateLimit{Burst: burst, PerSecond: rate}},
		func(cfg *Config) { cfg.RateLimit = RateLimit{Burst: burst, PerSecond: rate} })
	const creates = 40 // 200 tokens: 4 times the burst
	start := time.Now()
	createAtOnce(t, c, creates, func(i int) string { return fmt.Sprintf("Burst%d", i) })
	elapsed := time.Since(start)
	st := sim.Stats()
	if st.RateLimited != 0 {
		t.Errorf("the simulator answered %d 429s", st.RateLimited)
	}
	if n := sim.ContactCount(); n != creates {
		t.Errorf("the simulator holds %d contacts", n)
	}
	// 200 tokens at 50/s with 50 (less the headroom) up front: at least 3 s.
	if minimum := time.Duration(float64(creates*5-burst) / rate * float64(time.Second)); elapsed < minimum {
		t.Errorf("took %s, less than the %s the bucket allows: not paced", elapsed, minimum)
	}
	t.Logf("%d creates in %s, %d tokens spent, %d 429s", creates, elapsed.Round(time.Millisecond), st.TokensSpent, st.RateLimited)
}

// Even with an unknown bucket (the default config), the client learns Qomon's from the
// headers and recovers from the 429s of its first burst without failing a request.
func TestSimRateLimitLearnsTheBucket(t *testing.T) {
	c, sim := newSimClient(t, qomonsim.Options{RateLimit: qomonsim.RateLimit{Burst: 10, PerSecond: 100}})
	createAtOnce(t, c, 12, func(int) string { return "Learn" })
	// The configured bucket (Qomon's documented 100/10) is a ceiling: the smaller advertised
	// burst is followed, the faster advertised rate is not.
	if c.limiter.burst != 10 || c.limiter.rate != 10 {
		t.Errorf("bucket %g/%g, want 10/10", c.limiter.burst, c.limiter.rate)
	}
	if n := sim.ContactCount(); n != 12 {
		t.Errorf("the simulator holds %d contacts", n)
	}
}

func TestSimRetriesInjectedFaults(t *testing.T) {
	c, sim := newSimClient(t, qomonsim.Options{})
	ctx := context.Background()
	created, err := c.CreateContact(ctx, Contact{Surname: Some("Fault")})
	if err != nil {
		t.Fatal(err)
	}
	id := created.ID.Value

	sim.ResetRequests()
	sim.InjectFault(qomonsim.Fault{Method: "GET", Kind: qomonsim.FaultStatus, Status: 503, Times: 2})
	if _, err := c.GetContact(ctx, id); err != nil {
		t.Fatalf("GET through two 503s: %v", err)
	}
	sim.InjectFault(qomonsim.Fault{Method: "PATCH", Kind: qomonsim.FaultReset, Times: 1})
	if _, err := c.UpdateContact(ctx, id, Contact{Surname: Some("Fault2")}); err != nil {
		t.Fatalf("PATCH through a reset: %v", err)
	}
	sim.InjectFault(qomonsim.Fault{Method: "DELETE", Kind: qomonsim.FaultStatus, Status: 502, HTML: true, Times: 1})
	if err := c.DeleteContact(ctx, id); err != nil {
		t.Fatalf("DELETE through an HTML 502: %v", err)
	}
	var got []string
	for _, r := range sim.Requests() {
		got = append(got, fmt.Sprintf("%s:%d", r.Method, r.Status))
	}
	if want := "GET:503,GET:503,GET:200,PATCH:0,PATCH:200,DELETE:502,DELETE:204"; strings.Join(got, ",") != want {
		t.Errorf("requests %s, want %s", strings.Join(got, ","), want)
	}

	sim.InjectFault(qomonsim.Fault{Method: "GET", Kind: qomonsim.FaultStatus, Status: 502, HTML: true})
	_, err = c.GetContact(ctx, id)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 502 || apiErr.Attempts != 5 || apiErr.Excerpt == "" {
		t.Errorf("persistent 502: %v", err)
	}
}

// The no-blind-POST-retry rule against the simulator: it stores the contact, then drops the
// answer. The client must not send the create again.
func TestSimCreateWithLostAnswerIsNotRepeated(t *testing.T) {
	cases := []struct {
		name   string
		fault  qomonsim.Fault
		stored int
	}{
		{"answer dropped after processing", qomonsim.Fault{Kind: qomonsim.FaultDropResponse}, 1},
		{"connection reset before processing", qomonsim.Fault{Kind: qomonsim.FaultReset}, 0},
		{"503", qomonsim.Fault{Kind: qomonsim.FaultStatus, Status: 503}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, sim := newSimClient(t, qomonsim.Options{})
			tc.fault.Method, tc.fault.Path, tc.fault.Times = "POST", "/contacts", 1
			sim.InjectFault(tc.fault)
			_, err := c.CreateContact(context.Background(), Contact{Surname: Some("Once"), Mail: Some("once@example.org")})
			if !IsOutcomeUnknown(err) {
				t.Fatalf("got %v", err)
			}
			posts := 0
			for _, r := range sim.Requests() {
				if r.Method == http.MethodPost {
					posts++
				}
			}
			if posts != 1 {
				t.Errorf("the create was sent %d times", posts)
			}
			if n := sim.ContactCount(); n != tc.stored {
				t.Errorf("the simulator holds %d contacts, want %d", n, tc.stored)
			}
		})
	}
	t.Run("429 is retried", func(t *testing.T) {
		c, sim := newSimClient(t, qomonsim.Options{})
		sim.InjectFault(qomonsim.Fault{Method: "POST", Path: "/contacts", Kind: qomonsim.FaultStatus, Status: 429,
			RetryAfter: time.Second, Times: 1})
		if _, err := c.CreateContact(context.Background(), Contact{Surname: Some("Once")}); err != nil {
			t.Fatal(err)
		}
		if n := sim.ContactCount(); n != 1 {
			t.Errorf("the simulator holds %d contacts", n)
		}
	})
}

// createAtOnce creates n contacts from n goroutines at once, surname(i) naming the i-th, and
// reports every create that fails.
func createAtOnce(t *testing.T, c *Client, n int, surname func(i int) string) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			_, err := c.CreateContact(context.Background(), Contact{Surname: Some(surname(i))})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}
