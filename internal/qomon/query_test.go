package qomon

import (
	"reflect"
	"strings"
	"testing"
)

func ptr[T any](v T) *T { return &v }

func exactCond(attr, value string) Condition {
	return Condition{Attr: attr, Ope: "eql:strictdata", Value: value}
}

func TestSearchRequest(t *testing.T) {
	everything := ContactFilter{
		Mail: ptr("jane@example.org"), Surname: ptr("Martin"), Firstname: ptr("Jane"), Tag: ptr("volunteer"),
		City: ptr("Lyon"), PostalCode: ptr("69001"), UpdatedSince: ptr("now-7d"), BlackListed: ptr(false),
	}
	tests := []struct {
		name string
		in   ContactSearch
		want SearchRequest
	}{
		{
			name: "no filter matches every contact, bounded by the default",
			in:   ContactSearch{},
			want: SearchRequest{Query: Query{Op: "$all", Groups: []Group{}}, PerPage: 1000, Limit: 1000},
		},
		{
			name: "every filter, AND-combined in one group, in a fixed order",
			in:   ContactSearch{Filter: everything, SortBy: "surname", SortAscending: true, MaxResults: 50, PageSize: 20},
			want: SearchRequest{
				Query: Query{Op: "$all", Groups: []Group{{Op: "$all", Conditions: []Condition{
					exactCond("mail", "jane@example.org"),
					exactCond("surname", "Martin"),
					exactCond("firstname", "Jane"),
					exactCond("tags.name", "volunteer"),
					exactCond("address.city", "Lyon"),
					exactCond("address.postalcode", "69001"),
					{Attr: "UpdatedAt", Ope: "gte", Value: "now-7d"},
					{Attr: "black_list", Ope: "not_eql", Value: "true"},
				}}}},
				SortAttr: "surname", SortAsc: true, PerPage: 20, Limit: 50,
			},
		},
		{
			name: "black_listed true",
			in:   ContactSearch{Filter: ContactFilter{BlackListed: ptr(true)}},
			want: SearchRequest{
				Query: Query{Op: "$all", Groups: []Group{{Op: "$all", Conditions: []Condition{
					{Attr: "black_list", Ope: "eql", Value: "true"},
				}}}},
				PerPage: 1000, Limit: 1000,
			},
		},
		{
			name: "updated_since as RFC 3339 with an offset is sent in UTC",
			in:   ContactSearch{Filter: ContactFilter{UpdatedSince: ptr("2026-05-01T10:00:00+02:00")}},
			want: SearchRequest{
				Query: Query{Op: "$all", Groups: []Group{{Op: "$all", Conditions: []Condition{
					{Attr: "UpdatedAt", Ope: "gte", Value: "2026-05-01T08:00:00Z"},
				}}}},
				PerPage: 1000, Limit: 1000,
			},
		},
		{
			name: "any_of alone: one group per alternative under $at_least_one",
			in:   ContactSearch{AnyOf: []ContactFilter{{City: ptr("Lyon")}, {Tag: ptr("donor"), Surname: ptr("Martin")}}},
			want: SearchRequest{
				Query: Query{Op: "$at_least_one", Groups: []Group{
					{Op: "$all", Conditions: []Condition{exactCond("address.city", "Lyon")}},
					{Op: "$all", Conditions: []Condition{exactCond("surname", "Martin"), exactCond("tags.name", "donor")}},
				}},
				PerPage: 1000, Limit: 1000,
			},
		},
		{
			name: "common filters are repeated in every any_of group",
			in: ContactSearch{
				Filter: ContactFilter{Tag: ptr("volunteer"), BlackListed: ptr(false)},
				AnyOf:  []ContactFilter{{City: ptr("Lyon")}, {City: ptr("Paris")}},
			},
			want: SearchRequest{
				Query: Query{Op: "$at_least_one", Groups: []Group{
					{Op: "$all", Conditions: []Condition{
						exactCond("tags.name", "volunteer"), {Attr: "black_list", Ope: "not_eql", Value: "true"}, exactCond("address.city", "Lyon"),
					}},
					{Op: "$all", Conditions: []Condition{
						exactCond("tags.name", "volunteer"), {Attr: "black_list", Ope: "not_eql", Value: "true"}, exactCond("address.city", "Paris"),
					}},
				}},
				PerPage: 1000, Limit: 1000,
			},
		},
		{
			name: "a mail with capitals is searched as written or in lower case",
			in:   ContactSearch{Filter: ContactFilter{Mail: ptr("Jane@Example.org"), City: ptr("Lyon")}},
			want: SearchRequest{
				Query: Query{Op: "$at_least_one", Groups: []Group{
					{Op: "$all", Conditions: []Condition{exactCond("mail", "Jane@Example.org"), exactCond("address.city", "Lyon")}},
					{Op: "$all", Conditions: []Condition{exactCond("mail", "jane@example.org"), exactCond("address.city", "Lyon")}},
				}},
				PerPage: 1000, Limit: 1000,
			},
		},
		{
			name: "mail variants multiply with any_of alternatives",
			in: ContactSearch{
				Filter: ContactFilter{Mail: ptr("A@x.org")},
				AnyOf:  []ContactFilter{{Tag: ptr("t1")}, {Mail: ptr("B@x.org")}},
			},
			want: SearchRequest{
				Query: Query{Op: "$at_least_one", Groups: []Group{
					{Op: "$all", Conditions: []Condition{exactCond("mail", "A@x.org"), exactCond("tags.name", "t1")}},
					{Op: "$all", Conditions: []Condition{exactCond("mail", "a@x.org"), exactCond("tags.name", "t1")}},
					{Op: "$all", Conditions: []Condition{exactCond("mail", "A@x.org"), exactCond("mail", "B@x.org")}},
					{Op: "$all", Conditions: []Condition{exactCond("mail", "A@x.org"), exactCond("mail", "b@x.org")}},
					{Op: "$all", Conditions: []Condition{exactCond("mail", "a@x.org"), exactCond("mail", "B@x.org")}},
					{Op: "$all", Conditions: []Condition{exactCond("mail", "a@x.org"), exactCond("mail", "b@x.org")}},
				}},
				PerPage: 1000, Limit: 1000,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := BuildSearch(tt.in)
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
			// The tree is always two levels: no condition may sit under the root.
			for _, g := range got.Query.Groups {
				if g.Op != "$all" && g.Op != "$at_least_one" {
					t.Errorf("group operator %q", g.Op)
				}
			}
		})
	}
}

