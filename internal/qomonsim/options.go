package qomonsim

import (
	"strconv"
	"strings"
	"time"
)

// The switches below choose between behaviours Qomon's documentation leaves open or
// contradicts. Each is a string type with a constant per value; the zero value means the
// default. Their values are listed once, default first, by their settings (settings.go), which
// parse, document and default them. The conformance suite (internal/conformance) has a check
// for each, which fails when the simulator is switched away from what the provider assumes.

// PatchMode selects what PATCH /contacts/{id} does with the keys a body leaves out.
type PatchMode string

const (
	// PatchReplace is Qomon's documented behaviour: "Fully update (REPLACE) an existing
	// contact" (https://developer.qomon.com/api-reference/contacts/fully-update-replace-an-existing-contact-by-id-synchronously):
	// the stored contact becomes the payload; every omitted field is cleared, including
	// address, tags, notes and form answers. Read-only fields are kept or recomputed.
	PatchReplace PatchMode = "replace"
	// PatchMerge keeps omitted keys, clears keys sent as null, merges `address` key by key
	// and replaces a list when it is present. Nothing public says Qomon behaves like this;
	// it exists so the provider's merge update mode can be tested.
	PatchMerge PatchMode = "merge"
)

// Spelling selects the key names and number types of responses. Requests are always
// accepted in both spellings.
type Spelling string

const (
	// SpellingNew answers with custom_fields, action_ids, birth_city/birth_dept/birth_country,
	// address parts as strings and note text in `data`: the bodies of
	// https://developers.qomon.com/api-reference/contacts/create-a-contact.
	SpellingNew Spelling = "new"
	// SpellingOld answers with customfields, actions_ids, birthcity/birthdept/birthcountry,
	// numeric housenumber/postalcode/floor/citycode when they are digits without a leading
	// zero, and note text in `content`: the examples of the older reference
	// (https://api.qomon.com/api-reference/contacts/create-a-contact-synchronously).
	SpellingOld Spelling = "old"
)

// NoteIDs selects what a write does with the notes it carries. Qomon documents notes as
// {content, id, pinned} without saying what the id does on a write.
type NoteIDs string

const (
	// NoteIDsKeep: a note sent with the id of one of the contact's notes is that note (its
	// id and creation date stay); a note sent without an id is a new note.
	NoteIDsKeep NoteIDs = "keep"
	// NoteIDsRenew: every write recreates every note it carries, with new ids and dates.
	NoteIDsRenew NoteIDs = "renew"
)

// EmptyLists selects whether a write may send an empty list (`"tags": []`) to clear one.
type EmptyLists string

const (
	// EmptyListsAccept clears the list.
	EmptyListsAccept EmptyLists = "accept"
	// EmptyListsRefuse answers 422 naming the list.
	EmptyListsRefuse EmptyLists = "refuse"
)

// EmptyAddress selects what an `address` without any writable part does on a write.
type EmptyAddress string

const (
	// EmptyAddressClear: the contact has no address part left (replace semantics).
	EmptyAddressClear EmptyAddress = "clear"
	// EmptyAddressKeep: the stored address is left as it was.
	EmptyAddressKeep EmptyAddress = "keep"
)

// RateLimitHeaders selects the shape of the rate-limit headers.
type RateLimitHeaders string

const (
	// RateLimitHeadersQomon is the shape documented at
	// https://developers.qomon.com/pages/v1/rate-limits: X-Ratelimit-Limit
	// "burst:100;rate:10.0", X-Ratelimit-Remaining (whole tokens), X-Ratelimit-Cost and
	// X-Ratelimit-Reset (seconds until the bucket is full, fractional).
	RateLimitHeadersQomon RateLimitHeaders = "qomon"
	// RateLimitHeadersPlain is a common shape elsewhere: X-Ratelimit-Limit is the bare
	// burst, X-Ratelimit-Reset a Unix time; no cost.
	RateLimitHeadersPlain RateLimitHeaders = "plain"
	// RateLimitHeadersIETF follows draft-ietf-httpapi-ratelimit-headers: RateLimit-Limit,
	// RateLimit-Remaining, RateLimit-Reset (seconds) and RateLimit-Policy.
	RateLimitHeadersIETF RateLimitHeaders = "ietf"
	// RateLimitHeadersNone sends no rate-limit header; a 429 still carries Retry-After.
	RateLimitHeadersNone RateLimitHeaders = "none"
)

