package qomon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
)

// Query operators for the two levels of Qomon's search tree
// (https://developers.qomon.com/pages/v1/reference/search/overview).
const (
	OpAll        = "$all"
	OpAtLeastOne = "$at_least_one"
)

// MaxPerPage is the largest page Qomon serves.
const MaxPerPage = 1000

// SearchRequest is a POST /search sweep. Qomon returns no total: the client reads pages from 0
// until a page is shorter than PerPage, or until Limit contacts have been collected.
type SearchRequest struct {
	Query    Query
	SortAttr string // one of SortKeys(); "" = Qomon's order
	SortAsc  bool
	PerPage  int // 1..1000, 0 = 1000
	Limit    int // most contacts returned; 0 = no bound
}

// Query is the root of the tree: Op ("$all", the default, or "$at_least_one") over Groups.
// No group matches every contact. Qomon accepts exactly two levels, which this shape enforces.
type Query struct {
	Op     string
	Groups []Group
}

// Group combines its conditions with Op ("$all", the default, or "$at_least_one").
type Group struct {
	Op         string
	Conditions []Condition
}

// Condition is one `$condition`. Empty strings and zero ids are left out of the request.
type Condition struct {
	Attr       string // e.g. "mail", "address.city", "tags.name", "UpdatedAt", "form", "custom_fields"
	Ope        string // e.g. "eql:strictdata", "eql", "start_with", "ext", "gte", "range"
	Value      string
	From, To   string  // for "range"
	FormID     int64   // for attr "form" / "custom_fields"
	FormRefIDs []int64 // for attr "form" / "custom_fields"
}

// SearchResult is what a sweep collected.
type SearchResult struct {
	Contacts  []Contact
	Truncated bool // Limit cut the result: more contacts matched
	Pages     int  // pages requested
}

type wireCondition struct {
	Attr       string  `json:"attr"`
	Ope        string  `json:"ope"`
	Value      string  `json:"value,omitempty"`
	From       string  `json:"from,omitempty"`
	To         string  `json:"to,omitempty"`
	FormID     int64   `json:"form_id,omitempty"`
	FormRefIDs []int64 `json:"form_ref_ids,omitempty"`
}

type wireSearch struct {
	Page    int                        `json:"page"`
	PerPage int                        `json:"per_page"`
	Sort    string                     `json:"sort_attr,omitempty"`
	Asc     bool                       `json:"sort_asc"`
	Query   map[string]json.RawMessage `json:"query"`
}

// buildQuery renders {"$all":[{"$at_least_one":[{"$condition":{...}}]}]}.
func buildQuery(q Query) (map[string]json.RawMessage, error) {
	rootOp, err := queryOp(q.Op)
	if err != nil {
		return nil, err
	}
	groups := make([]map[string][]map[string]wireCondition, 0, len(q.Groups))
	for i, g := range q.Groups {
		op, err := queryOp(g.Op)
		if err != nil {
			return nil, fmt.Errorf("group %d: %w", i, err)
		}
		if len(g.Conditions) == 0 {
			return nil, fmt.Errorf("group %d has no condition", i)
		}
		conds := make([]map[string]wireCondition, 0, len(g.Conditions))
		for j, c := range g.Conditions {
			if c.Attr == "" || c.Ope == "" {
				return nil, fmt.Errorf("group %d, condition %d: attr and ope are required", i, j)
			}
			conds = append(conds, map[string]wireCondition{"$condition": wireCondition(c)})
		}
		groups = append(groups, map[string][]map[string]wireCondition{op: conds})
	}
	b, err := json.Marshal(groups)
	if err != nil {
		return nil, err
	}
	return map[string]json.RawMessage{rootOp: b}, nil
}

func queryOp(op string) (string, error) {
	switch op {
	case "", OpAll:
		return OpAll, nil
	case OpAtLeastOne:
		return OpAtLeastOne, nil
	}
	return "", fmt.Errorf("unknown query operator %q: use %q or %q", op, OpAll, OpAtLeastOne)
}

// pageSize picks the page size of a sweep. With a limit, pages are sized so that the pages
// needed to collect Limit+1 contacts are as few as with the largest pages, and no larger than
// needed: seeing contact number Limit+1 is how the client knows the limit cut something.
func pageSize(perPage, limit int) int {
	if limit <= 0 {
		return perPage
	}
	want := limit + 1
	pages := (want + perPage - 1) / perPage
	return (want + pages - 1) / pages
}

