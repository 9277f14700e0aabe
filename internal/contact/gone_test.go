package contact

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// fakeReader answers the confirming request of confirmGone and records it.
type fakeReader struct {
	get    func(id int64) (*qomon.Contact, error)
	search []qomon.Contact
	fail   error
	calls  []string
}

func (f *fakeReader) GetContact(_ context.Context, id int64) (*qomon.Contact, error) {
	f.calls = append(f.calls, "GET")
	return f.get(id)
}

func (f *fakeReader) SearchContacts(_ context.Context, req qomon.SearchRequest) (*qomon.SearchResult, error) {
	f.calls = append(f.calls, "SEARCH")
	if f.fail != nil {
		return nil, f.fail
	}
	return &qomon.SearchResult{Contacts: f.search}, nil
}

func hit(id int64, mail string) qomon.Contact {
	return qomon.Contact{ID: qomon.Some(id), Mail: qomon.Some(mail)}
}

var (
	qomon404   = &qomon.APIError{Method: "GET", Path: "/contacts/42", StatusCode: 404, Format: qomon.BodyProblem, Detail: "contact 42 not found"}
	html404    = &qomon.APIError{Method: "GET", Path: "/contacts/42", StatusCode: 404, Format: qomon.BodyHTML, Excerpt: "<html>404 Not Found</html>"}
	gateway404 = &qomon.APIError{Method: "GET", Path: "/contacts/42", StatusCode: 404, Format: qomon.BodyJSON, Detail: "no Route matched with those values"}
	empty404   = &qomon.APIError{Method: "GET", Path: "/contacts/42", StatusCode: 404, Format: qomon.BodyEmpty, Detail: "(empty body)"}
)

func TestConfirmGone(t *testing.T) {
	found := func(int64) (*qomon.Contact, error) { c := hit(42, ""); return &c, nil }
	again404 := func(int64) (*qomon.Contact, error) { return nil, qomon404 }
	againHTML := func(int64) (*qomon.Contact, error) { return nil, html404 }
	cases := []struct {
		name    string
		mail    string
		err     error
		reader  fakeReader
		verdict goneVerdict
		others  []int64
		calls   []string // the confirming requests, 1 token each
		want    string   // in the error, or in how when gone
	}{
		{name: "a proxy's HTML 404 proves nothing", mail: "ada@example.org", err: html404, verdict: notConfirmed,
			want: `(?s)not JSON \(HTML\).*does not come from Qomon.*keeps the contact`},
		{name: "an API gateway's JSON 404 proves nothing", mail: "ada@example.org", err: gateway404, verdict: notConfirmed,
			want: `(?s)JSON that is not one of Qomon's error formats.*does not come from Qomon`},
		{name: "an empty 404 proves nothing", err: empty404, verdict: notConfirmed, want: `(?s)an empty body.*does not come from Qomon`},
		{name: "Qomon's 404 and no contact with the mail", mail: "ada@example.org", err: qomon404,
			verdict: gone, calls: []string{"SEARCH"}, want: `search by its e-mail address finds no contact`},
		{name: "a wider match with another address does not count", mail: "ada@example.org", err: qomon404,
			reader:  fakeReader{search: []qomon.Contact{hit(7, "ada@example.org.uk")}},
			verdict: gone, calls: []string{"SEARCH"}},
		{name: "the search finds the contact itself: Qomon contradicts itself", mail: "ada@example.org", err: qomon404,
			reader:  fakeReader{search: []qomon.Contact{hit(42, "ada@example.org")}},
			verdict: notConfirmed, calls: []string{"SEARCH"}, want: `(?s)search by its e-mail address finds it.*keeps the contact`},
		{name: "others hold the address", mail: "Ada@Example.org", err: qomon404,
			reader:  fakeReader{search: []qomon.Contact{hit(7, "ada@example.org"), hit(9, "Ada@Example.org")}},
			verdict: goneButMailInUse, others: []int64{7, 9}, calls: []string{"SEARCH"}},
		{name: "the search fails", mail: "ada@example.org", err: qomon404, reader: fakeReader{fail: errors.New("POST /search: 503")},
			verdict: notConfirmed, calls: []string{"SEARCH"}, want: `(?s)searching for its e-mail address to confirm failed.*503`},
		{name: "no mail: a second read confirms", err: qomon404, reader: fakeReader{get: again404},
			verdict: gone, calls: []string{"GET"}, want: `second read`},
		{name: "no mail: the second read finds it", err: qomon404, reader: fakeReader{get: found},
			verdict: notConfirmed, calls: []string{"GET"}, want: `then found it`},
		{name: "no mail: the second read is not Qomon's", err: qomon404, reader: fakeReader{get: againHTML},
			verdict: notConfirmed, calls: []string{"GET"}, want: `(?s)reading it again to confirm failed.*HTML`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.reader
			c := confirmGone(context.Background(), &r, 42, tc.mail, "Cannot read the contact", tc.err)
			if c.verdict != tc.verdict {
				t.Errorf("verdict %d, want %d (%v)", c.verdict, tc.verdict, c.diags)
			}
			if !slices.Equal(c.others, tc.others) {
				t.Errorf("others %v, want %v", c.others, tc.others)
			}
			if !slices.Equal(r.calls, tc.calls) {
				t.Errorf("confirming requests %v, want %v", r.calls, tc.calls)
			}
			if (c.verdict == notConfirmed) != c.diags.HasError() {
				t.Errorf("an unconfirmed verdict must be an error, and only it: %v", c.diags)
			}
			text := c.how + "\n" + diagText(c.diags)
			if tc.want != "" && !regexp.MustCompile(tc.want).MatchString(text) {
				t.Errorf("the message does not match %s:\n%s", tc.want, text)
			}
			if tc.mail != "" && strings.Contains(strings.ToLower(text), strings.ToLower(tc.mail)) {
				t.Errorf("the message repeats the e-mail address: %s", text)
			}
		})
	}
}

