package qomon

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"
)

// APIError is the one error type for an answer the client cannot use: every non-2xx status, and
// a 2xx whose body is not what the endpoint promises (an empty 200, `{}`, a contact of the wrong
// shape). It is parsed from each error format Qomon's documentation shows: an RFC 7807 problem
// object (https://www.rfc-editor.org/rfc/rfc7807, in the upsert reference of
// https://developers.qomon.com), `{"status":"fail"}`, and JSend
// (`{"status":"fail","data":{field: message}}` / `{"status":"error","message": ...}`). A body
// that is none of these (an HTML gateway page, truncated JSON) leaves a short Excerpt, and its
// Format says it did not come from Qomon.
type APIError struct {
	Method     string
	Path       string
	StatusCode int
	Title      string // problem `title`; empty when the body has none
	Detail     string // problem `detail`, JSend `message`, or what was wrong with a 2xx body
	Errors     []FieldError
	Excerpt    string // the start of an unparseable body, masked, at most 200 characters
	// Attempts is how many times the request was sent (retries included).
	Attempts int
	// BodyTruncated is set when the body exceeded the client's read limit and was cut.
	BodyTruncated bool
	// Format is what the body was. Only Qomon's own error formats prove that Qomon answered:
	// see FromQomon.
	Format BodyFormat
}

// BodyFormat is what an answer's body was, as far as the client can tell.
type BodyFormat int

// Body formats. Qomon answers errors as an RFC 7807 problem object or in JSend
// (https://github.com/omniti-labs/jsend); a proxy, an API gateway or a server at a wrong base
// path answers with an HTML page, an empty body, plain text or JSON of its own.
const (
	BodyEmpty   BodyFormat = iota
	BodyProblem            // {"type"|"title": ..., "status": <the HTTP status>, ...}
	BodyJSend              // {"status": "fail"|"error", ...}
	BodyJSON               // JSON that is none of Qomon's error formats
	BodyHTML
	BodyText
)

func (f BodyFormat) String() string {
	switch f {
	case BodyEmpty:
		return "an empty body"
	case BodyProblem:
		return "a problem object"
	case BodyJSend:
		return "a JSend answer"
	case BodyJSON:
		return "JSON that is not one of Qomon's error formats"
	case BodyHTML:
		return "not JSON (HTML)"
	}
	return "not JSON (text)"
}

// formatOf classifies an answer's body; status is the answer's HTTP status, which a problem
// object repeats.
func formatOf(status int, body []byte) BodyFormat {
	body = bytes.TrimSpace(body)
	switch {
	case len(body) == 0:
		return BodyEmpty
	case body[0] == '<':
		return BodyHTML
	case body[0] != '{' && body[0] != '[' && !json.Valid(body):
		return BodyText
	}
	var m map[string]json.RawMessage
	if body[0] != '{' || json.Unmarshal(body, &m) != nil {
		return BodyJSON
	}
	if s, err := decodeString(m["status"]); err == nil && s.Present() && (s.Value == "fail" || s.Value == "error") {
		return BodyJSend
	}
	var code int
	if json.Unmarshal(m["status"], &code) == nil && code == status && (m["title"] != nil || m["type"] != nil) {
		return BodyProblem
	}
	return BodyJSON
}

// FromQomon reports whether the body is one of Qomon's own error formats: only then does the
// answer prove what Qomon said (that a contact does not exist, say). Anything else came from
// something between the client and Qomon, or from a server that is not Qomon.
func (e *APIError) FromQomon() bool { return e.Format == BodyProblem || e.Format == BodyJSend }

// FieldError is one entry of a problem's `errors` (or of a JSend `data` object).
type FieldError struct {
	// Location names the value Qomon rejected, e.g. "body.data.contact.mail" (problem objects)
	// or "mail" (JSend).
	Location string
	Message  string
	// Value is what Qomon says it received; it may be personal data, so Error() never shows it.
	Value any
}

const excerptLen = 200

