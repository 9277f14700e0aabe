package qomon

import (
	"context"
	"strings"
	"testing"
)

// TestSweepPage: one match-all page in SweepOrder, ids and UpdatedAt kept in either spelling,
// a hit without UpdatedAt kept with none (the caller decides what that means), 1 request.
func TestSweepPage(t *testing.T) {
	srv := newFakeServer(t, reply(200, `{"status":"success","data":{"contacts":[`+
		`{"id":7,"surname":"Ada","UpdatedAt":"2026-05-01T08:00:00.000001Z","notes":[{"content":"x"}]},`+
		`{"id":"8","updated_at":"2026-05-02T08:00:00Z"},`+
		`{"id":9},`+
		`{"id":10,"UpdatedAt":true}]}}`))
	c, _ := newTestClient(t, srv.URL)
	got, err := c.SweepPage(context.Background(), 3, 4)
	if err != nil {
		t.Fatal(err)
	}
	want := []Stamp{
		{ID: 7, UpdatedAt: Some("2026-05-01T08:00:00.000001Z")},
		{ID: 8, UpdatedAt: Some("2026-05-02T08:00:00Z")},
		{ID: 9},
		{ID: 10}, // no text: kept as none rather than failing the page
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		if got[i].ID != want[i].ID || got[i].UpdatedAt != want[i].UpdatedAt {
			t.Errorf("stamp %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
	seen := srv.seen()
	if len(seen) != 1 || seen[0].Method != "POST" || seen[0].Path != "/search" {
		t.Fatalf("requests: %+v", seen)
	}
	wantBody := `{"data":{"advanced_search":{"page":3,"per_page":4,"sort_attr":"lastchange","sort_asc":true,"query":{"$all":[]}}}}`
	if seen[0].Body != wantBody {
		t.Errorf("body\n got %s\nwant %s", seen[0].Body, wantBody)
	}
}

func TestSweepPageRejects(t *testing.T) {
	srv := newFakeServer(t, reply(200, `{"data":{"contacts":[]}}`))
	c, _ := newTestClient(t, srv.URL)
	for _, bad := range [][2]int{{0, 0}, {0, 1001}, {-1, 10}} {
		if _, err := c.SweepPage(context.Background(), bad[0], bad[1]); err == nil {
			t.Errorf("page %d of %d accepted", bad[0], bad[1])
		}
	}
	if n := len(srv.seen()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
	for body, want := range map[string]string{
		`{"data":{"contacts":[{"UpdatedAt":"2026-05-01T08:00:00Z"}]}}`: "has no id",
		`{"data":{"contacts":[{"id":"x"}]}}`:                           "cannot be read",
		`{"data":{}}`:                                                  "no data.contacts",
		`<html>502</html>`:                                             "HTML",
	} {
		srv := newFakeServer(t, reply(200, body))
		c, _ := newTestClient(t, srv.URL)
		if _, err := c.SweepPage(context.Background(), 0, 10); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %q", body, err, want)
		}
	}
	srv = newFakeServer(t, reply(200, `{"data":{"contacts":null}}`))
	c, _ = newTestClient(t, srv.URL)
	if got, err := c.SweepPage(context.Background(), 0, 10); err != nil || len(got) != 0 {
		t.Errorf("null contacts: %v, %v", got, err)
	}
}
