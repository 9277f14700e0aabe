package qomon

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseAPIErrorFormats(t *testing.T) {
	cases := []struct {
		name   string
		status int
		body   string
		want   APIError
	}{
		{"problem object", 422,
			`{"type":"about:blank","title":"Unprocessable Entity","status":422,"detail":"validation failed","instance":"/contacts",
			  "errors":[{"location":"body.data.contact.mail","message":"expected an e-mail","value":"not-a-mail"},
			            {"location":"body.data.contact.gender","message":"expected one of M, F, O","value":7}]}`,
			APIError{Title: "Unprocessable Entity", Detail: "validation failed", Errors: []FieldError{
				{Location: "body.data.contact.mail", Message: "expected an e-mail", Value: "not-a-mail"},
				{Location: "body.data.contact.gender", Message: "expected one of M, F, O", Value: json.Number("7")},
			}, Format: BodyProblem}},
		{"problem without errors", 404, `{"title":"Not Found","status":404,"detail":"contact 5 not found"}`,
			APIError{Title: "Not Found", Detail: "contact 5 not found", Format: BodyProblem}},
		{"problem errors as strings", 400, `{"title":"Bad Request","errors":["per_page must be 1..1000"]}`,
			APIError{Title: "Bad Request", Errors: []FieldError{{Message: "per_page must be 1..1000"}}, Format: BodyJSON}},
		{"old spec", 400, `{"status":"fail"}`, APIError{Excerpt: `{"status":"fail"}`, Format: BodyJSend}},
		{"JSend auth", 401, `{"message":"Need authentication","status":"fail"}`, APIError{Detail: "Need authentication", Format: BodyJSend}},
		{"JSend fail with fields", 400, `{"status":"fail","data":{"mail":"is invalid","phone":["too short","not a number"]}}`,
			APIError{Errors: []FieldError{{Location: "mail", Message: "is invalid"}, {Location: "phone", Message: "too short; not a number"}}, Format: BodyJSend}},
		{"JSend fail with a message in data", 400, `{"status":"fail","data":"bad input"}`, APIError{Detail: "bad input", Format: BodyJSend}},
		{"JSend error", 500, `{"status":"error","message":"record not found"}`, APIError{Detail: "record not found", Format: BodyJSend}},
		{"html gateway page", 502, "<html>\n<head><title>502 Bad Gateway</title></head>\n<body>nginx</body></html>",
			APIError{Excerpt: "<html> <head><title>502 Bad Gateway</title></head> <body>nginx</body></html>", Format: BodyHTML}},
		{"plain text", 422, "mail: invalid\n", APIError{Excerpt: "mail: invalid", Format: BodyText}},
		{"empty body", 503, "", APIError{Detail: "(empty body)"}},
		{"truncated JSON", 500, `{"title":"Internal Server Error","detail":"da`, APIError{Excerpt: `{"title":"Internal Server Error","detail":…(invalid JSON from here)`, Format: BodyJSON}},
		{"JSON array", 500, `[1,2]`, APIError{Excerpt: `[1,2]`, Format: BodyJSON}},
		{"error key", 400, `{"error":"bad request"}`, APIError{Detail: "bad request", Format: BodyJSON}},
		// Gateways' own 404s: JSON, but none of Qomon's formats.
		{"kong 404", 404, `{"message":"no Route matched with those values"}`, APIError{Detail: "no Route matched with those values", Format: BodyJSON}},
		{"aws 404", 404, `{"message":"Not Found"}`, APIError{Detail: "Not Found", Format: BodyJSON}},
		{"spring 404", 404, `{"timestamp":"2026-01-01T00:00:00Z","status":404,"error":"Not Found","path":"/contacts/1"}`,
			APIError{Detail: "Not Found", Format: BodyJSON}},
		{"problem whose status is another", 404, `{"title":"Not Found","status":500}`, APIError{Title: "Not Found", Format: BodyJSON}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := parseAPIError("POST", "/contacts", tc.status, []byte(tc.body), false)
			tc.want.Method, tc.want.Path, tc.want.StatusCode = "POST", "/contacts", tc.status
			if !reflect.DeepEqual(*got, tc.want) {
				t.Errorf("parsed\n got %#v\nwant %#v", *got, tc.want)
			}
		})
	}
}

