package e2e

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qomon/terraform-provider-qomon/internal/acctest"
	"github.com/qomon/terraform-provider-qomon/internal/qomon"
	"github.com/qomon/terraform-provider-qomon/internal/qomonsim"
)

// Fault acceptance tests: a real CLI applies configurations while the simulator misbehaves the
// way networks, proxies and an overloaded Qomon do. What must hold afterwards: Qomon stores
// exactly one contact per configured contact, each equal to its configuration, no field the
// configuration or a person set is lost, and the next plan is empty.

// loadConfig is n contacts whose every value is derived from its index, so that the stored
// form of each can be checked against its configuration.
func loadConfig(n int, extra string) string {
	return fmt.Sprintf(`provider "qomon" {
%s
}

resource "qomon_contact" "c" {
  count     = %d
  firstname = "First${count.index}"
  surname   = "Load ${count.index}"
  mail      = "load-${count.index}@example.test"
  phone     = format("01%%08d", count.index)
  address = {
    street     = "${count.index} rue de la Paix"
    postalcode = "75002"
    city       = "Paris"
  }
  tags  = ["load", "batch-${count.index %% 7}"]
  notes = [{ content = "note ${count.index}" }]
}
`, extra, n)
}

// loadWant is what loadConfig's contact i must look like in Qomon.
func loadWant(i int) map[string]string {
	return map[string]string{
		"firstname":          "First" + strconv.Itoa(i),
		"surname":            "Load " + strconv.Itoa(i),
		"mail":               fmt.Sprintf("load-%d@example.test", i),
		"phone":              fmt.Sprintf("01%08d", i),
		"address.street":     strconv.Itoa(i) + " rue de la Paix",
		"address.postalcode": "75002",
		"address.city":       "Paris",
		"tags":               strings.Join(sortedCopy([]string{"load", "batch-" + strconv.Itoa(i%7)}), ","),
		"notes":              "note " + strconv.Itoa(i),
	}
}

func sortedCopy(s []string) []string {
	c := slices.Clone(s)
	slices.Sort(c)
	return c
}

// noteTexts lists a stored contact's note texts (in `data` or `content`, by spelling).
func noteTexts(c map[string]any) []string {
	var out []string
	notes, _ := c["notes"].([]any)
	for _, n := range notes {
		m, _ := n.(map[string]any)
		if s, ok := m["data"].(string); ok {
			out = append(out, s)
		} else if s, ok := m["content"].(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// checkStore compares the simulator's store with n contacts of loadConfig: exactly one contact
// per mail, each field as configured. It adds duplicates and lost fields to the figures and
// returns an error describing the first problems.
func checkStore(sim *qomonsim.Server, n int, want func(int) map[string]string) error {
	_, _, err := checkStoreCounts(sim, n, want)
	return err
}

// checkStoreCounts is checkStore that also returns the duplicates and the fields lost.
func checkStoreCounts(sim *qomonsim.Server, n int, want func(int) map[string]string) (dups, lost int, err error) {
	byMail := map[string][]map[string]any{}
	for _, c := range sim.Contacts() {
		byMail[str(c, "mail")] = append(byMail[str(c, "mail")], c)
	}
	var problems []string
	for i := range n {
		w := want(i)
		got := byMail[w["mail"]]
		delete(byMail, w["mail"])
		switch {
		case len(got) == 0:
			problems = append(problems, fmt.Sprintf("contact %d (%s) is missing", i, w["mail"]))
			lost += len(w)
			continue
		case len(got) > 1:
			dups += len(got) - 1
			problems = append(problems, fmt.Sprintf("contact %d (%s) is stored %d times", i, w["mail"], len(got)))
		}
		c := got[0]
		for k, v := range w {
			var have string
			switch k {
			case "tags":
				have = strings.Join(sortedCopy(tagNames(c)), ",")
			case "notes":
				have = strings.Join(noteTexts(c), "|")
			default:
				have = str(c, k)
			}
			if have != v {
				lost++
				problems = append(problems, fmt.Sprintf("contact %d: %s = %q, configured %q", i, k, have, v))
			}
		}
	}
	for mail, cs := range byMail {
		dups += len(cs)
		problems = append(problems, fmt.Sprintf("%d contact(s) with mail %q that no configuration asked for", len(cs), mail))
	}
	figures.add(figContactsDuplicated, int64(dups))
	figures.add(figFieldsLost, int64(lost))
	if len(problems) > 0 {
		if len(problems) > 20 {
			problems = append(problems[:20], fmt.Sprintf("... and %d more", len(problems)-20))
		}
		return dups, lost, fmt.Errorf("%d duplicate(s), %d field(s) lost or wrong:\n  %s", dups, lost, strings.Join(problems, "\n  "))
	}
	return 0, 0, nil
}

// chaos injects the background faults of a bad day: ~10% 503s, ~5% connection resets,
// latency spikes, and (from burst) bursts of 429 with Retry-After, on every endpoint. The
// client never retries a create Qomon may have processed (a blind retry could duplicate the
// contact): the resource searches for it and sends it again only when it is not there.
func chaos(sim *qomonsim.Server, seed int64) {
	for _, m := range []string{"GET", "PATCH", "DELETE", "POST"} {
		path := ""
		if m == "POST" {
			path = "/search"
		}
		sim.InjectFault(qomonsim.Fault{Method: m, Path: path, Kind: qomonsim.FaultStatus, Status: 503, Probability: 0.10, Seed: seed})
		sim.InjectFault(qomonsim.Fault{Method: m, Path: path, Kind: qomonsim.FaultReset, Probability: 0.05, Seed: seed + 1})
	}
	sim.InjectFault(qomonsim.Fault{Method: "POST", Path: "/contacts", Kind: qomonsim.FaultStatus, Status: 503, Probability: 0.10, Seed: seed + 2})
	sim.InjectFault(qomonsim.Fault{Method: "POST", Path: "/contacts", Kind: qomonsim.FaultReset, Probability: 0.05, Seed: seed + 3})
	sim.InjectFault(qomonsim.Fault{Kind: qomonsim.FaultDelay, Delay: 800 * time.Millisecond, Probability: 0.02, Seed: seed + 4})
}

// bursts makes the simulator answer 429 (Retry-After: 1) to every request for `window`,
// every `every`, until stop is closed, as Qomon does while a space's bucket is empty (another
// integration spending it). Faults injected by count would stay armed until consumed, which no
// real bucket does. rearm restores the background faults after each window (the simulator can
// only drop all its faults at once). It returns a function that waits for the goroutine's end.
func bursts(sim *qomonsim.Server, every, window time.Duration, rearm func(), stop <-chan struct{}) (wait func()) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				sim.ClearFaults()
				sim.InjectFault(qomonsim.Fault{Kind: qomonsim.FaultStatus, Status: 429, RetryAfter: time.Second})
				rearm()
				select {
				case <-stop:
					return
				case <-time.After(window):
				}
				sim.ClearFaults()
				rearm()
			}
		}
	}()
	return wg.Wait
}

