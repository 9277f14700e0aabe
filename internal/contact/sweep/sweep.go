// Package sweep is the bulk refresh of qomon_contact. A provider process may read the whole
// Qomon space with a search sweep (one page of up to 1,000 contacts per request and token)
// instead of one GET per contact (one token each), keeping of each contact only its id and
// UpdatedAt. Qomon moves UpdatedAt on every write, by the API or in the app, so a contact whose
// swept UpdatedAt is the one its state holds has not changed since the state was written: its
// Read keeps the state as it is, without a request. Every other contact is read with a GET:
// changed (a newer UpdatedAt), behind in Qomon's search index (an older one), missing from the
// sweep (deleted, or not indexed yet: the GET and its 404 rule decide), or written by this
// process.
//
// Nothing proves that search hits carry the UpdatedAt a GET does. The sweep is trusted only
// after a few contacts read with a GET confirm it (the same UpdatedAt, and nothing else changed
// when it had not moved); on any contradiction, and when a hit carries no UpdatedAt at all, the
// process reads every remaining contact with a GET and says so once.
//
// A Refresher holds per process what the reads share: no request's context or state outlives
// the request (see internal/serve's detach.go for why that matters).
package sweep

import (
	"context"
	"fmt"
	"math"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/qomon/terraform-provider-qomon/internal/contact/reconcile"
	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// Pager reads a page of the space's contacts (qomon.Client.SweepPage).
type Pager interface {
	SweepPage(ctx context.Context, page, perPage int) ([]qomon.Stamp, error)
}

// Config shapes a Refresher. Zero values are the defaults.
type Config struct {
	Mode Mode
	// SpaceSize is the number of contacts in the space, as the provider's configuration check
	// counted them: it prices the sweep.
	SpaceSize int64
	Pager     Pager
	// PerPage is the size of a sweep page (default qomon.MaxPerPage).
	PerPage int
	// Concurrency is how many pages are asked for at once (default 4): Qomon takes about a
	// second per page of 1,000.
	Concurrency int
	// Samples is how many contacts read with a GET must agree with the sweep before it is
	// trusted (default 3).
	Samples int
}

// Defaults of Config.
const (
	DefaultConcurrency = 4
	DefaultSamples     = 3
)

// Query is what a Read knows before it asks Qomon anything.
type Query struct {
	ID int64
	// UpdatedAt is the updated_at the state holds ("" when none).
	UpdatedAt string
	// Exact says that the state is what reading the contact at UpdatedAt gives: the provider
	// records it in the resource's private state when it writes the state from what Qomon
	// answered. A state that kept a planned value Qomon stored differently is not.
	Exact bool
}

// Verdict is how a Read proceeds.
type Verdict int

const (
	// Get: read the contact with a GET, then Observe what it gave.
	Get Verdict = iota
	// Sample: the same, and the outcome tells whether the sweep can be trusted.
	Sample
	// Unchanged: Qomon holds the contact as the state does; keep the state as it is.
	Unchanged
)

// Answer is the Refresher's answer to a Query.
type Answer struct {
	Verdict Verdict
	// Warning, when set, explains why this process stopped using its sweep; it is given once
	// per process, to be shown at WARN.
	Warning string
}

// Observation is what a Read that used a GET learned.
type Observation struct {
	Query
	// Sample is true when the Read was answered Sample.
	Sample bool
	// ReadUpdatedAt is the UpdatedAt the GET returned ("" when the GET failed).
	ReadUpdatedAt string
	// Same says that the state the GET gave is the state the Read started from.
	Same bool
}

type phase int

const (
	idle     phase = iota // reading with GETs, no sweep yet
	sweeping              // one read is sweeping; the others wait for it
	swept                 // the sweep is there
	off                   // GETs for the rest of the process
)

// noStamp is the stamp of a hit without a usable UpdatedAt.
const noStamp = math.MinInt64

// maxPending bounds the observations kept until the sweep is there.
const maxPending = 32

// Refresher is one provider process's bulk refresh. It is safe for concurrent use.
type Refresher struct {
	cfg   Config
	pages int
	at    int // the read that starts the sweep, 0 for never

	mu       sync.Mutex
	phase    phase
	changed  chan struct{} // closed and replaced whenever the state below changes
	reads    int
	stamps   map[int64]int64 // UpdatedAt in Unix nanoseconds, noStamp when the hit has none
	written  map[int64]bool
	pending  []Observation
	why      string // why the sweep is off ("" when it is not, or when nobody needs telling)
	warned   bool
	trusted  bool
	sampling int // Sample answers whose Observation has not come back
	agreed   int // observations that confirmed the sweep
}

// New returns the Refresher of a provider process.
func New(cfg Config) *Refresher {
	if cfg.Mode == "" {
		cfg.Mode = ModeAuto
	}
	if cfg.PerPage <= 0 || cfg.PerPage > qomon.MaxPerPage {
		cfg.PerPage = qomon.MaxPerPage
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = DefaultConcurrency
	}
	if cfg.Samples <= 0 {
		cfg.Samples = DefaultSamples
	}
	pages := Pages(cfg.SpaceSize, cfg.PerPage)
	at := sweepAt(cfg.Mode, pages)
	if cfg.Pager == nil {
		at = 0
	}
	return &Refresher{cfg: cfg, pages: pages, at: at, changed: make(chan struct{}), written: map[int64]bool{}}
}

// Ask tells a Read how to proceed. It may wait: for the sweep, which the read that starts it
// runs, or for the first samples. The error is ctx's, when the read is cancelled meanwhile.
func (r *Refresher) Ask(ctx context.Context, q Query) (Answer, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reads++
	if r.written[q.ID] {
		// This process wrote it: what it holds now came from Qomon's answer to the write,
		// whatever the index shows.
		return Answer{Verdict: Get}, nil
	}
	if r.phase == idle && r.at > 0 && r.reads >= r.at {
		r.phase = sweeping
		r.mu.Unlock()
		stamps, missing, err := r.sweep(ctx)
		r.mu.Lock()
		r.finish(stamps, missing, err, ctx.Err() != nil)
	}
	for {
		switch r.phase {
		case idle:
			return Answer{Verdict: Get}, nil
		case off:
			return r.offAnswer(), nil
		case swept:
			if !r.eligible(q) {
				return Answer{Verdict: Get}, nil
			}
			if r.trusted {
				return Answer{Verdict: Unchanged}, nil
			}
			if r.agreed+r.sampling < r.cfg.Samples {
				r.sampling++
				return Answer{Verdict: Sample}, nil
			}
		}
		// Sweeping, or enough samples under way: wait for them.
		ch := r.changed
		r.mu.Unlock()
		select {
		case <-ch:
			r.mu.Lock()
		case <-ctx.Done():
			r.mu.Lock()
			return Answer{}, ctx.Err()
		}
	}
}

// Vouch reports, without waiting, whether Ask would answer q Unchanged right away, and counts
// the read as Ask does when it would. A false is no answer: the read asks as usual. It lets a
// read the sweep vouches for skip everything else a read does (internal/contact's quickread.go).
func (r *Refresher) Vouch(q Query) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.written[q.ID] || r.phase != swept || !r.trusted || !r.eligible(q) {
		return false
	}
	r.reads++
	return true
}

