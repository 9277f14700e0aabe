package conformance

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// tokenCosts compares the X-Ratelimit-Cost of every answer with the documented costs.
func (r *run) tokenCosts() {
	seen := map[string]string{}
	var wrong []string
	for _, ex := range r.rec.all() {
		c := strings.TrimSpace(ex.header.Get("X-Ratelimit-Cost"))
		if ex.status == 0 || c == "" {
			continue
		}
		op := operation(ex.method, ex.path)
		if _, done := seen[op]; done {
			continue
		}
		seen[op] = c
		if c != strconv.Itoa(documentedCost(ex.method, ex.path)) {
			wrong = append(wrong, fmt.Sprintf("%s costs %s", op, c))
		}
	}
	if len(seen) == 0 {
		r.result("token-costs", Skip, "Qomon sent no X-Ratelimit-Cost header", nil)
		return
	}
	ops := slices.Sorted(maps.Keys(seen))
	parts := make([]string, len(ops))
	for i, op := range ops {
		parts[i] = op + " " + seen[op]
	}
	if len(wrong) > 0 {
		r.result("token-costs", Fail, strings.Join(wrong, "; "), seen)
		return
	}
	r.result("token-costs", Pass, strings.Join(parts, ", "), seen)
}

// rateLimitHeaders checks the shape of the rate-limit headers on every successful answer.
func (r *run) rateLimitHeaders() {
	var sample *exchange
	exchanges := r.rec.all()
	for i, ex := range exchanges {
		if ex.status/100 != 2 {
			continue // a 401 comes before the bucket; a 429 or 5xx may come from a proxy in front of Qomon
		}
		if sample == nil {
			sample = &exchanges[i]
		}
		if shape, _, _ := rateLimitShape(ex.header); shape != shapeQomon {
			sample = &exchanges[i]
			break
		}
	}
	if sample == nil {
		r.result("rate-limit-headers", Skip, "no answer to look at", nil)
		return
	}
	shape, burst, rate := rateLimitShape(sample.header)
	lines := headerLines(sample.header)
	facts := map[string]string{"shape": shape}
	where := operation(sample.method, sample.path) + ": "
	if shape != shapeQomon {
		observed := where + "no rate-limit header"
		if len(lines) > 0 {
			observed = where + strings.Join(lines, "; ")
		}
		r.result("rate-limit-headers", Fail, observed+" ("+shape+" shape)", facts, lines...)
		return
	}
	facts["burst"] = strconv.FormatFloat(burst, 'f', -1, 64)
	facts["per_second"] = strconv.FormatFloat(rate, 'f', -1, 64)
	r.result("rate-limit-headers", Pass, fmt.Sprintf("on every answer; bucket of %s tokens refilled at %s per second", facts["burst"], facts["per_second"]), facts, lines...)
}

// operation names a call for a report: its method and path with ids replaced.
func operation(method, path string) string {
	switch {
	case strings.HasPrefix(path, "/contacts/"):
		return method + " /contacts/{id}"
	case strings.HasPrefix(path, "/v1/forms/type/"):
		return method + " /v1/forms/type/{type}"
	}
	return method + " " + path
}
