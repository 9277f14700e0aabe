package qomonsim

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

func TestSearchLag(t *testing.T) {
	var mu sync.Mutex
	clock := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	advance := func(d time.Duration) { mu.Lock(); clock = clock.Add(d); mu.Unlock() }

	c := newTC(t, Options{Now: now, SearchLag: 2 * time.Second, RateLimit: RateLimit{Disabled: true}})
	everyone := searchBody(map[string]any{"$all": []any{}}, nil)
	c.s.SeedContact(map[string]any{"surname": "Seeded"})
	if got := c.surnames(everyone); !slices.Equal(got, []string{"Seeded"}) {
		t.Errorf("seeded contact not indexed at once: %v", got)
	}

	id := idOf(t, c.create(map[string]any{"surname": "Fresh"}))
	if got := c.surnames(everyone); !slices.Equal(got, []string{"Seeded"}) {
		t.Errorf("a contact created now is already searchable: %v", got)
	}
	advance(2 * time.Second)
	if got := c.surnames(everyone); !slices.Equal(got, []string{"Seeded", "Fresh"}) {
		t.Errorf("after the lag: %v", got)
	}

	c.do("PATCH", fmt.Sprintf("/contacts/%d", id), wrap(map[string]any{"surname": "Renamed"})).want(t, 200)
	if got := c.surnames(everyone); !slices.Equal(got, []string{"Seeded", "Fresh"}) {
		t.Errorf("an edit is visible before the lag: %v", got)
	}
	if got, _ := c.s.Contact(id); got["surname"] != "Renamed" {
		t.Error("GET must see the edit at once")
	}
	advance(time.Second)
	c.do("DELETE", fmt.Sprintf("/contacts/%d", id), nil).want(t, 204)
	advance(time.Second) // the rename is indexed, the deletion not yet
	if got := c.surnames(everyone); !slices.Equal(got, []string{"Seeded", "Renamed"}) {
		t.Errorf("before the deletion is indexed: %v", got)
	}
	kpi := c.do("POST", "/kpi", map[string]any{"data": map[string]any{"advanced_search": map[string]any{}}}).want(t, 200)
	if kpi.body["data"].(map[string]any)["total"] != float64(2) {
		t.Errorf("kpi %s", kpi.raw)
	}
	advance(time.Second)
	if got := c.surnames(everyone); !slices.Equal(got, []string{"Seeded"}) {
		t.Errorf("after the deletion is indexed: %v", got)
	}

	c.s.Configure(func(o *Options) { o.SearchLag = 0 })
	c.create(map[string]any{"surname": "Instant"})
	if got := c.surnames(everyone); !slices.Equal(got, []string{"Seeded", "Instant"}) {
		t.Errorf("without lag: %v", got)
	}
	c.s.Configure(func(o *Options) { o.SearchLag = time.Minute }) // what is stored now counts as indexed
	if got := c.surnames(everyone); !slices.Equal(got, []string{"Seeded", "Instant"}) {
		t.Errorf("after enabling a lag: %v", got)
	}
}