// Error reads as a diagnostic: what was asked, what Qomon said, and what to do next. Text
// taken from the body has e-mail addresses and phone numbers masked, because Terraform logs
// error diagnostics.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: ", e.Method, e.Path)
	switch {
	case e.StatusCode >= 200 && e.StatusCode < 300:
		fmt.Fprintf(&b, "Qomon answered %d %s but the answer cannot be used", e.StatusCode, http.StatusText(e.StatusCode))
	case e.FromQomon():
		fmt.Fprintf(&b, "Qomon answered %d %s", e.StatusCode, http.StatusText(e.StatusCode))
	default:
		fmt.Fprintf(&b, "the endpoint answered %d %s", e.StatusCode, http.StatusText(e.StatusCode))
	}
	if e.Title != "" && !strings.EqualFold(e.Title, http.StatusText(e.StatusCode)) {
		b.WriteString(": " + e.Title)
	}
	if e.Detail != "" {
		b.WriteString(": " + e.Detail)
	}
	for _, fe := range e.Errors {
		b.WriteString("\n  - ")
		if fe.Location != "" {
			b.WriteString(fe.Location + ": ")
		}
		if fe.Message != "" {
			b.WriteString(fe.Message)
		} else {
			b.WriteString("invalid value")
		}
	}
	if e.Excerpt != "" {
		fmt.Fprintf(&b, "\nThe answer began with: %s", e.Excerpt)
	}
	if e.BodyTruncated {
		fmt.Fprintf(&b, "\nThe answer was larger than the client's %d MiB limit and was cut.", maxBodyFor(e.Path)>>20)
	}
	if e.StatusCode >= 400 && !e.FromQomon() {
		fmt.Fprintf(&b, "\nThe answer is %s, which Qomon does not send: a proxy, an API gateway or a server that is not "+
			"Qomon wrote it (is the provider's endpoint, base path included, Qomon's API?).", e.Format)
		switch e.StatusCode {
		case http.StatusNotFound, http.StatusGone:
			b.WriteString(" It does not prove that anything is missing in Qomon: nothing was changed.")
			return b.String()
		case http.StatusUnauthorized, http.StatusForbidden:
			return b.String() // not Qomon judging the key
		}
	}
	if h := e.hint(); h != "" {
		b.WriteString("\n" + h)
	}
	return b.String()
}

func (e *APIError) hint() string {
	tries := ""
	if e.Attempts > 1 {
		tries = fmt.Sprintf(" after %d attempts", e.Attempts)
	}
	switch code := e.StatusCode; {
	case code == http.StatusUnauthorized:
		return "Qomon did not accept the API key: check the provider's api_token argument or the " +
			"QOMON_API_TOKEN environment variable. Keys are made in the Qomon web app under " +
			"Settings > Extensions > Connect, and belong to one Qomon space."
	case code == http.StatusForbidden:
		return "Qomon accepted the API key but refused this request: check which Qomon space the key " +
			"belongs to and what it is allowed to do."
	case code == http.StatusTooManyRequests:
		return "Qomon's rate limit was still exceeded" + tries + ". Every integration of a Qomon space " +
			"shares one budget: lower terraform's -parallelism or the provider's rate_limit, or try again later."
	case code >= 500:
		return "Qomon had a server-side problem" + tries + ". Try again later; if it persists, contact Qomon support."
	case code == http.StatusBadRequest || code == http.StatusUnprocessableEntity:
		return "Qomon rejected the data it was sent: correct the value(s) named above."
	case code >= 200 && code < 300:
		return "This is not an answer Qomon is documented to give; if it persists, report it with the text above."
	}
	return ""
}

// IsNotFound reports whether err is Qomon itself saying the object does not exist: a 404 (or
// 410) whose body is one of Qomon's error formats. A 404 with an HTML page, an empty body or
// foreign JSON is not: a proxy, a gateway or a wrong base path answered it (see
// IsForeignNotFound), and it proves nothing about the object.
func IsNotFound(err error) bool {
	var e *APIError
	return errors.As(err, &e) && (e.StatusCode == http.StatusNotFound || e.StatusCode == http.StatusGone) && e.FromQomon()
}

// IsForeignNotFound reports a 404 (or 410) that Qomon did not write (see IsNotFound).
func IsForeignNotFound(err error) bool {
	var e *APIError
	return errors.As(err, &e) && (e.StatusCode == http.StatusNotFound || e.StatusCode == http.StatusGone) && !e.FromQomon()
}

// OutcomeUnknownError is returned by CreateContact when Qomon may have created the contact but
// the client cannot tell: the request was sent and then the answer was lost (connection reset,
// timeout, cancellation), or Qomon answered with a server error or an unreadable success. A
// blind retry could create the contact twice, so the client does not retry; the caller decides
// (search for the contact, or tell the user).
type OutcomeUnknownError struct {
	Method, Path string
	Err          error
}

