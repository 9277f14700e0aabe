package qomon

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestSearchRequestBody(t *testing.T) {
	srv := newFakeServer(t, reply(200, `{"status":"success","data":{"contacts":null}}`))
	c, _ := newTestClient(t, srv.URL)
	res, err := c.SearchContacts(context.Background(), SearchRequest{
		Query: Query{Groups: []Group{
			{Conditions: []Condition{{Attr: "mail", Ope: "eql:strictdata", Value: "ada@example.org"}}},
			{Op: OpAtLeastOne, Conditions: []Condition{
				{Attr: "UpdatedAt", Ope: "range", From: "now-7d", To: "now"},
				{Attr: "custom_fields", Ope: "any_of", FormID: 3, FormRefIDs: []int64{4, 5}},
				{Attr: "mobile", Ope: "ext"},
			}},
		}},
		SortAttr: "lastchange", SortAsc: true, PerPage: 500,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Contacts) != 0 || res.Truncated || res.Pages != 1 {
		t.Errorf("result %+v", res)
	}
	want := `{"data":{"advanced_search":{"page":0,"per_page":500,"sort_attr":"lastchange","sort_asc":true,"query":{"$all":[` +
		`{"$all":[{"$condition":{"attr":"mail","ope":"eql:strictdata","value":"ada@example.org"}}]},` +
		`{"$at_least_one":[{"$condition":{"attr":"UpdatedAt","ope":"range","from":"now-7d","to":"now"}},` +
		`{"$condition":{"attr":"custom_fields","ope":"any_of","form_id":3,"form_ref_ids":[4,5]}},` +
		`{"$condition":{"attr":"mobile","ope":"ext"}}]}]}}}}`
	if r := srv.seen()[0]; r.Method != "POST" || r.Path != "/search" || r.Body != want {
		t.Errorf("sent %s %s\n%s\nwant\n%s", r.Method, r.Path, r.Body, want)
	}
}

func TestSearchEmptyQueryMatchesAll(t *testing.T) {
	srv := newFakeServer(t, reply(200, `{"data":{"contacts":[]}}`))
	c, _ := newTestClient(t, srv.URL)
	if _, err := c.SearchContacts(context.Background(), SearchRequest{Query: Query{Op: OpAtLeastOne}}); err != nil {
		t.Fatal(err)
	}
	if body := srv.seen()[0].Body; !strings.Contains(body, `"query":{"$at_least_one":[]}`) || !strings.Contains(body, `"per_page":1000`) ||
		strings.Contains(body, "sort_attr") {
		t.Errorf("sent %s", body)
	}
}

// pagedServer serves n contacts (ids 1..n) in Qomon's way: page offsets, no total.
func pagedServer(t *testing.T, n int) *fakeServer {
	return newFakeServer(t, func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Data struct {
				AdvancedSearch struct {
					Page    int `json:"page"`
					PerPage int `json:"per_page"`
				} `json:"advanced_search"`
			} `json:"data"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		p := req.Data.AdvancedSearch
		var items []string
		for id := p.Page*p.PerPage + 1; id <= min(n, (p.Page+1)*p.PerPage); id++ {
			items = append(items, fmt.Sprintf(`{"id":%d,"surname":"S%d"}`, id, id))
		}
		reply(200, `{"status":"success","data":{"contacts":[`+strings.Join(items, ",")+`]}}`)(w, r)
	})
}

func TestSearchPaging(t *testing.T) {
	cases := []struct {
		name                 string
		n, perPage, limit    int
		wantCount, wantPages int
		wantTruncated        bool
		wantPerPageSent      int
	}{
		{"one short page", 3, 10, 0, 3, 1, false, 10},
		{"exact multiple needs an empty page", 20, 10, 0, 20, 3, false, 10},
		{"several pages", 25, 10, 0, 25, 3, false, 10},
		{"limit cuts", 25, 10, 12, 12, 2, true, 7},
		{"limit equal to total is not truncated", 12, 10, 12, 12, 2, false, 7},
		{"limit above total", 5, 10, 12, 5, 1, false, 7},
		{"small limit, one page", 2500, 0, 10, 10, 1, true, 11},
		{"large limit", 2500, 0, 2000, 2000, 3, true, 667},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := pagedServer(t, tc.n)
			c, _ := newTestClient(t, srv.URL)
			res, err := c.SearchContacts(context.Background(), SearchRequest{PerPage: tc.perPage, Limit: tc.limit})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Contacts) != tc.wantCount || res.Pages != tc.wantPages || res.Truncated != tc.wantTruncated {
				t.Errorf("got %d contacts, %d pages, truncated %v", len(res.Contacts), res.Pages, res.Truncated)
			}
			for i, ct := range res.Contacts {
				if ct.ID.Value != int64(i+1) || ct.Surname.Value != fmt.Sprintf("S%d", i+1) {
					t.Fatalf("contact %d is %v", i, ct.ID)
				}
			}
			for i, r := range srv.seen() {
				if !strings.Contains(r.Body, fmt.Sprintf(`"page":%d,"per_page":%d,`, i, tc.wantPerPageSent)) {
					t.Errorf("request %d: %s", i, r.Body)
				}
			}
		})
	}
}

func TestSearchDeduplicatesAndStopsWhenStuck(t *testing.T) {
	page := func(ids ...int) http.HandlerFunc {
		var items []string
		for _, id := range ids {
			items = append(items, fmt.Sprintf(`{"id":%d}`, id))
		}
		return reply(200, `{"data":{"contacts":[`+strings.Join(items, ",")+`]}}`)
	}
	// The index shifted: contact 2 shows up on two pages.
	srv := newFakeServer(t, page(1, 2), page(2, 3), page(4))
	c, _ := newTestClient(t, srv.URL)
	res, err := c.SearchContacts(context.Background(), SearchRequest{PerPage: 2})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, ct := range res.Contacts {
		ids = append(ids, ct.ID.Value)
	}
	if fmt.Sprint(ids) != "[1 2 3 4]" {
		t.Errorf("ids %v", ids)
	}
	// A server that ignores `page` would loop forever.
	stuck := newFakeServer(t, page(1, 2))
	c, _ = newTestClient(t, stuck.URL)
	if _, err := c.SearchContacts(context.Background(), SearchRequest{PerPage: 2}); err == nil || !strings.Contains(err.Error(), "not progressing") {
		t.Errorf("got %v", err)
	}
	if n := len(stuck.seen()); n != 2 {
		t.Errorf("%d pages requested", n)
	}
}

func TestSearchRejects(t *testing.T) {
	srv := newFakeServer(t, reply(200, `{"data":{"contacts":[]}}`))
	c, _ := newTestClient(t, srv.URL)
	bad := []SearchRequest{
		{PerPage: 1001}, {PerPage: -1}, {Limit: -1},
		{Query: Query{Op: "$any"}},
		{Query: Query{Groups: []Group{{Op: "$or", Conditions: []Condition{{Attr: "a", Ope: "ext"}}}}}},
		{Query: Query{Groups: []Group{{}}}},
		{Query: Query{Groups: []Group{{Conditions: []Condition{{Attr: "mail"}}}}}},
	}
	for _, req := range bad {
		if _, err := c.SearchContacts(context.Background(), req); err == nil {
			t.Errorf("%+v accepted", req)
		}
	}
	if n := len(srv.seen()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
	answers := map[string]string{
		`{"data":{}}`:                               "no data.contacts",
		`{"data":{"contacts":{}}}`:                  "not an array",
		`{"data":{"contacts":[{"mail":1}]}}`:        "has no id",
		`{"data":{"contacts":[{"id":1,"tags":5}]}}`: "cannot be read",
		`[]`: "not a JSON object",
	}
	for body, want := range answers {
		srv := newFakeServer(t, reply(200, body))
		c, _ := newTestClient(t, srv.URL)
		if _, err := c.SearchContacts(context.Background(), SearchRequest{}); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v", body, err)
		}
	}
	unprocessable := newFakeServer(t, reply(422, `{"title":"Unprocessable Entity","errors":[{"location":"body.data.advanced_search.query","message":"must have two levels"}]}`))
	c, _ = newTestClient(t, unprocessable.URL)
	if _, err := c.SearchContacts(context.Background(), SearchRequest{}); err == nil || !strings.Contains(err.Error(), "must have two levels") {
		t.Errorf("422: %v", err)
	}
}

func TestPageSize(t *testing.T) {
	cases := []struct{ perPage, limit, want int }{
		{1000, 0, 1000}, {1000, 10, 11}, {1000, 999, 1000}, {1000, 1000, 501}, {1000, 2500, 834}, {10, 12, 7}, {1, 5, 1},
	}
	for _, tc := range cases {
		got := pageSize(tc.perPage, tc.limit)
		if got != tc.want || got > tc.perPage {
			t.Errorf("pageSize(%d, %d) = %d, want %d", tc.perPage, tc.limit, got, tc.want)
		}
		if tc.limit > 0 {
			pages := (tc.limit + 1 + got - 1) / got
			if best := (tc.limit + 1 + tc.perPage - 1) / tc.perPage; pages != best {
				t.Errorf("pageSize(%d, %d) needs %d pages, the largest pages %d", tc.perPage, tc.limit, pages, best)
			}
		}
	}
}
