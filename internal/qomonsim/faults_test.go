package qomonsim

import (
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestFaultStatus(t *testing.T) {
	c := newTC(t, Options{})
	c.s.InjectFault(Fault{Method: "POST", Path: "/contacts", Kind: FaultStatus, Times: 2})
	r := c.do("POST", "/contacts", wrap(map[string]any{"surname": "A"})).want(t, 503)
	if r.body["status"] != float64(503) || r.body["title"] != "Service Unavailable" {
		t.Errorf("503 problem %s", r.raw)
	}
	c.do("GET", "/forms/11240", nil).want(t, 200) // other routes unaffected
	c.do("POST", "/contacts", wrap(map[string]any{"surname": "A"})).want(t, 503)
	c.do("POST", "/contacts", wrap(map[string]any{"surname": "A"})).want(t, 200) // Times used up
	if n := c.s.ContactCount(); n != 1 {
		t.Errorf("%d contacts, want only the unfaulted one", n)
	}

	c.s.InjectFault(Fault{Path: "/contacts/", Kind: FaultStatus, Status: 502, HTML: true, Times: 1})
	r = c.do("GET", "/contacts/1", nil).want(t, 502)
	if !strings.Contains(r.header.Get("Content-Type"), "text/html") || !strings.Contains(string(r.raw), "502 Bad Gateway") {
		t.Errorf("HTML 502: %q %q", r.header.Get("Content-Type"), r.raw)
	}

	c.s.InjectFault(Fault{Kind: FaultStatus, Status: 429, RetryAfter: 2500 * time.Millisecond, Times: 1})
	r = c.do("GET", "/forms/11240", nil).want(t, 429)
	if r.header.Get("Retry-After") != "3" {
		t.Errorf("Retry-After %q", r.header.Get("Retry-After"))
	}
	c.s.InjectFault(Fault{Kind: FaultStatus, Status: 500})
	c.do("GET", "/forms/11240", nil).want(t, 500)
	c.s.ClearFaults()
	c.do("GET", "/forms/11240", nil).want(t, 200)

	var faulted int
	for _, req := range c.s.Requests() {
		if req.Fault == FaultStatus {
			faulted++
		}
	}
	if faulted != 5 || c.s.Stats().Faults != 5 {
		t.Errorf("%d faulted requests logged, stats %+v", faulted, c.s.Stats())
	}
}

func TestFaultDelay(t *testing.T) {
	c := newTC(t, Options{})
	c.s.InjectFault(Fault{Method: "GET", Kind: FaultDelay, Delay: 200 * time.Millisecond, Times: 1})
	start := time.Now()
	c.do("GET", "/forms/11240", nil).want(t, 200)
	if d := time.Since(start); d < 200*time.Millisecond {
		t.Errorf("delayed request took %v", d)
	}
	start = time.Now()
	c.do("GET", "/forms/11240", nil).want(t, 200)
	if d := time.Since(start); d > 150*time.Millisecond {
		t.Errorf("undelayed request took %v", d)
	}
	if reqs := c.s.Requests(); reqs[0].Fault != FaultDelay || reqs[1].Fault != 0 {
		t.Errorf("log faults %v %v", reqs[0].Fault, reqs[1].Fault)
	}
}

func isReset(err error) bool {
	return errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		strings.Contains(err.Error(), "connection reset")
}

func TestFaultReset(t *testing.T) {
	c := newTC(t, Options{})
	c.s.InjectFault(Fault{Method: "POST", Path: "/contacts", Kind: FaultReset, Times: 1})
	_, err := c.try("POST", "/contacts", wrap(map[string]any{"surname": "A"}))
	if err == nil || !isReset(err) {
		t.Fatalf("want a connection reset, got %v", err)
	}
	if n := c.s.ContactCount(); n != 0 {
		t.Errorf("%d contacts stored by a request reset before processing", n)
	}
	reqs := c.s.Requests()
	if len(reqs) != 1 || reqs[0].Status != 0 || reqs[0].Fault != FaultReset || reqs[0].Cost != 0 {
		t.Errorf("log %+v", reqs)
	}
	c.do("POST", "/contacts", wrap(map[string]any{"surname": "A"})).want(t, 200)
}

func TestFaultResetIsAnRST(t *testing.T) {
	c := newTC(t, Options{})
	c.s.InjectFault(Fault{Kind: FaultReset})
	conn, err := (&net.Dialer{}).DialContext(t.Context(), "tcp", strings.TrimPrefix(c.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_, _ = conn.Write([]byte("GET /forms/1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer test-token\r\n\r\n"))
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, err = conn.Read(make([]byte, 16))
	if !errors.Is(err, syscall.ECONNRESET) {
		t.Errorf("read after the fault: %v, want ECONNRESET (SO_LINGER 0)", err)
	}
}

func TestFaultDropResponse(t *testing.T) {
	c := newTC(t, Options{})
	c.s.InjectFault(Fault{Method: "POST", Path: "/contacts", Kind: FaultDropResponse, Times: 1})
	_, err := c.try("POST", "/contacts", wrap(map[string]any{"surname": "Lost", "mail": "lost@example.org"}))
	if err == nil || !isReset(err) {
		t.Fatalf("want a broken response, got %v", err)
	}
	all := c.s.Contacts()
	if len(all) != 1 || all[0]["surname"] != "Lost" {
		t.Fatalf("the processed contact was not stored: %v", all)
	}
	reqs := c.s.Requests()
	if len(reqs) != 1 || reqs[0].Status != 200 || reqs[0].Fault != FaultDropResponse || reqs[0].Cost != 5 {
		t.Errorf("log %+v", reqs)
	}
	if st := c.s.Stats(); st.Resets != 1 || st.ByStatus[0] != 1 {
		t.Errorf("stats %+v", st)
	}
	// A PATCH whose answer is lost was applied too.
	id := idOf(t, all[0])
	c.s.InjectFault(Fault{Method: "PATCH", Kind: FaultDropResponse, Times: 1})
	if _, err := c.try("PATCH", "/contacts/"+itoa(id), wrap(map[string]any{"surname": "Found"})); err == nil {
		t.Fatal("PATCH answered despite the fault")
	}
	if got, _ := c.s.Contact(id); got["surname"] != "Found" {
		t.Errorf("PATCH not applied: %v", got["surname"])
	}
}

func TestFaultProbabilityIsSeeded(t *testing.T) {
	pattern := func() string {
		c := newTC(t, Options{RateLimit: RateLimit{Disabled: true}})
		c.s.InjectFault(Fault{Kind: FaultStatus, Probability: 0.3, Seed: 42})
		var b strings.Builder
		for i := 0; i < 200; i++ {
			if c.do("GET", "/forms/11240", nil).status == 503 {
				b.WriteByte('x')
			} else {
				b.WriteByte('.')
			}
		}
		return b.String()
	}
	a, b := pattern(), pattern()
	if a != b {
		t.Errorf("same seed, different draws:\n%s\n%s", a, b)
	}
	if n := strings.Count(a, "x"); n < 35 || n > 85 {
		t.Errorf("%d of 200 faulted at probability 0.3", n)
	}
}

func TestFaultOrderAndCombination(t *testing.T) {
	c := newTC(t, Options{})
	c.s.InjectFault(Fault{Kind: FaultDelay, Delay: 100 * time.Millisecond, Times: 1})
	c.s.InjectFault(Fault{Kind: FaultStatus, Status: 502, Times: 1})
	c.s.InjectFault(Fault{Kind: FaultStatus, Status: 500, Times: 1})
	start := time.Now()
	c.do("GET", "/forms/11240", nil).want(t, 502) // delayed, then the first status fault
	if time.Since(start) < 100*time.Millisecond {
		t.Error("delay not applied with a status fault")
	}
	c.do("GET", "/forms/11240", nil).want(t, 500)
	c.do("GET", "/forms/11240", nil).want(t, 200)
}

func TestParseFaultKind(t *testing.T) {
	for _, k := range []FaultKind{FaultStatus, FaultDelay, FaultReset, FaultDropResponse} {
		if got, ok := ParseFaultKind(k.String()); !ok || got != k {
			t.Errorf("%v round trip: %v %v", k, got, ok)
		}
	}
	if _, ok := ParseFaultKind("explode"); ok {
		t.Error("explode parsed")
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
