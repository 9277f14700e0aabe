package qomonsim

import "testing"

func TestParseChoice(t *testing.T) {
	for in, want := range map[string]PatchMode{"replace": PatchReplace, "": PatchReplace, " MERGE ": PatchMerge} {
		if got, ok := parseChoice(in, patchModes); !ok || got != want {
			t.Errorf("parseChoice(%q) = %v %v", in, got, ok)
		}
	}
	if _, ok := parseChoice("put", patchModes); ok {
		t.Error("put parsed")
	}
	if _, ok := parseChoice("v1", spellings); ok {
		t.Error("v1 parsed")
	}
	if PatchMerge.String() != "merge" || SpellingOld.String() != "old" || PatchMode("").String() != "replace" || Spelling("").String() != "new" {
		t.Error("String")
	}
	if got := choiceList(notFoundChoices); got != `"problem", "jsend", "fail" or "empty"` {
		t.Errorf("choiceList = %s", got)
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
