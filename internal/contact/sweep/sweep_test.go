package sweep

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// TestCostModel: a sweep costs one request per page of the space, and auto mode sweeps once the
// GETs made cost as much as that. The figures are BENCHMARKS.md's: 2,000 contacts in a space of
// 20,000 sweep after 20 GETs; 20 contacts in a space of 100,000 never sweep.
func TestCostModel(t *testing.T) {
	cases := []struct {
		size    int64
		perPage int
		mode    Mode
		pages   int
		at      int
	}{
		{0, 1000, ModeAuto, 0, 0},
		{0, 1000, ModeSearch, 0, 0}, // nothing to sweep: every read uses a GET
		{1, 1000, ModeAuto, 1, 2},
		{1000, 1000, ModeAuto, 1, 2},
		{1001, 1000, ModeAuto, 2, 3},
		{20000, 1000, ModeAuto, 20, 21},
		{100000, 1000, ModeAuto, 100, 101},
		{20000, 1000, ModeSearch, 20, 1},
		{20000, 1000, ModeGet, 20, 0},
		{25, 10, ModeAuto, 3, 4},
	}
	for _, c := range cases {
		pages := Pages(c.size, c.perPage)
		if at := sweepAt(c.mode, pages); pages != c.pages || at != c.at {
			t.Errorf("space %d, %d per page, %s: %d pages, sweep at read %d; want %d, %d", c.size, c.perPage, c.mode, pages, at, c.pages, c.at)
		}
	}
	// Tokens for n reads in auto mode, none changed: GETs until the sweep, then the sweep.
	tokens := func(n int, size int64) int {
		at := sweepAt(ModeAuto, Pages(size, 1000))
		if at == 0 || n < at {
			return n
		}
		return at - 1 + Pages(size, 1000)
	}
	if got := tokens(2000, 20000); got != 40 {
		t.Errorf("2,000 of 20,000: %d tokens", got)
	}
	if got := tokens(20, 100000); got != 20 {
		t.Errorf("20 of 100,000: %d tokens, want what 20 GETs cost", got)
	}
	// The rest of the table of the guide "Rate limits and large applies".
	if got := tokens(200, 5000); got != 10 {
		t.Errorf("200 of 5,000: %d tokens", got)
	}
	if got := tokens(10000, 500000); got != 1000 {
		t.Errorf("10,000 of 500,000: %d tokens", got)
	}
	for _, n := range []int{1, 5, 20, 21, 50, 2000, 100000} {
		for _, size := range []int64{1, 999, 20000, 100000} {
			best := min(n, Pages(size, 1000))
			if got := tokens(n, size); got > 2*best+1 {
				t.Errorf("%d reads in a space of %d: %d tokens, more than twice the cheaper %d", n, size, got, best)
			}
		}
	}
}

// space is a fake Qomon space: stamps by id, served in pages in id order.
type space struct {
	mu       sync.Mutex
	ids      []int64
	stamp    map[int64]qomon.Opt[string]
	requests []int
	fail     error
	block    chan struct{} // when set, every page waits for it
	entered  chan struct{} // when set, every page sends on it first
}

const t0 = "2026-05-01T08:00:00.000001Z"

func newSpace(n int) *space {
	s := &space{stamp: map[int64]qomon.Opt[string]{}}
	for i := 1; i <= n; i++ {
		s.ids = append(s.ids, int64(i))
		s.stamp[int64(i)] = qomon.Some(t0)
	}
	return s
}

func (s *space) SweepPage(ctx context.Context, page, perPage int) ([]qomon.Stamp, error) {
	if s.entered != nil {
		s.entered <- struct{}{}
	}
	if s.block != nil {
		select {
		case <-s.block:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, page)
	if s.fail != nil {
		return nil, s.fail
	}
	var out []qomon.Stamp
	for i := page * perPage; i < min(len(s.ids), (page+1)*perPage); i++ {
		out = append(out, qomon.Stamp{ID: s.ids[i], UpdatedAt: s.stamp[s.ids[i]]})
	}
	return out, nil
}

func (s *space) pages() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := slices.Clone(s.requests)
	slices.Sort(out)
	return out
}

