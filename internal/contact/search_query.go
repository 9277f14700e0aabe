package contact

import (
	"fmt"
	"strings"

	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// Search limits. Qomon answers at most 1000 contacts per page (qomon-api.md §2.6) and reports no
// total, so the provider pages until a short page; maxResultsDefault keeps a careless query on a
// space of half a million contacts from pulling all of them into the state.
const (
	pageSizeMax       = 1000
	maxResultsDefault = 1000
)

// Qomon's query operators used by the filters. Qomon's plain eql is a case-insensitive token or
// prefix match ("Test" finds "Testville", "Mar" finds "Martin"): a filter written surname =
// "Mar" that returned every Martin would surprise, and an import built on it would adopt the
// wrong people. Every text filter therefore uses eql:strictdata, Qomon's exact, case-sensitive
// comparison.
const (
	opExact    = "eql:strictdata"
	opEqual    = "eql"
	opNotEqual = "not_eql"
	opAtLeast  = "gte"
)

// Qomon's query tree is exactly two levels: a root operator over groups, each group an operator
// over conditions (a condition directly under the root is a 422).
const (
	opAll        = "$all"
	opAtLeastOne = "$at_least_one"
)

// contactFilter is one set of qomon_contacts conditions; a contact must meet all of those set
// (nil means not set).
type contactFilter struct {
	Mail         *string
	Surname      *string
	Firstname    *string
	Tag          *string
	City         *string
	PostalCode   *string
	UpdatedSince *string // RFC 3339, YYYY-MM-DD or Qomon date math such as now-7d
	BlackListed  *bool
}

// contactSearch is everything qomon_contacts was asked for.
type contactSearch struct {
	Filter        contactFilter   // AND
	AnyOf         []contactFilter // OR of these, each an AND; empty: no OR
	SortBy        string          // "" leaves the order to Qomon
	SortAscending bool
	MaxResults    int // 0: maxResultsDefault
	PageSize      int // 0: pageSizeMax
}

// searchRequest turns a qomon_contacts search into Qomon's two-level query tree.
//
// Each filter is an OR of AND-sets (usually one set; see mailConditions for two). The search
// is the filter F, or F and (A1 or A2 ...) with any_of, written out as an OR of AND-groups:
// {$at_least_one: [{$all: [F..., A1...]}, {$all: [F..., A2...]}]}. Repeating the common
// conditions in every group keeps the tree two levels deep and its size linear in any_of,
// where the other normal form (an $all of $at_least_one groups) would grow as a product. A
// single group is sent under $all; no condition at all gives {$all: []}, every contact.
func searchRequest(s contactSearch) (qomon.SearchRequest, error) {
	req := qomon.SearchRequest{
		SortAttr: s.SortBy,
		SortAsc:  s.SortAscending,
		PerPage:  s.PageSize,
		Limit:    s.MaxResults,
	}
	if req.PerPage == 0 {
		req.PerPage = pageSizeMax
	}
	if req.PerPage < 1 || req.PerPage > pageSizeMax {
		return qomon.SearchRequest{}, fmt.Errorf("page_size must be between 1 and %d, got %d", pageSizeMax, req.PerPage)
	}
	if req.Limit == 0 {
		req.Limit = maxResultsDefault
	}
	if req.Limit < 1 {
		return qomon.SearchRequest{}, fmt.Errorf("max_results must be at least 1, got %d", req.Limit)
	}
	if req.SortAttr != "" && !validSortAttr(req.SortAttr) {
		return qomon.SearchRequest{}, fmt.Errorf("sort_by %q is not one of Qomon's sort attributes (%s)", req.SortAttr, strings.Join(sortAttrs, ", "))
	}

	groups, err := s.Filter.alternatives("")
	if err != nil {
		return qomon.SearchRequest{}, err
	}
	if len(s.AnyOf) > 0 {
		var all [][]qomon.Condition
		for i, alt := range s.AnyOf {
			alts, err := alt.alternatives(fmt.Sprintf("any_of[%d].", i))
			if err != nil {
				return qomon.SearchRequest{}, err
			}
			if len(alts[0]) == 0 {
				// An empty alternative matches everyone and would silently void the whole any_of.
				return qomon.SearchRequest{}, fmt.Errorf("any_of[%d] sets no filter: each element of any_of needs at least one", i)
			}
			for _, common := range groups {
				for _, own := range alts {
					all = append(all, append(append([]qomon.Condition{}, common...), own...))
				}
			}
		}
		groups = all
	}

	switch {
	case len(groups) == 1 && len(groups[0]) == 0:
		req.Query = qomon.Query{Op: opAll, Groups: []qomon.Group{}}
	case len(groups) == 1:
		req.Query = qomon.Query{Op: opAll, Groups: []qomon.Group{{Op: opAll, Conditions: groups[0]}}}
	default:
		req.Query = qomon.Query{Op: opAtLeastOne, Groups: make([]qomon.Group, 0, len(groups))}
		for _, g := range groups {
			req.Query.Groups = append(req.Query.Groups, qomon.Group{Op: opAll, Conditions: g})
		}
	}
	return req, nil
}

// mailSearch is the search by e-mail address of the qomon_contact data source and of an import
// by mail; limit bounds what comes back, enough to report that an address is shared without
// fetching everyone. It matches the address exactly, or its lower-case form (mailConditions).
func mailSearch(mail string, limit int) qomon.SearchRequest {
	return qomon.SearchRequest{
		Query:   qomon.Query{Op: opAll, Groups: []qomon.Group{{Op: opAtLeastOne, Conditions: mailConditions(mail)}}},
		PerPage: limit,
		Limit:   limit,
	}
}

// mailConditions matches an address exactly as written or, when it has capitals, in lower
// case. Qomon's exact operator is case-sensitive, and whether Qomon keeps an address's capitals
// is not documented (the simulator, like many CRMs, lowers them): with both forms, the address
// a configuration was created with is found either way. Mixed-case copies of an all-lower-case
// address are not found; the qomon_contact data source says so when it finds nothing.
func mailConditions(mail string) []qomon.Condition {
	conds := []qomon.Condition{{Attr: "mail", Ope: opExact, Value: mail}}
	if lower := strings.ToLower(mail); lower != mail {
		conds = append(conds, qomon.Condition{Attr: "mail", Ope: opExact, Value: lower})
	}
	return conds
}

// mailLooseSearch is Qomon's case-insensitive (token and prefix) match on mail. It is only
// used to explain a failed exact lookup: its hits are filtered to addresses equal but for case.
func mailLooseSearch(mail string, limit int) qomon.SearchRequest {
	return qomon.SearchRequest{
		Query: qomon.Query{Op: opAll, Groups: []qomon.Group{{
			Op:         opAll,
			Conditions: []qomon.Condition{{Attr: "mail", Ope: opEqual, Value: mail}},
		}}},
		PerPage: limit,
		Limit:   limit,
	}
}

// alternatives returns the filter as an OR of AND-sets of conditions, each in a fixed order so
// the same configuration always sends the same request. A filter without a mail with capitals
// is one set (empty when nothing is set); such a mail makes two. prefix names the filter in
// errors ("" or "any_of[2].").
func (f contactFilter) alternatives(prefix string) ([][]qomon.Condition, error) {
	var rest []qomon.Condition
	exact := func(attr string, v *string) {
		if v != nil {
			rest = append(rest, qomon.Condition{Attr: attr, Ope: opExact, Value: *v})
		}
	}
	exact("surname", f.Surname)
	exact("firstname", f.Firstname)
	exact("tags.name", f.Tag)
	exact("address.city", f.City)
	exact("address.postalcode", f.PostalCode)
	if f.UpdatedSince != nil {
		since, err := parseSince(*f.UpdatedSince)
		if err != nil {
			return nil, fmt.Errorf("%supdated_since: %w", prefix, err)
		}
		rest = append(rest, qomon.Condition{Attr: "UpdatedAt", Ope: opAtLeast, Value: since})
	}
	if f.BlackListed != nil {
		// "not true" rather than "false", so that a contact whose black_list Qomon never set
		// counts as not black-listed, as the Qomon app shows it.
		ope := opEqual
		if !*f.BlackListed {
			ope = opNotEqual
		}
		rest = append(rest, qomon.Condition{Attr: "black_list", Ope: ope, Value: "true"})
	}
	if f.Mail == nil {
		return [][]qomon.Condition{rest}, nil
	}
	var out [][]qomon.Condition
	for _, m := range mailConditions(*f.Mail) {
		out = append(out, append([]qomon.Condition{m}, rest...))
	}
	return out, nil
}

// sortAttrs are the attributes Qomon's search can sort by (qomon-api.md §2.6).
var sortAttrs = []string{"surname", "firstname", "married_name", "mail", "birthdate", "gender", "city", "lastchange"}

func validSortAttr(s string) bool {
	for _, a := range sortAttrs {
		if a == s {
			return true
		}
	}
	return false
}
