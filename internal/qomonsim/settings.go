package qomonsim

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// A setting is one switch of a running simulator, declared once for the command line of
// cmd/qomonsim and for PUT /_sim/settings. Its key is snake_case; a member of an object is
// written with a dot (rate_limit.per_second is {"rate_limit": {"per_second": …}}). The flag
// is the key with dashes (-rate-limit-headers) unless flag says otherwise.
type setting struct {
	key   string
	flag  string // "" = the key with dashes
	usage string
	// set parses a value written as on the command line (JSON numbers, booleans and arrays
	// of strings are turned into that form first).
	set func(o *Options, v string) error
	// get is the value in force, as GET /_sim/settings shows it.
	get func(o Options) any
	// negated marks a boolean flag that sets the opposite (-no-rate-limit).
	negated bool
	// fill gives the setting its default where o leaves it zero (Options.withDefaults); nil
	// where the zero value needs nothing here (the bucket's size and rate: RateLimit.withDefaults).
	fill func(o *Options)
}

func (s setting) flagName() string {
	if s.flag != "" {
		return s.flag
	}
	return strings.NewReplacer("_", "-", ".", "-").Replace(s.key)
}

// choice is a switch with named values, listed once here, the default first: they are what
// the setting parses, lists in its usage and fills in for the zero value.
func choice[T ~string](key, usage string, values []T, field func(*Options) *T) setting {
	return setting{key: key, usage: fmt.Sprintf("%s: %s (default %q)", usage, choiceList(values), values[0]),
		set: func(o *Options, v string) error {
			c, ok := parseChoice(v, values)
			if !ok {
				return fmt.Errorf("expected %s, got %q", choiceList(values), v)
			}
			*field(o) = c
			return nil
		},
		get:  func(o Options) any { return orDefault(*field(&o), values) },
		fill: func(o *Options) { *field(o) = orDefault(*field(o), values) },
	}
}

// parseChoice reads one of values, case-insensitively; "" is the default (values[0]).
func parseChoice[T ~string](s string, values []T) (T, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return values[0], true
	}
	for _, v := range values {
		if string(v) == s {
			return v, true
		}
	}
	return values[0], false
}

// orDefault maps the zero value to the default.
func orDefault[T ~string](v T, values []T) T {
	if v == "" {
		return values[0]
	}
	return v
}

// choiceList names the values for messages: `"a", "b" or "c"`.
func choiceList[T ~string](values []T) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = strconv.Quote(string(v))
	}
	if len(quoted) == 1 {
		return quoted[0]
	}
	return strings.Join(quoted[:len(quoted)-1], ", ") + " or " + quoted[len(quoted)-1]
}

// positive is a setting holding a number above zero.
func positive(key, flag, usage string, field func(*Options) *float64) setting {
	return setting{key: key, flag: flag, usage: usage,
		set: func(o *Options, v string) error {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil || f <= 0 || math.IsInf(f, 0) || math.IsNaN(f) {
				return fmt.Errorf("expected a positive number, got %q", v)
			}
			*field(o) = f
			return nil
		},
		get: func(o Options) any { return *field(&o) },
	}
}

var settings = []setting{
	choice("patch_mode", "PATCH semantics, as documented or merging",
		[]PatchMode{PatchReplace, PatchMerge}, func(o *Options) *PatchMode { return &o.PatchMode }),
	choice("spelling", "response spelling",
		[]Spelling{SpellingNew, SpellingOld}, func(o *Options) *Spelling { return &o.Spelling }),
	{key: "search_lag", usage: "how long a write takes to become searchable, in seconds or as a duration such as 1.5s (default 0)",
		set: func(o *Options, v string) (err error) { o.SearchLag, err = ParseSeconds(v); return err },
		get: func(o Options) any { return o.SearchLag.Seconds() }},
	{key: "search_page_time", usage: "how long a search takes per 1,000 contacts on the page it returns, in seconds or as a duration such as 800ms (default 0)",
		set: func(o *Options, v string) (err error) { o.SearchPageTime, err = ParseSeconds(v); return err },
		get: func(o Options) any { return o.SearchPageTime.Seconds() }},
	choice("note_ids", "notes sent with their id keep their id and date, or every write renews every note it carries",
		[]NoteIDs{NoteIDsKeep, NoteIDsRenew}, func(o *Options) *NoteIDs { return &o.NoteIDs }),
	choice("empty_lists", "an empty list in a write clears the list, or is refused with 422",
		[]EmptyLists{EmptyListsAccept, EmptyListsRefuse}, func(o *Options) *EmptyLists { return &o.EmptyLists }),
	choice("empty_address", "an address without parts in a write clears the address, or keeps it",
		[]EmptyAddress{EmptyAddressClear, EmptyAddressKeep}, func(o *Options) *EmptyAddress { return &o.EmptyAddress }),
	{key: "search_omits", usage: "contact keys left out of search hits, comma-separated, e.g. notes,formdatas (default none)",
		set: func(o *Options, v string) error {
			keys, err := parseSearchOmits(v)
			o.SearchOmits = keys
			return err
		},
		get: func(o Options) any { return append([]string{}, o.SearchOmits...) }},
	choice("not_found_body", "body of a missing contact's 404 (problem is RFC 7807)",
		[]NotFoundBody{NotFoundProblem, NotFoundJSend, NotFoundFail, NotFoundEmpty}, func(o *Options) *NotFoundBody { return &o.NotFoundBody }),
	positive("rate_limit.burst", "burst", "rate-limit bucket capacity in tokens (default 100)",
		func(o *Options) *float64 { return &o.RateLimit.Burst }),
	positive("rate_limit.per_second", "rate", "rate-limit refill in tokens per second (default 10)",
		func(o *Options) *float64 { return &o.RateLimit.PerSecond }),
	{key: "rate_limit.enabled", flag: "no-rate-limit", negated: true, usage: "disable the rate limit",
		set: func(o *Options, v string) error {
			b, err := strconv.ParseBool(v)
			if err != nil {
				return fmt.Errorf("expected true or false, got %q", v)
			}
			o.RateLimit.Disabled = !b
			return nil
		},
		get: func(o Options) any { return !o.RateLimit.Disabled }},
	choice("rate_limit.headers", "shape of the rate-limit headers",
		[]RateLimitHeaders{RateLimitHeadersQomon, RateLimitHeadersPlain, RateLimitHeadersIETF, RateLimitHeadersNone},
		func(o *Options) *RateLimitHeaders { return &o.RateLimit.Headers }),
}

