package qomon

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

func TestMaskBody(t *testing.T) {
	cases := []struct{ in, want string }{
		{`{"data":{"contact":{"id":7,"firstname":"Ada","surname":"Lovelace","mail":"ada@example.org","phone":"0612345678",` +
			`"gender":"F","birthdate":"1815-12-10T00:00:00Z","birth_city":"London","address":{"street":"Rue","postalcode":75001,` +
			`"city":"Paris","latitude":48.8,"score":0.9,"invalid":false},"tags":[{"name":"vip"}],"notes":[{"id":1,"content":"private","pinned":true}],` +
			`"custom_fields":[{"form_id":1,"form_ref_id":2,"data":"Architect"}],"CreatedAt":"2022-10-13T15:50:34.643724Z"}}}`,
			`{"data":{"contact":{"id":7,"firstname":"***","surname":"***","mail":"***","phone":"***",` +
				`"gender":"F","birthdate":"***","birth_city":"***","address":{"street":"***","postalcode":"***",` +
				`"city":"***","latitude":"***","score":0.9,"invalid":false},"tags":[{"name":"***"}],"notes":[{"id":1,"content":"***","pinned":true}],` +
				`"custom_fields":[{"form_id":1,"form_ref_id":2,"data":"***"}],"CreatedAt":"2022-10-13T15:50:34.643724Z"}}}`},
		{`{"data":{"advanced_search":{"page":0,"per_page":1000,"query":{"$all":[{"$at_least_one":[{"$condition":{"attr":"mail","ope":"eql:strictdata","value":"ada@example.org"}}]}]}}}}`,
			`{"data":{"advanced_search":{"page":0,"per_page":1000,"query":{"$all":[{"$at_least_one":[{"$condition":{"attr":"mail","ope":"eql:strictdata","value":"***"}}]}]}}}}`},
		{`{"errors":[{"location":"body.data.contact.mail","message":"ada@example.org is not valid","value":"ada@example.org"}]}`,
			`{"errors":[{"location":"body.data.contact.mail","message":"*** is not valid","value":"***"}]}`},
		{`{"detail":"phone +33 6 12 34 56 78 taken"}`, `{"detail":"phone *** taken"}`},
		{`{"MAIL":"x","Phone":["1","2"],"mobile":null,"api_token":"s3cr3t"}`, `{"MAIL":"***","Phone":["***","***"],"mobile":null,"api_token":"***"}`},
		{`[{"mail":"a"},{"surname":"b"}]`, `[{"mail":"***"},{"surname":"***"}]`},
		{` {"a": [ ] , "b" : { } } `, `{"a":[],"b":{}}`},
		{`{"data":{"contact":{"mail":"ada@exa`, `{"data":{"contact":{"mail":…(invalid JSON from here)`},
		{`{"surname":"Lovelace"} trailing`, `{"surname":"***"}…(invalid JSON from here)`},
		{`<html><body>Contact ada@example.org</body></html>`, `<html><body>Contact ***</body></html>`},
		{"", ""},
		{`{"note":"line\nbreak \u003c"}`, `{"note":"line\nbreak \u003c"}`},
	}
	for _, tc := range cases {
		if got := MaskBody([]byte(tc.in)); got != tc.want {
			t.Errorf("MaskBody(%s)\n got %s\nwant %s", tc.in, got, tc.want)
		}
	}
}

func TestMaskBodyIsBounded(t *testing.T) {
	big := `{"contacts":[` + strings.Repeat(`{"id":1,"tags":[{"name":"abcdefghij"}]},`, 20000) + `{"id":2}]}`
	got := MaskBody([]byte(big))
	if len(got) > maxMaskedBody+100 || !strings.HasSuffix(got, "…(cut)") {
		t.Errorf("masked body of %d bytes, suffix %q", len(got), got[len(got)-10:])
	}
	html := strings.Repeat("<p>é</p>", 10000)
	if got := MaskBody([]byte(html)); len(got) > maxMaskedBody || !utf8.ValidString(got) {
		t.Errorf("masked text of %d bytes, valid UTF-8 %v", len(got), utf8.ValidString(got))
	}
}

