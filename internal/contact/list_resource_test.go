package contact_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/qomon/terraform-provider-qomon/internal/acctest"
	"github.com/qomon/terraform-provider-qomon/internal/qomon"
	"github.com/qomon/terraform-provider-qomon/internal/qomonsim"
)

// The qomon_contact list resource, through the provider server's ListResource RPC (protocol 6),
// as `terraform query` would call it.

// results returns the ids of the results that carry one, and fails on any error diagnostic.
func results(t *testing.T, got []listed) []int64 {
	t.Helper()
	var ids []int64
	for _, r := range got {
		if hasError(r.diags) {
			t.Fatalf("error in the stream:\n%s", diagsText(r.diags))
		}
		if r.id != 0 {
			ids = append(ids, r.id)
		}
	}
	return ids
}

// searchQueries returns the query trees of the searches in the simulator's log, as JSON.
func searchQueries(t *testing.T, sim *qomonsim.Server) []string {
	t.Helper()
	searches, err := searchBodies(sim)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, 0, len(searches))
	for _, s := range searches {
		out = append(out, string(s.Query))
	}
	return out
}

// readContactsDataSource reads qomon_contacts with these attributes, in process.
func (p *rpcProvider) readContactsDataSource(set map[string]tftypes.Value) []*tfprotov6.Diagnostic {
	p.t.Helper()
	typ := p.schema.DataSourceSchemas["qomon_contacts"].ValueType()
	resp, err := p.server.ReadDataSource(context.Background(), &tfprotov6.ReadDataSourceRequest{
		TypeName: "qomon_contacts", Config: p.encode(typ, p.dynamic(typ, set)),
	})
	if err != nil {
		p.t.Fatal(err)
	}
	return resp.Diagnostics
}

// Every filter of qomon_contacts works in a list block, finds the same contacts, and sends
// Qomon the very same query as the data source does with the same filters.
func TestListResource_filters(t *testing.T) {
	env := acctest.Parallel(t, qomonsim.Options{})
	old := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Format(time.RFC3339)
	seed := map[string]map[string]any{
		"ada": {"firstname": "Ada", "surname": "Lovelace", "mail": "ada@example.org", "black_list": true,
			"tags":    []any{map[string]any{"name": "volunteer"}},
			"address": map[string]any{"city": "Lyon", "postalcode": "69001"}},
		"martin": {"firstname": "Marie", "surname": "Martin", "mail": "jane@example.org.uk", "black_list": false,
			"tags": []any{map[string]any{"name": "volunteers"}}, "UpdatedAt": old, "CreatedAt": old},
		"grace": {"firstname": "Grace", "surname": "Hopper", "tags": []any{map[string]any{"name": "donor"}},
			"address": map[string]any{"city": "Paris", "postalcode": "75001"}},
		"mar": {"firstname": "Jane", "surname": "Mar", "mail": "jane@example.org",
			"tags": []any{map[string]any{"name": "volunteer"}}, "address": map[string]any{"city": "Lyon"}},
	}
	ids := map[int64]string{}
	for key, c := range seed {
		id, err := env.Sim.TrySeedContact(c)
		if err != nil {
			t.Fatalf("seeding %s: %v", key, err)
		}
		ids[id] = key
	}
	p := newRPCProvider(t, env)
	filter := func(attrs ...string) tftypes.Value {
		typ := p.listType().(tftypes.Object).AttributeTypes["any_of"].(tftypes.List).ElementType
		set := map[string]tftypes.Value{}
		for i := 0; i < len(attrs); i += 2 {
			set[attrs[i]] = str(attrs[i+1])
		}
		return *p.dynamic(typ, set)
	}
	anyOf := func(alts ...tftypes.Value) tftypes.Value {
		typ := p.listType().(tftypes.Object).AttributeTypes["any_of"]
		return tftypes.NewValue(typ, alts)
	}
	cases := []struct {
		name   string
		config map[string]tftypes.Value
		want   []string
	}{
		{"no filter", nil, []string{"ada", "grace", "mar", "martin"}},
		{"mail, exact", map[string]tftypes.Value{"mail": str("jane@example.org")}, []string{"mar"}},
		{"mail with capitals finds its lower-case form", map[string]tftypes.Value{"mail": str("Ada@Example.org")}, []string{"ada"}},
		{"surname, exact", map[string]tftypes.Value{"surname": str("Mar")}, []string{"mar"}},
		{"firstname", map[string]tftypes.Value{"firstname": str("Grace")}, []string{"grace"}},
		{"tag, exact", map[string]tftypes.Value{"tag": str("volunteer")}, []string{"ada", "mar"}},
		{"city", map[string]tftypes.Value{"city": str("Lyon")}, []string{"ada", "mar"}},
		{"postal code", map[string]tftypes.Value{"postalcode": str("75001")}, []string{"grace"}},
		{"updated since a date", map[string]tftypes.Value{"updated_since": str("2025-01-01")}, []string{"ada", "grace", "mar"}},
		{"updated since, date math", map[string]tftypes.Value{"updated_since": str("now-1d/d")}, []string{"ada", "grace", "mar"}},
		{"black-listed", map[string]tftypes.Value{"black_listed": boolean(true)}, []string{"ada"}},
		{"not black-listed, never set included", map[string]tftypes.Value{"black_listed": boolean(false)}, []string{"grace", "mar", "martin"}},
		{"filters combine with AND", map[string]tftypes.Value{"tag": str("volunteer"), "mail": str("jane@example.org")}, []string{"mar"}},
		{"any_of", map[string]tftypes.Value{"any_of": anyOf(filter("postalcode", "69001"), filter("tag", "donor"))}, []string{"ada", "grace"}},
		{"any_of and a filter", map[string]tftypes.Value{
			"city": str("Lyon"), "any_of": anyOf(filter("surname", "Mar"), filter("firstname", "Grace")),
		}, []string{"mar"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env.Sim.ResetRequests()
			var got []string
			for _, id := range results(t, p.list(listRequest{config: c.config, limit: 100})) {
				got = append(got, ids[id])
			}
			slices.Sort(got)
			if !slices.Equal(got, c.want) {
				t.Errorf("found %v, want %v", got, c.want)
			}
			listed := searchQueries(t, env.Sim)

			env.Sim.ResetRequests()
			failOnDiags(t, "qomon_contacts", p.readContactsDataSource(c.config))
			read := searchQueries(t, env.Sim)
			if len(listed) != 1 || !slices.Equal(listed, read) {
				t.Errorf("the list block sent %v, the data source %v", listed, read)
			}
		})
	}
}