// eligible reports whether the sweep shows the contact exactly as its state holds it.
func (r *Refresher) eligible(q Query) bool {
	at, ok := nanos(q.UpdatedAt)
	if !q.Exact || !ok {
		return false
	}
	hit, found := r.stamps[q.ID]
	return found && hit == at
}

// Observe records what a Read answered Get or Sample learned with its GET. Every such Read
// calls it, the failed ones included (they release their sample).
func (r *Refresher) Observe(o Observation) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if o.Sample {
		r.sampling--
		defer r.notify()
	}
	if !o.Exact {
		return
	}
	switch r.phase {
	case idle, sweeping:
		if len(r.pending) < maxPending {
			r.pending = append(r.pending, o)
		}
	case swept:
		r.check(o)
	}
}

// check compares an observation with the sweep. The sweep is right about a contact when its
// UpdatedAt is the GET's; the claim it is used for is that a contact whose UpdatedAt did not
// move since its state was written reads as that state, which an observation of such a contact
// tests too. A contact that changed between the sweep and its GET proves nothing.
func (r *Refresher) check(o Observation) {
	if r.trusted || r.phase != swept {
		return
	}
	state, okState := nanos(o.UpdatedAt)
	read, okRead := nanos(o.ReadUpdatedAt)
	hit, found := r.stamps[o.ID]
	if !okState || !okRead || !found || hit != read {
		return
	}
	if read == state && !o.Same {
		r.turnOff(fmt.Sprintf("contact %d, whose UpdatedAt had not moved since its state was written, read differently from "+
			"that state: Qomon's UpdatedAt does not show every change, so the sweep cannot tell which contacts changed", o.ID))
		return
	}
	r.agreed++
	if r.agreed >= r.cfg.Samples {
		r.trusted = true
		r.pending = nil
		r.notify()
	}
}

