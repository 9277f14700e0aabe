package conformance

import (
	"bytes"
	"encoding/json"
	"math"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// The classifiers below name what an answer looks like. They are pure, so that each shape a
// Qomon space might show is a row of a table test.

// Rate-limit header shapes.
const (
	shapeQomon = "qomon" // X-Ratelimit-Limit burst:100;rate:10.0, -Remaining, -Cost, -Reset in seconds
	shapePlain = "plain" // X-Ratelimit-Limit 100, -Remaining, -Reset as a Unix time
	shapeIETF  = "ietf"  // RateLimit-Limit, -Remaining, -Reset (draft-ietf-httpapi-ratelimit-headers)
	shapeNone  = "none"
	shapeOther = "other"
)

var qomonLimit = regexp.MustCompile(`^burst:([0-9]+(?:\.[0-9]+)?);rate:([0-9]+(?:\.[0-9]+)?)$`)

// rateLimitHeaders are the headers the shapes above use, in the order a report lists them.
var rateLimitHeaders = []string{"X-Ratelimit-Limit", "X-Ratelimit-Remaining", "X-Ratelimit-Cost", "X-Ratelimit-Reset",
	"Ratelimit-Limit", "Ratelimit-Remaining", "Ratelimit-Reset", "Ratelimit-Policy", "Ratelimit"}

// rateLimitShape names the shape of an answer's rate-limit headers and, for Qomon's shape,
// the bucket they describe.
func rateLimitShape(h http.Header) (shape string, burst, rate float64) {
	limit := strings.TrimSpace(h.Get("X-Ratelimit-Limit"))
	switch {
	case limit == "":
		if h.Get("Ratelimit-Limit") != "" || h.Get("Ratelimit") != "" {
			return shapeIETF, 0, 0
		}
		for _, k := range rateLimitHeaders {
			if h.Get(k) != "" {
				return shapeOther, 0, 0
			}
		}
		return shapeNone, 0, 0
	case qomonLimit.MatchString(limit):
		m := qomonLimit.FindStringSubmatch(limit)
		burst, _ = strconv.ParseFloat(m[1], 64)
		rate, _ = strconv.ParseFloat(m[2], 64)
		_, errRem := strconv.Atoi(strings.TrimSpace(h.Get("X-Ratelimit-Remaining")))
		_, errCost := strconv.Atoi(strings.TrimSpace(h.Get("X-Ratelimit-Cost")))
		reset, errReset := strconv.ParseFloat(strings.TrimSpace(h.Get("X-Ratelimit-Reset")), 64)
		// The reset is the seconds until the bucket is full: never more than an empty
		// bucket takes to refill (a Unix time would be).
		if errRem != nil || errCost != nil || errReset != nil || reset < 0 || rate <= 0 || reset > math.Ceil(burst/rate)+1 {
			return shapeOther, burst, rate
		}
		return shapeQomon, burst, rate
	}
	if _, err := strconv.ParseFloat(limit, 64); err == nil {
		return shapePlain, 0, 0
	}
	return shapeOther, 0, 0
}

// headerLines renders the rate-limit headers of an answer, one "Name: value" each.
func headerLines(h http.Header) []string {
	var out []string
	for _, k := range rateLimitHeaders {
		if v := h.Get(k); v != "" {
			out = append(out, k+": "+v)
		}
	}
	if v := h.Get("Retry-After"); v != "" {
		out = append(out, "Retry-After: "+v)
	}
	return out
}

// 404 body formats.
const (
	bodyProblem   = "problem"     // RFC 7807: {"type", "title", "status": 404, "detail", ...}
	bodyJSendErr  = "jsend-error" // {"status":"error","message":...}
	bodyJSendFail = "jsend-fail"  // {"status":"fail", ...}
	bodyEmpty     = "empty"
	bodyHTML      = "html"
	bodyJSON      = "other-json"
	bodyText      = "text"
)

// errorBodyFormat names the format of an error answer's body.
func errorBodyFormat(contentType string, body []byte, status int) string {
	body = bytes.TrimSpace(body)
	switch {
	case len(body) == 0:
		return bodyEmpty
	case strings.Contains(strings.ToLower(contentType), "html") || body[0] == '<':
		return bodyHTML
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil {
		return bodyText
	}
	var st any
	_ = json.Unmarshal(m["status"], &st)
	switch v := st.(type) {
	case float64:
		if int(v) == status && m["title"] != nil {
			return bodyProblem
		}
	case string:
		switch v {
		case "error":
			return bodyJSendErr
		case "fail":
			return bodyJSendFail
		}
	}
	return bodyJSON
}

// excerpt is the start of a body for a report, on one line.
func excerpt(body []byte) string {
	s := strings.Join(strings.Fields(string(body)), " ")
	if len(s) > 160 {
		s = s[:160] + "…"
	}
	return s
}

// Spelling variants: for each key of a contact Qomon has spelt two ways, the spellings in
// the order new, old (the wire types of internal/qomon read both).
var variantKeys = []struct {
	name  string
	names []string
}{
	{"custom fields", []string{"custom_fields", "customfields"}},
	{"action ids", []string{"action_ids", "actions_ids"}},
	{"birth city", []string{"birth_city", "birthcity"}},
	{"birth department", []string{"birth_dept", "birthdept"}},
	{"birth country", []string{"birth_country", "birthcountry"}},
}

// spelling describes how a raw contact spells each variant key ("" when it has neither),
// the key of a note's text, and the JSON type of the address's numeric-looking parts.
func spelling(contact map[string]json.RawMessage) map[string]string {
	out := map[string]string{}
	for _, v := range variantKeys {
		out[v.name] = ""
		for _, k := range v.names {
			if _, ok := contact[k]; ok {
				out[v.name] = k
				break
			}
		}
	}
	var notes []map[string]json.RawMessage
	if json.Unmarshal(contact["notes"], &notes) == nil && len(notes) > 0 {
		for _, k := range []string{"data", "content"} {
			if _, ok := notes[0][k]; ok {
				out["note text"] = k
				break
			}
		}
	}
	var addr map[string]json.RawMessage
	if json.Unmarshal(contact["address"], &addr) == nil {
		for _, k := range []string{"housenumber", "postalcode", "floor", "citycode"} {
			if raw, ok := addr[k]; ok {
				out["address "+k] = jsonKind(raw)
			}
		}
	}
	var tags []json.RawMessage
	if json.Unmarshal(contact["tags"], &tags) == nil && len(tags) > 0 {
		out["tags"] = jsonKind(tags[0])
	}
	return out
}

// jsonKind names a raw JSON value's type ("absent" for nothing at all).
func jsonKind(raw json.RawMessage) string {
	if kind := qomon.JSONType(raw); kind != "" {
		return kind
	}
	return "absent"
}

// mailCase says how Qomon stored a mail address sent with capitals.
func mailCase(sent, stored string) string {
	switch stored {
	case sent:
		return "as sent"
	case strings.ToLower(sent):
		return "lower-cased"
	case "":
		return "missing"
	}
	if strings.EqualFold(sent, stored) {
		return "case changed"
	}
	return "different"
}

// birthdateForm says how Qomon answers a birthdate sent as midnight UTC of day, and whether
// it is still that day.
func birthdateForm(day, answer string) (form string, sameDay bool) {
	if t, err := time.Parse(time.DateOnly, answer); err == nil {
		return "a date (YYYY-MM-DD)", t.Format(time.DateOnly) == day
	}
	if t, err := time.Parse(time.RFC3339Nano, answer); err == nil {
		if t.UTC().Format("15:04:05") == "00:00:00" {
			return "midnight UTC as RFC 3339", t.UTC().Format(time.DateOnly) == day
		}
		return "an RFC 3339 time other than midnight UTC", t.UTC().Format(time.DateOnly) == day
	}
	if answer == "" {
		return "missing", false
	}
	return "another format", false
}
