package contact

import (
	"fmt"

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

// searchRequest turns a qomon_contacts search into Qomon's query tree.
//
// Without any_of, the tree is {$all: [{$all: [every condition]}]}; no condition at all gives
// {$all: []}, which Qomon reads as every contact. With any_of, (F and A1) or (F and A2) ... is
// written as {$at_least_one: [{$all: [F..., A1...]}, {$all: [F..., A2...]}]}: repeating the
// common conditions F in every group keeps the tree two levels deep and its size linear, where
// the other normal form (an $all of $at_least_one groups) would grow as a product.
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
		return qomon.SearchRequest{}, fmt.Errorf("sort_by %q is not one of Qomon's sort attributes (%v)", req.SortAttr, sortAttrs)
	}

	common, err := s.Filter.conditions("")
	if err != nil {
		return qomon.SearchRequest{}, err
	}
	if len(s.AnyOf) == 0 {
		req.Query = qomon.Query{Op: opAll, Groups: []qomon.Group{}}
		if len(common) > 0 {
			req.Query.Groups = append(req.Query.Groups, qomon.Group{Op: opAll, Conditions: common})
		}
		return req, nil
	}

	req.Query = qomon.Query{Op: opAtLeastOne, Groups: make([]qomon.Group, 0, len(s.AnyOf))}
	for i, alt := range s.AnyOf {
		conds, err := alt.conditions(fmt.Sprintf("any_of[%d].", i))
		if err != nil {
			return qomon.SearchRequest{}, err
		}
		if len(conds) == 0 {
			// An empty alternative matches everyone and would silently void the whole any_of.
			return qomon.SearchRequest{}, fmt.Errorf("any_of[%d] sets no filter: each element of any_of needs at least one", i)
		}
		group := make([]qomon.Condition, 0, len(common)+len(conds))
		group = append(group, common...)
		group = append(group, conds...)
		req.Query.Groups = append(req.Query.Groups, qomon.Group{Op: opAll, Conditions: group})
	}
	return req, nil
}

// mailSearch is the exact-address search of the qomon_contact data source; limit bounds what
// comes back, enough to report that an address is shared without fetching everyone.
func mailSearch(mail string, limit int) qomon.SearchRequest {
	return qomon.SearchRequest{
		Query: qomon.Query{Op: opAll, Groups: []qomon.Group{{
			Op:         opAll,
			Conditions: []qomon.Condition{{Attr: "mail", Ope: opExact, Value: mail}},
		}}},
		PerPage: limit,
		Limit:   limit,
	}
}

// conditions lists the filter's conditions in a fixed order, so the same configuration always
// sends the same request. prefix names the filter in errors ("" or "any_of[2].").
func (f contactFilter) conditions(prefix string) ([]qomon.Condition, error) {
	var out []qomon.Condition
	exact := func(attr string, v *string) {
		if v != nil {
			out = append(out, qomon.Condition{Attr: attr, Ope: opExact, Value: *v})
		}
	}
	exact("mail", f.Mail)
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
		out = append(out, qomon.Condition{Attr: "UpdatedAt", Ope: opAtLeast, Value: since})
	}
	if f.BlackListed != nil {
		// "not true" rather than "false", so that a contact whose black_list Qomon never set
		// counts as not black-listed, as the Qomon app shows it.
		ope := opEqual
		if !*f.BlackListed {
			ope = opNotEqual
		}
		out = append(out, qomon.Condition{Attr: "black_list", Ope: ope, Value: "true"})
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
