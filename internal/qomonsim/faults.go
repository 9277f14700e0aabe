package qomonsim

import (
	"hash/fnv"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// FaultKind is what an injected fault does to a request.
type FaultKind int

const (
	// FaultStatus answers Status (default 503) before the request is processed, with a
	// problem body, or an nginx-style HTML page when HTML is set. A 429 carries
	// Retry-After (RetryAfter, default 1 s).
	FaultStatus FaultKind = iota + 1
	// FaultDelay waits Delay, then lets the request through (other faults still apply).
	FaultDelay
	// FaultReset resets the TCP connection (SO_LINGER 0) before processing: nothing is
	// stored, the client sees a connection reset.
	FaultReset
	// FaultDropResponse processes the request (and stores what it writes), then resets
	// the connection instead of answering: the outcome is unknown to the client.
	FaultDropResponse
)

// String names the kind.
func (k FaultKind) String() string {
	switch k {
	case FaultStatus:
		return "status"
	case FaultDelay:
		return "delay"
	case FaultReset:
		return "reset"
	case FaultDropResponse:
		return "drop-response"
	}
	return "none"
}

// ParseFaultKind reads "status", "delay", "reset" or "drop-response".
func ParseFaultKind(s string) (FaultKind, bool) {
	for k := FaultStatus; k <= FaultDropResponse; k++ {
		if k.String() == strings.ToLower(strings.TrimSpace(s)) {
			return k, true
		}
	}
	return 0, false
}

// Fault describes requests to disturb and how.
type Fault struct {
	Method      string        // "" = any method
	Path        string        // path prefix; "" = any path
	Kind        FaultKind     // what to do
	Status      int           // FaultStatus: the status (default 503)
	HTML        bool          // FaultStatus: answer an HTML page instead of a problem object
	RetryAfter  time.Duration // FaultStatus 429: the Retry-After to announce (default 1 s)
	Delay       time.Duration // FaultDelay: how long to wait
	Times       int           // how many requests to act on; 0 = unlimited
	Probability float64       // chance to act on a matching request; 0 = always
	Seed        int64         // seed of the Probability draws, for reproducible runs
}

type activeFault struct {
	Fault
	left int // remaining uses when Times > 0
	rng  *rand.Rand
}

type faultSet struct {
	mu     sync.Mutex
	faults []*activeFault
}

// faultAction is what the faults decided for one request.
type faultAction struct {
	delay time.Duration
	fault *Fault // the non-delay fault to apply, if any
}

// InjectFault adds a fault; faults are consulted in the order they were added.
func (s *Server) InjectFault(f Fault) {
	if f.Kind == FaultStatus && f.Status == 0 {
		f.Status = http.StatusServiceUnavailable
	}
	af := &activeFault{Fault: f, left: f.Times}
	// The seed goes through a hash rather than a signed-to-unsigned conversion.
	h := fnv.New64a()
	_, _ = h.Write([]byte(strconv.FormatInt(f.Seed, 10)))
	af.rng = rand.New(rand.NewPCG(h.Sum64(), 0x5eed))
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.faults = append(s.faults.faults, af)
}

// ClearFaults removes every fault.
func (s *Server) ClearFaults() {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.faults = nil
}

// pick draws the faults for one request: every matching delay adds up, and the first
// matching fault of another kind acts. A fault whose Times are used up is removed.
func (fs *faultSet) pick(method, path string) faultAction {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	var act faultAction
	kept := fs.faults[:0]
	for _, f := range fs.faults {
		applies := (f.Method == "" || strings.EqualFold(f.Method, method)) &&
			strings.HasPrefix(path, f.Path) &&
			(f.Kind == FaultDelay || act.fault == nil)
		if applies && f.Probability > 0 && f.Probability < 1 {
			applies = f.rng.Float64() < f.Probability
		}
		if applies {
			if f.Kind == FaultDelay {
				act.delay += f.Delay
			} else {
				ff := f.Fault
				act.fault = &ff
			}
			if f.Times > 0 {
				f.left--
			}
		}
		if f.Times == 0 || f.left > 0 {
			kept = append(kept, f)
		}
	}
	fs.faults = kept
	return act
}

func writeFaultStatus(w http.ResponseWriter, r *http.Request, f Fault) {
	if f.Status == http.StatusTooManyRequests {
		ra := f.RetryAfter
		if ra <= 0 {
			ra = time.Second
		}
		w.Header().Set("Retry-After", strconv.Itoa(int((ra+time.Second-1)/time.Second)))
	}
	if f.HTML {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(f.Status)
		_, _ = w.Write([]byte(htmlErrorPage(f.Status)))
		return
	}
	writeProblem(w, r, f.Status, "injected fault")
}

// resetConnection closes the client's connection with SO_LINGER 0, so the client sees a
// reset rather than a clean end of stream. Without a hijackable connection (HTTP/2) it
// aborts the handler, which also breaks the response.
func resetConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	_ = conn.Close()
}
