package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/qomon/terraform-provider-qomon/internal/qomonsim"
)

// logSummary is what a simulator request log says about one scenario.
type logSummary struct {
	Requests    int // every request received
	Faults      int // requests a fault acted on (status, reset, drop, delay)
	RateLimited int // 429 answers (from the bucket or injected)
	Retried     int // failed requests that were sent again (same method, path and body later)
	Processed   int // requests that reached the API and were answered, whatever the answer
}

// failed reports whether the client saw a failure it may retry: a fault that broke or
// replaced the answer, or a 429/5xx.
func failed(r qomonsim.Request) bool {
	switch r.Fault {
	case qomonsim.FaultReset, qomonsim.FaultDropResponse, qomonsim.FaultStatus:
		return true
	}
	return r.RateLimited || r.Status == http.StatusTooManyRequests || r.Status >= 500 || r.Status == 0
}

// summarize counts faults and retries in a request log. A request is counted as retried when
// it failed and a later request carries the same method, path and body: that is what a retry
// looks like on the wire, and it cannot be confused with a second logical call in the
// scenarios here, whose bodies differ (unique mails, changed fields).
func summarize(reqs []qomonsim.Request) logSummary {
	var s logSummary
	s.Requests = len(reqs)
	type key struct{ method, path, body string }
	later := map[key]int{} // requests with this key seen after the current one
	for _, r := range reqs {
		later[key{r.Method, r.Path, string(r.Body)}]++
	}
	for _, r := range reqs {
		k := key{r.Method, r.Path, string(r.Body)}
		later[k]--
		if r.Fault != 0 {
			s.Faults++
		}
		if r.RateLimited || r.Status == http.StatusTooManyRequests {
			s.RateLimited++
		}
		if failed(r) {
			if later[k] > 0 {
				s.Retried++
			}
			continue
		}
		s.Processed++
	}
	return s
}

// record adds a scenario's log to the package figures. clientRetries, when the test could
// count them on the client side (retryCounter), replaces the log's estimate.
func (s logSummary) record(clientRetries ...int) {
	figures.add(figFaultsInjected, int64(s.Faults))
	figures.add(figRateLimited, int64(s.RateLimited))
	retried := s.Retried
	if len(clientRetries) > 0 {
		retried = clientRetries[0]
	}
	figures.add(figRequestsRetried, int64(retried))
}

func (s logSummary) String() string {
	return fmt.Sprintf("%d requests, %d faults injected, %d rate-limited, %d retried, %d processed",
		s.Requests, s.Faults, s.RateLimited, s.Retried, s.Processed)
}

// isContactPath reports whether p is /contacts/{id}.
func isContactPath(p string) bool {
	rest, ok := strings.CutPrefix(p, "/contacts/")
	return ok && rest != "" && rest != "upsert" && !strings.Contains(rest, "/")
}

// bodyMail extracts data.contact.mail from a create or update body ("" when absent).
func bodyMail(body []byte) string {
	var env struct {
		Data struct {
			Contact map[string]any `json:"contact"`
		} `json:"data"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&env); err != nil {
		return ""
	}
	m, _ := env.Data.Contact["mail"].(string)
	return m
}

// str reads a string from a JSON-shaped map, following a dotted path ("address.city").
func str(m map[string]any, dotted string) string {
	var cur any = m
	for _, k := range strings.Split(dotted, ".") {
		mm, ok := cur.(map[string]any)
		if !ok {
			return ""
		}
		cur = mm[k]
	}
	switch v := cur.(type) {
	case string:
		return v
	case float64:
		return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%f", v), "0"), ".")
	case bool:
		return fmt.Sprint(v)
	case nil:
		return ""
	}
	b, _ := json.Marshal(cur)
	return string(b)
}

// tagNames lists the tag names of a JSON-shaped contact, sorted as stored.
func tagNames(c map[string]any) []string {
	var out []string
	tags, _ := c["tags"].([]any)
	for _, t := range tags {
		switch v := t.(type) {
		case map[string]any:
			if n, ok := v["name"].(string); ok {
				out = append(out, n)
			}
		case string:
			out = append(out, v)
		}
	}
	return out
}
