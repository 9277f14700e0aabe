package qomonsim

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// The simulator models the search conditions the provider sends (internal/contact's
// search_query*.go): exact text (eql:strictdata), Qomon's loose text match (eql) and its
// negation, booleans compared with eql/not_eql, and dates at or after a point (gte) in
// Qomon's date math. Every other attribute and operator of Qomon's search reference
// (https://developers.qomon.com/pages/v1/reference/search/overview) is answered with a 422
// that says the simulator does not model it, rather than with a guess.

type attrKind int

const (
	attrText attrKind = iota
	attrDate
	attrBool
)

// attrSpec reads one searchable attribute of a stored contact.
type attrSpec struct {
	kind attrKind
	text func(*record) []string          // text attributes (several values for tags)
	date func(*record) (time.Time, bool) // date attributes
	flag func(*record) bool              // boolean attributes
}

func scalarText(key string) attrSpec {
	return attrSpec{kind: attrText, text: func(rec *record) []string {
		if s, ok := rec.scalars[key].(string); ok && s != "" {
			return []string{s}
		}
		return nil
	}}
}

func scalarFlag(key string) attrSpec {
	return attrSpec{kind: attrBool, flag: func(rec *record) bool { b, _ := rec.scalars[key].(bool); return b }}
}

func stamp(get func(*record) time.Time) attrSpec {
	return attrSpec{kind: attrDate, date: func(rec *record) (time.Time, bool) { return get(rec), true }}
}

// searchAttrs are the attributes the simulator can search.
var searchAttrs = func() map[string]attrSpec {
	m := map[string]attrSpec{}
	for _, k := range []string{"firstname", "surname", "married_name", "gender", "nationality", "mail", "phone", "mobile", "birth_city", "birth_dept", "birth_country"} {
		m[k] = scalarText(k)
	}
	for old, canon := range map[string]string{"birthcity": "birth_city", "birthdept": "birth_dept", "birthcountry": "birth_country"} {
		m[old] = scalarText(canon)
	}
	for _, part := range addressInputs {
		m["address."+part] = attrSpec{kind: attrText, text: func(rec *record) []string {
			if rec.address != nil && rec.address.parts[part] != "" {
				return []string{rec.address.parts[part]}
			}
			return nil
		}}
	}
	m["address.invalid"] = attrSpec{kind: attrBool, flag: func(rec *record) bool { return rec.address == nil || rec.address.geo.invalid }}
	m["tags.name"] = attrSpec{kind: attrText, text: func(rec *record) []string { return rec.tags }}
	m["birthdate"] = attrSpec{kind: attrDate, date: func(rec *record) (time.Time, bool) {
		s, _ := rec.scalars["birthdate"].(string)
		t, err := time.Parse(time.RFC3339, s)
		return t, err == nil
	}}
	m["CreatedAt"] = stamp(func(rec *record) time.Time { return rec.createdAt })
	m["UpdatedAt"] = stamp(func(rec *record) time.Time { return rec.updatedAt })
	m["lastchange"] = stamp(func(rec *record) time.Time { return rec.lastChange })
	m["black_list"] = scalarFlag("black_list")
	m["phone_invalid"] = scalarFlag("phone_invalid")
	m["mobile_invalid"] = scalarFlag("mobile_invalid")
	return m
}()

// unmodelledAttrs are documented attributes the simulator does not search.
var unmodelledAttrs = []string{
	"birthday", "age_cat", "user_id", "user_contact_id", "nationbuilderid", "action_ids", "form",
	"custom_fields", "emails.blacklisted_at", "petitions.base_id", "onlineforms.base_id",
	"address.building_type", "address.county_code",
}

var operatorsByKind = map[attrKind][]string{
	attrText: {"eql", "not_eql", "eql:strictdata"},
	attrDate: {"gte"},
	attrBool: {"eql", "not_eql"},
}

// documentedOperators are every operator of Qomon's search reference.
var documentedOperators = []string{"eql", "not_eql", "eql:strictdata", "not_eql:strictdata", "contains",
	"not_contains", "start_with", "not_start_with", "any_of", "none_of", "all_of", "ext", "not_ext",
	"range", "lte", "gte", "period", "today"}

