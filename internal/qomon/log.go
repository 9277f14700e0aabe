package qomon

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Level is the severity of a log message.
type Level int

// Levels, from the most verbose. Request summaries go out at debug, bodies at trace.
const (
	LevelTrace Level = iota
	LevelDebug
	LevelInfo
	LevelWarn
)

func (l Level) String() string {
	switch l {
	case LevelTrace:
		return "trace"
	case LevelDebug:
		return "debug"
	case LevelInfo:
		return "info"
	case LevelWarn:
		return "warn"
	}
	return "unknown"
}

// Logger receives the client's log messages. Messages and fields are already masked: the API
// token never reaches a Logger, and bodies only do through MaskBody. The provider bridges it
// to tflog; the client package itself imports nothing of Terraform.
type Logger interface {
	Log(ctx context.Context, level Level, msg string, fields map[string]any)
}

// LoggerFunc adapts a function to a Logger.
type LoggerFunc func(ctx context.Context, level Level, msg string, fields map[string]any)

// Log calls f.
func (f LoggerFunc) Log(ctx context.Context, level Level, msg string, fields map[string]any) {
	f(ctx, level, msg, fields)
}

// maskedValue replaces a masked value.
const maskedValue = "***"

// maxMaskedBody bounds what MaskBody returns, so that a 1000-contact search page does not
// flood a trace log.
const maxMaskedBody = 16 << 10

// sensitiveKeys are the JSON keys whose scalar values are personal data or secrets, in any
// object of any body (contacts, notes, search conditions, error details). Containers under
// these keys are walked (the envelope `data` holds the contact); scalars are masked. The keys
// of a contact come from its wire tables (personalKeys), so a field added there is masked too.
var sensitiveKeys = setOf(append(personalKeys(),
	// secrets
	"token", "api_token", "apikey", "api_key", "authorization", "password", "secret",
	// search attributes that are not contact keys, and search and validation values
	"email", "emails", "lastname", "birthday", "value", "values", "from", "to",
	// tag names, and the labels a form answer may carry (a level of support is an opinion)
	"name", "label",
)...)

var (
	emailPattern = regexp.MustCompile(`[^\s@"'<>(),;:]+@[^\s@"'<>(),;:]+`)
	// Phone numbers: international (+ then 7 or more digits), national (0 then 8 or more), or
	// any run of 10 or more digits, possibly grouped by single spaces. Contact ids (about 8
	// digits), dates and timestamps stay readable.
	phonePattern = regexp.MustCompile(`\+\d(?: ?\d){6,}|\b0\d(?: ?\d){7,}|\d(?: ?\d){9,}`)
)

// maskText masks e-mail addresses and phone numbers inside free text (error messages, HTML
// pages), where no key tells us what a value is.
func maskText(s string) string {
	if strings.IndexByte(s, '@') >= 0 {
		s = emailPattern.ReplaceAllString(s, maskedValue)
	}
	return phonePattern.ReplaceAllString(s, maskedValue)
}

// MaskBody renders a request or response body for a log: JSON is re-encoded with the value of
// every personal or secret key (mail, phone, mobile, names, birth data, address parts, note
// content, form answer data, search values, tokens) replaced by "***", and e-mail addresses
// and phone numbers masked inside any other string. A body that is not valid JSON is cut where
// it stops being valid; a body that is not JSON at all is shown as masked text without control
// characters. The result never exceeds about 16 KiB.
func MaskBody(body []byte) string {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return ""
	}
	if body[0] != '{' && body[0] != '[' {
		return cleanText(maskText(string(truncateUTF8(body, maxMaskedBody))))
	}
	return maskJSON(body)
}

type maskFrame struct {
	object  bool
	wantKey bool
	n       int
	key     string
	maskAll bool // the container sits under a sensitive key: its scalars are masked
}

func maskJSON(body []byte) string {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var out strings.Builder
	var stack []*maskFrame
	for {
		if out.Len() > maxMaskedBody {
			out.WriteString("…(cut)")
			break
		}
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			out.WriteString("…(invalid JSON from here)")
			break
		}
		var top *maskFrame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if top != nil && top.object && top.wantKey {
			if d, ok := tok.(json.Delim); ok && d == '}' {
				out.WriteByte('}')
				stack = stack[:len(stack)-1]
				continue
			}
			key, _ := tok.(string)
			if top.n > 0 {
				out.WriteByte(',')
			}
			writeJSONString(&out, key)
			out.WriteByte(':')
			top.key, top.wantKey = key, false
			continue
		}
		if d, ok := tok.(json.Delim); ok && d == ']' {
			out.WriteByte(']')
			stack = stack[:len(stack)-1]
			continue
		}
		masked := false
		switch {
		case top == nil:
			if out.Len() > 0 {
				out.WriteByte(' ')
			}
		case top.object:
			masked = top.maskAll || sensitiveKey(top.key, tok)
			top.n++
			top.wantKey = true
		default:
			if top.n > 0 {
				out.WriteByte(',')
			}
			masked = top.maskAll
			top.n++
		}
		switch t := tok.(type) {
		case json.Delim:
			out.WriteRune(rune(t))
			// An array under a sensitive key (several phones, several values) has its scalars
			// masked; an object under one (the `data` envelope) is judged key by key.
			stack = append(stack, &maskFrame{object: t == '{', wantKey: t == '{', maskAll: masked && t == '['})
		case string:
			if masked {
				writeJSONString(&out, maskedValue)
			} else {
				writeJSONString(&out, maskText(t))
			}
		case json.Number:
			if masked {
				writeJSONString(&out, maskedValue)
			} else {
				out.WriteString(t.String())
			}
		case bool:
			if t {
				out.WriteString("true")
			} else {
				out.WriteString("false")
			}
		case nil:
			out.WriteString("null")
		}
	}
	return out.String()
}

