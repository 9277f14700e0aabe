package qomonsim

import (
	"crypto/subtle"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// maxBody bounds what one request may send; Qomon's own limit is not documented.
const maxBody = 16 << 20

// apiUserID is the user Qomon records as the author of API writes; appUserID the person
// who edits contacts "in the Qomon app" (EditContact).
const (
	apiUserID int64 = 100001
	appUserID int64 = 100002
)

// Server is a stateful, in-memory Qomon. It is an http.Handler; every method is safe for
// concurrent use.
type Server struct {
	tokens  [][]byte
	forms   *catalogue
	groupID int64
	now     func() time.Time

	mu        sync.Mutex // guards everything below
	opts      Options    // the switches in force, defaults applied
	contacts  map[int64]*record
	tagCounts map[string]int
	next      ids
	index     map[int64][]indexVersion // versions not yet superseded in the search index

	limiter *limiter
	faults  *faultSet
	log     *requestLog
}

// New builds a simulator from opts (the zero Options is a documented Qomon).
func New(opts Options) *Server {
	opts = opts.withDefaults()
	tokens := opts.Tokens
	if len(tokens) == 0 {
		tokens = []string{DefaultToken}
	}
	forms := opts.Forms
	if forms == nil {
		forms = DefaultForms()
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	groupID := opts.GroupID
	if groupID == 0 {
		groupID = 631
	}
	first := opts.FirstID
	if first <= 0 {
		first = 20000001
	}
	s := &Server{
		forms:     newCatalogue(forms),
		groupID:   groupID,
		now:       now,
		opts:      opts,
		contacts:  map[int64]*record{},
		tagCounts: map[string]int{},
		next:      ids{contact: first - 1, address: 5000000, note: 7000000, answer: 90000000},
		index:     map[int64][]indexVersion{},
		limiter:   newLimiter(opts.RateLimit),
		faults:    &faultSet{},
		log:       &requestLog{},
	}
	for _, t := range tokens {
		s.tokens = append(s.tokens, []byte(t))
	}
	return s
}

// Configure changes the switches for the following requests: change receives the options in
// force (Tokens, Forms, Now, GroupID and FirstID are read by New only). A changed rate limit
// starts every token with a full bucket; a changed search lag counts every contact stored now
// as indexed.
func (s *Server) Configure(change func(o *Options)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	before := s.opts
	change(&s.opts)
	s.opts = s.opts.withDefaults()
	if s.opts.RateLimit != before.RateLimit {
		s.limiter.reset(s.opts.RateLimit)
	}
	if s.opts.SearchLag != before.SearchLag {
		s.reindexLocked()
	}
}

// route is one API operation.
type route struct {
	cost    int
	handler func(w http.ResponseWriter, r *http.Request, body []byte, param string)
}

// match finds the operation for a method and path. ok == false with allow != "" is a
// known path with another method.
func (s *Server) match(method, path string) (rt route, param string, allow string, ok bool) {
	p := strings.TrimSuffix(path, "/")
	seg := strings.Split(strings.TrimPrefix(p, "/"), "/")
	switch {
	case p == "/contacts":
		if method == http.MethodPost {
			return route{5, s.handleCreate}, "", "", true
		}
		return route{}, "", "POST", false
	case len(seg) == 2 && seg[0] == "contacts":
		switch method {
		case http.MethodGet:
			return route{1, s.oneContact(s.handleGet)}, seg[1], "", true
		case http.MethodPatch:
			return route{5, s.oneContact(s.handlePatch)}, seg[1], "", true
		case http.MethodDelete:
			return route{1, s.oneContact(s.handleDelete)}, seg[1], "", true
		}
		return route{}, "", "GET, PATCH, DELETE", false
	case p == "/search":
		if method == http.MethodPost {
			return route{1, s.handleSearch}, "", "", true
		}
		return route{}, "", "POST", false
	case p == "/kpi":
		if method == http.MethodPost {
			return route{1, s.handleKPI}, "", "", true
		}
		return route{}, "", "POST", false
	case len(seg) == 4 && seg[0] == "v1" && seg[1] == "forms" && seg[2] == "type":
		if method == http.MethodGet {
			return route{1, s.handleFormsByType}, seg[3], "", true
		}
		return route{}, "", "GET", false
	case len(seg) == 2 && seg[0] == "forms":
		if method == http.MethodGet {
			return route{1, s.handleForm}, seg[1], "", true
		}
		return route{}, "", "GET", false
	}
	return route{}, "", "", false
}

// ServeHTTP runs one request: faults first (they model the network and proxies in front
// of Qomon), then authentication, the rate limit and the operation. Every request, faulted
// or not, lands in the request log.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	tooLarge := len(body) > maxBody
	if tooLarge {
		body = body[:maxBody]
	}
	entry := Request{
		Method: r.Method,
		Path:   r.URL.Path,
		Query:  r.URL.RawQuery,
		Header: redactHeader(r.Header),
		Body:   body,
		Time:   s.now(),
	}
	act := s.faults.pick(r.Method, r.URL.Path)
	if act.delay > 0 {
		t := time.NewTimer(act.delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
		}
	}
	if act.delay > 0 {
		entry.Fault = FaultDelay
	}
	if act.fault != nil {
		entry.Fault = act.fault.Kind
		switch act.fault.Kind {
		case FaultReset:
			s.log.add(entry)
			resetConnection(w)
			return
		case FaultStatus:
			rec := &statusWriter{ResponseWriter: w}
			writeFaultStatus(rec, r, *act.fault)
			entry.Status = rec.status
			s.log.add(entry)
			return
		case FaultDropResponse:
			buf := newBufferedWriter()
			s.serveAPI(buf, r, body, &entry)
			entry.Status = buf.status
			s.log.add(entry)
			resetConnection(w)
			return
		}
	}
	rec := &statusWriter{ResponseWriter: w}
	switch {
	case err != nil:
		// The client stopped sending mid-body; Qomon would never see the request.
		writeProblem(rec, r, http.StatusBadRequest, "could not read the request body")
	case tooLarge:
		writeProblem(rec, r, http.StatusRequestEntityTooLarge, "request body larger than 16 MiB")
	default:
		s.serveAPI(rec, r, body, &entry)
	}
	entry.Status = rec.status
	s.log.add(entry)
}

// serveAPI authenticates, charges the bucket and runs the operation.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request, body []byte, entry *Request) {
	token, ok := s.authenticate(r)
	if !ok {
		writeUnauthorized(w)
		return
	}
	rt, param, allow, found := s.match(r.Method, r.URL.Path)
	cost := 1
	if found {
		cost = rt.cost
	}
	entry.Cost = cost
	if !s.limiter.take(w, token, cost) {
		entry.RateLimited = true
		writeProblem(w, r, http.StatusTooManyRequests, "rate limit exceeded: wait for the bucket to refill (see Retry-After)")
		return
	}
	switch {
	case found:
		rt.handler(w, r, body, param)
	case allow != "":
		w.Header().Set("Allow", allow)
		writeProblem(w, r, http.StatusMethodNotAllowed, "method "+r.Method+" is not allowed on "+r.URL.Path)
	default:
		writeProblem(w, r, http.StatusNotFound, "no route for "+r.Method+" "+r.URL.Path)
	}
}

