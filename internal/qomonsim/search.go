package qomonsim

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// searchRequest is a validated advanced_search.
type searchRequest struct {
	page     int64
	perPage  int64
	sortAttr string
	sortAsc  bool
	match    func(*record) bool
}

var sortAttrs = []string{"surname", "firstname", "birthdate", "gender", "lastchange", "mail", "married_name", "city"}

// parseSearch validates {"data":{"advanced_search":{...}}}. needPerPage is false for /kpi.
// Validation errors carry their location; the whole body is checked before answering.
func (s *Server) parseSearch(w http.ResponseWriter, r *http.Request, body []byte, needPerPage bool) (*searchRequest, bool) {
	v, err := decodeJSON(body)
	if err != nil {
		writeProblem(w, r, http.StatusBadRequest, "malformed JSON body: "+err.Error())
		return nil, false
	}
	var errs []fieldError
	fail := func(loc, msg string, val any) {
		errs = append(errs, fieldError{Location: loc, Message: msg, Value: val})
	}
	root, _ := v.(map[string]any)
	data, _ := root["data"].(map[string]any)
	if data == nil {
		writeValidation(w, r, []fieldError{{Location: "body.data", Message: "required property data is missing"}})
		return nil, false
	}
	as, ok := data["advanced_search"].(map[string]any)
	if !ok {
		writeValidation(w, r, []fieldError{{Location: "body.data.advanced_search", Message: "required property advanced_search is missing"}})
		return nil, false
	}
	const base = "body.data.advanced_search"
	req := &searchRequest{}
	for k := range data {
		if k != "advanced_search" {
			fail("body.data."+k, "unexpected property", nil)
		}
	}
	for k, val := range as {
		loc := base + "." + k
		switch k {
		case "page":
			n, ok := asInt(val)
			if !ok || n < 0 {
				fail(loc, "expected an integer >= 0", val)
			}
			req.page = n
		case "per_page":
			n, ok := asInt(val)
			if !ok || n < 1 || n > 1000 {
				fail(loc, "expected an integer between 1 and 1000", val)
			}
			req.perPage = n
		case "sort_attr":
			str, ok := val.(string)
			if !ok || !slices.Contains(sortAttrs, str) {
				fail(loc, "expected value to be one of \""+strings.Join(sortAttrs, ", ")+"\"", val)
			}
			req.sortAttr = str
		case "sort_asc":
			b, ok := val.(bool)
			if !ok {
				fail(loc, "expected boolean, got "+jsonTypeName(val), val)
			}
			req.sortAsc = b
		case "query":
		default:
			fail(loc, "unexpected property", nil)
		}
	}
	if _, ok := as["per_page"]; !ok && needPerPage {
		fail(base+".per_page", "required property per_page is missing", nil)
	}
	qc := queryCompiler{forms: s.forms, now: s.now().UTC()}
	if q, ok := as["query"]; ok {
		req.match = qc.compileRoot(base+".query", q)
	} else {
		req.match = func(*record) bool { return true }
	}
	errs = append(errs, qc.errs...)
	if len(errs) > 0 {
		writeValidation(w, r, sortErrors(errs))
		return nil, false
	}
	return req, true
}