// A search of more than 1000 contacts reads several pages (one token each) and returns each
// contact once; a limit below what matches cuts the list and says so first.
func TestListResource_paging(t *testing.T) {
	env := acctest.Parallel(t, qomonsim.Options{})
	const n = 2500
	want := make([]int64, 0, n)
	for i := range n {
		want = append(want, env.Sim.SeedContact(map[string]any{
			"firstname": fmt.Sprintf("Bulk%d", i), "surname": "Helper", "tags": []any{map[string]any{"name": "bulk"}},
		}))
	}
	env.Sim.SeedContact(map[string]any{"firstname": "Other", "surname": "Helper"})
	p := newRPCProvider(t, env)
	tag := map[string]tftypes.Value{"tag": str("bulk")}

	env.Sim.ResetRequests()
	got := results(t, p.list(listRequest{config: tag, limit: 5000}))
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Fatalf("listed %d contacts, want the %d tagged bulk", len(got), n)
	}
	if pages := len(searchQueries(t, env.Sim)); pages != 3 {
		t.Errorf("%d search pages for %d contacts, want 3", pages, n)
	}

	env.Sim.ResetRequests()
	stream := p.list(listRequest{config: tag, limit: 2400})
	if len(stream) == 0 || stream[0].id != 0 || len(stream[0].diags) != 1 ||
		stream[0].diags[0].Severity != tfprotov6.DiagnosticSeverityWarning || stream[0].diags[0].Summary != "More contacts match" {
		t.Fatalf("the stream does not start with the truncation warning: %+v", stream[:min(len(stream), 1)])
	}
	if got := results(t, stream); len(got) != 2400 {
		t.Errorf("listed %d contacts with limit 2400", len(got))
	}
	if pages := len(searchQueries(t, env.Sim)); pages != 3 {
		t.Errorf("%d search pages for a limit of 2400, want 3", pages)
	}
}