func (e *OutcomeUnknownError) Error() string {
	return fmt.Sprintf("%s %s: the request reached Qomon but its outcome is unknown, so the contact may "+
		"have been created: %v\nSearch Qomon for the contact (for example by mail) and import it rather "+
		"than creating it again.", e.Method, e.Path, e.Err)
}

func (e *OutcomeUnknownError) Unwrap() error { return e.Err }

// IsOutcomeUnknown reports whether err comes from a create that Qomon may have processed; see
// OutcomeUnknownError.
func IsOutcomeUnknown(err error) bool {
	var e *OutcomeUnknownError
	return errors.As(err, &e)
}

// parseAPIError builds the error for a non-2xx answer from whatever the body holds.
func parseAPIError(method, path string, status int, body []byte, truncated bool) *APIError {
	e := &APIError{Method: method, Path: path, StatusCode: status, BodyTruncated: truncated, Format: formatOf(status, body)}
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		e.Detail = "(empty body)"
		return e
	}
	var m map[string]json.RawMessage
	if len(body) == 0 || body[0] != '{' || json.Unmarshal(body, &m) != nil {
		e.Excerpt = excerpt(body)
		return e
	}
	e.Title = textOf(m["title"])
	e.Detail = firstNonEmpty(textOf(m["detail"]), textOf(m["message"]), textOf(m["error"]))
	e.Errors = fieldErrors(m["errors"])
	// JSend: `data` holds per-field messages for "fail", or a message.
	if s := textOf(m["status"]); (s == "fail" || s == "error") && len(m["data"]) > 0 {
		e.Errors = append(e.Errors, jsendErrors(m["data"], &e.Detail)...)
	}
	if e.Title == "" && e.Detail == "" && len(e.Errors) == 0 {
		e.Excerpt = excerpt(body)
	}
	return e
}

// fieldErrors reads a problem's `errors` array: objects {location, message, value} or strings.
func fieldErrors(raw json.RawMessage) []FieldError {
	var items []json.RawMessage
	if len(raw) == 0 || json.Unmarshal(raw, &items) != nil {
		return nil
	}
	var out []FieldError
	for _, it := range items {
		var m map[string]json.RawMessage
		if json.Unmarshal(it, &m) != nil {
			if s := textOf(it); s != "" {
				out = append(out, FieldError{Message: s})
			}
			continue
		}
		fe := FieldError{
			Location: firstNonEmpty(textOf(m["location"]), textOf(m["loc"]), textOf(m["field"]), textOf(m["path"])),
			Message:  firstNonEmpty(textOf(m["message"]), textOf(m["msg"]), textOf(m["detail"])),
		}
		if v, ok := m["value"]; ok {
			dec := json.NewDecoder(bytes.NewReader(v))
			dec.UseNumber()
			_ = dec.Decode(&fe.Value) // a value we cannot read stays nil
		}
		if fe.Location != "" || fe.Message != "" {
			out = append(out, fe)
		}
	}
	return out
}

// jsendErrors reads JSend `data`: an object of field -> message(s), or a message string.
func jsendErrors(raw json.RawMessage, detail *string) []FieldError {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		if s := textOf(raw); s != "" && *detail == "" {
			*detail = s
		}
		return nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var out []FieldError
	for _, k := range keys {
		msg := textOf(m[k])
		if msg == "" {
			var list []string
			if json.Unmarshal(m[k], &list) == nil {
				msg = cleanMessage(strings.Join(list, "; "))
			}
		}
		out = append(out, FieldError{Location: k, Message: msg})
	}
	return out
}

// textOf returns a JSON string or number as cleaned, masked text; anything else gives "".
func textOf(raw json.RawMessage) string {
	s, err := decodeString(raw)
	if err != nil || !s.Present() {
		return ""
	}
	return cleanMessage(s.Value)
}

// cleanMessage makes server text fit for a diagnostic: one line, personal data masked, bounded.
func cleanMessage(s string) string {
	s = cleanText(maskText(s))
	if utf8.RuneCountInString(s) > 500 {
		s = string([]rune(s)[:500]) + "…"
	}
	return s
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// excerpt is the start of a body for an error message: masked like a log line, one line, at
// most 200 characters.
func excerpt(body []byte) string {
	s := cleanText(MaskBody(body))
	if utf8.RuneCountInString(s) > excerptLen {
		s = string([]rune(s)[:excerptLen-1]) + "…"
	}
	return s
}
