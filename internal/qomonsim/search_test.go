package qomonsim

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

func cond(attr, ope, value string) map[string]any {
	c := map[string]any{"attr": attr, "ope": ope}
	if value != "" {
		c["value"] = value
	}
	return map[string]any{"$condition": c}
}

func allOf(conds ...any) map[string]any {
	return map[string]any{"$all": []any{map[string]any{"$all": conds}}}
}

func searchBody(query any, extra map[string]any) map[string]any {
	as := map[string]any{"per_page": 1000}
	if query != nil {
		as["query"] = query
	}
	for k, v := range extra {
		as[k] = v
	}
	return map[string]any{"data": map[string]any{"advanced_search": as}}
}

// surnames runs a search and returns the surnames found, in order.
func (c *tc) surnames(body any) []string {
	c.t.Helper()
	r := c.do("POST", "/search", body).want(c.t, 200)
	if r.body["status"] != "success" {
		c.t.Fatalf("envelope %s", r.raw)
	}
	data := r.body["data"].(map[string]any)
	if _, ok := data["total"]; ok {
		c.t.Error("search answered a total")
	}
	var out []string
	for _, x := range data["contacts"].([]any) {
		s, _ := x.(map[string]any)["surname"].(string)
		out = append(out, s)
	}
	return out
}

func seedPeople(t *testing.T, c *tc) {
	t.Helper()
	now := time.Now().UTC()
	people := []map[string]any{
		{"surname": "Alpha", "firstname": "Ada", "mail": "ada@example.org", "tags": []any{"volunteer"}, "address": map[string]any{"city": "Testville", "postalcode": "75001"}, "black_list": true,
			"UpdatedAt": now.Add(-30 * 24 * time.Hour).Format(time.RFC3339), "CreatedAt": now.Add(-60 * 24 * time.Hour).Format(time.RFC3339)},
		{"surname": "Bravo", "firstname": "Bob", "mail": "ada@example.org.uk", "tags": []any{"donor", "volunteer"}, "address": map[string]any{"city": "Test", "postalcode": "69001"}, "mobile": "0600000000",
			"formdatas": []any{map[string]any{"form_id": 11300, "form_ref_id": 17880}}},
		{"surname": "Charlie", "firstname": "Cleo", "mail": "cleo@example.org", "address": map[string]any{"city": "Lyon"},
			"custom_fields": []any{map[string]any{"form_id": 11393, "form_ref_id": 17901, "data": "The Queen"}}},
		{"surname": "delta", "firstname": "Dan", "birthdate": "1990-05-01"},
	}
	for _, p := range people {
		if _, err := c.s.TrySeedContact(p); err != nil {
			t.Fatal(err)
		}
	}
}