// handleSearch is POST /search: one page, no total (page until a short page).
func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request, body []byte, _ string) {
	req, ok := s.parseSearch(w, r, body, true)
	if !ok {
		return
	}
	s.mu.Lock()
	hits := s.matchLocked(req)
	sortRecords(hits, req.sortAttr, req.sortAsc)
	start := req.page * req.perPage
	var pageHits []*record
	if start < int64(len(hits)) {
		end := min(start+req.perPage, int64(len(hits)))
		pageHits = hits[start:end]
	}
	rd := s.rendererLocked()
	out := make([]any, 0, len(pageHits))
	for _, rec := range pageHits {
		c := rd.contact(rec)
		for _, k := range s.opts.SearchOmits {
			delete(c, rd.key(k))
		}
		out = append(out, c)
	}
	pageTime := s.opts.SearchPageTime * time.Duration(len(out)) / 1000
	s.mu.Unlock()
	if pageTime > 0 {
		// Qomon's search takes its time outside the store: other requests go on meanwhile.
		t := time.NewTimer(pageTime)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	writeSuccess(w, map[string]any{"contacts": out})
}

// handleKPI is POST /kpi: the number of matching contacts.
func (s *Server) handleKPI(w http.ResponseWriter, r *http.Request, body []byte, _ string) {
	req, ok := s.parseSearch(w, r, body, false)
	if !ok {
		return
	}
	s.mu.Lock()
	n := len(s.matchLocked(req))
	s.mu.Unlock()
	writeSuccess(w, map[string]any{"total": n})
}

func (s *Server) matchLocked(req *searchRequest) []*record {
	var hits []*record
	for _, rec := range s.searchableLocked() {
		if req.match(rec) {
			hits = append(hits, rec)
		}
	}
	return hits
}

// sortRecords orders by sort_attr (case-insensitive, missing values first when ascending),
// then by id, so that pages are stable. Without sort_attr the order is by id.
func sortRecords(recs []*record, attr string, asc bool) {
	if attr == "" {
		return
	}
	key := func(rec *record) string {
		switch attr {
		case "city":
			if rec.address != nil {
				return strings.ToLower(rec.address.parts["city"])
			}
			return ""
		}
		str, _ := rec.scalars[attr].(string)
		return strings.ToLower(str)
	}
	compare := func(a, b *record) int { return strings.Compare(key(a), key(b)) }
	if attr == "lastchange" {
		// Compared as instants: formatting two timestamps per comparison made a sweep of a
		// 100,000-contact space take seconds per page.
		compare = func(a, b *record) int { return a.lastChange.Compare(b.lastChange) }
	}
	slices.SortStableFunc(recs, func(a, b *record) int {
		c := compare(a, b)
		if !asc {
			c = -c
		}
		if c != 0 {
			return c
		}
		return int(a.id - b.id)
	})
}

// queryCompiler turns the two-level query tree into a predicate, collecting errors.
type queryCompiler struct {
	forms *catalogue
	now   time.Time
	errs  []fieldError
}

func (qc *queryCompiler) fail(loc, msg string, val any) {
	qc.errs = append(qc.errs, fieldError{Location: loc, Message: msg, Value: val})
}

// node reads {"$all": [...]} or {"$at_least_one": [...]}.
func (qc *queryCompiler) node(loc string, v any) (all bool, items []any, itemLoc string, ok bool) {
	obj, isObj := v.(map[string]any)
	if !isObj || len(obj) != 1 {
		qc.fail(loc, `expected an object with exactly one key, "$all" or "$at_least_one"`, nil)
		return false, nil, "", false
	}
	for k, val := range obj {
		if k != "$all" && k != "$at_least_one" {
			qc.fail(loc+"."+k, `expected "$all" or "$at_least_one"`, nil)
			return false, nil, "", false
		}
		arr, isArr := val.([]any)
		if !isArr {
			qc.fail(loc+"."+k, "expected array, got "+jsonTypeName(val), nil)
			return false, nil, "", false
		}
		return k == "$all", arr, loc + "." + k, true
	}
	return false, nil, "", false
}

// compileRoot compiles the root: a node whose items are nodes of conditions. A condition
// directly under the root is the 422 the sandbox saw.
func (qc *queryCompiler) compileRoot(loc string, v any) func(*record) bool {
	all, items, iloc, ok := qc.node(loc, v)
	if !ok {
		return nil
	}
	groups := make([]func(*record) bool, 0, len(items))
	for i, item := range items {
		gloc := fmt.Sprintf("%s[%d]", iloc, i)
		if obj, ok := item.(map[string]any); ok {
			if _, isCond := obj["$condition"]; isCond {
				qc.fail(gloc, `a "$condition" must sit inside a "$all" or "$at_least_one" group, two levels deep`, nil)
				continue
			}
		}
		gall, conds, cloc, ok := qc.node(gloc, item)
		if !ok {
			continue
		}
		preds := make([]func(*record) bool, 0, len(conds))
		for j, c := range conds {
			if p := qc.condition(fmt.Sprintf("%s[%d]", cloc, j), c); p != nil {
				preds = append(preds, p)
			}
		}
		groups = append(groups, combine(gall, preds))
	}
	return combine(all, groups)
}

// combine ANDs ($all) or ORs ($at_least_one) predicates. An empty group of either kind
// matches everything, as an empty Elasticsearch bool query does.
func combine(all bool, preds []func(*record) bool) func(*record) bool {
	return func(rec *record) bool {
		if len(preds) == 0 {
			return true
		}
		for _, p := range preds {
			if p(rec) != all {
				return !all
			}
		}
		return all
	}
}
