package conformance

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

func header(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Set(kv[i], kv[i+1])
	}
	return h
}

func TestRateLimitShape(t *testing.T) {
	for _, tt := range []struct {
		name        string
		h           http.Header
		shape       string
		burst, rate float64
	}{
		{"Qomon's", header("X-Ratelimit-Limit", "burst:100;rate:10.0", "X-Ratelimit-Remaining", "94", "X-Ratelimit-Cost", "1", "X-Ratelimit-Reset", "0.6"), shapeQomon, 100, 10},
		{"another bucket", header("X-Ratelimit-Limit", "burst:50;rate:2.5", "X-Ratelimit-Remaining", "0", "X-Ratelimit-Cost", "5", "X-Ratelimit-Reset", "20"), shapeQomon, 50, 2.5},
		{"no cost", header("X-Ratelimit-Limit", "burst:100;rate:10.0", "X-Ratelimit-Remaining", "94", "X-Ratelimit-Reset", "0.6"), shapeOther, 100, 10},
		{"reset as a Unix time", header("X-Ratelimit-Limit", "burst:100;rate:10.0", "X-Ratelimit-Remaining", "94", "X-Ratelimit-Cost", "1", "X-Ratelimit-Reset", "1764630000"), shapeOther, 100, 10},
		{"fractional remaining", header("X-Ratelimit-Limit", "burst:100;rate:10.0", "X-Ratelimit-Remaining", "94.5", "X-Ratelimit-Cost", "1", "X-Ratelimit-Reset", "0.6"), shapeOther, 100, 10},
		{"plain", header("X-Ratelimit-Limit", "100", "X-Ratelimit-Remaining", "94", "X-Ratelimit-Reset", "1764630000"), shapePlain, 0, 0},
		{"IETF draft", header("RateLimit-Limit", "100", "RateLimit-Remaining", "94", "RateLimit-Reset", "1"), shapeIETF, 0, 0},
		{"IETF structured", header("RateLimit", `"default";r=94;t=1`), shapeIETF, 0, 0},
		{"none", header("Content-Type", "application/json"), shapeNone, 0, 0},
		{"remaining only", header("X-Ratelimit-Remaining", "94"), shapeOther, 0, 0},
		{"garbled", header("X-Ratelimit-Limit", "lots"), shapeOther, 0, 0},
	} {
		shape, burst, rate := rateLimitShape(tt.h)
		if shape != tt.shape || burst != tt.burst || rate != tt.rate {
			t.Errorf("%s: %s %g %g, want %s %g %g", tt.name, shape, burst, rate, tt.shape, tt.burst, tt.rate)
		}
	}
}

func TestErrorBodyFormat(t *testing.T) {
	for _, tt := range []struct {
		contentType, body string
		want              string
	}{
		{"application/problem+json", `{"type":"about:blank","title":"Not Found","status":404,"detail":"contact 1 not found"}`, bodyProblem},
		{"application/json", `{"title":"Not Found","status":404}`, bodyProblem},
		{"application/json", `{"title":"Not Found","status":500}`, bodyJSON},
		{"application/json", `{"status":"error","message":"record not found"}`, bodyJSendErr},
		{"application/json", `{"status":"fail"}`, bodyJSendFail},
		{"application/json", `{"message":"Not Found"}`, bodyJSON},
		{"", "", bodyEmpty},
		{"application/json", "  \n", bodyEmpty},
		{"text/html", "<html><body>404</body></html>", bodyHTML},
		{"", "<html>", bodyHTML},
		{"text/plain", "404 page not found", bodyText},
		{"application/json", `["not found"]`, bodyText},
	} {
		if got := errorBodyFormat(tt.contentType, []byte(tt.body), 404); got != tt.want {
			t.Errorf("%s %q: %s, want %s", tt.contentType, tt.body, got, tt.want)
		}
	}
}

func TestSpelling(t *testing.T) {
	raw := func(s string) map[string]json.RawMessage {
		var m map[string]json.RawMessage
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	got := spelling(raw(`{"customfields":[],"actions_ids":[],"birthcity":"Lyon","birth_dept":"69","notes":[{"content":"x"}],
		"address":{"housenumber":12,"postalcode":"01000","citycode":75056},"tags":["volunteer"]}`))
	want := map[string]string{"custom fields": "customfields", "action ids": "actions_ids", "birth city": "birthcity",
		"birth department": "birth_dept", "birth country": "", "note text": "content", "address housenumber": "number",
		"address postalcode": "string", "address citycode": "number", "tags": "string"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %q, want %q", k, got[k], v)
		}
	}
	if _, ok := got["address floor"]; ok {
		t.Error("an absent floor has a type")
	}
}

