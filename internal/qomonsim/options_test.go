package qomonsim

import "testing"

func TestParseOptions(t *testing.T) {
	for in, want := range map[string]PatchMode{"replace": PatchReplace, "": PatchReplace, " MERGE ": PatchMerge} {
		if got, ok := ParsePatchMode(in); !ok || got != want {
			t.Errorf("ParsePatchMode(%q) = %v %v", in, got, ok)
		}
	}
	if _, ok := ParsePatchMode("put"); ok {
		t.Error("put parsed")
	}
	for in, want := range map[string]Spelling{"new": SpellingNew, "": SpellingNew, "Old": SpellingOld} {
		if got, ok := ParseSpelling(in); !ok || got != want {
			t.Errorf("ParseSpelling(%q) = %v %v", in, got, ok)
		}
	}
	if _, ok := ParseSpelling("v1"); ok {
		t.Error("v1 parsed")
	}
	if PatchMerge.String() != "merge" || SpellingOld.String() != "old" {
		t.Error("String")
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