func TestSearchOperators(t *testing.T) {
	c := newTC(t, Options{RateLimit: RateLimit{Disabled: true}})
	seedPeople(t, c)
	cases := []struct {
		name  string
		query any
		want  []string
	}{
		{"empty $all matches all", map[string]any{"$all": []any{}}, []string{"Alpha", "Bravo", "Charlie", "delta"}},
		{"eql is a token prefix, case-insensitive", allOf(cond("address.city", "eql", "test")), []string{"Alpha", "Bravo"}},
		{"eql on mail matches a longer address", allOf(cond("mail", "eql", "ada@example.org")), []string{"Alpha", "Bravo"}},
		{"eql:strictdata is exact", allOf(cond("mail", "eql:strictdata", "ada@example.org")), []string{"Alpha"}},
		{"eql:strictdata is case-sensitive", allOf(cond("surname", "eql:strictdata", "alpha")), nil},
		{"not_eql", allOf(cond("address.city", "not_eql", "test")), []string{"Charlie", "delta"}},
		{"tags.name eql", allOf(cond("tags.name", "eql", "donor")), []string{"Bravo"}},
		{"black_list eql true", allOf(cond("black_list", "eql", "true")), []string{"Alpha"}},
		{"black_list eql false", allOf(cond("black_list", "eql", "false")), []string{"Bravo", "Charlie", "delta"}},
		{"address.postalcode", allOf(cond("address.postalcode", "eql", "69001")), []string{"Bravo"}},
		{"UpdatedAt gte now-7d", allOf(cond("UpdatedAt", "gte", "now-7d")), []string{"Bravo", "Charlie", "delta"}},
		{"UpdatedAt gte now-7d/d rounds down", allOf(cond("UpdatedAt", "gte", "now-31d/d")), []string{"Alpha", "Bravo", "Charlie", "delta"}},
		{"CreatedAt gte an absolute date", allOf(cond("CreatedAt", "gte", "2000-01-01")), []string{"Alpha", "Bravo", "Charlie", "delta"}},
		{"birthdate gte", allOf(cond("birthdate", "gte", "1990-05-01||-1d")), []string{"delta"}},
		{"black_list not_eql true", allOf(cond("black_list", "not_eql", "true")), []string{"Bravo", "Charlie", "delta"}},
		{"$at_least_one root", map[string]any{"$at_least_one": []any{
			map[string]any{"$all": []any{cond("surname", "eql", "alpha")}},
			map[string]any{"$all": []any{cond("surname", "eql", "charlie")}},
		}}, []string{"Alpha", "Charlie"}},
		{"$at_least_one group", allOf(cond("firstname", "eql", "bob"), cond("firstname", "eql", "nobody")), nil},
		{"OR inside a group", map[string]any{"$all": []any{map[string]any{"$at_least_one": []any{cond("firstname", "eql", "bob"), cond("firstname", "eql", "dan")}}}}, []string{"Bravo", "delta"}},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.surnames(searchBody(tt.query, nil)); !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSearchPagingAndSorting(t *testing.T) {
	c := newTC(t, Options{RateLimit: RateLimit{Disabled: true}})
	for i := 0; i < 25; i++ {
		c.s.SeedContact(map[string]any{"surname": fmt.Sprintf("S%02d", 24-i)})
	}
	var all []string
	for page := 0; ; page++ {
		got := c.surnames(searchBody(map[string]any{"$all": []any{}}, map[string]any{"per_page": 10, "page": page, "sort_attr": "surname", "sort_asc": true}))
		all = append(all, got...)
		if len(got) < 10 {
			if page != 2 || len(got) != 5 {
				t.Errorf("page %d had %d contacts", page, len(got))
			}
			break
		}
	}
	if len(all) != 25 || !slices.IsSorted(all) {
		t.Errorf("paged sweep %v", all)
	}
	desc := c.surnames(searchBody(nil, map[string]any{"per_page": 3, "sort_attr": "surname"}))
	if !slices.Equal(desc, []string{"S24", "S23", "S22"}) {
		t.Errorf("sort_asc defaults to false: %v", desc)
	}
	if got := c.surnames(searchBody(nil, map[string]any{"per_page": 10, "page": 7})); len(got) != 0 {
		t.Errorf("page past the end: %v", got)
	}
	c2 := newTC(t, Options{RateLimit: RateLimit{Disabled: true}})
	for i, stamp := range []string{"2026-01-01T00:00:00.5Z", "2026-01-01T00:00:00Z", "2026-01-01T00:00:01Z"} {
		c2.s.SeedContact(map[string]any{"surname": fmt.Sprint(i), "lastchange": stamp})
	}
	byChange := c2.surnames(searchBody(nil, map[string]any{"sort_attr": "lastchange", "sort_asc": true}))
	if !slices.Equal(byChange, []string{"1", "0", "2"}) {
		t.Errorf("by lastchange: %v", byChange)
	}
	byCity := c2.surnames(searchBody(nil, map[string]any{"sort_attr": "city", "sort_asc": true}))
	if len(byCity) != 3 {
		t.Errorf("by city: %v", byCity)
	}
}

func TestSearchValidation(t *testing.T) {
	c := newTC(t, Options{RateLimit: RateLimit{Disabled: true}})
	base := "body.data.advanced_search"
	cases := []struct {
		name string
		body any
		loc  string
	}{
		{"missing advanced_search", map[string]any{"data": map[string]any{}}, "body.data.advanced_search"},
		{"missing data", map[string]any{}, "body.data"},
		{"per_page missing", map[string]any{"data": map[string]any{"advanced_search": map[string]any{}}}, base + ".per_page"},
		{"per_page 0", searchBody(nil, map[string]any{"per_page": 0}), base + ".per_page"},
		{"per_page 1001", searchBody(nil, map[string]any{"per_page": 1001}), base + ".per_page"},
		{"negative page", searchBody(nil, map[string]any{"page": -1}), base + ".page"},
		{"unknown sort_attr", searchBody(nil, map[string]any{"sort_attr": "UpdatedAt"}), base + ".sort_attr"},
		{"unknown key", searchBody(nil, map[string]any{"perPage": 5}), base + ".perPage"},
		{"condition under the root", searchBody(map[string]any{"$all": []any{cond("mail", "eql", "x")}}, nil), base + ".query.$all[0]"},
		{"three levels", searchBody(map[string]any{"$all": []any{map[string]any{"$all": []any{map[string]any{"$all": []any{}}}}}}, nil), base + ".query.$all[0].$all[0]"},
		{"bad root key", searchBody(map[string]any{"$any": []any{}}, nil), base + ".query.$any"},
		{"two root keys", searchBody(map[string]any{"$all": []any{}, "$at_least_one": []any{}}, nil), base + ".query"},
		{"unknown attr", searchBody(allOf(cond("shoe_size", "eql", "9")), nil), base + ".query.$all[0].$all[0].$condition.attr"},
		{"unknown ope", searchBody(allOf(cond("mail", "like", "x")), nil), base + ".query.$all[0].$all[0].$condition.ope"},
		{"ope not for attr", searchBody(allOf(cond("mail", "gte", "x")), nil), base + ".query.$all[0].$all[0].$condition.ope"},
		{"documented ope not modelled", searchBody(allOf(cond("mail", "contains", "x")), nil), base + ".query.$all[0].$all[0].$condition.ope"},
		{"documented attr not modelled", searchBody(allOf(cond("form", "eql", "x")), nil), base + ".query.$all[0].$all[0].$condition.attr"},
		{"include_interactions is not modelled", searchBody(nil, map[string]any{"include_interactions": true}), base + ".include_interactions"},
		{"missing value", searchBody(allOf(cond("mail", "eql", "")), nil), base + ".query.$all[0].$all[0].$condition.value"},
		{"bad date math", searchBody(allOf(cond("UpdatedAt", "gte", "now-7x")), nil), base + ".query.$all[0].$all[0].$condition.value"},
		{"black_list not a boolean", searchBody(allOf(cond("black_list", "eql", "yes")), nil), base + ".query.$all[0].$all[0].$condition.value"},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			r := c.do("POST", "/search", tt.body).want(t, 422)
			if r.body["instance"] != "/search" {
				t.Errorf("instance %v", r.body["instance"])
			}
			if locs := r.errorLocations(); !slices.Contains(locs, tt.loc) {
				t.Errorf("locations %v, want %s", locs, tt.loc)
			}
		})
	}
	c.do("POST", "/search", `{"data":`).want(t, 400)
}