// The list block's limit bounds the search itself: a small limit is one small page, and no
// limit at all (Terraform always sends one) falls back to the data source's default bound.
func TestListResource_limit(t *testing.T) {
	env := acctest.Parallel(t, qomonsim.Options{})
	for i := range 30 {
		env.Sim.SeedContact(map[string]any{"firstname": fmt.Sprintf("C%d", i), "surname": "Limit"})
	}
	p := newRPCProvider(t, env)
	for _, c := range []struct {
		limit   int64
		want    int
		perPage int
	}{
		{10, 10, 11},
		{30, 30, 31},
		{1, 1, 2},
		// 1000 and one more to see whether the limit cut anything: two pages of 501.
		{0, 30, (qomon.DefaultSearchLimit + 2) / 2},
	} {
		env.Sim.ResetRequests()
		stream := p.list(listRequest{limit: c.limit})
		got := results(t, stream)
		if len(got) != c.want {
			t.Errorf("limit %d: %d results, want %d", c.limit, len(got), c.want)
		}
		truncated := len(stream) > 0 && stream[0].id == 0
		if truncated != (c.want < 30) {
			t.Errorf("limit %d: truncation warning %v", c.limit, truncated)
		}
		reqs := env.Sim.Requests()
		if len(reqs) != 1 || !strings.Contains(string(reqs[0].Body), fmt.Sprintf(`"per_page":%d`, c.perPage)) {
			t.Errorf("limit %d: requests %s, want one search of %d per page", c.limit, requestsLine(reqs), c.perPage)
		}
	}
}

// With include_resource, each result carries exactly the state an import of that contact reads
// (ImportResourceState then ReadResource): this is what `terraform query -generate-config-out`
// writes as configuration, and what the import then compares it with, so the plan that follows
// is empty. The contacts carry every kind of field, in both response spellings, and with search
// hits that leave fields out. Without include_resource the list costs only the search.
func TestListResource_includeResource(t *testing.T) {
	t.Parallel()
	for _, opts := range []qomonsim.Options{
		{},
		{Spelling: qomonsim.SpellingOld},
		{SearchOmits: []string{"notes", "formdatas", "address"}},
	} {
		t.Run(fmt.Sprintf("spelling %s, search omits %v", opts.Spelling, opts.SearchOmits), func(t *testing.T) {
			env := acctest.Parallel(t, opts)
			seeded := []map[string]any{
				{"firstname": "Grace", "surname": "Hopper", "mail": "Grace@Example.org", "gender": "F",
					"birthdate": "1906-12-09T00:00:00Z", "birthcity": "New York", "mobile": "0601020304", "black_list": true,
					"address":   map[string]any{"housenumber": "7", "street": "Broadway", "postalcode": "10001", "city": "New York", "floor": "2"},
					"tags":      []any{map[string]any{"name": "navy"}, map[string]any{"name": "cobol"}},
					"notes":     []any{map[string]any{"content": "Invented the compiler", "pinned": true}, map[string]any{"content": "Admiral"}},
					"formdatas": []any{map[string]any{"form_id": formSupport, "form_ref_id": refSupport}},
					"custom_fields": []any{
						map[string]any{"form_id": formNickname, "form_ref_id": refNickname, "data": "Amazing Grace"},
						map[string]any{"form_id": formJob, "form_ref_id": refTeacher},
					},
					"action_ids": []any{3, 5}},
				{"surname": "Minimal"},
				{"mail": "only.mail@example.org", "phone": "0102030405"},
				{"firstname": "Élodie", "surname": "Dupré", "address": map[string]any{"city": "Paris"}},
			}
			for _, c := range seeded {
				if _, err := env.Sim.TrySeedContact(c); err != nil {
					t.Fatal(err)
				}
			}
			p := newRPCProvider(t, env)

			env.Sim.ResetRequests()
			for _, r := range p.list(listRequest{limit: 100}) {
				if r.resource != nil {
					t.Errorf("contact %d: a resource object without include_resource", r.id)
				}
			}
			if got := requestsLine(env.Sim.Requests()); got != "POST /search" {
				t.Errorf("without include_resource the list sent %s, want one search", got)
			}

			stream := p.list(listRequest{limit: 100, includeResource: true})
			if got := results(t, stream); len(got) != len(seeded) {
				t.Fatalf("listed %d contacts, want %d", len(got), len(seeded))
			}
			for _, r := range stream {
				if r.resource == nil {
					t.Fatalf("contact %d: no resource object with include_resource", r.id)
				}
				read := p.importAndRead("", p.identityOf(r.id))
				failOnDiags(t, "import", read.diags)
				if diffs, err := r.resource.Diff(read.state); err != nil || len(diffs) > 0 {
					t.Errorf("contact %d: the listed object differs from what an import reads (%v):\n%s", r.id, err, diffText(diffs))
				}
				if read.identity != r.id {
					t.Errorf("contact %d: the import's identity is %d", r.id, read.identity)
				}
			}
		})
	}
}

