package qomon

import (
	"fmt"
	"slices"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// Qomon's query language, as the provider's searches use it: the operators, and how a set of
// filters becomes Qomon's two-level query tree.

// DefaultSearchLimit is the most contacts a ContactSearch returns unless told otherwise. Qomon
// reports no total, so a careless query on a space of half a million contacts would otherwise
// pull all of them.
const DefaultSearchLimit = 1000

// Query operators. Qomon's plain eql is a case-insensitive token or prefix match ("Test" finds
// "Testville", "Mar" finds "Martin"): a filter surname = "Mar" that returned every Martin would
// surprise, and an import built on it would adopt the wrong people. Every text filter therefore
// uses eql:strictdata, Qomon's exact, case-sensitive comparison.
const (
	OpExact    = "eql:strictdata"
	OpEqual    = "eql"
	OpNotEqual = "not_eql"
	OpAtLeast  = "gte"
)

// ContactFilter is one set of conditions; a contact must meet all of those set (nil means not
// set).
type ContactFilter struct {
	Mail         *string
	Surname      *string
	Firstname    *string
	Tag          *string
	City         *string
	PostalCode   *string
	UpdatedSince *string // RFC 3339, YYYY-MM-DD or Qomon date math such as now-7d (ParseSince)
	BlackListed  *bool
}

// ContactSearch is a search for contacts: Filter, and at least one of AnyOf when it is not empty.
type ContactSearch struct {
	Filter        ContactFilter   // AND
	AnyOf         []ContactFilter // OR of these, each an AND; empty: no OR
	SortBy        string          // one of SortKeys(); "" leaves the order to Qomon
	SortAscending bool
	MaxResults    int // 0: DefaultSearchLimit
	PageSize      int // 0: MaxPerPage
}

// SearchErrorField names the part of a ContactSearch an error of BuildSearch is about, so that a
// caller can point at what its user wrote.
type SearchErrorField struct {
	AnyOf int    // index in AnyOf, -1 for the top-level Filter or the search's own settings
	Field string // "PageSize", "MaxResults", "SortBy", "UpdatedSince", "" for a whole filter
	Err   error
}

func (e *SearchErrorField) Error() string {
	where := e.Field
	if e.AnyOf >= 0 {
		where = fmt.Sprintf("AnyOf[%d] %s", e.AnyOf, e.Field)
	}
	return strings.TrimSpace(where) + ": " + e.Err.Error()
}

func (e *SearchErrorField) Unwrap() error { return e.Err }

// BuildSearch turns a ContactSearch into Qomon's two-level query tree.
//
// Each filter is an OR of AND-sets (usually one set; see mailConditions for two). The search is
// the filter F, or F and (A1 or A2 ...) with AnyOf, written out as an OR of AND-groups:
// {$at_least_one: [{$all: [F..., A1...]}, {$all: [F..., A2...]}]}. Repeating the common
// conditions in every group keeps the tree two levels deep and its size linear in AnyOf, where
// the other normal form (an $all of $at_least_one groups) would grow as a product. A single
// group is sent under $all; no condition at all gives {$all: []}, every contact.
func BuildSearch(s ContactSearch) (SearchRequest, error) {
	req := SearchRequest{SortAttr: s.SortBy, SortAsc: s.SortAscending, PerPage: s.PageSize, Limit: s.MaxResults}
	if req.PerPage == 0 {
		req.PerPage = MaxPerPage
	}
	if req.PerPage < 1 || req.PerPage > MaxPerPage {
		return SearchRequest{}, &SearchErrorField{AnyOf: -1, Field: "PageSize",
			Err: fmt.Errorf("must be between 1 and %d, got %d", MaxPerPage, req.PerPage)}
	}
	if req.Limit == 0 {
		req.Limit = DefaultSearchLimit
	}
	if req.Limit < 1 {
		return SearchRequest{}, &SearchErrorField{AnyOf: -1, Field: "MaxResults", Err: fmt.Errorf("must be at least 1, got %d", req.Limit)}
	}
	if req.SortAttr != "" && !slices.Contains(SortKeys(), req.SortAttr) {
		return SearchRequest{}, &SearchErrorField{AnyOf: -1, Field: "SortBy",
			Err: fmt.Errorf("%q is not one of Qomon's sort attributes (%s)", req.SortAttr, strings.Join(SortKeys(), ", "))}
	}

	groups, err := s.Filter.alternatives(-1)
	if err != nil {
		return SearchRequest{}, err
	}
	if len(s.AnyOf) > 0 {
		var all [][]Condition
		for i, alt := range s.AnyOf {
			alts, err := alt.alternatives(i)
			if err != nil {
				return SearchRequest{}, err
			}
			if len(alts[0]) == 0 {
				// An empty alternative matches everyone and would silently void the whole AnyOf.
				return SearchRequest{}, &SearchErrorField{AnyOf: i, Err: fmt.Errorf("sets no filter: each alternative needs at least one")}
			}
			for _, common := range groups {
				for _, own := range alts {
					all = append(all, append(append([]Condition{}, common...), own...))
				}
			}
		}
		groups = all
	}

	switch {
	case len(groups) == 1 && len(groups[0]) == 0:
		req.Query = Query{Op: OpAll, Groups: []Group{}}
	case len(groups) == 1:
		req.Query = Query{Op: OpAll, Groups: []Group{{Op: OpAll, Conditions: groups[0]}}}
	default:
		req.Query = Query{Op: OpAtLeastOne, Groups: make([]Group, 0, len(groups))}
		for _, g := range groups {
			req.Query.Groups = append(req.Query.Groups, Group{Op: OpAll, Conditions: g})
		}
	}
	return req, nil
}

// MailSearch is a search by e-mail address (a lookup, an import by mail, the search after a lost
// create answer); limit bounds what comes back, enough to report that an address is shared
// without fetching everyone. It matches the address exactly, or its lower-case form
// (mailConditions).
func MailSearch(mail string, limit int) SearchRequest {
	return SearchRequest{
		Query:   Query{Op: OpAll, Groups: []Group{{Op: OpAtLeastOne, Conditions: mailConditions(mail)}}},
		PerPage: limit,
		Limit:   limit,
	}
}

// mailConditions matches an address exactly as written or, when it has capitals, in lower case,
// each in every Unicode form (textForms). Qomon's exact operator is case-sensitive, and whether
// Qomon keeps an address's capitals is not documented (many CRMs lower them): with both forms,
// the address a configuration was created with is found either way. Mixed-case copies of an
// all-lower-case address are not found.
func mailConditions(mail string) []Condition {
	spellings := []string{mail}
	if lower := strings.ToLower(mail); lower != mail {
		spellings = append(spellings, lower)
	}
	var conds []Condition
	for _, sp := range spellings {
		for _, c := range exactConditions("mail", sp) {
			if !slices.ContainsFunc(conds, func(x Condition) bool { return x.Value == c.Value }) {
				conds = append(conds, c)
			}
		}
	}
	return conds
}

// textForms are the spellings an exact search tries for a text: as written, then in Unicode
// normal forms C and D, each once. Qomon's exact operator compares the text as stored, and an
// accented letter reaches Qomon composed ("é", one code point, what most keyboards type) or
// decomposed ("e" and a combining accent, what some systems and copied text give): the
// provider treats both as the same name (reconcile's Text meaning), so its searches find both.
// Text without accents has one form.
func textForms(s string) []string {
	out := []string{s}
	for _, f := range []string{norm.NFC.String(s), norm.NFD.String(s)} {
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

// exactConditions are the exact conditions on attr for every form of value (textForms): any
// of them matches.
func exactConditions(attr, value string) []Condition {
	forms := textForms(value)
	out := make([]Condition, 0, len(forms))
	for _, f := range forms {
		out = append(out, Condition{Attr: attr, Ope: OpExact, Value: f})
	}
	return out
}

// MailLooseSearch is Qomon's case-insensitive (token and prefix) match on mail. It is meant to
// explain a failed exact lookup: filter its hits to addresses equal but for case.
func MailLooseSearch(mail string, limit int) SearchRequest {
	return SearchRequest{
		Query: Query{Op: OpAll, Groups: []Group{{
			Op:         OpAll,
			Conditions: []Condition{{Attr: "mail", Ope: OpEqual, Value: mail}},
		}}},
		PerPage: limit,
		Limit:   limit,
	}
}

// alternatives returns the filter as an OR of AND-sets of conditions, each in a fixed order so
// the same search always sends the same request. Every filter contributes one condition, or
// several of which any may hold: a mail with capitals (mailConditions), a text with accents
// (textForms). The sets are every combination of one condition per filter: a filter of plain
// ASCII text is one set (empty when nothing is set); each filter with several spellings
// multiplies them. anyOf is the filter's index in AnyOf (-1 for the top level), for errors.
func (f ContactFilter) alternatives(anyOf int) ([][]Condition, error) {
	var slots [][]Condition
	if f.Mail != nil {
		slots = append(slots, mailConditions(*f.Mail))
	}
	exact := func(attr string, v *string) {
		if v != nil {
			slots = append(slots, exactConditions(attr, *v))
		}
	}
	exact("surname", f.Surname)
	exact("firstname", f.Firstname)
	exact("tags.name", f.Tag)
	exact("address.city", f.City)
	exact("address.postalcode", f.PostalCode)
	if f.UpdatedSince != nil {
		since, err := ParseSince(*f.UpdatedSince)
		if err != nil {
			return nil, &SearchErrorField{AnyOf: anyOf, Field: "UpdatedSince", Err: err}
		}
		slots = append(slots, []Condition{{Attr: "UpdatedAt", Ope: OpAtLeast, Value: since}})
	}
	if f.BlackListed != nil {
		// "not true" rather than "false", so that a contact whose black_list Qomon never set
		// counts as not black-listed, as the Qomon app shows it.
		ope := OpEqual
		if !*f.BlackListed {
			ope = OpNotEqual
		}
		slots = append(slots, []Condition{{Attr: "black_list", Ope: ope, Value: "true"}})
	}
	sets := [][]Condition{{}}
	for _, slot := range slots {
		next := make([][]Condition, 0, len(sets)*len(slot))
		for _, set := range sets {
			for _, c := range slot {
				next = append(next, append(slices.Clip(set), c))
			}
		}
		sets = next
	}
	return sets, nil
}