// condition compiles {"$condition": {...}}; nil when it is invalid (the error is recorded).
func (qc *queryCompiler) condition(loc string, v any) func(*record) bool {
	wrap, ok := v.(map[string]any)
	c, ok2 := wrap["$condition"].(map[string]any)
	if !ok || !ok2 || len(wrap) != 1 {
		qc.fail(loc, `expected {"$condition": {...}}`, nil)
		return nil
	}
	loc += ".$condition"
	errsBefore := len(qc.errs)
	for k := range c {
		switch k {
		case "attr", "ope", "value", "from", "to", "form_id", "form_ref_ids":
		default:
			qc.fail(loc+"."+k, "unexpected property", nil)
		}
	}
	attr, _ := c["attr"].(string)
	ope, _ := c["ope"].(string)
	spec, known := searchAttrs[attr]
	switch {
	case attr == "":
		qc.fail(loc+".attr", "required property attr is missing", c["attr"])
	case slices.Contains(unmodelledAttrs, attr):
		qc.fail(loc+".attr", "attribute "+attr+" is documented but not modelled by the simulator", attr)
	case !known:
		qc.fail(loc+".attr", "unknown attribute", attr)
	}
	switch {
	case ope == "":
		qc.fail(loc+".ope", "required property ope is missing", c["ope"])
	case !slices.Contains(documentedOperators, ope):
		qc.fail(loc+".ope", "expected value to be one of \""+strings.Join(documentedOperators, ", ")+"\"", ope)
	case known && !slices.Contains(operatorsByKind[spec.kind], ope):
		qc.fail(loc+".ope", fmt.Sprintf("operator %s on attribute %s is not modelled by the simulator (it models %s there)",
			ope, attr, strings.Join(operatorsByKind[spec.kind], ", ")), ope)
	}
	if len(qc.errs) > errsBefore {
		return nil
	}
	want, ok := qc.value(loc, c)
	if !ok {
		return nil
	}
	switch spec.kind {
	case attrDate:
		since, err := parseDateMath(want, qc.now)
		if err != nil {
			qc.fail(loc+".value", err.Error(), want)
			return nil
		}
		return func(rec *record) bool { t, ok := spec.date(rec); return ok && !t.Before(since) }
	case attrBool:
		b, err := strconv.ParseBool(want)
		if err != nil {
			qc.fail(loc+".value", `expected "true" or "false"`, want)
			return nil
		}
		return func(rec *record) bool { return (spec.flag(rec) == b) == (ope == "eql") }
	}
	var one func(have string) bool
	switch ope {
	case "eql:strictdata":
		one = func(have string) bool { return have == want }
	default:
		if strings.TrimSpace(want) == "" {
			qc.fail(loc+".value", "expected a non-empty value", want)
			return nil
		}
		one = func(have string) bool { return phrasePrefix(have, want) }
	}
	negate := ope == "not_eql"
	return func(rec *record) bool { return slices.ContainsFunc(spec.text(rec), one) != negate }
}

// value reads the condition's `value`, a string.
func (qc *queryCompiler) value(loc string, c map[string]any) (string, bool) {
	v, present := c["value"]
	if !present || v == nil {
		qc.fail(loc+".value", "required property value is missing", nil)
		return "", false
	}
	s, ok := v.(string)
	if !ok {
		qc.fail(loc+".value", "expected string, got "+jsonTypeName(v), v)
	}
	return s, ok
}

// phrasePrefix is Qomon's eql: a case-insensitive token match where the value's tokens
// appear in order in the field and the last one may be a prefix ("Test" matches
// "Testville", "ada@example" matches "ada@example.org").
func phrasePrefix(field, value string) bool {
	ft, vt := tokens(field), tokens(value)
	if len(vt) == 0 {
		return false
	}
	for i := 0; i+len(vt) <= len(ft); i++ {
		ok := true
		for j, t := range vt {
			if j == len(vt)-1 {
				ok = ok && strings.HasPrefix(ft[i+j], t)
			} else {
				ok = ok && ft[i+j] == t
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func tokens(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}