func TestSearchRequestErrors(t *testing.T) {
	tests := []struct {
		name string
		in   ContactSearch
		want string
	}{
		{"empty any_of element", ContactSearch{AnyOf: []ContactFilter{{City: ptr("Lyon")}, {}}}, "AnyOf[1]: sets no filter"},
		{"bad updated_since", ContactSearch{Filter: ContactFilter{UpdatedSince: ptr("last week")}}, `UpdatedSince: "last week" is neither`},
		{"bad updated_since in any_of", ContactSearch{AnyOf: []ContactFilter{{UpdatedSince: ptr("now-7x")}}}, "AnyOf[0] UpdatedSince"},
		{"page too large", ContactSearch{PageSize: 1001}, "PageSize: must be between 1 and 1000"},
		{"negative page", ContactSearch{PageSize: -1}, "PageSize: must be between 1 and 1000"},
		{"negative bound", ContactSearch{MaxResults: -5}, "MaxResults: must be at least 1"},
		{"unknown sort", ContactSearch{SortBy: "UpdatedAt"}, `SortBy: "UpdatedAt"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := BuildSearch(tt.in)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestMailSearch(t *testing.T) {
	lower := MailSearch("jane@example.org", 10)
	want := SearchRequest{
		Query: Query{Op: "$all", Groups: []Group{{Op: "$at_least_one", Conditions: []Condition{
			exactCond("mail", "jane@example.org"),
		}}}},
		PerPage: 10, Limit: 10,
	}
	if !reflect.DeepEqual(lower, want) {
		t.Errorf("lower case:\ngot  %+v\nwant %+v", lower, want)
	}

	capitals := MailSearch("Jane@Example.org", 10)
	want.Query.Groups[0].Conditions = []Condition{exactCond("mail", "Jane@Example.org"), exactCond("mail", "jane@example.org")}
	if !reflect.DeepEqual(capitals, want) {
		t.Errorf("capitals:\ngot  %+v\nwant %+v", capitals, want)
	}
}

func TestParseSince(t *testing.T) {
	ok := map[string]string{
		"now":                         "now",
		"now-7d":                      "now-7d",
		"now-1d/d":                    "now-1d/d",
		"now+1y":                      "now+1y",
		"now-12h-30m":                 "now-12h-30m",
		"now/M":                       "now/M",
		"2026-05-01T08:00:00Z":        "2026-05-01T08:00:00Z",
		"2026-05-01T08:00:00.5-01:00": "2026-05-01T09:00:00.5Z",
		"2026-05-01":                  "2026-05-01T00:00:00Z",
		"2026-05-01||+1M":             "2026-05-01||+1M",
		"2026-05-01T08:00:00Z||-1d/d": "2026-05-01T08:00:00Z||-1d/d",
	}
	for in, want := range ok {
		got, err := ParseSince(in)
		if err != nil || got != want {
			t.Errorf("ParseSince(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "now-", "now-7", "now-7x", "yesterday", "now - 7d", "2026-13-01", "2026-05-01 08:00", "NOW-7d", "now-d", "2026-05-01||", "2026-13-01||-1d", "yesterday||-1d", "||-1d"} {
		if got, err := ParseSince(in); err == nil {
			t.Errorf("ParseSince(%q) = %q, want an error", in, got)
		}
	}
}

// A text with accents is searched in both Unicode forms, composed (NFC) and decomposed (NFD):
// Qomon compares the text as stored, and the provider treats both forms as one name.
func TestSearchFindsBothUnicodeForms(t *testing.T) {
	const nfc, nfd = "Dupr\u00e9", "Dupre\u0301"
	req, err := BuildSearch(ContactSearch{Filter: ContactFilter{Surname: ptr(nfc), City: ptr("Lyon")}})
	if err != nil {
		t.Fatal(err)
	}
	want := Query{Op: "$at_least_one", Groups: []Group{
		{Op: "$all", Conditions: []Condition{exactCond("surname", nfc), exactCond("address.city", "Lyon")}},
		{Op: "$all", Conditions: []Condition{exactCond("surname", nfd), exactCond("address.city", "Lyon")}},
	}}
	if !reflect.DeepEqual(req.Query, want) {
		t.Errorf("query\n got %+v\nwant %+v", req.Query, want)
	}

	// Written decomposed, it is sent as written first, then composed.
	req, _ = BuildSearch(ContactSearch{Filter: ContactFilter{Firstname: ptr(nfd)}})
	if got := req.Query.Groups; len(got) != 2 || got[0].Conditions[0].Value != nfd || got[1].Conditions[0].Value != nfc {
		t.Errorf("groups %+v", got)
	}

	// Two accented filters: every combination.
	req, _ = BuildSearch(ContactSearch{Filter: ContactFilter{Surname: ptr(nfc), Tag: ptr("\u00e9lue")}})
	if n := len(req.Query.Groups); n != 4 {
		t.Errorf("%d groups, want 4", n)
	}

	// In any_of, each alternative carries its own forms.
	req, _ = BuildSearch(ContactSearch{AnyOf: []ContactFilter{{Surname: ptr(nfc)}, {City: ptr("Lyon")}}})
	if n := len(req.Query.Groups); n != 3 {
		t.Errorf("%d groups, want 3: %+v", n, req.Query.Groups)
	}
}

// A mail lookup tries the address as written and in lower case, each in both Unicode forms.
func TestMailSearchUnicodeForms(t *testing.T) {
	const nfc, nfd = "Zo\u00e9@Example.org", "Zoe\u0301@Example.org"
	conds := MailSearch(nfc, 10).Query.Groups[0].Conditions
	var values []string
	for _, c := range conds {
		values = append(values, c.Value)
	}
	want := []string{nfc, nfd, strings.ToLower(nfc), strings.ToLower(nfd)}
	if !reflect.DeepEqual(values, want) {
		t.Errorf("values %q, want %q", values, want)
	}
	if conds := MailSearch("jane@example.org", 10).Query.Groups[0].Conditions; len(conds) != 1 {
		t.Errorf("a plain lower-case address is one condition, got %+v", conds)
	}
}