func TestKPI(t *testing.T) {
	c := newTC(t, Options{RateLimit: RateLimit{Disabled: true}})
	seedPeople(t, c)
	body := map[string]any{"data": map[string]any{"advanced_search": map[string]any{"query": allOf(cond("address.city", "eql", "test"))}}}
	r := c.do("POST", "/kpi", body).want(t, 200)
	if r.body["data"].(map[string]any)["total"] != float64(2) {
		t.Errorf("kpi %s", r.raw)
	}
	c.do("POST", "/kpi", searchBody(nil, map[string]any{"per_page": 0})).want(t, 422)
}

func TestSearchRespectsSpelling(t *testing.T) {
	c := newTC(t, Options{Spelling: SpellingOld, RateLimit: RateLimit{Disabled: true}})
	c.s.SeedContact(map[string]any{"surname": "Old", "birth_city": "Paris"})
	r := c.do("POST", "/search", searchBody(allOf(cond("birthcity", "eql", "paris")), nil)).want(t, 200)
	got := r.body["data"].(map[string]any)["contacts"].([]any)
	if len(got) != 1 || got[0].(map[string]any)["birthcity"] != "Paris" {
		t.Errorf("old-spelling search %s", r.raw)
	}
}

// TestSearchPageTime: a search page takes SearchPageTime per 1,000 contacts it returns, an empty
// page and /kpi take none of it, and the store goes on answering while a page waits.
func TestSearchPageTime(t *testing.T) {
	c := newTC(t, Options{SearchPageTime: 100 * time.Second, RateLimit: RateLimit{Disabled: true}})
	for _, name := range []string{"Alpha", "Bravo"} {
		c.s.SeedContact(map[string]any{"surname": name})
	}
	everyone := map[string]any{"$all": []any{}}
	start := time.Now()
	if got := c.surnames(searchBody(everyone, nil)); len(got) != 2 {
		t.Fatalf("page: %v", got)
	}
	if took := time.Since(start); took < 200*time.Millisecond {
		t.Errorf("a page of 2 contacts at 100 s per 1,000 took %s, want at least 200ms", took)
	}

	c.s.Configure(func(o *Options) { o.SearchPageTime = time.Hour })
	if got := c.surnames(searchBody(everyone, map[string]any{"page": 5})); len(got) != 0 {
		t.Errorf("page past the end: %v", got) // returns at once, or the test would time out
	}
	c.do("POST", "/kpi", searchBody(everyone, nil)).want(t, 200)

	waiting := make(chan error, 1)
	go func() {
		_, err := c.try("POST", "/search", searchBody(everyone, nil))
		waiting <- err
	}()
	time.Sleep(50 * time.Millisecond) // let the search reach its wait
	id := c.s.SeedContact(map[string]any{"surname": "Charlie"})
	c.do("GET", fmt.Sprintf("/contacts/%d", id), nil).want(t, 200)
	select {
	case err := <-waiting:
		t.Errorf("the slow page answered before the GET made during its wait (%v)", err)
	default:
	}
}