// sensitiveKey decides whether the value of key is masked. `location` is both an address's
// coordinates ("48.86,2.33", masked) and where a validation error lies ("body.data.contact.mail",
// kept): only the second has letters.
func sensitiveKey(key string, value json.Token) bool {
	key = strings.ToLower(key)
	if key == "location" {
		if s, ok := value.(string); ok && strings.IndexFunc(s, unicode.IsLetter) >= 0 {
			return false
		}
	}
	return sensitiveKeys[key]
}

func writeJSONString(out *strings.Builder, s string) {
	b, _ := json.Marshal(s) // a string always encodes
	out.Write(b)
}

// truncateUTF8 cuts b to at most n bytes without splitting a character.
func truncateUTF8(b []byte, n int) []byte {
	if len(b) <= n {
		return b
	}
	b = b[:n]
	for i := 0; i < utf8.UTFMax && len(b) > 0; i++ {
		if r, size := utf8.DecodeLastRune(b); r != utf8.RuneError || size != 1 {
			break
		}
		b = b[:len(b)-1]
	}
	return b
}

// cleanText replaces control characters and invalid UTF-8 with spaces and collapses runs of
// white space, so that an HTML error page reads as one line.
func cleanText(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToValidUTF8(s, " ") {
		if unicode.IsControl(r) || unicode.IsSpace(r) {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// LevelEnabler may be implemented by a Logger that knows which levels it keeps; the client
// then skips masking bodies for a trace level nobody reads.
type LevelEnabler interface {
	Enabled(ctx context.Context, level Level) bool
}

func (c *Client) enabled(ctx context.Context, level Level) bool {
	if c.logger == nil {
		return false
	}
	if e, ok := c.logger.(LevelEnabler); ok {
		return e.Enabled(ctx, level)
	}
	return true
}

func (c *Client) log(ctx context.Context, level Level, msg string, fields map[string]any) {
	if c.logger != nil {
		c.logger.Log(ctx, level, msg, fields)
	}
}

// logAttempt logs one attempt at debug, the one line per attempt: what was asked and how it
// went, never a header (the token) nor a body (personal data; bodies go out masked at trace
// only).
func (c *Client) logAttempt(ctx context.Context, ex *exchange, status int, elapsed time.Duration, err error) {
	if c.logger == nil {
		return
	}
	fields := map[string]any{
		"method": ex.method, "path": ex.path, "attempt": ex.attempts, "cost": ex.cost,
		"duration_ms": elapsed.Milliseconds(),
	}
	if err != nil {
		fields["error"] = maskText(err.Error())
		c.log(ctx, LevelDebug, "Qomon request failed", fields)
		return
	}
	fields["status"] = status
	c.log(ctx, LevelDebug, "Qomon request", fields)
}

// retryLogger bridges go-retryablehttp's log lines to the client's Logger (tflog in the
// provider), masked like every other line. Its announcement of a retry goes out at debug; its
// other lines repeat what the client's own attempt lines say, and go out at trace.
type retryLogger struct {
	ctx context.Context
	c   *Client
}

func (l retryLogger) Error(msg string, kv ...any) { l.log(LevelTrace, msg, kv) }
func (l retryLogger) Info(msg string, kv ...any)  { l.log(LevelTrace, msg, kv) }
func (l retryLogger) Warn(msg string, kv ...any)  { l.log(LevelTrace, msg, kv) }
func (l retryLogger) Debug(msg string, kv ...any) {
	if msg == "retrying request" {
		l.log(LevelDebug, "retrying Qomon request", kv)
		return
	}
	l.log(LevelTrace, msg, kv)
}

func (l retryLogger) log(level Level, msg string, kv []any) {
	if !l.c.enabled(l.ctx, level) {
		return
	}
	fields := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		k := fmt.Sprint(kv[i])
		switch v := kv[i+1].(type) {
		case time.Duration:
			if k == "timeout" {
				k = "retry_in" // go-retryablehttp's name for the wait before the retry
			}
			fields[k+"_ms"] = v.Milliseconds()
		case int:
			fields[k] = v
		default:
			fields[k] = maskText(fmt.Sprint(v))
		}
	}
	l.c.log(l.ctx, level, msg, fields)
}
