package qomonsim

import (
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// Request is one request the simulator received, as the request log keeps it.
type Request struct {
	Method string
	Path   string
	Query  string      // raw query string, if any
	Header http.Header // request headers; the bearer token is redacted
	Body   []byte      // raw body as received
	Status int         // status sent (or that would have been sent, for FaultDropResponse); 0 when the connection was reset first
	Time   time.Time   // arrival, on the simulator's clock
	Cost   int         // rate-limit tokens charged (0 when rejected before the bucket)
	// RateLimited is true when the bucket answered 429.
	RateLimited bool
	// Fault is the injected fault that acted on this request (0: none).
	Fault FaultKind
}

// requestLog is the append-only record of requests.
type requestLog struct {
	mu      sync.Mutex
	entries []Request
	stats   Stats
}

func (l *requestLog) add(r Request) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = append(l.entries, r)
	l.stats.add(r)
}

// Requests returns every logged request in arrival order (copies).
func (s *Server) Requests() []Request {
	s.log.mu.Lock()
	defer s.log.mu.Unlock()
	out := make([]Request, len(s.log.entries))
	for i, r := range s.log.entries {
		r.Body = slices.Clone(r.Body)
		r.Header = r.Header.Clone()
		out[i] = r
	}
	return out
}

// ResetRequests empties the request log and zeroes the counters of Stats.
func (s *Server) ResetRequests() {
	s.log.mu.Lock()
	defer s.log.mu.Unlock()
	s.log.entries = nil
	s.log.stats = Stats{}
}

// redactHeader copies h without the secret part of Authorization, so that the log (and the
// admin endpoint that shows it) never holds a token.
func redactHeader(h http.Header) http.Header {
	c := h.Clone()
	if v := c.Get("Authorization"); v != "" {
		scheme, _, found := strings.Cut(v, " ")
		if found {
			c.Set("Authorization", scheme+" REDACTED")
		} else {
			c.Set("Authorization", "REDACTED")
		}
	}
	return c
}

// Stats are counters over the logged requests (since the last ResetRequests).
type Stats struct {
	Requests    int         // requests received
	ByStatus    map[int]int // status sent -> count (0: connection reset)
	RateLimited int         // 429s sent by the bucket (not by a FaultStatus)
	TokensSpent int         // tokens charged to buckets
	Faults      int         // requests a fault acted on (delays included)
	Resets      int         // connections reset (FaultReset and FaultDropResponse)
}

func (st *Stats) add(r Request) {
	st.Requests++
	if st.ByStatus == nil {
		st.ByStatus = map[int]int{}
	}
	status := r.Status
	if r.Fault == FaultDropResponse || r.Fault == FaultReset {
		status = 0
		st.Resets++
	}
	st.ByStatus[status]++
	if r.RateLimited {
		st.RateLimited++
	} else {
		st.TokensSpent += r.Cost
	}
	if r.Fault != 0 {
		st.Faults++
	}
}

// Stats returns the counters.
func (s *Server) Stats() Stats {
	s.log.mu.Lock()
	st := s.log.stats
	st.ByStatus = make(map[int]int, len(s.log.stats.ByStatus))
	for k, v := range s.log.stats.ByStatus {
		st.ByStatus[k] = v
	}
	s.log.mu.Unlock()
	return st
}