func exact(id int64) Query { return Query{ID: id, UpdatedAt: t0, Exact: true} }

func ask(t *testing.T, r *Refresher, q Query) Answer {
	t.Helper()
	a, err := r.Ask(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// agree is the observation of a GET that found the contact as its state holds it.
func agree(q Query, sample bool) Observation {
	return Observation{Query: q, Sample: sample, ReadUpdatedAt: q.UpdatedAt, Same: true}
}

// TestAutoSweepsAfterGETsThatCostAsMuch: in a space of 25 (3 pages of 10), the first 3 reads
// use a GET, the 4th sweeps, and the GETs already made confirm the sweep, so the reads after
// it send nothing.
func TestAutoSweepsAfterGETsThatCostAsMuch(t *testing.T) {
	sp := newSpace(25)
	r := New(Config{Mode: ModeAuto, SpaceSize: 25, Pager: sp, PerPage: 10})
	for id := int64(1); id <= 3; id++ {
		if a := ask(t, r, exact(id)); a.Verdict != Get {
			t.Fatalf("read %d: %v, want a GET", id, a.Verdict)
		}
		r.Observe(agree(exact(id), false))
		if n := len(sp.pages()); n != 0 {
			t.Fatalf("swept after %d reads", id)
		}
	}
	for id := int64(4); id <= 25; id++ {
		if a := ask(t, r, exact(id)); a.Verdict != Unchanged || a.Warning != "" {
			t.Fatalf("read %d: %+v, want unchanged", id, a)
		}
	}
	if got := sp.pages(); !slices.Equal(got, []int{0, 1, 2}) {
		t.Errorf("pages %v, want each of 0, 1, 2 once", got)
	}
}

// TestSearchModeSamplesFirst: swept at the first read with nothing read yet, the first
// Samples eligible reads use a GET, the others wait for them, then send nothing.
func TestSearchModeSamplesFirst(t *testing.T) {
	sp := newSpace(10)
	r := New(Config{Mode: ModeSearch, SpaceSize: 10, Pager: sp})
	var samples []Query
	for id := int64(1); id <= 3; id++ {
		a := ask(t, r, exact(id))
		if a.Verdict != Sample {
			t.Fatalf("read %d: %v, want a sample", id, a.Verdict)
		}
		samples = append(samples, exact(id))
	}
	waiting := make(chan Answer)
	go func() {
		a, _ := r.Ask(context.Background(), exact(4))
		waiting <- a
	}()
	select {
	case a := <-waiting:
		t.Fatalf("read 4 answered %+v before any sample came back", a)
	case <-time.After(50 * time.Millisecond):
	}
	for _, q := range samples {
		r.Observe(agree(q, true))
	}
	if a := <-waiting; a.Verdict != Unchanged {
		t.Errorf("read 4 after the samples: %+v", a)
	}
	if a := ask(t, r, exact(5)); a.Verdict != Unchanged {
		t.Errorf("read 5: %+v", a)
	}
	if got := sp.pages(); !slices.Equal(got, []int{0}) {
		t.Errorf("pages %v", got)
	}
}

// TestWhatAlwaysUsesAGET: a contact the sweep does not show exactly as the state holds it is
// read with a GET: changed, behind in the index, missing, without an exact state, written by
// this process.
func TestWhatAlwaysUsesAGET(t *testing.T) {
	sp := newSpace(8)
	sp.stamp[2] = qomon.Some("2026-05-01T08:00:05Z") // changed since the state
	sp.stamp[3] = qomon.Some("2026-05-01T07:00:00Z") // the index still holds an older version
	sp.ids = slices.DeleteFunc(sp.ids, func(id int64) bool { return id == 4 })
	r := New(Config{Mode: ModeSearch, SpaceSize: 8, Pager: sp, Samples: 1})
	if a := ask(t, r, exact(1)); a.Verdict != Sample {
		t.Fatalf("first: %+v", a)
	}
	r.Observe(agree(exact(1), true))
	r.Wrote(6)
	cases := map[string]Query{
		"changed":                 exact(2),
		"index behind":            exact(3),
		"missing from the sweep":  exact(4),
		"state not exact":         {ID: 5, UpdatedAt: t0},
		"written by this process": exact(6),
		"state without stamp":     {ID: 7, Exact: true},
		"unreadable stamp":        {ID: 8, UpdatedAt: "yesterday", Exact: true},
	}
	for name, q := range cases {
		if a := ask(t, r, q); a.Verdict != Get {
			t.Errorf("%s: %+v, want a GET", name, a)
		}
	}
	if a := ask(t, r, Query{ID: 5, UpdatedAt: "2026-05-01T10:00:00.000001+02:00", Exact: true}); a.Verdict != Unchanged {
		t.Errorf("the same instant in another offset: %+v", a)
	}
}

// TestHitsWithoutUpdatedAtTurnTheSweepOff: the sweep compares UpdatedAt; hits without it (the
// simulator's search_omits) mean GETs for the rest of the process, said once.
func TestHitsWithoutUpdatedAtTurnTheSweepOff(t *testing.T) {
	sp := newSpace(5)
	sp.stamp[3] = qomon.Opt[string]{}
	r := New(Config{Mode: ModeSearch, SpaceSize: 5, Pager: sp})
	var warnings []string
	for id := int64(1); id <= 5; id++ {
		a := ask(t, r, exact(id))
		if a.Verdict != Get {
			t.Errorf("read %d: %+v", id, a)
		}
		if a.Warning != "" {
			warnings = append(warnings, a.Warning)
		}
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "1 of the 5 search hits carry no usable UpdatedAt") {
		t.Errorf("warnings %q", warnings)
	}
}

// TestSampleThatContradictsTurnsTheSweepOff: a contact whose UpdatedAt did not move but which
// read differently from its state proves the sweep cannot be trusted.
func TestSampleThatContradictsTurnsTheSweepOff(t *testing.T) {
	sp := newSpace(10)
	r := New(Config{Mode: ModeSearch, SpaceSize: 10, Pager: sp})
	for id := int64(1); id <= 3; id++ {
		if a := ask(t, r, exact(id)); a.Verdict != Sample {
			t.Fatalf("read %d: %+v", id, a)
		}
	}
	r.Observe(agree(exact(1), true))
	r.Observe(Observation{Query: exact(2), Sample: true, ReadUpdatedAt: t0, Same: false})
	r.Observe(agree(exact(3), true))
	a := ask(t, r, exact(4))
	if a.Verdict != Get || !strings.Contains(a.Warning, "contact 2") {
		t.Errorf("after the contradiction: %+v", a)
	}
	if a := ask(t, r, exact(5)); a.Verdict != Get || a.Warning != "" {
		t.Errorf("warned twice, or swept again: %+v", a)
	}
}

// TestObservationsThatProveNothing: a GET that failed, or found the contact changed since the
// sweep, neither confirms nor contradicts it: the next eligible read samples again.
func TestObservationsThatProveNothing(t *testing.T) {
	sp := newSpace(10)
	r := New(Config{Mode: ModeSearch, SpaceSize: 10, Pager: sp, Samples: 1})
	if a := ask(t, r, exact(1)); a.Verdict != Sample {
		t.Fatalf("%+v", a)
	}
	r.Observe(Observation{Query: exact(1), Sample: true}) // the GET failed
	if a := ask(t, r, exact(2)); a.Verdict != Sample {
		t.Fatalf("after a failed sample: %+v", a)
	}
	r.Observe(Observation{Query: exact(2), Sample: true, ReadUpdatedAt: "2026-05-01T09:00:00Z", Same: false}) // changed since
	if a := ask(t, r, exact(3)); a.Verdict != Sample {
		t.Fatalf("after a changed sample: %+v", a)
	}
	r.Observe(agree(exact(3), true))
	if a := ask(t, r, exact(4)); a.Verdict != Unchanged {
		t.Errorf("after a good sample: %+v", a)
	}
}

// TestPreSweepObservationsThatContradict: in auto mode the GETs made before the sweep are its
// samples; one that contradicts it turns it off as soon as it is there.
func TestPreSweepObservationsThatContradict(t *testing.T) {
	sp := newSpace(5)
	r := New(Config{Mode: ModeAuto, SpaceSize: 5, Pager: sp})
	ask(t, r, exact(1))
	r.Observe(Observation{Query: exact(1), ReadUpdatedAt: t0, Same: false})
	a := ask(t, r, exact(2)) // sweeps
	if a.Verdict != Get || !strings.Contains(a.Warning, "contact 1") {
		t.Errorf("%+v", a)
	}
}

func TestSweepFailureFallsBackOnce(t *testing.T) {
	sp := newSpace(30)
	sp.fail = errors.New("POST /search: 500 Internal Server Error")
	r := New(Config{Mode: ModeSearch, SpaceSize: 30, Pager: sp, PerPage: 10})
	a := ask(t, r, exact(1))
	if a.Verdict != Get || !strings.Contains(a.Warning, "the search sweep failed (POST /search: 500") {
		t.Errorf("%+v", a)
	}
	if a := ask(t, r, exact(2)); a.Verdict != Get || a.Warning != "" {
		t.Errorf("%+v", a)
	}
	if n := len(sp.pages()); n == 0 || n > 3 {
		t.Errorf("%d pages asked for", n)
	}
}

// TestGetModeNeverSweeps, nor does a Refresher without a client.
func TestGetModeNeverSweeps(t *testing.T) {
	sp := newSpace(5)
	for _, r := range []*Refresher{New(Config{Mode: ModeGet, SpaceSize: 5, Pager: sp}), New(Config{Mode: ModeSearch, SpaceSize: 5})} {
		for id := int64(1); id <= 5; id++ {
			if a := ask(t, r, exact(id)); a.Verdict != Get || a.Warning != "" {
				t.Errorf("%+v", a)
			}
		}
	}
	if n := len(sp.pages()); n != 0 {
		t.Errorf("%d pages", n)
	}
}

// TestInterruptedSweep: the read that sweeps is cancelled (Ctrl-C): the others read with a GET
// and nobody is warned; a read cancelled while it waits gets its context's error.
func TestInterruptedSweep(t *testing.T) {
	sp := newSpace(5)
	sp.block, sp.entered = make(chan struct{}), make(chan struct{}, 1)
	r := New(Config{Mode: ModeSearch, SpaceSize: 5, Pager: sp})
	ctx, cancel := context.WithCancel(context.Background())
	first := make(chan error)
	go func() {
		_, err := r.Ask(ctx, exact(1))
		first <- err
	}()
	<-sp.entered // the first read is the one sweeping
	waitCtx, stopWaiting := context.WithCancel(context.Background())
	second := make(chan error)
	go func() {
		_, err := r.Ask(waitCtx, exact(2))
		second <- err
	}()
	time.Sleep(20 * time.Millisecond)
	stopWaiting()
	if err := <-second; !errors.Is(err, context.Canceled) {
		t.Errorf("waiting read: %v", err)
	}
	cancel()
	if err := <-first; err != nil && !errors.Is(err, context.Canceled) {
		t.Errorf("sweeping read after its cancellation: %v", err)
	}
	if a := ask(t, r, exact(3)); a.Verdict != Get || a.Warning != "" {
		t.Errorf("after the interruption: %+v", a)
	}
}

// TestDuplicateHitsKeepTheNewest: pages are offsets over a live index, so a contact edited
// during the sweep can show up twice; the newer stamp wins, and the contact is read.
func TestDuplicateHitsKeepTheNewest(t *testing.T) {
	sp := newSpace(4)
	sp.ids = []int64{1, 2, 3, 2} // page 1 shows 2 again, edited since
	r := New(Config{Mode: ModeSearch, SpaceSize: 4, Pager: &editing{space: sp}, PerPage: 2, Samples: 1})
	if a := ask(t, r, exact(1)); a.Verdict != Sample {
		t.Fatalf("%+v", a)
	}
	r.Observe(agree(exact(1), true))
	if a := ask(t, r, exact(2)); a.Verdict != Get {
		t.Errorf("contact edited during the sweep: %+v", a)
	}
}

// editing serves page 1 with contact 2 edited.
type editing struct{ *space }

func (e *editing) SweepPage(ctx context.Context, page, perPage int) ([]qomon.Stamp, error) {
	out, err := e.space.SweepPage(ctx, page, perPage)
	for i := range out {
		if page == 1 && out[i].ID == 2 {
			out[i].UpdatedAt = qomon.Some("2026-05-01T08:00:09Z")
		}
	}
	return out, err
}

// TestConcurrentReads: Terraform reads up to -parallelism contacts at once; under -race, many
// concurrent reads get one sweep and consistent answers.
func TestConcurrentReads(t *testing.T) {
	const n = 500
	sp := newSpace(n)
	r := New(Config{Mode: ModeAuto, SpaceSize: n, Pager: sp, PerPage: 50})
	var wg sync.WaitGroup
	var mu sync.Mutex
	verdicts := map[Verdict]int{}
	for w := range 10 {
		wg.Go(func() {
			for id := int64(w + 1); id <= n; id += 10 {
				a, err := r.Ask(context.Background(), exact(id))
				if err != nil {
					t.Error(err)
					return
				}
				if a.Verdict != Unchanged {
					r.Observe(agree(exact(id), a.Verdict == Sample))
				}
				mu.Lock()
				verdicts[a.Verdict]++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if got := sp.pages(); len(got) != 10 {
		t.Errorf("pages %v, want 10 once each", got)
	}
	if gets := verdicts[Get] + verdicts[Sample]; gets > 10+10+DefaultSamples || verdicts[Unchanged] < n-30 {
		t.Errorf("verdicts %v", fmt.Sprint(verdicts))
	}
}

// TestVouch: Vouch answers true exactly when Ask would answer Unchanged at once, and never
// sweeps, samples or waits: before the sweep, before the samples confirm it, and for any
// contact Ask would read with a GET, it is false and changes nothing.
func TestVouch(t *testing.T) {
	sp := newSpace(6)
	sp.stamp[2] = qomon.Some("2026-05-01T08:00:05Z") // changed since the state
	r := New(Config{Mode: ModeSearch, SpaceSize: 6, Pager: sp, Samples: 1})
	if r.Vouch(exact(1)) || len(sp.pages()) != 0 {
		t.Fatal("vouched before any sweep, or swept")
	}
	if a := ask(t, r, exact(1)); a.Verdict != Sample {
		t.Fatalf("first read: %+v, want a sample", a)
	}
	if r.Vouch(exact(3)) {
		t.Fatal("vouched before the sample confirmed the sweep")
	}
	r.Observe(agree(exact(1), true))
	r.Wrote(4)
	for name, q := range map[string]Query{"changed": exact(2), "written by this process": exact(4),
		"state not exact": {ID: 5, UpdatedAt: t0}, "missing": exact(7)} {
		if r.Vouch(q) {
			t.Errorf("%s: vouched", name)
		}
		if a := ask(t, r, q); a.Verdict != Get {
			t.Errorf("%s: Ask says %+v after Vouch refused", name, a)
		}
	}
	for _, id := range []int64{3, 6} {
		if !r.Vouch(exact(id)) {
			t.Errorf("contact %d, unchanged since its state: not vouched", id)
		}
		if a := ask(t, r, exact(id)); a.Verdict != Unchanged {
			t.Errorf("contact %d: Vouch said yes, Ask %+v", id, a)
		}
	}
	if got := sp.pages(); !slices.Equal(got, []int{0}) {
		t.Errorf("pages %v, want one sweep", got)
	}
}
