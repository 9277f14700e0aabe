package e2e

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qomon/terraform-provider-qomon/internal/qomon"
	"github.com/qomon/terraform-provider-qomon/internal/qomonsim"
)

var soakLong = flag.Bool("soak.long", false, "run the long soak test (also QOMON_SOAK=long)")

// soakShape sizes one soak run.
type soakShape struct {
	clients    int           // API clients, all sharing ONE limiter, as provider aliases on one space do
	workers    int           // goroutines per client
	rounds     int           // rounds; the request log is checked and emptied after each
	perWorker  int           // contact lifecycles per worker per round
	deadline   time.Duration // the whole run must end within this
	heapGrowth uint64        // bytes the live heap may grow between the first and last round
}

func soakConfig() soakShape {
	if *soakLong || os.Getenv("QOMON_SOAK") == "long" {
		// ~35,000 requests: about six minutes under -race on two busy cores (54,400 took
		// 9.5 minutes with the machine's load average at 14).
		return soakShape{clients: 4, workers: 16, rounds: 8, perWorker: 12, deadline: 20 * time.Minute, heapGrowth: 32 << 20}
	}
	// ~3,000 requests, a few seconds.
	return soakShape{clients: 4, workers: 8, rounds: 2, perWorker: 8, deadline: 2 * time.Minute, heapGrowth: 32 << 20}
}

// soakOps counts, per round, the calls the workers made, by the request each one sends.
type soakOps struct {
	mu    sync.Mutex
	calls map[string]int // "METHOD /path-shape" -> calls that returned (success or an API error)
	mails map[string]int // mail -> creates sent with it
}

func (o *soakOps) add(kind string) {
	o.mu.Lock()
	o.calls[kind]++
	o.mu.Unlock()
}