// loadSize is the number of contacts of the big fault test: 100, enough that every fault
// (503s, resets, latency spikes, 429 bursts) strikes creates, reads and deletes dozens of times
// under a parallelism of 10. Twice as many take nearly twice the CPU and prove nothing more:
// the outcome is checked contact by contact either way.
func loadSize() int {
	if testing.Short() {
		return 40
	}
	return 100
}

// TestAccFaultyApply: 100 contacts created, refreshed and destroyed by a real CLI (parallelism
// 10) while the simulator answers ~10% 503s, resets ~5% of connections, adds latency spikes and
// answers bursts of 429 with Retry-After. The apply succeeds; Qomon holds exactly 100
// contacts, each as configured; the plan that follows (refreshing all 100 under the same
// faults) is empty; the destroy leaves nothing. The provider is served from this process, so
// that its retries are fast and counted.
func TestAccFaultyApply(t *testing.T) {
	t.Parallel()
	n := loadSize()
	// Qomon's bucket shape, its refill scaled up so that 100 creates take seconds.
	rl := qomonsim.RateLimit{Burst: 100, PerSecond: 2000}
	rc := &retryCounter{}
	env := acctest.Start(t, qomonsim.Options{RateLimit: rl}, fastRetries, rc.tune, func(c *qomon.Config) {
		c.RateLimit = qomon.RateLimit{Burst: rl.Burst, PerSecond: rl.PerSecond}
		c.Limiter = nil
	})
	w := envWork(t, env, loadConfig(n, ""))
	stop := make(chan struct{})
	chaos(env.Sim, 6)
	waitBursts := bursts(env.Sim, 5*time.Second, 150*time.Millisecond, func() { chaos(env.Sim, 6) }, stop)
	defer func() {
		close(stop)
		waitBursts()
	}()

	w.apply()
	if err := checkStore(env.Sim, n, loadWant); err != nil {
		t.Fatal(err)
	}
	if empty, res := w.planIsEmpty(); !empty {
		t.Fatalf("the plan after the apply is not empty: %s", res)
	}
	if res := w.run(nil, "destroy", "-auto-approve", "-no-color", "-input=false"); res.code != 0 {
		t.Fatalf("the destroy under faults failed: %s", res)
	}
	if left := len(env.Sim.Contacts()); left != 0 {
		t.Errorf("%d contacts left after destroy", left)
	}
	s := summarize(env.Sim.Requests())
	s.record(rc.count())
	t.Logf("faulty apply of %d contacts: %s; the client retried %d times", n, s, rc.count())
	if s.Faults == 0 || rc.count() == 0 {
		t.Errorf("no fault was injected or retried (%s, %d client retries): the scenario did not happen", s, rc.count())
	}
}