func TestMailCaseAndBirthdate(t *testing.T) {
	for stored, want := range map[string]string{
		"Ada@Example.org": "as sent", "ada@example.org": "lower-cased", "ADA@EXAMPLE.ORG": "case changed", "": "missing", "bob@example.org": "different",
	} {
		if got := mailCase("Ada@Example.org", stored); got != want {
			t.Errorf("%q: %s, want %s", stored, got, want)
		}
	}
	for _, tt := range []struct {
		answer string
		form   string
		same   bool
	}{
		{"1990-05-17T00:00:00Z", "midnight UTC as RFC 3339", true},
		{"1990-05-17T00:00:00.000000Z", "midnight UTC as RFC 3339", true},
		{"1990-05-17", "a date (YYYY-MM-DD)", true},
		{"1990-05-16T22:00:00Z", "an RFC 3339 time other than midnight UTC", false},
		{"1990-05-17T00:00:00+02:00", "an RFC 3339 time other than midnight UTC", false},
		{"17/05/1990", "another format", false},
		{"", "missing", false},
	} {
		form, same := birthdateForm("1990-05-17", tt.answer)
		if form != tt.form || same != tt.same {
			t.Errorf("%q: %s %t, want %s %t", tt.answer, form, same, tt.form, tt.same)
		}
	}
}

func TestOurs(t *testing.T) {
	c := func(surname, mail string) qomon.Contact {
		return qomon.Contact{Surname: qomon.Some(surname), Mail: qomon.Some(mail)}
	}
	for _, tt := range []struct {
		c    qomon.Contact
		want bool
	}{
		{c(Surname, mailFor("0a1b2c3d", "a")), true},
		{c(Surname, strings.ToLower(mailFor("0a1b2c3d", "b"))), true},
		{c(Surname, "someone@example.org"), false},
		{c("Martin", mailFor("0a1b2c3d", "a")), false},
		{c(strings.ToLower(Surname), mailFor("0a1b2c3d", "a")), false},
		{c(Surname, "qomon-conformance+x@example.org.evil"), false},
		{c(Surname, "qomon-conformance+x@y@example.org"), false},
		{qomon.Contact{Surname: qomon.Some(Surname)}, false},
	} {
		if got := ours(tt.c); got != tt.want {
			t.Errorf("%s %s: %t", tt.c.Surname.Value, tt.c.Mail.Value, got)
		}
	}
}

// TestRecorderKeepsToItsLimit: the request that would pass the limit is not sent, the run is
// cancelled so that nothing retries it, and the tokens are Qomon's word when it gives one.
func TestRecorderKeepsToItsLimit(t *testing.T) {
	var sent []string
	next := roundTripper(func(r *http.Request) (*http.Response, error) {
		sent = append(sent, r.Method+" "+r.URL.Path)
		h := http.Header{}
		status := http.StatusOK
		switch r.URL.Path {
		case "/api/search":
			h.Set("X-Ratelimit-Cost", "2") // Qomon's word beats the documented cost
		case "/api/contacts/2":
			status = http.StatusTooManyRequests
		}
		return &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(strings.NewReader("{}")), Request: r}, nil
	})
	ctx, cancel := context.WithCancelCause(context.Background())
	rec := &recorder{next: next, basePath: "/api", cancel: cancel, limit: 9}
	do := func(method, path string) error {
		req, _ := http.NewRequestWithContext(ctx, method, "http://qomon.test/api"+path, nil)
		res, err := rec.RoundTrip(req)
		if err == nil {
			res.Body.Close()
		}
		return err
	}
	for _, call := range []struct{ method, path string }{
		{"POST", "/contacts"}, {"POST", "/search"}, {"GET", "/contacts/2"}, {"GET", "/contacts/1"},
	} {
		if err := do(call.method, call.path); err != nil {
			t.Fatalf("%v: %v", call, err)
		}
	}
	if rec.tokens() != 8 { // 5 + 2 + 0 (a 429) + 1
		t.Errorf("%d tokens, want 8", rec.tokens())
	}
	if err := do("PATCH", "/contacts/1"); !errors.Is(err, errBudget) || !errors.Is(context.Cause(ctx), errBudget) {
		t.Errorf("over the limit: %v, cause %v", err, context.Cause(ctx))
	}
	if len(sent) != 4 || rec.tokens() != 8 {
		t.Errorf("sent %v, %d tokens", sent, rec.tokens())
	}
	if ex, ok := rec.last("GET", "/contacts/2"); !ok || ex.status != 429 || string(ex.body) != "{}" {
		t.Errorf("recorded %+v", ex)
	}
}

// TestGuideMatchesTheSuite: the guide lists every check, the markers and the budget.
func TestGuideMatchesTheSuite(t *testing.T) {
	b, err := os.ReadFile("../../templates/guides/checking-your-qomon-space.md.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	guide := string(b)
	for _, id := range CheckIDs() {
		if !strings.Contains(guide, "| `"+id+"` |") {
			t.Errorf("the guide has no row for check %s", id)
		}
	}
	for _, want := range []string{"`" + Firstname + "`", "`" + Surname + "`", "`" + Tag + "`", "`" + MailPrefix + "…@example.org`",
		fmt.Sprintf("**%d tokens** at most", Budget()), "`QOMON_CONFORMANCE_CONFIRM=1`", fmt.Sprintf("%d seconds", int(DefaultMaxSearchLag.Seconds()))} {
		if !strings.Contains(guide, want) {
			t.Errorf("the guide does not say %s", want)
		}
	}
}