func diffText(diffs []tftypes.ValueDiff) string {
	var b strings.Builder
	for _, d := range diffs {
		fmt.Fprintf(&b, "  %s: listed %v, read %v\n", d.Path, d.Value1, d.Value2)
	}
	return b.String()
}

// Every result names its contact so that a person recognises it, with the e-mail address
// masked; the stream never carries the full address.
func TestListResource_displayName(t *testing.T) {
	env := acctest.Parallel(t, qomonsim.Options{})
	ada := env.Sim.SeedContact(map[string]any{"firstname": "Ada", "surname": "Lovelace", "mail": "ada.lovelace@example.org"})
	anon := env.Sim.SeedContact(map[string]any{"phone": "0102030405"})
	p := newRPCProvider(t, env)
	names := map[int64]string{}
	for _, r := range p.list(listRequest{limit: 10}) {
		names[r.id] = r.displayName
	}
	if names[ada] != "Ada Lovelace (a***@example.org)" {
		t.Errorf("display name %q", names[ada])
	}
	if want := fmt.Sprintf("contact %d", anon); names[anon] != want {
		t.Errorf("display name %q, want %q", names[anon], want)
	}
}

// Failures reach Terraform as error diagnostics in the stream, which then ends; nothing
// panics, and no diagnostic repeats a filter's value.
func TestListResource_errors(t *testing.T) {
	t.Parallel()
	t.Run("the search fails behind a gateway", func(t *testing.T) {
		env := acctest.Parallel(t, qomonsim.Options{})
		env.Sim.SeedContact(map[string]any{"surname": "Gateway", "mail": "gw@example.org"})
		p := newRPCProvider(t, env)
		env.Sim.InjectFault(qomonsim.Fault{Path: "/search", Kind: qomonsim.FaultStatus, Status: 502, HTML: true})
		stream := p.list(listRequest{config: map[string]tftypes.Value{"mail": str("gw@example.org")}, limit: 10})
		if len(stream) != 1 || !hasError(stream[0].diags) || stream[0].id != 0 {
			t.Fatalf("want one error result, got %+v", stream)
		}
		text := diagsText(stream[0].diags)
		if !strings.Contains(text, "Cannot search Qomon contacts") || strings.Contains(text, "gw@example.org") {
			t.Errorf("diagnostic:\n%s", text)
		}
	})
	t.Run("a read fails midway", func(t *testing.T) {
		env := acctest.Parallel(t, qomonsim.Options{}, func(c *qomon.Config) { c.Retry.MaxRetries = 0 })
		for i := range 5 {
			env.Sim.SeedContact(map[string]any{"surname": fmt.Sprintf("Read%d", i)})
		}
		p := newRPCProvider(t, env)
		order := results(t, p.list(listRequest{limit: 10}))
		env.Sim.InjectFault(qomonsim.Fault{Method: "GET", Path: fmt.Sprintf("/contacts/%d", order[2]), Kind: qomonsim.FaultStatus, Status: 503})
		stream := p.list(listRequest{limit: 10, includeResource: true})
		if len(stream) != 3 {
			t.Fatalf("%d results, want the two read before the failure and the error", len(stream))
		}
		for i, r := range stream[:2] {
			if r.id != order[i] || r.resource == nil || len(r.diags) > 0 {
				t.Errorf("result %d: %+v", i, r)
			}
		}
		if last := stream[2]; !hasError(last.diags) || !strings.Contains(diagsText(last.diags), fmt.Sprintf("Cannot read contact %d", order[2])) {
			t.Errorf("the stream does not end with the read error: %+v", last)
		}
	})
	t.Run("a contact deleted since the search is left out", func(t *testing.T) {
		// The search index lags: it still holds a contact deleted a moment ago.
		env := acctest.Parallel(t, qomonsim.Options{SearchLag: time.Hour})
		kept := env.Sim.SeedContact(map[string]any{"surname": "Kept"})
		gone := env.Sim.SeedContact(map[string]any{"surname": "Gone"})
		env.Sim.DeleteContact(gone)
		p := newRPCProvider(t, env)
		if got := results(t, p.list(listRequest{limit: 10})); len(got) != 2 {
			t.Fatalf("the lagging search should still find both, found %v", got)
		}
		got := results(t, p.list(listRequest{limit: 10, includeResource: true}))
		if !slices.Equal(got, []int64{kept}) {
			t.Errorf("listed %v with include_resource, want only %d", got, kept)
		}
	})
	t.Run("invalid filters", func(t *testing.T) {
		env := acctest.Parallel(t, qomonsim.Options{})
		p := newRPCProvider(t, env)
		for _, c := range []struct{ attr, value string }{
			{"updated_since", "last tuesday"},
			{"mail", "not-an-address"},
			{"surname", "  "},
		} {
			config := map[string]tftypes.Value{c.attr: str(c.value)}
			resp, err := p.server.ValidateListResourceConfig(context.Background(), &tfprotov6.ValidateListResourceConfigRequest{
				TypeName: "qomon_contact", Config: p.encode(p.listType(), p.dynamic(p.listType(), config)),
			})
			if err != nil {
				t.Fatal(err)
			}
			text := diagsText(resp.Diagnostics)
			if !hasError(resp.Diagnostics) || !strings.Contains(text, c.attr) {
				t.Errorf("%s = %q: validation says\n%s", c.attr, c.value, text)
			}
			// A date is no personal data; a name or an address is, and is not repeated.
			if c.attr != "updated_since" && strings.TrimSpace(c.value) != "" && strings.Contains(text, c.value) {
				t.Errorf("validation repeats the value of %s:\n%s", c.attr, text)
			}
		}
		// Values the validation cannot see reach List: they fail there, before any request.
		env.Sim.ResetRequests()
		stream := p.list(listRequest{config: map[string]tftypes.Value{"updated_since": str("yesterday")}, limit: 10})
		if len(stream) != 1 || !strings.Contains(diagsText(stream[0].diags), "updated_since:") {
			t.Errorf("stream %+v", stream)
		}
		unknown := map[string]tftypes.Value{"tag": tftypes.NewValue(tftypes.String, tftypes.UnknownValue)}
		stream = p.list(listRequest{config: unknown, limit: 10})
		if len(stream) != 1 || !strings.Contains(diagsText(stream[0].diags), "Filters not known") {
			t.Errorf("stream %+v", stream)
		}
		if reqs := env.Sim.Requests(); len(reqs) != 0 {
			t.Errorf("invalid filters sent %s", requestsLine(reqs))
		}
	})
	t.Run("provider not configured", func(t *testing.T) {
		env := acctest.Parallel(t, qomonsim.Options{})
		server := startServer(t, env)
		schema, err := server.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
		if err != nil {
			t.Fatal(err)
		}
		typ := schema.ListResourceSchemas["qomon_contact"].ValueType()
		p := &rpcProvider{t: t, server: server, schema: schema}
		stream, err := server.ListResource(context.Background(), &tfprotov6.ListResourceRequest{
			TypeName: "qomon_contact", Config: p.encode(typ, p.dynamic(typ, nil)), Limit: 10,
		})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for r := range stream.Results {
			n++
			if !strings.Contains(diagsText(r.Diagnostics), "Provider not configured") {
				t.Errorf("result %+v", r)
			}
		}
		if n != 1 {
			t.Errorf("%d results, want the error alone", n)
		}
	})
}

// The list goes through the provider's one client, so its searches and reads are paced like
// every other request: a bucket of 3 tokens is never overdrawn by a list of 12 contacts read
// one by one.
func TestListResource_pacing(t *testing.T) {
	rl := qomonsim.RateLimit{Burst: 3, PerSecond: 40}
	env := acctest.Parallel(t, qomonsim.Options{RateLimit: rl}, func(c *qomon.Config) {
		c.RateLimit = qomon.RateLimit{Burst: rl.Burst, PerSecond: rl.PerSecond}
	})
	for i := range 12 {
		env.Sim.SeedContact(map[string]any{"surname": fmt.Sprintf("Paced%d", i)})
	}
	p := newRPCProvider(t, env)
	if got := results(t, p.list(listRequest{limit: 100, includeResource: true})); len(got) != 12 {
		t.Fatalf("listed %d contacts", len(got))
	}
	for _, r := range env.Sim.Requests() {
		if r.RateLimited {
			t.Errorf("%s %s was refused by the rate limit", r.Method, r.Path)
		}
	}
}