func TestAPIErrorMessages(t *testing.T) {
	cases := []struct {
		err      *APIError
		contains []string
		absent   []string
	}{
		{&APIError{Method: "GET", Path: "/contacts/1", StatusCode: 401, Detail: "Need authentication", Format: BodyJSend},
			[]string{"GET /contacts/1", "Qomon answered 401 Unauthorized", "Need authentication", "api_token", "QOMON_API_TOKEN"}, nil},
		{&APIError{Method: "GET", Path: "/contacts/1", StatusCode: 403, Format: BodyProblem},
			[]string{"403 Forbidden", "space"}, nil},
		// A proxy's 401 says nothing about the key: what answered is named, not Qomon.
		{&APIError{Method: "GET", Path: "/contacts/1", StatusCode: 401, Format: BodyHTML, Excerpt: "<html>401 Authorization Required</html>"},
			[]string{"the endpoint answered 401", "not JSON (HTML)", "not Qomon"}, []string{"Qomon answered", "QOMON_API_TOKEN"}},
		{&APIError{Method: "GET", Path: "/contacts/1", StatusCode: 404, Format: BodyJSON, Detail: "Not Found"},
			[]string{"the endpoint answered 404", "JSON that is not one of Qomon's error formats", "base path", "nothing was changed"}, []string{"Qomon answered"}},
		{&APIError{Method: "PATCH", Path: "/contacts/1", StatusCode: 429, Attempts: 5},
			[]string{"429 Too Many Requests", "after 5 attempts", "-parallelism", "rate_limit"}, nil},
		{&APIError{Method: "GET", Path: "/contacts/1", StatusCode: 503, Attempts: 5},
			[]string{"503 Service Unavailable", "after 5 attempts", "Try again later"}, nil},
		{&APIError{Method: "POST", Path: "/contacts", StatusCode: 422, Title: "Unprocessable Entity", Detail: "validation failed",
			Errors: []FieldError{{Location: "body.data.contact.mail", Message: "expected an e-mail", Value: "ada@example.org"}}},
			[]string{"422 Unprocessable Entity: validation failed", "body.data.contact.mail: expected an e-mail", "correct the value"},
			[]string{"ada@example.org", "Entity: Unprocessable"}},
		{&APIError{Method: "GET", Path: "/contacts/1", StatusCode: 502, Excerpt: "<html>bad gateway</html>"},
			[]string{"502 Bad Gateway", "began with: <html>bad gateway</html>"}, nil},
		{&APIError{Method: "GET", Path: "/contacts/1", StatusCode: 200, Detail: "the answer has no data.contact"},
			[]string{"200 OK but the answer cannot be used", "no data.contact", "not an answer Qomon is documented to give"}, nil},
		{&APIError{Method: "POST", Path: "/search", StatusCode: 200, BodyTruncated: true, Detail: "too large"},
			[]string{"larger than the client's 64 MiB limit"}, nil},
		{&APIError{Method: "GET", Path: "/contacts/1", StatusCode: 200, BodyTruncated: true},
			[]string{"8 MiB"}, nil},
	}
	for _, tc := range cases {
		msg := tc.err.Error()
		for _, s := range tc.contains {
			if !strings.Contains(msg, s) {
				t.Errorf("%d: message %q lacks %q", tc.err.StatusCode, msg, s)
			}
		}
		for _, s := range tc.absent {
			if strings.Contains(msg, s) {
				t.Errorf("%d: message %q contains %q", tc.err.StatusCode, msg, s)
			}
		}
	}
}

// Server text echoing personal data is masked before it reaches a diagnostic (Terraform logs them).
func TestAPIErrorMasksServerText(t *testing.T) {
	e := parseAPIError("POST", "/contacts", 422, []byte(`{"title":"Unprocessable Entity","detail":"mail ada@example.org is taken",`+
		`"errors":[{"location":"body.data.contact.phone","message":"+33 6 12 34 56 78 is not valid","value":"+33 6 12 34 56 78"}]}`), false)
	msg := e.Error()
	for _, s := range []string{"ada@example.org", "12 34 56"} {
		if strings.Contains(msg, s) {
			t.Errorf("message leaks %q: %s", s, msg)
		}
	}
	if e.Errors[0].Value != "+33 6 12 34 56 78" {
		t.Errorf("the raw value stays available to the caller: %v", e.Errors[0].Value)
	}
	e = parseAPIError("GET", "/x", 500, []byte("<p>user ada@example.org, phone 0612345678</p>"), false)
	if strings.Contains(e.Excerpt, "ada@") || strings.Contains(e.Excerpt, "0612345678") {
		t.Errorf("excerpt leaks: %s", e.Excerpt)
	}
	e = parseAPIError("GET", "/x", 500, []byte(`{"data":{"contact":{"mail":"ada@example.org","firstname":"Ada"`), false)
	if strings.Contains(e.Excerpt, "ada@") || strings.Contains(e.Excerpt, "Ada") {
		t.Errorf("excerpt leaks: %s", e.Excerpt)
	}
}

