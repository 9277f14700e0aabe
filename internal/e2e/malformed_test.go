package e2e

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// badAnswer is one malformed or surprising answer a Qomon (or a proxy in front of it) could
// give, served by a fake on 127.0.0.1, and what the client must make of it.
type badAnswer struct {
	name   string
	status int
	ctype  string
	body   func() string
	// call is the client call that receives the answer: get, create, update, delete, search, forms.
	call string
	// want matches the error text; every part named must be there (what was asked, what came
	// back, what was wrong). Empty: the call must succeed.
	want []string
	// check inspects a successful answer.
	check func(t *testing.T, c *qomon.Contact)
}

func htmlPage(status int) string {
	return "<!DOCTYPE html>\n<html><head><title>" + http.StatusText(status) + "</title></head><body><h1>" +
		http.StatusText(status) + "</h1><hr><center>nginx</center></body></html>\n"
}

// badAnswers is the malformed-answer half of the bad-input table. Each case names the
// diagnostic it expects: a status, the request, and the specific thing that was wrong.
func badAnswers() []badAnswer {
	contactEnv := func(contact string) string { return `{"status":"success","data":{"contact":` + contact + `}}` }
	return []badAnswer{
		{name: "html 502 page", status: 502, ctype: "text/html", body: func() string { return htmlPage(502) }, call: "get",
			want: []string{`GET /contacts/42`, `502 Bad Gateway`, `(?i)<html|began with`, `(?i)try again`}},
		{name: "html 502 page on create", status: 502, ctype: "text/html", body: func() string { return htmlPage(502) }, call: "create",
			want: []string{`POST /contacts`, `502`, `(?i)may have been created|outcome is unknown|import`}},
		{name: "html 200 page", status: 200, ctype: "text/html", body: func() string { return "<!DOCTYPE html>\n<html><body>Welcome</body></html>" }, call: "get",
			want: []string{`GET /contacts/42`, `200`, `not JSON \(HTML\)`}},
		{name: "html 404 page on get is not Qomon's", status: 404, ctype: "text/html", body: func() string { return htmlPage(404) }, call: "get",
			want: []string{`GET /contacts/42`, `the endpoint answered 404`, `not JSON \(HTML\)`, `nothing was changed`}},
		{name: "empty 200 body", status: 200, body: func() string { return "" }, call: "get",
			want: []string{`GET /contacts/42`, `200`, `(?i)empty`}},
		{name: "empty 200 body on update", status: 200, body: func() string { return "" }, call: "update",
			want: []string{`PATCH /contacts/42`, `200`, `(?i)empty`}},
		{name: "truncated json", status: 200, body: func() string { return contactEnv(`{"id":42,"firstname":"Ada","surna`) }, call: "get",
			want: []string{`GET /contacts/42`, `(?i)unexpected end|truncated|incomplete|invalid`}},
		{name: "json null", status: 200, body: func() string { return "null" }, call: "get",
			want: []string{`GET /contacts/42`, `(?i)no contact|not a contact|cannot be used`}},
		{name: "empty object", status: 200, body: func() string { return "{}" }, call: "get",
			want: []string{`GET /contacts/42`, `(?i)no contact|not a contact|cannot be used`}},
		{name: "a 200 without a contact", status: 200, body: func() string { return `{"status":"success","data":{}}` }, call: "get",
			want: []string{`GET /contacts/42`, `(?i)no contact|not a contact|cannot be used`}},
		{name: "a 200 without a contact on create", status: 200, body: func() string { return `{"status":"success","data":{"total":3}}` }, call: "create",
			want: []string{`POST /contacts`, `(?i)no contact|not a contact|cannot be used|outcome is unknown`}},
		{name: "array instead of object", status: 200, body: func() string { return `[{"id":42}]` }, call: "get",
			want: []string{`GET /contacts/42`, `(?i)cannot be used|not a contact|array|cannot unmarshal`}},
		{name: "contact is a string", status: 200, body: func() string { return contactEnv(`"Ada Lovelace"`) }, call: "get",
			want: []string{`GET /contacts/42`, `(?i)contact.*(string|object)`}},
		{name: "id of the wrong type", status: 200, body: func() string { return contactEnv(`{"id":{"value":42},"firstname":"Ada"}`) }, call: "get",
			want: []string{`GET /contacts/42`, `\bid\b`}},
		{name: "firstname of the wrong type", status: 200, body: func() string { return contactEnv(`{"id":42,"firstname":["Ada"]}`) }, call: "get",
			want: []string{`GET /contacts/42`, `firstname`}},
		{name: "tags of the wrong type", status: 200, body: func() string { return contactEnv(`{"id":42,"tags":[[1,2]]}`) }, call: "get",
			want: []string{`GET /contacts/42`, `tags`}},
		{name: "ten megabyte body", status: 200, body: func() string {
			return contactEnv(`{"id":42,"firstname":"` + strings.Repeat("A", 10<<20) + `"}`)
		}, call: "get",
			want: []string{`GET /contacts/42`, `(?i)MiB|too large|limit`}},
		{name: "ten megabyte error page", status: 503, ctype: "text/html", body: func() string {
			return "<html>" + strings.Repeat("<p>overloaded</p>", (10<<20)/17) + "</html>"
		}, call: "get",
			want: []string{`GET /contacts/42`, `503`}},
		{name: "control characters and invalid utf-8 in an error", status: 500, ctype: "text/plain", body: func() string {
			return "boom\x00\x1b[31m\xff\xfe database down"
		}, call: "get",
			want: []string{`GET /contacts/42`, `500`, `database down`}},
		{name: "deeply nested json", status: 200, body: func() string {
			return strings.Repeat(`{"data":`, 100000) + "1" + strings.Repeat("}", 100000)
		}, call: "get",
			want: []string{`GET /contacts/42`}},
		{name: "problem object 422 with locations", status: 422, ctype: "application/problem+json", body: func() string {
			return `{"type":"about:blank","title":"Unprocessable Entity","status":422,"detail":"validation failed",` +
				`"errors":[{"location":"body.data.contact.mail","message":"is not a valid e-mail address","value":"nope"}]}`
		}, call: "create",
			want: []string{`POST /contacts`, `422`, `body\.data\.contact\.mail`, `is not a valid e-mail address`}},
		{name: "jsend fail with fields", status: 400, body: func() string {
			return `{"status":"fail","data":{"gender":"must be one of M, F, O"}}`
		}, call: "update",
			want: []string{`PATCH /contacts/42`, `400`, `gender`, `must be one of M, F, O`}},
		{name: "jsend error message", status: 500, body: func() string { return `{"status":"error","message":"record not found"}` }, call: "get",
			want: []string{`GET /contacts/42`, `500`, `record not found`}},
		{name: "bare status fail", status: 400, body: func() string { return `{"status":"fail"}` }, call: "create",
			want: []string{`POST /contacts`, `400`}},
		{name: "401 need authentication", status: 401, body: func() string { return `{"message":"Need authentication","status":"fail"}` }, call: "get",
			want: []string{`401`, `api_token`, `QOMON_API_TOKEN`}},
		{name: "404 on get", status: 404, body: func() string { return `{"status":"error","message":"record not found"}` }, call: "get",
			want: []string{`GET /contacts/42`, `404`}},
		{name: "204 on get", status: 204, body: func() string { return "" }, call: "get",
			want: []string{`GET /contacts/42`, `204`}},
		{name: "search answer without contacts array", status: 200, body: func() string { return `{"status":"success","data":{"contacts":{"id":1}}}` }, call: "search",
			want: []string{`POST /search`, `contacts`}},
		{name: "forms answer of the wrong shape", status: 200, body: func() string { return `{"status":"success","data":{"forms":"consent"}}` }, call: "forms",
			want: []string{`/v1/forms/type/consent`, `forms`}},
		{name: "a mail address in an error is masked", status: 422, body: func() string {
			return `{"title":"Unprocessable Entity","status":422,"detail":"ada.lovelace@example.org already exists"}`
		}, call: "create",
			want: []string{`422`, `already exists`}},

		// Surprising but valid: these must succeed.
		{name: "unknown fields are kept", status: 200, body: func() string {
			return contactEnv(`{"id":42,"firstname":"Ada","shoe_size":44,"address":{"city":"Paris","moon":"full"}}`)
		}, call: "get",
			check: func(t *testing.T, c *qomon.Contact) {
				if _, ok := c.Unknown["shoe_size"]; !ok {
					t.Errorf("unknown key shoe_size was dropped: %v", c.Unknown)
				}
				if a, ok := c.Address.Get(); !ok || a.Unknown["moon"] == nil {
					t.Errorf("unknown address key moon was dropped")
				}
				if f, _ := c.Firstname.Get(); f != "Ada" {
					t.Errorf("firstname = %q", f)
				}
			}},
		{name: "contact without the status envelope", status: 200, body: func() string { return `{"data":{"contact":{"id":42,"surname":"Lovelace"}}}` }, call: "get",
			check: func(t *testing.T, c *qomon.Contact) {
				if s, _ := c.Surname.Get(); s != "Lovelace" {
					t.Errorf("surname = %q", s)
				}
			}},
		{name: "numbers as strings and strings as numbers", status: 200, body: func() string {
			return contactEnv(`{"id":"42","age_category":"3","address":{"postalcode":75001,"housenumber":"007"}}`)
		}, call: "get",
			check: func(t *testing.T, c *qomon.Contact) {
				if id, _ := c.ID.Get(); id != 42 {
					t.Errorf("id = %d", id)
				}
				a, _ := c.Address.Get()
				if p, _ := a.PostalCode.Get(); p != "75001" {
					t.Errorf("postalcode = %q", p)
				}
				if h, _ := a.HouseNumber.Get(); h != "007" {
					t.Errorf("housenumber = %q (leading zeros lost)", h)
				}
			}},
	}
}

