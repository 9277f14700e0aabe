package qomonsim

import (
	"strconv"
	"strings"
	"time"
)

// PatchMode selects what PATCH /contacts/{id} does with the keys a body leaves out.
type PatchMode int

const (
	// PatchReplace is Qomon's documented behaviour (qomon-api.md §4): the stored contact
	// becomes the payload; every omitted field is cleared, including address, tags, notes
	// and form answers. Read-only fields are kept or recomputed.
	PatchReplace PatchMode = iota
	// PatchMerge keeps omitted keys, clears keys sent as null, merges `address` key by key
	// and replaces a list when it is present. Nothing public says Qomon behaves like this;
	// it exists so the provider's merge update mode can be tested.
	PatchMerge
)

// String returns "replace" or "merge".
func (m PatchMode) String() string {
	if m == PatchMerge {
		return "merge"
	}
	return "replace"
}

// ParsePatchMode reads "replace" or "merge".
func ParsePatchMode(s string) (PatchMode, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "replace", "":
		return PatchReplace, true
	case "merge":
		return PatchMerge, true
	}
	return PatchReplace, false
}

// Spelling selects the key names and number types of responses. Requests are always
// accepted in both spellings.
type Spelling int

const (
	// SpellingNew answers with custom_fields, action_ids, birth_city/birth_dept/birth_country,
	// address parts as strings and note text in `data` (developers.qomon.com, live clients).
	SpellingNew Spelling = iota
	// SpellingOld answers with customfields, actions_ids, birthcity/birthdept/birthcountry,
	// numeric housenumber/postalcode/floor/citycode when they are digits without a leading
	// zero, and note text in `content` (the OLD OpenAPI examples).
	SpellingOld
)

// String returns "new" or "old".
func (s Spelling) String() string {
	if s == SpellingOld {
		return "old"
	}
	return "new"
}

// ParseSpelling reads "new" or "old".
func ParseSpelling(s string) (Spelling, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "new", "":
		return SpellingNew, true
	case "old":
		return SpellingOld, true
	}
	return SpellingNew, false
}

// RateLimit shapes the token bucket kept per bearer token (qomon-api.md §5). The zero
// value means Qomon's documented bucket: burst 100, 10 tokens per second.
type RateLimit struct {
	Burst     float64 // bucket capacity; 0 = 100
	PerSecond float64 // refill rate; 0 = 10
	Disabled  bool    // no bucket, no X-Ratelimit-* headers, never 429
}

func (r RateLimit) withDefaults() RateLimit {
	if r.Burst <= 0 {
		r.Burst = 100
	}
	if r.PerSecond <= 0 {
		r.PerSecond = 10
	}
	return r
}

// header renders the X-Ratelimit-Limit value, e.g. "burst:100;rate:10.0".
func (r RateLimit) header() string {
	rate := strconv.FormatFloat(r.PerSecond, 'f', -1, 64)
	if !strings.Contains(rate, ".") {
		rate += ".0"
	}
	return "burst:" + strconv.FormatFloat(r.Burst, 'f', -1, 64) + ";rate:" + rate
}

// DefaultToken is the bearer token accepted when Options.Tokens is empty.
const DefaultToken = "test-token"

// Options configures a simulator. The zero value is a usable, documented Qomon.
type Options struct {
	// Tokens are the accepted bearer tokens; empty means {DefaultToken}.
	Tokens []string
	// PatchMode is the PATCH semantics (default PatchReplace, as documented).
	PatchMode PatchMode
	// Spelling is the response spelling (default SpellingNew).
	Spelling Spelling
	// RateLimit shapes the per-token bucket (default burst 100, 10/s).
	RateLimit RateLimit
	// Forms is the seeded forms catalogue; nil means DefaultForms().
	Forms []Form
	// UpsertDelay is how long after its 202 an upsert is applied; 0 applies it before
	// the 202 is sent, which keeps tests deterministic.
	UpsertDelay time.Duration
	// SearchLag is how long a write takes to reach the search index: /search and /kpi see
	// each contact as it was SearchLag ago (not at all if it is newer, still if it was
	// deleted since). 0 = searches see every write at once. Seeded contacts are indexed.
	SearchLag time.Duration
	// Now is the clock used for timestamps (default time.Now). The rate limiter always
	// uses the real clock, so a frozen test clock cannot freeze the bucket.
	Now func() time.Time
	// GroupID is the space id reported as group_id (default 631).
	GroupID int64
	// FirstID is the id given to the first contact (default 20000001, 8 digits like
	// Qomon's).
	FirstID int64
}
