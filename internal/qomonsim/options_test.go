package qomonsim

import "testing"

func TestParseChoice(t *testing.T) {
	modes := []PatchMode{PatchReplace, PatchMerge}
	for in, want := range map[string]PatchMode{"replace": PatchReplace, "": PatchReplace, " MERGE ": PatchMerge} {
		if got, ok := parseChoice(in, modes); !ok || got != want {
			t.Errorf("parseChoice(%q) = %v %v", in, got, ok)
		}
	}
	if _, ok := parseChoice("put", modes); ok {
		t.Error("put parsed")
	}
	if got := choiceList([]NotFoundBody{NotFoundProblem, NotFoundJSend, NotFoundFail, NotFoundEmpty}); got != `"problem", "jsend", "fail" or "empty"` {
		t.Errorf("choiceList = %s", got)
	}
}

// Each switch's values are listed once, by its setting: the usage names them and the default,
// and the zero Options gets the default from the same list.
func TestChoiceSettingsListTheirValuesOnce(t *testing.T) {
	usage := map[string]string{}
	for _, s := range settings {
		usage[s.key] = s.usage
	}
	for key, want := range map[string]string{
		"patch_mode":         `PATCH semantics, as documented or merging: "replace" or "merge" (default "replace")`,
		"not_found_body":     `body of a missing contact's 404 (problem is RFC 7807): "problem", "jsend", "fail" or "empty" (default "problem")`,
		"rate_limit.headers": `shape of the rate-limit headers: "qomon", "plain", "ietf" or "none" (default "qomon")`,
	} {
		if usage[key] != want {
			t.Errorf("%s usage = %q, want %q", key, usage[key], want)
		}
	}
	got := Options{}.withDefaults()
	want := Options{PatchMode: PatchReplace, Spelling: SpellingNew, NoteIDs: NoteIDsKeep, EmptyLists: EmptyListsAccept,
		EmptyAddress: EmptyAddressClear, NotFoundBody: NotFoundProblem,
		RateLimit: RateLimit{Burst: 100, PerSecond: 10, Headers: RateLimitHeadersQomon}}
	if got.PatchMode != want.PatchMode || got.Spelling != want.Spelling || got.NoteIDs != want.NoteIDs ||
		got.EmptyLists != want.EmptyLists || got.EmptyAddress != want.EmptyAddress || got.NotFoundBody != want.NotFoundBody ||
		got.RateLimit != want.RateLimit {
		t.Errorf("defaults = %+v, want %+v", got, want)
	}
	if set := (Options{Spelling: SpellingOld}).withDefaults(); set.Spelling != SpellingOld {
		t.Errorf("a set switch was defaulted: %v", set.Spelling)
	}
}

func TestRateLimitHeaderValue(t *testing.T) {
	for rl, want := range map[RateLimit]string{
		{}:                           "burst:100;rate:10.0",
		{Burst: 50, PerSecond: 2.5}:  "burst:50;rate:2.5",
		{Burst: 100, PerSecond: 300}: "burst:100;rate:300.0",
	} {
		if got := rl.withDefaults().header(); got != want {
			t.Errorf("%+v: %q, want %q", rl, got, want)
		}
	}
}
