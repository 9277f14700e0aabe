package qomonsim

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestNoteIDsRenew(t *testing.T) {
	c := newTC(t, Options{NoteIDs: NoteIDsRenew})
	created := c.create(map[string]any{"surname": "N", "notes": []any{map[string]any{"content": "first"}}})
	first := created["notes"].([]any)[0].(map[string]any)
	got := c.do("PATCH", fmt.Sprintf("/contacts/%d", idOf(t, created)), wrap(map[string]any{"surname": "N", "notes": []any{
		map[string]any{"id": first["id"], "content": "first"},
	}})).want(t, 200).contact(t)
	n := got["notes"].([]any)[0].(map[string]any)
	if n["id"] == first["id"] || n["data"] != "first" {
		t.Errorf("renew kept the id: before %v, after %v", first, n)
	}
	// An app edit is not an API write: it keeps ids whatever the switch.
	id := idOf(t, got)
	if err := c.s.EditContact(id, func(m map[string]any) { m["phone"] = "0102030405" }); err != nil {
		t.Fatal(err)
	}
	after, _ := c.s.Contact(id)
	if after["notes"].([]any)[0].(map[string]any)["id"] != float64(int64(n["id"].(float64))) {
		t.Errorf("an app edit renewed note ids: %v", after["notes"])
	}
}

func TestEmptyLists(t *testing.T) {
	lists := []string{"tags", "notes", "formdatas", "custom_fields", "action_ids"}
	full := map[string]any{"surname": "L", "tags": []any{"x"}, "notes": []any{map[string]any{"content": "n"}},
		"formdatas":     []any{map[string]any{"form_id": 11300, "form_ref_id": 17880}},
		"custom_fields": []any{map[string]any{"form_id": 11393, "form_ref_id": 17901, "data": "Nick"}}, "action_ids": []any{4}}
	empty := map[string]any{"surname": "L"}
	for _, k := range lists {
		empty[k] = []any{}
	}

	c := newTC(t, Options{})
	id := idOf(t, c.create(full))
	got := c.do("PATCH", fmt.Sprintf("/contacts/%d", id), wrap(empty)).want(t, 200).contact(t)
	for _, k := range lists {
		if l, ok := got[k].([]any); !ok || len(l) != 0 {
			t.Errorf("accept: %s = %v after []", k, got[k])
		}
	}

	c = newTC(t, Options{EmptyLists: EmptyListsRefuse})
	id = idOf(t, c.create(full))
	r := c.do("PATCH", fmt.Sprintf("/contacts/%d", id), wrap(empty)).want(t, 422)
	locs := r.errorLocations()
	for _, k := range lists {
		if !slices.Contains(locs, "body.data.contact."+k) {
			t.Errorf("refuse: no error at %s in %v", k, locs)
		}
	}
	c.do("POST", "/contacts", wrap(map[string]any{"surname": "M", "tags": []any{}})).want(t, 422)
	if stored, _ := c.s.Contact(id); len(stored["tags"].([]any)) != 1 {
		t.Errorf("a refused PATCH changed the contact: %v", stored["tags"])
	}
	if _, err := c.s.TrySeedContact(map[string]any{"surname": "Seeded", "tags": []any{}}); err != nil {
		t.Errorf("seeding is not an API write: %v", err)
	}
}

func TestEmptyAddress(t *testing.T) {
	for _, tt := range []struct {
		opts Options
		kept bool
	}{
		{Options{}, false},
		{Options{EmptyAddress: EmptyAddressKeep}, true},
		{Options{EmptyAddress: EmptyAddressKeep, PatchMode: PatchMerge}, true},
	} {
		c := newTC(t, tt.opts)
		id := idOf(t, c.create(map[string]any{"surname": "A", "address": map[string]any{"street": "Rue", "city": "Lyon"}}))
		got := c.do("PATCH", fmt.Sprintf("/contacts/%d", id), wrap(map[string]any{"surname": "A", "address": map[string]any{}})).want(t, 200).contact(t)
		addr, _ := got["address"].(map[string]any)
		if kept := addr["city"] == "Lyon" && addr["street"] == "Rue"; kept != tt.kept {
			t.Errorf("%+v: address after {} = %v", tt.opts, addr)
		}
		// A part sent, even as null, is a write of the address, whatever the switch.
		got = c.do("PATCH", fmt.Sprintf("/contacts/%d", id), wrap(map[string]any{"surname": "A", "address": map[string]any{"city": nil}})).want(t, 200).contact(t)
		if addr, _ := got["address"].(map[string]any); addr["city"] != nil {
			t.Errorf("%+v: city null did not clear: %v", tt.opts, addr)
		}
	}
}