// TestAccFaultyCreates: the same bad day, with the provider as users run it (its own binary,
// default retry and search timings, driven by a CLI process), and two creates that Qomon
// processes but whose answer is lost. A create answered by a 503 or cut by a reset may or may
// not have been processed: the client does not retry it blindly; the resource searches for the
// contact by mail over Qomon's index lag, adopts it when it is there and sends it again when it
// is not. The apply succeeds; exactly one contact per configuration, every field as configured,
// an empty plan.
func TestAccFaultyCreates(t *testing.T) {
	t.Parallel()
	n := loadSize() / 2
	rl := qomonsim.RateLimit{Burst: 100, PerSecond: 2000}
	sim, w := simWork(t, qomonsim.Options{RateLimit: rl}, loadConfig(n, `  max_retries = 6
  rate_limit  = { burst = 100, per_second = 2000 }`))
	chaos(sim, 61)
	// Two creates are processed and their answer lost, whatever the draws.
	sim.InjectFault(qomonsim.Fault{Method: "POST", Path: "/contacts", Kind: qomonsim.FaultDropResponse, Times: 2})

	first := w.run(nil, "apply", "-auto-approve", "-no-color", "-input=false")
	if first.code != 0 {
		t.Fatalf("the apply under faults failed: %s", first)
	}
	out := first.stdout + first.stderr
	adopted, resent := strings.Count(out, "Adopted an existing contact"), strings.Count(out, "Contact sent again")
	// The warnings say what the provider did; the client's advice to search and import, which
	// the provider followed itself, is not repeated to the user.
	if regexp.MustCompile(`import\s+it\s+rather\s+than\s+creating`).MatchString(out) {
		t.Errorf("a warning repeats the advice to import the contact:\n%s", tail(out, 3000))
	}
	s1 := summarize(sim.Requests())
	sim.ClearFaults()
	if err := checkStore(sim, n, loadWant); err != nil {
		t.Fatal(err)
	}
	if empty, res := w.planIsEmpty(); !empty {
		t.Fatalf("the plan after the apply is not empty: %s", res)
	}
	if got := len(w.stateResources()); got != n {
		t.Errorf("the state holds %d resources, want %d", got, n)
	}
	s1.record()
	// Terraform folds repeated warnings into one ("and N more similar warnings"): the counts
	// from the output are lower bounds; the simulator's log says what happened.
	lost := 0
	for _, r := range sim.Requests() {
		if r.Method == "POST" && r.Path == "/contacts" && (r.Fault == qomonsim.FaultStatus || r.Fault == qomonsim.FaultReset || r.Fault == qomonsim.FaultDropResponse) {
			lost++
		}
	}
	t.Logf("faulty creates of %d contacts: %s; %d creates answered by a fault; warnings seen: %d adopted, %d sent again", n, s1, lost, adopted, resent)
	if s1.Faults == 0 || lost == 0 || adopted == 0 {
		t.Errorf("the scenario did not happen: %s, %d creates faulted, %d adopted", s1, lost, adopted)
	}
}

// lostCreateWork is a simulator that stores the first contact created and loses the answer,
// and a folder with config applied by a CLI against it (the provider served in process).
func lostCreateWork(t *testing.T, config string) (*acctest.Env, *cliWork) {
	t.Helper()
	env := acctest.Start(t, qomonsim.Options{}, fastRetries)
	env.Sim.InjectFault(qomonsim.Fault{Method: "POST", Path: "/contacts", Kind: qomonsim.FaultDropResponse, Times: 1})
	return env, envWork(t, env, config)
}