// SearchContacts runs a search sweep (POST /search, 1 token per page). Contacts seen twice
// (pages are offsets over a live index) are kept once.
func (c *Client) SearchContacts(ctx context.Context, req SearchRequest) (*SearchResult, error) {
	perPage := req.PerPage
	switch {
	case perPage == 0:
		perPage = MaxPerPage
	case perPage < 0 || perPage > MaxPerPage:
		return nil, fmt.Errorf("search page size %d is out of range: Qomon serves 1 to %d contacts per page", perPage, MaxPerPage)
	}
	if req.Limit < 0 {
		return nil, fmt.Errorf("search limit %d is negative", req.Limit)
	}
	query, err := buildQuery(req.Query)
	if err != nil {
		return nil, fmt.Errorf("search query: %w", err)
	}
	perPage = pageSize(perPage, req.Limit)

	out := &SearchResult{}
	seen := make(map[int64]bool)
	for page := 0; ; page++ {
		r, err := searchPage(query, page, perPage, req.SortAttr, req.SortAsc)
		if err != nil {
			return nil, err
		}
		res, err := c.do(ctx, r)
		if err != nil {
			return nil, err
		}
		out.Pages++
		contacts, err := decodeSearchPage(res.body)
		if err != nil {
			return nil, c.unusable(r, res, err.Error())
		}
		added := 0
		for _, ct := range contacts {
			if seen[ct.ID.Value] {
				continue
			}
			seen[ct.ID.Value] = true
			if req.Limit > 0 && len(out.Contacts) == req.Limit {
				out.Truncated = true
				return out, nil
			}
			out.Contacts = append(out.Contacts, ct)
			added++
		}
		if len(contacts) < perPage {
			return out, nil
		}
		if added == 0 {
			// A full page of contacts already seen: Qomon is not paging (or the index is
			// shifting under us); stop rather than loop.
			return nil, c.unusable(r, res, fmt.Sprintf("page %d repeats contacts of earlier pages; the search is not progressing", page))
		}
	}
}

// searchPage is the request of one page of a search.
func searchPage(query map[string]json.RawMessage, page, perPage int, sortAttr string, asc bool) (request, error) {
	body, err := json.Marshal(map[string]map[string]wireSearch{"data": {"advanced_search": {
		Page: page, PerPage: perPage, Sort: sortAttr, Asc: asc, Query: query,
	}}})
	if err != nil {
		return request{}, err
	}
	return request{method: http.MethodPost, path: "/search", body: body}, nil
}

// decodeSearchPage reads data.contacts; null means no hits.
func decodeSearchPage(body []byte) ([]Contact, error) {
	return searchHits(body, func(raw json.RawMessage, ct *Contact) error { return json.Unmarshal(raw, ct) },
		func(_ int64, ct Contact) Contact { return ct })
}

// searchHits reads every element of a search answer's data.contacts with decode, checks that
// it has an id, and keeps what hit makes of it (the contact, or only what a sweep needs).
func searchHits[T any](body []byte, decode func(json.RawMessage, *Contact) error, hit func(id int64, ct Contact) T) ([]T, error) {
	items, err := searchItems(body)
	if err != nil {
		return nil, err
	}
	out := make([]T, 0, len(items))
	for i, it := range items {
		var ct Contact
		if err := decode(it, &ct); err != nil {
			return nil, fmt.Errorf("contact %d of the page cannot be read: %v", i, err)
		}
		id, ok := ct.ID.Get()
		if !ok || id <= 0 {
			return nil, fmt.Errorf("contact %d of the page has no id", i)
		}
		out = append(out, hit(id, ct))
	}
	return out, nil
}

// searchItems returns the elements of a search answer's data.contacts, undecoded; null means
// no hits.
func searchItems(body []byte) ([]json.RawMessage, error) {
	raw, err := dataMember(body, "contacts")
	if err != nil {
		return nil, err
	}
	if isNull(raw) {
		return nil, nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, fmt.Errorf("the answer's data.contacts is %s, not an array", jsonKind(raw))
	}
	return items, nil
}

// Probe counts the contacts of the space with Qomon's match-all query (POST /kpi with
// {"$all": []}, 1 token). The provider calls it once when it is configured: an answer of that
// shape proves that the endpoint is Qomon's API and that the key works, and the total is the
// number of contacts in the space.
func (c *Client) Probe(ctx context.Context) (total int64, err error) {
	body, err := json.Marshal(map[string]map[string]any{"data": {"advanced_search": map[string]any{
		"query": map[string][]any{OpAll: {}},
	}}})
	if err != nil {
		return 0, err
	}
	r := request{method: http.MethodPost, path: "/kpi", body: body}
	res, err := c.do(ctx, r)
	if err != nil {
		return 0, err
	}
	raw, err := dataMember(res.body, "total")
	if err == nil {
		var n json.Number
		if err = json.Unmarshal(raw, &n); err == nil {
			total, err = n.Int64()
		}
		if err == nil && total < 0 {
			err = errors.New("the answer's data.total is negative")
		}
	}
	if err != nil {
		return 0, c.unusable(r, res, err.Error())
	}
	return total, nil
}
