package qomonsim

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestSeedContactHonoursIDsAndTimestamps(t *testing.T) {
	c := newTC(t, Options{})
	id, err := c.s.TrySeedContact(map[string]any{
		"id": 12345678, "surname": "Old", "birthcity": "Paris",
		"CreatedAt": "2020-01-02T03:04:05.123456Z", "UpdatedAt": "2021-01-02T03:04:05Z", "lastchange": "2020-06-01T00:00:00.5Z",
	})
	if err != nil || id != 12345678 {
		t.Fatalf("seed: %d %v", id, err)
	}
	got, ok := c.s.Contact(id)
	if !ok || got["CreatedAt"] != "2020-01-02T03:04:05.123456Z" || got["UpdatedAt"] != "2021-01-02T03:04:05.000000Z" || got["lastchange"] != "2020-06-01T00:00:00.500Z" {
		t.Errorf("seeded stamps %v %v %v", got["CreatedAt"], got["UpdatedAt"], got["lastchange"])
	}
	if got["birth_city"] != "Paris" {
		t.Errorf("seed did not accept the old spelling: %v", got)
	}
	if len(c.s.Requests()) != 0 {
		t.Error("seeding logged a request")
	}
	if _, err := c.s.TrySeedContact(map[string]any{"id": 12345678}); err == nil {
		t.Error("seeding a taken id succeeded")
	}
	if id := c.s.SeedContact(map[string]any{"mail": "nope"}); id != 0 {
		t.Errorf("invalid seed returned %d", id)
	}
	_, err = c.s.TrySeedContact(map[string]any{"mail": "nope", "gender": "Z"})
	if err == nil || !strings.Contains(err.Error(), "contact.mail") || !strings.Contains(err.Error(), "contact.gender") {
		t.Errorf("seed error %v", err)
	}
	// API-created contacts keep getting fresh ids around seeded ones.
	next := c.create(map[string]any{"surname": "New"})
	if idOf(t, next) == id {
		t.Error("id reused")
	}
}

func TestEditContactActsLikeAPersonInTheApp(t *testing.T) {
	clock := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	tick := func() { mu.Lock(); clock = clock.Add(time.Minute); mu.Unlock() }
	c := newTC(t, Options{Now: now})
	created := c.create(map[string]any{"surname": "Lovelace", "mail": "ada@example.org", "tags": []any{"a"},
		"formdatas": []any{map[string]any{"form_id": 11300, "form_ref_id": 17880}}})
	id := idOf(t, created)

	tick()
	c.do("PATCH", fmt.Sprintf("/contacts/%d", id), wrap(map[string]any{"surname": "Lovelace", "mail": "ada@example.org", "tags": []any{"a"}})).want(t, 200)
	afterAPI, _ := c.s.Contact(id)
	if afterAPI["lastchange"] != created["lastchange"] || afterAPI["UpdatedAt"] == created["UpdatedAt"] {
		t.Errorf("API PATCH: lastchange %v -> %v, UpdatedAt %v -> %v", created["lastchange"], afterAPI["lastchange"], created["UpdatedAt"], afterAPI["UpdatedAt"])
	}

	tick()
	err := c.s.EditContact(id, func(m map[string]any) {
		m["phone"] = "0102030405"
		m["id"] = 1 // read-only: ignored
		m["formdatas"] = []any{map[string]any{"form_id": 11240, "form_ref_id": 17871}}
	})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := c.s.Contact(id)
	if got["phone"] != "0102030405" || got["surname"] != "Lovelace" || got["mail"] != "ada@example.org" {
		t.Errorf("edit: %v", got)
	}
	if got["lastchange"] != "2026-01-01T12:02:00.000Z" || got["UpdatedAt"] != "2026-01-01T12:02:00.000000Z" || got["lastchangeuserid"] == nil {
		t.Errorf("edit stamps: lastchange %v UpdatedAt %v lastchangeuserid %v", got["lastchange"], got["UpdatedAt"], got["lastchangeuserid"])
	}
	if r := refs(got["formdatas"]); len(r) != 1 || r[0] != 17871 {
		t.Errorf("edited formdatas %v", r)
	}
	if idOf(t, got) != id {
		t.Error("edit changed the id")
	}

	if err := c.s.EditContact(id, func(m map[string]any) { m["mail"] = "broken" }); err == nil || !strings.Contains(err.Error(), "mail") {
		t.Errorf("invalid edit: %v", err)
	}
	if err := c.s.EditContact(99, func(map[string]any) {}); err == nil {
		t.Error("edit of a missing contact succeeded")
	}
}