// authenticate checks the bearer token in constant time and returns it.
func (s *Server) authenticate(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	scheme, tok, found := strings.Cut(h, " ")
	if !found || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	tok = strings.TrimSpace(tok)
	for _, t := range s.tokens {
		if subtle.ConstantTimeCompare([]byte(tok), t) == 1 {
			return tok, true
		}
	}
	return "", false
}

// Handler serves the API at / and the admin endpoints under AdminPrefix, as cmd/qomonsim
// runs them. When logTo is not nil it gets one line per request: time, method, path, status
// ("---" for a reset connection) and duration; never a body or a query string, which may
// hold personal data.
func (s *Server) Handler(logTo io.Writer) http.Handler {
	mux := http.NewServeMux()
	mux.Handle(AdminPrefix, s.AdminHandler())
	mux.Handle("/", s)
	if logTo == nil {
		return mux
	}
	var mu sync.Mutex // one line at a time from concurrent requests
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		mux.ServeHTTP(sw, r)
		status := strconv.Itoa(sw.status)
		if sw.status == 0 {
			status = "---"
		}
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(logTo, "%s %s %s %s %s\n", start.UTC().Format("15:04:05.000"), r.Method, r.URL.Path, status,
			time.Since(start).Round(time.Microsecond))
	})
}

// statusWriter remembers the status code written.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// bufferedWriter swallows a response that will never be sent (drop-response fault).
type bufferedWriter struct {
	header http.Header
	status int
	body   []byte
}

func newBufferedWriter() *bufferedWriter { return &bufferedWriter{header: http.Header{}} }

func (b *bufferedWriter) Header() http.Header { return b.header }

func (b *bufferedWriter) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}

func (b *bufferedWriter) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	b.body = append(b.body, p...)
	return len(p), nil
}