// TestSoakClient drives thousands of requests from many goroutines, through several clients
// that share one rate limiter, against the simulator whose bucket has the same shape (scaled
// up so that the run takes seconds). Afterwards: every call maps to exactly one processed
// request in the simulator's log (none lost, none sent twice), Qomon holds exactly the
// contacts that were kept with their last update, the goroutines are back to their baseline
// and the heap did not grow from round to round.
func TestSoakClient(t *testing.T) {
	shape := soakConfig()
	long := shape.rounds > 2
	if os.Getenv("TF_ACC") != "" && !long {
		// The short soak belongs to the unit step; the acceptance runs (one per CLI) would
		// only repeat it.
		t.Skip("the short soak test runs without TF_ACC (make unit); make soak runs the long one")
	}
	if testing.Short() {
		shape.rounds, shape.perWorker = 1, 3
	}
	// Qomon's bucket shape (burst 100, cost 5 per create and update) with the refill scaled
	// up 300x so that thousands of requests take seconds, not minutes.
	rl := qomonsim.RateLimit{Burst: 100, PerSecond: 3000}
	sim, url := qomonsim.NewTestServer(t, qomonsim.Options{RateLimit: rl})

	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = shape.clients * shape.workers
	hc := &http.Client{Transport: tr}
	defer tr.CloseIdleConnections()

	limiter := qomon.NewLimiter(qomon.RateLimit{Burst: rl.Burst, PerSecond: rl.PerSecond})
	var logged atomic.Int64
	clients := make([]*qomon.Client, shape.clients)
	for i := range clients {
		c, err := qomon.New(qomon.Config{
			Endpoint:   url,
			Token:      qomonsim.DefaultToken,
			UserAgent:  "terraform-provider-qomon/soak",
			HTTPClient: hc,
			RateLimit:  qomon.RateLimit{Burst: rl.Burst, PerSecond: rl.PerSecond},
			Limiter:    limiter,
			Retry:      qomon.Retry{MaxRetries: 4, MinWait: 10 * time.Millisecond, MaxWait: 200 * time.Millisecond},
			Logger: qomon.LoggerFunc(func(context.Context, qomon.Level, string, map[string]any) {
				logged.Add(1)
			}),
		})
		if err != nil {
			t.Fatalf("qomon.New: %v", err)
		}
		clients[i] = c
	}

	ctx, cancel := context.WithTimeout(context.Background(), shape.deadline)
	defer cancel()

	// The baseline is taken once the simulator listens and the clients exist, before any
	// request: what is left above it afterwards was started by the requests.
	runtime.GC()
	baseGoroutines := runtime.NumGoroutine()

	kept := map[int64]soakContact{} // contacts that must still be stored, with their last state
	var firstHeap, lastHeap uint64
	var total, rateLimited int
	start := time.Now()
	t.Logf("soak: %d rounds of %d clients x %d goroutines x %d contact lifecycles", shape.rounds, shape.clients, shape.workers, shape.perWorker)
	for round := range shape.rounds {
		ops := &soakOps{calls: map[string]int{}, mails: map[string]int{}}
		keptRound := runSoakRound(ctx, t, clients, shape, round, ops)
		if t.Failed() {
			return
		}
		for id, c := range keptRound {
			kept[id] = c
		}
		reqs := sim.Requests()
		sim.ResetRequests()
		total += len(reqs)
		rateLimited += checkSoakLog(t, reqs, ops)
		if long {
			t.Logf("round %d: %d requests, %s elapsed", round+1, len(reqs), time.Since(start).Round(time.Second))
		}

		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		if round == 0 {
			firstHeap = ms.HeapAlloc
		}
		lastHeap = ms.HeapAlloc
	}
	elapsed := time.Since(start)
	figures.add(figSoakRequests, int64(total))
	figures.add(figRateLimited, int64(rateLimited))

	// Qomon holds exactly the kept contacts, each with the last value the workers wrote.
	stored := sim.Contacts()
	if len(stored) != len(kept) {
		t.Errorf("simulator holds %d contacts, the workers kept %d", len(stored), len(kept))
	}
	for _, c := range stored {
		id := int64(c["id"].(float64))
		want, ok := kept[id]
		if !ok {
			t.Errorf("contact %d is stored but no worker kept it (deleted contact back, or a duplicate)", id)
			continue
		}
		if got := str(c, "mail"); got != want.mail {
			t.Errorf("contact %d: mail %q, want %q", id, got, want.mail)
		}
		if got := str(c, "firstname"); got != want.firstname {
			t.Errorf("contact %d: firstname %q, want %q (an update was lost)", id, got, want.firstname)
		}
		if got := str(c, "address.city"); got != want.city {
			t.Errorf("contact %d: address.city %q, want %q (the update dropped a field)", id, got, want.city)
		}
	}

	// Goroutines: once idle connections are closed, the transport's and the server's
	// per-connection goroutines end; give them a moment.
	tr.CloseIdleConnections()
	var now int
	for deadline := time.Now().Add(5 * time.Second); ; {
		runtime.GC()
		now = runtime.NumGoroutine()
		if now <= baseGoroutines || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if now > baseGoroutines {
		buf := make([]byte, 1<<16)
		n := runtime.Stack(buf, true)
		t.Errorf("goroutines: %d after the run, %d before: something leaks\n%s", now, baseGoroutines, buf[:n])
	}
	if lastHeap > firstHeap+shape.heapGrowth {
		t.Errorf("live heap grew from %d KiB after the first round to %d KiB after the last: more than %d MiB",
			firstHeap>>10, lastHeap>>10, shape.heapGrowth>>20)
	}
	// The client's bucket has the simulator's shape, so 429s can only come from timing (the
	// two buckets refill on different clocks); each one costs a retry and a wait. A few are
	// tolerated, a client that ignores the shared bucket would collect hundreds.
	if rateLimited*100 > total {
		t.Errorf("%d of %d requests were rate-limited: the shared limiter does not pace the clients", rateLimited, total)
	}
	if logged.Load() == 0 {
		t.Errorf("the client logged nothing: the Logger is not wired")
	}
	perSec := float64(total) / elapsed.Seconds()
	t.Logf("soak: %d requests in %s (%.0f/s) from %d goroutines over %d clients sharing one limiter; %d rate-limited; "+
		"goroutines %d -> %d; live heap %d KiB -> %d KiB",
		total, elapsed.Round(time.Millisecond), perSec, shape.clients*shape.workers, shape.clients, rateLimited,
		baseGoroutines, now, firstHeap>>10, lastHeap>>10)
}

type soakContact struct{ mail, firstname, city string }

// runSoakRound runs every worker of every client through perWorker contact lifecycles: create,
// read, update, find by mail, read again, and delete every other contact (and delete it again,
// which must be a not-found). Forms are listed now and then.
func runSoakRound(ctx context.Context, t *testing.T, clients []*qomon.Client, shape soakShape, round int, ops *soakOps) map[int64]soakContact {
	t.Helper()
	var (
		mu   sync.Mutex
		kept = map[int64]soakContact{}
		wg   sync.WaitGroup
		errs = make(chan error, len(clients)*shape.workers)
	)
	for ci, client := range clients {
		for w := range shape.workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for n := range shape.perWorker {
					c, keep, err := soakLifecycle(ctx, client, ops, fmt.Sprintf("r%d-c%d-w%d-n%d", round, ci, w, n), n)
					if err != nil {
						errs <- err
						return
					}
					if keep {
						mu.Lock()
						kept[c.id] = c.soakContact
						mu.Unlock()
					}
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	return kept
}

type keptContact struct {
	id int64
	soakContact
}

func soakLifecycle(ctx context.Context, c *qomon.Client, ops *soakOps, name string, n int) (keptContact, bool, error) {
	mail := "soak-" + name + "@example.test"
	ops.mu.Lock()
	ops.mails[mail]++
	ops.mu.Unlock()

	in := qomon.Contact{
		Firstname: qomon.Some("Ada"),
		Surname:   qomon.Some("Soak " + name),
		Mail:      qomon.Some(mail),
		Address: qomon.Some(qomon.Address{
			Street:     qomon.Some("rue de la Paix"),
			PostalCode: qomon.Some("75002"),
			City:       qomon.Some("Paris"),
		}),
		Tags: qomon.Some([]qomon.Tag{{Name: "soak"}}),
	}
	created, err := c.CreateContact(ctx, in)
	ops.add("POST /contacts")
	if err != nil {
		return keptContact{}, false, fmt.Errorf("%s: create: %w", name, err)
	}
	id, ok := created.ID.Get()
	if !ok || id <= 0 {
		return keptContact{}, false, fmt.Errorf("%s: create returned no id", name)
	}
	if got, _ := created.Mail.Get(); got != mail {
		return keptContact{}, false, fmt.Errorf("%s: create returned mail %q", name, got)
	}

	got, err := c.GetContact(ctx, id)
	ops.add("GET /contacts/{id}")
	if err != nil {
		return keptContact{}, false, fmt.Errorf("%s: get %d: %w", name, id, err)
	}

	// A read-modify-write update, as the provider's replace mode does it.
	body := got.WithoutReadOnly()
	first := "Ada-" + strconv.Itoa(n)
	body.Firstname = qomon.Some(first)
	updated, err := c.UpdateContact(ctx, id, body)
	ops.add("PATCH /contacts/{id}")
	if err != nil {
		return keptContact{}, false, fmt.Errorf("%s: update %d: %w", name, id, err)
	}
	if f, _ := updated.Firstname.Get(); f != first {
		return keptContact{}, false, fmt.Errorf("%s: update answered firstname %q, want %q", name, f, first)
	}

	res, err := c.SearchContacts(ctx, qomon.SearchRequest{
		Query: qomon.Query{Op: "$all", Groups: []qomon.Group{{
			Op:         "$at_least_one",
			Conditions: []qomon.Condition{{Attr: "mail", Ope: "eql:strictdata", Value: mail}},
		}}},
		PerPage: 10,
	})
	ops.add("POST /search")
	if err != nil {
		return keptContact{}, false, fmt.Errorf("%s: search: %w", name, err)
	}
	if len(res.Contacts) != 1 {
		return keptContact{}, false, fmt.Errorf("%s: exact search by mail found %d contacts, want 1", name, len(res.Contacts))
	}

	if n%4 == 0 {
		forms, err := c.ListForms(ctx, "custom_fields")
		ops.add("GET /v1/forms/type/{type}")
		if err != nil {
			return keptContact{}, false, fmt.Errorf("%s: list forms: %w", name, err)
		}
		if len(forms) == 0 {
			return keptContact{}, false, fmt.Errorf("%s: the simulator's catalogue has no custom_fields form", name)
		}
	}

	if n%2 == 1 {
		if err := c.DeleteContact(ctx, id); err != nil {
			return keptContact{}, false, fmt.Errorf("%s: delete %d: %w", name, id, err)
		}
		ops.add("DELETE /contacts/{id}")
		err := c.DeleteContact(ctx, id)
		ops.add("DELETE /contacts/{id}")
		if !qomon.IsNotFound(err) {
			return keptContact{}, false, fmt.Errorf("%s: second delete of %d: want a not-found error, got %v", name, id, err)
		}
		_, err = c.GetContact(ctx, id)
		ops.add("GET /contacts/{id}")
		if !qomon.IsNotFound(err) {
			return keptContact{}, false, fmt.Errorf("%s: get after delete of %d: want a not-found error, got %v", name, id, err)
		}
		return keptContact{}, false, nil
	}
	return keptContact{id: id, soakContact: soakContact{mail: mail, firstname: first, city: "Paris"}}, true, nil
}

// checkSoakLog proves from the simulator's log that every call of the round reached Qomon
// exactly once: the processed requests, by kind, equal the calls made; each create's mail
// appears in exactly one processed POST. It returns the number of 429s (each followed by a
// retry, or a call would have failed).
func checkSoakLog(t *testing.T, reqs []qomonsim.Request, ops *soakOps) int {
	t.Helper()
	got := map[string]int{}
	mails := map[string]int{}
	limited := 0
	for _, r := range reqs {
		if r.RateLimited || r.Status == http.StatusTooManyRequests {
			limited++
			continue
		}
		if r.Fault != 0 || r.Status == 0 {
			t.Errorf("unexpected fault or reset in a fault-free soak: %s %s status %d fault %v", r.Method, r.Path, r.Status, r.Fault)
			continue
		}
		kind := r.Method + " " + r.Path
		switch {
		case isContactPath(r.Path):
			kind = r.Method + " /contacts/{id}"
		case strings.HasPrefix(r.Path, "/v1/forms/type/"):
			kind = r.Method + " /v1/forms/type/{type}"
		}
		got[kind]++
		if kind == "POST /contacts" {
			mails[bodyMail(r.Body)]++
		}
	}
	kinds := make([]string, 0, len(ops.calls))
	for k := range ops.calls {
		kinds = append(kinds, k)
	}
	for k := range got {
		if _, ok := ops.calls[k]; !ok {
			kinds = append(kinds, k)
		}
	}
	slices.Sort(kinds)
	for _, k := range kinds {
		if got[k] != ops.calls[k] {
			t.Errorf("%s: the workers made %d calls, the simulator processed %d requests (lost or duplicated)", k, ops.calls[k], got[k])
		}
	}
	for mail := range ops.mails {
		if mails[mail] != 1 {
			t.Errorf("create of %s reached the simulator %d times, want exactly once", mail, mails[mail])
		}
	}
	if len(mails) != len(ops.mails) {
		t.Errorf("the simulator processed creates for %d distinct mails, the workers sent %d", len(mails), len(ops.mails))
	}
	return limited
}