func TestFrozenClockStillMovesUpdatedAt(t *testing.T) {
	frozen := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := newTC(t, Options{Now: func() time.Time { return frozen }})
	created := c.create(map[string]any{"surname": "A"})
	patched := c.do("PATCH", fmt.Sprintf("/contacts/%d", idOf(t, created)), wrap(map[string]any{"surname": "B"})).want(t, 200).contact(t)
	if patched["UpdatedAt"].(string) <= created["UpdatedAt"].(string) {
		t.Errorf("UpdatedAt %v then %v", created["UpdatedAt"], patched["UpdatedAt"])
	}
}

func TestStoreAccessorsReturnCopies(t *testing.T) {
	c := newTC(t, Options{})
	id := c.s.SeedContact(map[string]any{"surname": "A", "tags": []any{"x"}})
	got, _ := c.s.Contact(id)
	got["surname"] = "mutated"
	got["tags"].([]any)[0].(map[string]any)["name"] = "mutated"
	again, _ := c.s.Contact(id)
	if again["surname"] != "A" || again["tags"].([]any)[0].(map[string]any)["name"] != "x" {
		t.Error("Contact returned the stored map itself")
	}
	if _, isFloat := again["id"].(float64); !isFloat {
		t.Errorf("id is %T, want float64 (JSON-shaped)", again["id"])
	}
	c.s.SeedContact(map[string]any{"surname": "B"})
	all := c.s.Contacts()
	if len(all) != 2 || all[0]["surname"] != "A" || all[1]["surname"] != "B" {
		t.Errorf("Contacts %v", all)
	}
	if !c.s.DeleteContact(id) || c.s.DeleteContact(id) {
		t.Error("DeleteContact reported wrongly")
	}
	if _, ok := c.s.Contact(id); ok {
		t.Error("deleted contact still there")
	}
}

func TestConcurrentClients(t *testing.T) {
	c := newTC(t, Options{RateLimit: RateLimit{Disabled: true}})
	var wg sync.WaitGroup
	ids := make(chan int64, 40)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 5; i++ {
				r, err := c.try("POST", "/contacts", wrap(map[string]any{"surname": fmt.Sprintf("G%d-%d", g, i), "tags": []any{"shared"}}))
				if err != nil || r.status != 200 {
					t.Errorf("create: %v %d", err, r.status)
					return
				}
				id := int64(r.body["data"].(map[string]any)["contact"].(map[string]any)["id"].(float64))
				ids <- id
				if _, err := c.try("PATCH", fmt.Sprintf("/contacts/%d", id), wrap(map[string]any{"surname": "P", "tags": []any{"shared"}})); err != nil {
					t.Error(err)
				}
				_ = c.s.EditContact(id, func(m map[string]any) { m["phone"] = "1" })
				_ = c.s.Contacts()
				_ = c.s.Requests()
				_ = c.s.Stats()
			}
		}(g)
	}
	wg.Wait()
	close(ids)
	seen := map[int64]bool{}
	for id := range ids {
		if seen[id] {
			t.Errorf("id %d given twice", id)
		}
		seen[id] = true
	}
	all := c.s.Contacts()
	if len(all) != 40 {
		t.Fatalf("%d contacts", len(all))
	}
	if n := all[0]["tags"].([]any)[0].(map[string]any)["appearance_count"]; n != float64(40) {
		t.Errorf("appearance_count %v, want 40", n)
	}
	if st := c.s.Stats(); st.Requests != 80 || st.ByStatus[200] != 80 {
		t.Errorf("stats %+v", st)
	}
}