func TestSearchOmits(t *testing.T) {
	for _, sp := range []Spelling{SpellingNew, SpellingOld} {
		c := newTC(t, Options{Spelling: sp, SearchOmits: []string{"notes", "custom_fields"}})
		created := c.create(map[string]any{"surname": "S", "notes": []any{map[string]any{"content": "n"}}})
		r := c.do("POST", "/search", searchBody(nil, nil)).want(t, 200)
		hit := r.body["data"].(map[string]any)["contacts"].([]any)[0].(map[string]any)
		for _, k := range []string{"notes", "custom_fields", "customfields"} {
			if _, ok := hit[k]; ok {
				t.Errorf("%s: the hit has %s", sp, k)
			}
		}
		if hit["surname"] != "S" || hit["tags"] == nil {
			t.Errorf("%s: the hit lost more than asked: %v", sp, hit)
		}
		if got := c.do("GET", fmt.Sprintf("/contacts/%d", idOf(t, created)), nil).want(t, 200).contact(t); len(got["notes"].([]any)) != 1 {
			t.Errorf("%s: GET lost the notes too", sp)
		}
	}
}

func TestRateLimitHeaderShapes(t *testing.T) {
	rl := []string{"X-Ratelimit-Limit", "X-Ratelimit-Remaining", "X-Ratelimit-Cost", "X-Ratelimit-Reset",
		"Ratelimit-Limit", "Ratelimit-Remaining", "Ratelimit-Reset", "Ratelimit-Policy"}
	for _, tt := range []struct {
		shape RateLimitHeaders
		want  map[string]string // header -> value, "*" any
	}{
		{RateLimitHeadersQomon, map[string]string{"X-Ratelimit-Limit": "burst:100;rate:10.0", "X-Ratelimit-Remaining": "99", "X-Ratelimit-Cost": "1", "X-Ratelimit-Reset": "*"}},
		{RateLimitHeadersPlain, map[string]string{"X-Ratelimit-Limit": "100", "X-Ratelimit-Remaining": "99", "X-Ratelimit-Reset": "*"}},
		{RateLimitHeadersIETF, map[string]string{"Ratelimit-Limit": "100", "Ratelimit-Remaining": "99", "Ratelimit-Reset": "1", "Ratelimit-Policy": "100;w=10"}},
		{RateLimitHeadersNone, map[string]string{}},
	} {
		c := newTC(t, Options{RateLimit: RateLimit{Headers: tt.shape}})
		r := c.do("GET", "/v1/forms/type/consent", nil).want(t, 200)
		for _, h := range rl {
			want, expected := tt.want[h]
			got := r.header.Get(h)
			switch {
			case !expected && got != "":
				t.Errorf("%s: unexpected %s: %s", tt.shape, h, got)
			case expected && (got == "" || want != "*" && got != want):
				t.Errorf("%s: %s = %q, want %q", tt.shape, h, got, want)
			}
		}
		if tt.shape == RateLimitHeadersPlain {
			reset, err := strconv.ParseInt(r.header.Get("X-Ratelimit-Reset"), 10, 64)
			if now := time.Now().Unix(); err != nil || reset < now || reset > now+2 {
				t.Errorf("plain reset %q is not a Unix time about now", r.header.Get("X-Ratelimit-Reset"))
			}
		}
	}
	// The bucket still answers 429 with Retry-After when it sends no headers.
	c := newTC(t, Options{RateLimit: RateLimit{Burst: 1, PerSecond: 0.01, Headers: RateLimitHeadersNone}})
	c.do("GET", "/v1/forms/type/consent", nil).want(t, 200)
	if r := c.do("GET", "/v1/forms/type/consent", nil).want(t, 429); r.header.Get("Retry-After") == "" {
		t.Error("no Retry-After on a 429 without rate-limit headers")
	}
}

func TestNotFoundBodies(t *testing.T) {
	for format, want := range map[NotFoundBody]string{
		NotFoundProblem: `"title":"Not Found"`,
		NotFoundJSend:   `{"message":"record not found","status":"error"}`,
		NotFoundFail:    `{"status":"fail"}`,
		NotFoundEmpty:   ``,
	} {
		c := newTC(t, Options{NotFoundBody: format})
		for _, m := range []string{"GET", "PATCH", "DELETE"} {
			r := c.do(m, "/contacts/999", wrap(map[string]any{"surname": "X"})).want(t, 404)
			body := strings.TrimSpace(string(r.raw))
			if want == "" && body != "" || want != "" && !strings.Contains(body, want) {
				t.Errorf("%s %s: %q, want %q", format, m, body, want)
			}
		}
		// Other 404s (an unknown route, an unknown form) keep the problem format.
		if r := c.do("GET", "/nowhere", nil).want(t, 404); r.body["title"] != "Not Found" {
			t.Errorf("%s: unknown route answered %s", format, r.raw)
		}
	}
}