func TestGoneCallers(t *testing.T) {
	ctx := context.Background()
	nobody := &fakeReader{}
	t.Run("refresh removes a confirmed deletion and says the plan creates it again", func(t *testing.T) {
		remove, diags := goneOnRead(ctx, nobody, 42, "ada@example.org", false, qomon404)
		if !remove || diags.HasError() || !strings.Contains(diagText(diags), "the current plan creates it again") {
			t.Errorf("remove %v: %s", remove, diagText(diags))
		}
	})
	t.Run("an import's first read says there is nothing to import", func(t *testing.T) {
		remove, diags := goneOnRead(ctx, &fakeReader{get: func(int64) (*qomon.Contact, error) { return nil, qomon404 }}, 42, "", true, qomon404)
		if text := diagText(diags); !remove || !strings.Contains(text, "nothing to import") || strings.Contains(text, "creates it again") {
			t.Errorf("remove %v: %s", remove, text)
		}
	})
	t.Run("refresh keeps a contact whose address others hold, and says how to import", func(t *testing.T) {
		remove, diags := goneOnRead(ctx, &fakeReader{search: []qomon.Contact{hit(7, "ada@example.org")}}, 42, "ada@example.org", false, qomon404)
		if text := diagText(diags); remove || !diags.HasError() || !strings.Contains(text, "terraform import <address> 7") {
			t.Errorf("remove %v: %s", remove, text)
		}
	})
	t.Run("refresh keeps the contact on a foreign 404", func(t *testing.T) {
		if remove, diags := goneOnRead(ctx, nobody, 42, "ada@example.org", false, html404); remove || !diags.HasError() {
			t.Errorf("remove %v: %s", remove, diagText(diags))
		}
	})
	t.Run("an update stops either way, and says deleted only when confirmed", func(t *testing.T) {
		if text := diagText(goneOnUpdate(ctx, nobody, 42, "ada@example.org", qomon404)); !strings.Contains(text, "was deleted in Qomon") {
			t.Errorf("confirmed: %s", text)
		}
		if text := diagText(goneOnUpdate(ctx, nobody, 42, "ada@example.org", gateway404)); strings.Contains(text, "Contact deleted") || !strings.Contains(text, "does not come from Qomon") {
			t.Errorf("unconfirmed but says deleted: %s", text)
		}
	})
	t.Run("a delete is done when Qomon confirms, whoever holds the address", func(t *testing.T) {
		if diags := goneOnDelete(ctx, &fakeReader{search: []qomon.Contact{hit(7, "ada@example.org")}}, 42, "ada@example.org", qomon404); diags.HasError() {
			t.Errorf("a confirmed deletion failed the delete: %s", diagText(diags))
		}
		if diags := goneOnDelete(ctx, nobody, 42, "ada@example.org", html404); !diags.HasError() {
			t.Error("a proxy's 404 on DELETE counted as already deleted")
		}
	})
	t.Run("an import by mail that finds nobody does not suggest importing by id", func(t *testing.T) {
		if text := diagText(noContactToImport()); strings.Contains(text, "by id") || strings.Contains(text, "<id>") {
			t.Errorf("suggests an id that does not exist: %s", text)
		}
	})
}

func diagText(diags diag.Diagnostics) string {
	var b strings.Builder
	for _, d := range diags {
		b.WriteString(d.Summary() + ": " + d.Detail() + "\n")
	}
	return b.String()
}

func TestWarningsDoNotRepeatTheClientsAdvice(t *testing.T) {
	inner := &qomon.APIError{Method: "POST", Path: "/contacts", StatusCode: 502, Format: qomon.BodyHTML}
	err := &qomon.OutcomeUnknownError{Method: "POST", Path: "/contacts", Err: inner}
	if !strings.Contains(err.Error(), "import it") {
		t.Fatalf("the client's error no longer advises importing: %s", err)
	}
	if got := lostAnswer(err).Error(); strings.Contains(got, "import") || !strings.Contains(got, "502") {
		t.Errorf("lostAnswer = %q, want the 502 without the advice", got)
	}
	if plain := errors.New("x"); !errors.Is(lostAnswer(plain), plain) {
		t.Error("a plain error was changed")
	}
}

func TestConflictDetailDoesNotDateTheEdit(t *testing.T) {
	text := conflictDetail("surname", 42)
	if strings.Contains(text, "after this plan") || strings.Contains(text, "since the plan") || !strings.Contains(text, "-refresh=false") {
		t.Errorf("conflict detail: %s", text)
	}
}