// Settings returns every setting in force, as GET /_sim/settings shows them and PUT takes
// them.
func (s *Server) Settings() map[string]any {
	s.mu.Lock()
	o := s.opts
	s.mu.Unlock()
	out := map[string]any{}
	for _, s := range settings {
		m := out
		parts := strings.Split(s.key, ".")
		for _, p := range parts[:len(parts)-1] {
			sub, ok := m[p].(map[string]any)
			if !ok {
				sub = map[string]any{}
				m[p] = sub
			}
			m = sub
		}
		m[parts[len(parts)-1]] = s.get(o)
	}
	return out
}

// SettingKeys lists the keys PUT /_sim/settings accepts, dotted for members of an object.
func SettingKeys() []string {
	keys := make([]string, len(settings))
	for i, s := range settings {
		keys[i] = s.key
	}
	return keys
}

// RegisterFlags defines one flag per setting on fs, each writing into o as it is parsed.
func RegisterFlags(fs *flag.FlagSet, o *Options) {
	for _, s := range settings {
		set := func(v string) error { return s.set(o, v) }
		if s.negated {
			fs.BoolFunc(s.flagName(), s.usage, func(v string) error {
				b, err := strconv.ParseBool(v)
				if err != nil {
					return err
				}
				return set(strconv.FormatBool(!b))
			})
			continue
		}
		fs.Func(s.flagName(), s.usage, set)
	}
}

// ParseSeconds reads a duration as Qomon's Retry-After writes one, a number of seconds
// ("2", "0.5"), or as a Go duration ("1.5s", "250ms").
func ParseSeconds(v string) (time.Duration, error) {
	v = strings.TrimSpace(v)
	if f, err := strconv.ParseFloat(v, 64); err == nil {
		if f < 0 || math.IsNaN(f) || f > math.MaxInt64/float64(time.Second) {
			return 0, fmt.Errorf("expected a duration of 0 seconds or more, got %q", v)
		}
		return time.Duration(f * float64(time.Second)), nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("expected seconds (2, 0.5) or a duration (1.5s, 250ms), got %q", v)
	}
	return d, nil
}

// omittable are the keys a search hit may leave out: what a contact renders beyond its id.
var omittable = func() []string {
	keys := []string{"address", "tags", "notes", "formdatas", "custom_fields", "action_ids",
		"CreatedAt", "UpdatedAt", "lastchange", "group_id", "user_id"}
	for k := range scalarFields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}()

func parseSearchOmits(v string) ([]string, error) {
	var keys []string
	for k := range strings.SplitSeq(v, ",") {
		k = strings.TrimSpace(k)
		if c, ok := canonicalKey[k]; ok {
			k = c
		}
		switch {
		case k == "":
		case !slices.Contains(omittable, k):
			return nil, fmt.Errorf("expected contact keys among %s, got %q", strings.Join(omittable, ", "), k)
		case !slices.Contains(keys, k):
			keys = append(keys, k)
		}
	}
	return keys, nil
}

// applySettings writes a PUT /_sim/settings body onto o: every key is checked (unknown keys
// and bad values are all reported), and o is changed only when all are good.
func applySettings(o *Options, body []byte) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var top map[string]any
	if err := dec.Decode(&top); err != nil || top == nil {
		return errors.New("the body must be a JSON object of settings")
	}
	flat := map[string]any{}
	flatten("", top, flat)
	keys := make([]string, 0, len(flat))
	for k := range flat {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	next := *o
	var errs []error
	for _, k := range keys {
		i := slices.IndexFunc(settings, func(s setting) bool { return s.key == k })
		if i < 0 {
			errs = append(errs, fmt.Errorf("unknown setting %q (settings: %s)", k, strings.Join(SettingKeys(), ", ")))
			continue
		}
		v, err := flagForm(flat[k])
		if err == nil {
			err = settings[i].set(&next, v)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", k, err))
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	*o = next
	return nil
}

// flatten names every leaf of a settings object by its dotted path.
func flatten(prefix string, m map[string]any, out map[string]any) {
	for k, v := range m {
		if sub, ok := v.(map[string]any); ok {
			flatten(prefix+k+".", sub, out)
			continue
		}
		out[prefix+k] = v
	}
}

// flagForm writes a JSON value as it would be given on the command line.
func flagForm(v any) (string, error) {
	switch t := v.(type) {
	case string:
		return t, nil
	case json.Number:
		return t.String(), nil
	case bool:
		return strconv.FormatBool(t), nil
	case []any:
		parts := make([]string, len(t))
		for i, e := range t {
			s, ok := e.(string)
			if !ok {
				return "", errors.New("expected an array of strings")
			}
			parts[i] = s
		}
		return strings.Join(parts, ","), nil
	}
	return "", fmt.Errorf("expected a string, a number, a boolean or an array of strings, got %s", jsonTypeName(v))
}