// NotFoundBody selects the body of the 404 for a contact that does not exist. Qomon's
// references show three error formats and none for this case.
type NotFoundBody string

const (
	// NotFoundProblem is an RFC 7807 problem object, the error format of
	// https://developers.qomon.com/api-reference/contacts/upsert-a-contact.
	NotFoundProblem NotFoundBody = "problem"
	// NotFoundJSend is {"status":"error","message":"record not found"}, the JSend error of
	// Qomon's other APIs.
	NotFoundJSend NotFoundBody = "jsend"
	// NotFoundFail is {"status":"fail"}, the only error body of the older reference.
	NotFoundFail NotFoundBody = "fail"
	// NotFoundEmpty is a 404 without a body.
	NotFoundEmpty NotFoundBody = "empty"
)

// RateLimit shapes the token bucket kept per bearer token: Qomon gives each space a bucket
// of 100 tokens refilled at 10 per second, and charges 5 tokens for POST /contacts and PATCH
// /contacts/{id}, 1 for anything else (https://developers.qomon.com/pages/v1/rate-limits).
// The zero value is that bucket with the documented headers.
type RateLimit struct {
	Burst     float64          // bucket capacity; 0 = 100
	PerSecond float64          // refill rate; 0 = 10
	Disabled  bool             // no bucket, no rate-limit headers, never 429
	Headers   RateLimitHeaders // the headers' shape; "" = RateLimitHeadersQomon
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
	// RateLimit shapes the per-token bucket (default burst 100, 10/s, Qomon's headers).
	RateLimit RateLimit
	// Forms is the seeded forms catalogue; nil means DefaultForms().
	Forms []Form
	// SearchLag is how long a write takes to reach the search index: /search and /kpi see
	// each contact as it was SearchLag ago (not at all if it is newer, still if it was
	// deleted since). 0 = searches see every write at once. Seeded contacts are indexed.
	SearchLag time.Duration
	// SearchPageTime is how long /search takes to answer, per 1,000 contacts on the page it
	// returns (Qomon's search answers a full page of 1,000 in about a second): a page of 250
	// takes a quarter of it, /kpi none. Pages asked for at the same time wait side by side.
	// 0 = at once.
	SearchPageTime time.Duration
	// NoteIDs is what a write does with the ids of the notes it carries (default keep).
	NoteIDs NoteIDs
	// EmptyLists is whether `[]` clears a list or is refused (default accept).
	EmptyLists EmptyLists
	// EmptyAddress is what an address without writable parts does (default clear).
	EmptyAddress EmptyAddress
	// SearchOmits are contact keys (canonical, new spelling) left out of search hits, so
	// that a hit differs from GET; empty = hits carry what GET carries.
	SearchOmits []string
	// NotFoundBody is the body of a missing contact's 404 (default an RFC 7807 problem).
	NotFoundBody NotFoundBody
	// Now is the clock used for timestamps (default time.Now). The rate limiter always
	// uses the real clock, so a frozen test clock cannot freeze the bucket.
	Now func() time.Time
	// GroupID is the space id reported as group_id (default 631).
	GroupID int64
	// FirstID is the id given to the first contact (default 20000001, 8 digits like
	// Qomon's).
	FirstID int64
}

// withDefaults gives every switch its default value, so that the handlers compare with
// the named constants only.
func (o Options) withDefaults() Options {
	for _, s := range settings {
		if s.fill != nil {
			s.fill(&o)
		}
	}
	o.RateLimit = o.RateLimit.withDefaults()
	return o
}