// TestAccLostCreateAnswer: Qomon stores the contact, then the connection is reset before its
// answer arrives. The provider must not create a twin: it finds the contact by its exact mail,
// checks it holds what was sent, adopts it (with a warning), and the plan that follows is empty.
func TestAccLostCreateAnswer(t *testing.T) {
	t.Parallel()
	// One contact with every kind of value the search must match: address, tags, notes.
	env, w := lostCreateWork(t, loadConfig(1, ""))
	res := w.apply()
	if !regexp.MustCompile(wrapped("Adopted an existing contact")).MatchString(res.stdout + res.stderr) {
		t.Errorf("no warning that the contact was adopted:\n%s", tail(res.stdout+res.stderr, 3000))
	}
	cs := env.Sim.Contacts()
	if len(cs) != 1 {
		figures.add(figContactsDuplicated, int64(len(cs)-1))
		t.Fatalf("the simulator holds %d contacts after a lost create answer, want exactly 1", len(cs))
	}
	posts := 0
	for _, r := range env.Sim.Requests() {
		if r.Method == "POST" && r.Path == "/contacts" {
			posts++
		}
	}
	if posts != 1 {
		t.Errorf("POST /contacts was sent %d times: a create whose answer was lost must not be re-sent blindly", posts)
	}
	if err := checkStore(env.Sim, 1, loadWant); err != nil {
		t.Error(err)
	}
	if st := w.stateResources(); len(st) != 1 || st[0].Values["id"] != cs[0]["id"] {
		t.Errorf("the state holds %v, want the contact Qomon stored (id %v)", st, cs[0]["id"])
	}
	if empty, res := w.planIsEmpty(); !empty {
		t.Errorf("the plan after the adoption is not empty: %s", res)
	}
	summarize(env.Sim.Requests()).record()
}

// TestAccLostCreateAnswerWithoutMail: without a mail the provider cannot look the contact up.
// It must say so, name the way out (import), and following that advice converges with no
// duplicate.
func TestAccLostCreateAnswerWithoutMail(t *testing.T) {
	t.Parallel()
	env, w := lostCreateWork(t, `provider "qomon" {}
resource "qomon_contact" "x" {
  firstname = "Katherine"
  surname   = "Johnson"
  phone     = "0102030405"
}
`)
	res := w.run(nil, "apply", "-auto-approve", "-no-color", "-input=false")
	if res.code == 0 || !regexp.MustCompile(`(?s)Contact may have been created.*import`).MatchString(res.stdout+res.stderr) {
		t.Fatalf("want an error that names the import: %s", res)
	}
	// What the error says to do: find the contact in Qomon, import it.
	cs := env.Sim.Contacts()
	if len(cs) != 1 {
		t.Fatalf("the simulator holds %d contacts, want the 1 whose answer was lost", len(cs))
	}
	id := strconv.FormatInt(int64(cs[0]["id"].(float64)), 10)
	if res := w.run(nil, "import", "-no-color", "-input=false", "qomon_contact.x", id); res.code != 0 {
		t.Fatalf("import: %s", res)
	}
	if empty, res := w.planIsEmpty(); !empty {
		t.Errorf("the plan after the import is not empty: %s", res)
	}
	if n := len(env.Sim.Contacts()); n != 1 {
		figures.add(figContactsDuplicated, int64(n-1))
		t.Errorf("%d contacts after the import, want 1", n)
	}
}

// TestAccCancelledInsideProvider: every create and some reads take longer than the client's
// per-request deadline, so the provider's own context gives up on requests Qomon then
// processes anyway. The apply converges (the lost creates are adopted by mail), with one
// contact per configuration and nothing lost, and the plan that follows is empty.
func TestAccCancelledInsideProvider(t *testing.T) {
	t.Parallel()
	const n = 12
	rc := &retryCounter{}
	env := acctest.Start(t, qomonsim.Options{}, fastRetries, rc.tune, func(c *qomon.Config) {
		c.RequestTimeout = 300 * time.Millisecond
	})
	w := envWork(t, env, loadConfig(n, ""))
	env.Sim.InjectFault(qomonsim.Fault{Method: "POST", Path: "/contacts", Kind: qomonsim.FaultDelay, Delay: 2 * time.Second, Times: 4})
	env.Sim.InjectFault(qomonsim.Fault{Method: "GET", Kind: qomonsim.FaultDelay, Delay: 2 * time.Second, Probability: 0.2, Seed: 9})
	w.apply()
	if err := checkStore(env.Sim, n, loadWant); err != nil {
		t.Fatal(err)
	}
	if empty, res := w.planIsEmpty(); !empty {
		t.Errorf("the plan after the apply is not empty: %s", res)
	}
	s := summarize(env.Sim.Requests())
	s.record(rc.count())
	t.Logf("cancelled inside the provider: %s; the client retried %d times", s, rc.count())
	if rc.count() == 0 {
		t.Errorf("no request was retried after its deadline: the scenario did not happen")
	}
}