// TestMalformedAnswers serves each bad answer to the client and asserts the error names what
// was asked, what came back and what was wrong, and that nothing panics. A real CLI sees the
// same errors through the provider: see TestAccBadAnswers.
func TestMalformedAnswers(t *testing.T) {
	for _, tc := range badAnswers() {
		t.Run(tc.name, func(t *testing.T) {
			figures.add(figBadInputs, 1)
			body := tc.body()
			var hits atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				ct := tc.ctype
				if ct == "" {
					ct = "application/json"
				}
				w.Header().Set("Content-Type", ct)
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(body))
			}))
			defer srv.Close()
			client, err := qomon.New(qomon.Config{
				Endpoint:  srv.URL,
				Token:     "secret-token-for-malformed",
				UserAgent: "terraform-provider-qomon/test",
				RateLimit: qomon.RateLimit{Disabled: true},
				Retry:     qomon.Retry{MaxRetries: 1, MinWait: time.Millisecond, MaxWait: 5 * time.Millisecond},
			})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			c, err := callClient(ctx, client, tc.call)
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("want success, got %v", err)
				}
				if tc.check != nil {
					tc.check(t, c)
				}
				return
			}
			if err == nil {
				t.Fatalf("want an error, the call succeeded")
			}
			msg := err.Error()
			t.Logf("error:\n%s", msg)
			for _, w := range tc.want {
				if !regexp.MustCompile(w).MatchString(msg) {
					t.Errorf("error does not match %q:\n%s", w, msg)
				}
			}
			if strings.Contains(msg, "secret-token-for-malformed") {
				t.Errorf("the error shows the API token:\n%s", msg)
			}
			if strings.Contains(msg, "ada.lovelace@example.org") {
				t.Errorf("the error shows a mail address unmasked:\n%s", msg)
			}
			if len(msg) > 4000 {
				t.Errorf("the error is %d bytes long: a diagnostic must stay readable", len(msg))
			}
			if tc.status == 200 && tc.call == "create" && hits.Load() != 1 {
				t.Errorf("a create whose 200 answer was unusable was sent %d times: Qomon may have created it, a retry duplicates it", hits.Load())
			}
		})
	}
}

// callClient runs one client call against contact 42 (or the consent forms).
func callClient(ctx context.Context, c *qomon.Client, call string) (*qomon.Contact, error) {
	in := qomon.Contact{Firstname: qomon.Some("Ada"), Surname: qomon.Some("Lovelace"), Mail: qomon.Some("ada.lovelace@example.org")}
	switch call {
	case "get":
		return c.GetContact(ctx, 42)
	case "create":
		return c.CreateContact(ctx, in)
	case "update":
		return c.UpdateContact(ctx, 42, in)
	case "delete":
		return nil, c.DeleteContact(ctx, 42)
	case "search":
		_, err := c.SearchContacts(ctx, qomon.SearchRequest{Query: qomon.Query{Op: "$all", Groups: []qomon.Group{{
			Op: "$all", Conditions: []qomon.Condition{{Attr: "mail", Ope: "eql:strictdata", Value: "a@b.test"}},
		}}}, PerPage: 10})
		return nil, err
	case "forms":
		_, err := c.ListForms(ctx, "consent")
		return nil, err
	}
	return nil, fmt.Errorf("test bug: unknown call %q", call)
}