// Wrote records that this process wrote contact id (created, updated or deleted it): a read of
// it later in the process uses a GET.
func (r *Refresher) Wrote(id int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.written[id] = true
}

// sweep reads every page of the space, Concurrency at a time, and returns each contact's
// stamp (the newest, when a contact shows up twice as the index shifts) and how many hits had
// no usable UpdatedAt.
func (r *Refresher) sweep(ctx context.Context) (map[int64]int64, int, error) {
	var mu sync.Mutex
	stamps := make(map[int64]int64, r.cfg.SpaceSize)
	missing := 0
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(r.cfg.Concurrency)
	for p := range r.pages {
		g.Go(func() error {
			page, err := r.cfg.Pager.SweepPage(gctx, p, r.cfg.PerPage)
			if err != nil {
				return err
			}
			mu.Lock()
			defer mu.Unlock()
			for _, s := range page {
				at, ok := int64(noStamp), false
				if v, set := s.UpdatedAt.Get(); set {
					at, ok = nanos(v)
				}
				if !ok {
					at = noStamp
					missing++
				}
				if prev, seen := stamps[s.ID]; !seen || at > prev {
					stamps[s.ID] = at
				}
			}
			return nil
		})
	}
	err := g.Wait()
	return stamps, missing, err
}

// finish ends the sweep: swept, or off with the reason.
func (r *Refresher) finish(stamps map[int64]int64, missing int, err error, cancelled bool) {
	defer r.notify()
	switch {
	case cancelled:
		r.turnOff("") // the run is being interrupted: nobody to tell
		return
	case err != nil:
		r.turnOff(fmt.Sprintf("the search sweep failed (%s)", err))
		return
	case missing > 0:
		r.turnOff(fmt.Sprintf("%d of the %d search hits carry no usable UpdatedAt, which the sweep compares with the state", missing, len(stamps)))
		return
	}
	r.phase, r.stamps = swept, stamps
	pending := r.pending
	r.pending = nil
	for _, o := range pending {
		r.check(o)
	}
}

func (r *Refresher) turnOff(why string) {
	r.phase, r.why, r.stamps, r.pending = off, why, nil, nil
	r.notify()
}

// offAnswer is a GET, with the reason the sweep is off the first time it is given.
func (r *Refresher) offAnswer() Answer {
	a := Answer{Verdict: Get}
	if r.why != "" && !r.warned {
		r.warned = true
		a.Warning = r.why
	}
	return a
}

func (r *Refresher) notify() {
	close(r.changed)
	r.changed = make(chan struct{})
}

// nanos reads a Qomon timestamp as Unix nanoseconds.
func nanos(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	t, ok := reconcile.ParseTime(s)
	if !ok || t.Before(minTime) || t.After(maxTime) {
		return 0, false
	}
	return t.UnixNano(), true
}

// The instants UnixNano can hold, with margin.
var (
	minTime = time.Unix(0, math.MinInt64+1).Add(time.Hour)
	maxTime = time.Unix(0, math.MaxInt64).Add(-time.Hour)
)