func TestExcerptIsShortAndClean(t *testing.T) {
	body := "<html>" + strings.Repeat("é\x00\x1b[31m", 500) + "</html>"
	e := parseAPIError("GET", "/x", 502, []byte(body), false)
	if n := utf8.RuneCountInString(e.Excerpt); n > excerptLen {
		t.Errorf("excerpt has %d characters", n)
	}
	if !utf8.ValidString(e.Excerpt) || strings.ContainsAny(e.Excerpt, "\x00\x1b\n") {
		t.Errorf("excerpt not clean: %q", e.Excerpt)
	}
	e = parseAPIError("GET", "/x", 502, []byte{0xff, 0xfe, '<', 'b', '>'}, false)
	if !utf8.ValidString(e.Excerpt) {
		t.Errorf("excerpt not valid UTF-8: %q", e.Excerpt)
	}
}

func TestErrorPredicates(t *testing.T) {
	notFound := &APIError{StatusCode: 404, Format: BodyProblem}
	if !IsNotFound(notFound) || !IsNotFound(fmt.Errorf("wrapped: %w", notFound)) || !IsNotFound(&APIError{StatusCode: 410, Format: BodyJSend}) {
		t.Error("IsNotFound misses a 404 from Qomon")
	}
	if IsNotFound(&APIError{StatusCode: 400, Format: BodyProblem}) || IsNotFound(errors.New("404")) || IsNotFound(nil) {
		t.Error("IsNotFound matches what is not a 404")
	}
	// A 404 that Qomon did not write proves nothing: a proxy, a gateway, a wrong base path.
	for _, f := range []BodyFormat{BodyEmpty, BodyJSON, BodyHTML, BodyText} {
		foreign := &APIError{StatusCode: 404, Format: f}
		if IsNotFound(foreign) || !IsForeignNotFound(foreign) {
			t.Errorf("a 404 with %s: IsNotFound %v, IsForeignNotFound %v", f, IsNotFound(foreign), IsForeignNotFound(foreign))
		}
		if msg := foreign.Error(); !strings.Contains(msg, f.String()) || !strings.Contains(msg, "endpoint") || !strings.Contains(msg, "nothing was changed") {
			t.Errorf("a 404 with %s does not say what was seen and what to check: %s", f, msg)
		}
	}
	if IsForeignNotFound(notFound) || IsForeignNotFound(&APIError{StatusCode: 500}) {
		t.Error("IsForeignNotFound matches Qomon's 404, or a 500")
	}
	unknown := &OutcomeUnknownError{Method: "POST", Path: "/contacts", Err: &APIError{StatusCode: 502}}
	if !IsOutcomeUnknown(unknown) || !IsOutcomeUnknown(fmt.Errorf("create: %w", unknown)) {
		t.Error("IsOutcomeUnknown misses")
	}
	if IsOutcomeUnknown(&APIError{StatusCode: 502}) || IsOutcomeUnknown(nil) {
		t.Error("IsOutcomeUnknown matches a plain error")
	}
	var apiErr *APIError
	if !errors.As(unknown, &apiErr) || apiErr.StatusCode != 502 {
		t.Error("the APIError inside an OutcomeUnknownError is not reachable")
	}
	if !strings.Contains(unknown.Error(), "may have been created") || !strings.Contains(unknown.Error(), "import") {
		t.Errorf("message does not tell what to do: %s", unknown.Error())
	}
}

func FuzzParseAPIError(f *testing.F) {
	for _, s := range []string{
		`{"type":"about:blank","title":"Unprocessable Entity","status":422,"detail":"validation failed","errors":[{"location":"body.x","message":"m","value":0}]}`,
		`{"status":"fail"}`, `{"status":"fail","data":{"mail":"bad"}}`, `{"status":"error","message":"record not found"}`,
		`<html>502</html>`, ``, `{"title":`, `{"errors":[1,{"loc":[]},"x"]}`, `{"status":"fail","data":{"a":[1,{}]}}`,
		"\xff\xfe", `{"detail":"` + strings.Repeat("x", 2000) + `"}`,
	} {
		f.Add([]byte(s), 500)
	}
	f.Fuzz(func(t *testing.T, body []byte, status int) {
		e := parseAPIError("GET", "/contacts/1", status, body, len(body)%2 == 0)
		msg := e.Error()
		if !utf8.ValidString(msg) {
			t.Fatalf("message is not valid UTF-8: %q", msg)
		}
		if utf8.RuneCountInString(e.Excerpt) > excerptLen {
			t.Fatalf("excerpt too long: %d", utf8.RuneCountInString(e.Excerpt))
		}
	})
}