func TestMaskTextKeepsDatesAndIDs(t *testing.T) {
	for _, s := range []string{"2022-10-13T15:50:34.643724Z", "contact 83854766 not found", "per_page must be 1..1000"} {
		if got := maskText(s); got != s {
			t.Errorf("maskText(%q) = %q", s, got)
		}
	}
}

func FuzzMaskBody(f *testing.F) {
	for _, s := range []string{`{"mail":"a@b.c","x":[1,{"phone":"1"}]}`, `<html>a@b.c</html>`, `{"a":`, `[[[[`, "\xff", `{"data":{"contact":{"firstname":"Ada"}}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		out := MaskBody(in)
		if !utf8.ValidString(out) {
			t.Fatalf("not valid UTF-8: %q", out)
		}
		if len(out) > maxMaskedBody+200 {
			t.Fatalf("too long: %d", len(out))
		}
	})
}

type capturedLog struct {
	Level  Level
	Msg    string
	Fields map[string]any
}

type captureLogger struct {
	mu      sync.Mutex
	entries []capturedLog
	trace   bool
}

func (l *captureLogger) Log(_ context.Context, level Level, msg string, fields map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = append(l.entries, capturedLog{level, msg, fields})
}

func (l *captureLogger) Enabled(_ context.Context, level Level) bool {
	return level != LevelTrace || l.trace
}

func (l *captureLogger) all() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var b strings.Builder
	for _, e := range l.entries {
		fmt.Fprintf(&b, "%s %s %v\n", e.Level, e.Msg, e.Fields)
	}
	return b.String()
}

// Logs carry what happened, never the token nor personal data.
func TestLoggingMasksSecretsAndPersonalData(t *testing.T) {
	personal := []string{"Ada", "Lovelace", "ada@example.org", "0612345678", "Rue de Rivoli", "75001", "1815-12-10", "Met at the fair"}
	answer := `{"status":"success","data":{"contact":{"id":7,"firstname":"Ada","surname":"Lovelace","mail":"ada@example.org",` +
		`"phone":"0612345678","birthdate":"1815-12-10T00:00:00Z","address":{"street":"Rue de Rivoli","postalcode":75001},"notes":[{"content":"Met at the fair"}]}}}`
	srv := newFakeServer(t,
		reply(503, `{"detail":"cannot store ada@example.org"}`),
		reply(200, answer),
		reply(422, `{"title":"Unprocessable Entity","errors":[{"location":"body.data.contact.phone","message":"0612345678 is not valid","value":"0612345678"}]}`))
	log := &captureLogger{trace: true}
	c, _ := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Logger = log })
	in := Contact{Firstname: Some("Ada"), Surname: Some("Lovelace"), Mail: Some("ada@example.org"), Phone: Some("0612345678"),
		Birthdate: Some("1815-12-10"), Address: Some(Address{Street: Some("Rue de Rivoli"), PostalCode: Some("75001")}),
		Notes: Some([]Note{{Content: "Met at the fair"}})}
	ctx := context.Background()
	if _, err := c.UpdateContact(ctx, 7, in); err != nil {
		t.Fatal(err)
	}
	_, _ = c.UpdateContact(ctx, 7, in)
	out := log.all()
	for _, s := range append(personal, testToken) {
		if strings.Contains(out, s) {
			t.Errorf("the logs contain %q:\n%s", s, out)
		}
	}
	for _, s := range []string{"method:PATCH", "path:/contacts/7", "status:200", "status:503", "cost:5", "retrying Qomon request",
		"Qomon request body", "Qomon response body", `"firstname":"***"`} {
		if !strings.Contains(out, s) {
			t.Errorf("the logs lack %q:\n%s", s, out)
		}
	}
	// Trace off: bodies are not even masked, let alone logged.
	quiet := &captureLogger{}
	c, _ = newTestClient(t, srv.URL, func(cfg *Config) { cfg.Logger = quiet })
	_, _ = c.GetContact(ctx, 7)
	if out := quiet.all(); strings.Contains(out, "body") || !strings.Contains(out, "Qomon request") {
		t.Errorf("trace disabled, logs:\n%s", out)
	}
}
