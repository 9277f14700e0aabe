package qomonsim

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

type attrKind int

const (
	attrText attrKind = iota
	attrDate
	attrNumber
	attrBool
	attrForm
)

// attrSpec reads one searchable attribute of a stored contact.
type attrSpec struct {
	kind attrKind
	text func(*record) []string          // text and number attributes (several values for tags)
	date func(*record) (time.Time, bool) // date attributes
	flag func(*record) bool              // boolean attributes
	// custom is true for the custom_fields form attribute, false for form.
	custom bool
}

func scalarText(key string) attrSpec {
	return attrSpec{kind: attrText, text: func(rec *record) []string {
		if s, ok := rec.scalars[key].(string); ok && s != "" {
			return []string{s}
		}
		return nil
	}}
}

func scalarNumber(get func(*record) (int64, bool)) attrSpec {
	return attrSpec{kind: attrNumber, text: func(rec *record) []string {
		if n, ok := get(rec); ok {
			return []string{strconv.FormatInt(n, 10)}
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

// searchAttrs are the attributes the simulator can search. Documented attributes it does
// not model (emails.blacklisted_at, petitions.base_id...) get a 422 that says so.
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
	intScalar := func(key string) func(*record) (int64, bool) {
		return func(rec *record) (int64, bool) { n, ok := rec.scalars[key].(int64); return n, ok }
	}
	m["age_cat"] = scalarNumber(intScalar("age_category"))
	m["user_contact_id"] = scalarNumber(intScalar("user_contact_id"))
	m["nationbuilderid"] = scalarNumber(intScalar("nationbuilderid"))
	m["user_id"] = scalarNumber(func(rec *record) (int64, bool) { return rec.userID, rec.userID != 0 })
	m["action_ids"] = attrSpec{kind: attrNumber, text: func(rec *record) []string {
		out := make([]string, 0, len(rec.actions))
		for _, a := range rec.actions {
			out = append(out, strconv.FormatInt(a, 10))
		}
		return out
	}}
	m["black_list"] = scalarFlag("black_list")
	m["phone_invalid"] = scalarFlag("phone_invalid")
	m["mobile_invalid"] = scalarFlag("mobile_invalid")
	m["form"] = attrSpec{kind: attrForm}
	m["custom_fields"] = attrSpec{kind: attrForm, custom: true}
	return m
}()

var unmodelledAttrs = []string{
	"birthday", "emails.blacklisted_at", "petitions.base_id", "onlineforms.base_id",
	"address.building_type", "address.county_code",
}

var operatorsByKind = map[attrKind][]string{
	attrText: {"eql", "not_eql", "eql:strictdata", "not_eql:strictdata", "contains", "not_contains",
		"start_with", "not_start_with", "ext", "not_ext", "any_of", "none_of", "all_of"},
	attrDate:   {"eql", "not_eql", "gte", "lte", "range", "period", "today", "ext", "not_ext"},
	attrNumber: {"eql", "not_eql", "gte", "lte", "range", "ext", "not_ext", "any_of", "none_of", "all_of"},
	attrBool:   {"eql", "not_eql", "ext", "not_ext"},
	attrForm:   {"ext", "not_ext", "eql", "not_eql", "any_of", "none_of", "all_of"},
}

var allOperators = []string{"eql", "not_eql", "eql:strictdata", "not_eql:strictdata", "contains",
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
	case !slices.Contains(allOperators, ope):
		qc.fail(loc+".ope", "expected value to be one of \""+strings.Join(allOperators, ", ")+"\"", ope)
	case known && !slices.Contains(operatorsByKind[spec.kind], ope):
		qc.fail(loc+".ope", fmt.Sprintf("operator %s does not apply to attribute %s", ope, attr), ope)
	}
	if len(qc.errs) > errsBefore {
		return nil
	}
	switch spec.kind {
	case attrDate:
		return qc.dateCondition(loc, spec, ope, c)
	case attrBool:
		return qc.boolCondition(loc, spec, ope, c)
	case attrForm:
		return qc.formCondition(loc, spec, ope, c)
	case attrNumber:
		return qc.numberCondition(loc, spec, ope, c)
	}
	return qc.textCondition(loc, spec, ope, c)
}

// values reads `value` as a string, or for list operators as a string or array of strings.
func (qc *queryCompiler) values(loc string, c map[string]any, list bool) ([]string, bool) {
	v, present := c["value"]
	if !present || v == nil {
		qc.fail(loc+".value", "required property value is missing", nil)
		return nil, false
	}
	if s, ok := v.(string); ok {
		return []string{s}, true
	}
	if arr, ok := v.([]any); ok && list {
		out := make([]string, 0, len(arr))
		for i, item := range arr {
			s, ok := item.(string)
			if !ok {
				qc.fail(fmt.Sprintf("%s.value[%d]", loc, i), "expected string, got "+jsonTypeName(item), item)
				return nil, false
			}
			out = append(out, s)
		}
		return out, true
	}
	qc.fail(loc+".value", "expected string, got "+jsonTypeName(v), v)
	return nil, false
}

func (qc *queryCompiler) textCondition(loc string, spec attrSpec, ope string, c map[string]any) func(*record) bool {
	positive, negate := strings.CutPrefix(ope, "not_")
	if ope == "none_of" {
		positive, negate = "any_of", true
	}
	if positive == "ext" {
		return func(rec *record) bool { return (len(spec.text(rec)) > 0) != negate }
	}
	list := positive == "any_of" || positive == "all_of"
	vals, ok := qc.values(loc, c, list)
	if !ok {
		return nil
	}
	want := vals[0]
	if !list && strings.TrimSpace(want) == "" && positive != "eql:strictdata" {
		qc.fail(loc+".value", "expected a non-empty value", want)
		return nil
	}
	var one func(have string) bool
	switch positive {
	case "eql":
		one = func(have string) bool { return phrasePrefix(have, want) }
	case "eql:strictdata":
		one = func(have string) bool { return have == want }
	case "contains":
		one = func(have string) bool { return strings.Contains(strings.ToLower(have), strings.ToLower(want)) }
	case "start_with":
		one = func(have string) bool { return strings.HasPrefix(strings.ToLower(have), strings.ToLower(want)) }
	case "any_of":
		one = func(have string) bool {
			return slices.ContainsFunc(vals, func(w string) bool { return strings.EqualFold(w, have) })
		}
	case "all_of":
		return func(rec *record) bool {
			have := spec.text(rec)
			for _, w := range vals {
				if !slices.ContainsFunc(have, func(h string) bool { return strings.EqualFold(w, h) }) {
					return false
				}
			}
			return true
		}
	}
	return func(rec *record) bool { return slices.ContainsFunc(spec.text(rec), one) != negate }
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

func (qc *queryCompiler) numberCondition(loc string, spec attrSpec, ope string, c map[string]any) func(*record) bool {
	parse := func(l, s string) (float64, bool) {
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil {
			qc.fail(l, "expected a number", s)
		}
		return f, err == nil
	}
	nums := func(rec *record) []float64 {
		var out []float64
		for _, s := range spec.text(rec) {
			if f, err := strconv.ParseFloat(s, 64); err == nil {
				out = append(out, f)
			}
		}
		return out
	}
	anyNum := func(pred func(float64) bool) func(*record) bool {
		return func(rec *record) bool { return slices.ContainsFunc(nums(rec), pred) }
	}
	switch ope {
	case "ext", "not_ext":
		return func(rec *record) bool { return (len(spec.text(rec)) > 0) == (ope == "ext") }
	case "range":
		from, ok1 := qc.bound(loc, c, "from")
		to, ok2 := qc.bound(loc, c, "to")
		if !ok1 || !ok2 {
			return nil
		}
		lo, ok1 := parse(loc+".from", from)
		hi, ok2 := parse(loc+".to", to)
		if !ok1 || !ok2 {
			return nil
		}
		return anyNum(func(f float64) bool { return f >= lo && f <= hi })
	}
	vals, ok := qc.values(loc, c, true)
	if !ok {
		return nil
	}
	want := make([]float64, 0, len(vals))
	for _, v := range vals {
		f, ok := parse(loc+".value", v)
		if !ok {
			return nil
		}
		want = append(want, f)
	}
	switch ope {
	case "gte":
		return anyNum(func(f float64) bool { return f >= want[0] })
	case "lte":
		return anyNum(func(f float64) bool { return f <= want[0] })
	case "eql", "any_of":
		return anyNum(func(f float64) bool { return slices.Contains(want, f) })
	case "not_eql", "none_of":
		return func(rec *record) bool {
			return !slices.ContainsFunc(nums(rec), func(f float64) bool { return slices.Contains(want, f) })
		}
	}
	// all_of
	return func(rec *record) bool {
		have := nums(rec)
		for _, w := range want {
			if !slices.Contains(have, w) {
				return false
			}
		}
		return true
	}
}

func (qc *queryCompiler) bound(loc string, c map[string]any, key string) (string, bool) {
	s, ok := c[key].(string)
	if !ok || strings.TrimSpace(s) == "" {
		qc.fail(loc+"."+key, "required property "+key+" is missing (a string)", c[key])
		return "", false
	}
	return s, true
}

// dateCondition handles gte/lte/range/period with absolute dates or date math, today, eql
// (same UTC day) and ext.
func (qc *queryCompiler) dateCondition(loc string, spec attrSpec, ope string, c map[string]any) func(*record) bool {
	when := func(l, s string, up bool) (time.Time, bool) {
		t, err := parseDateMath(s, qc.now, up)
		if err != nil {
			qc.fail(l, err.Error(), s)
			return time.Time{}, false
		}
		return t, true
	}
	between := func(lo, hi time.Time) func(*record) bool {
		return func(rec *record) bool {
			t, ok := spec.date(rec)
			return ok && !t.Before(lo) && !t.After(hi)
		}
	}
	switch ope {
	case "ext", "not_ext":
		return func(rec *record) bool { _, ok := spec.date(rec); return ok == (ope == "ext") }
	case "today":
		lo, _ := roundUnit(qc.now, 'd', false)
		hi, _ := roundUnit(qc.now, 'd', true)
		return between(lo, hi)
	case "range", "period":
		from, ok1 := qc.bound(loc, c, "from")
		to, ok2 := qc.bound(loc, c, "to")
		if !ok1 || !ok2 {
			return nil
		}
		lo, ok1 := when(loc+".from", from, false)
		hi, ok2 := when(loc+".to", to, true)
		if !ok1 || !ok2 {
			return nil
		}
		return between(lo, hi)
	}
	vals, ok := qc.values(loc, c, false)
	if !ok {
		return nil
	}
	switch ope {
	case "gte":
		lo, ok := when(loc+".value", vals[0], false)
		if !ok {
			return nil
		}
		return between(lo, time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC))
	case "lte":
		hi, ok := when(loc+".value", vals[0], true)
		if !ok {
			return nil
		}
		return between(time.Time{}, hi)
	}
	// eql / not_eql: the same UTC day
	day, ok := when(loc+".value", vals[0], false)
	if !ok {
		return nil
	}
	lo, _ := roundUnit(day, 'd', false)
	hi, _ := roundUnit(day, 'd', true)
	in := between(lo, hi)
	if ope == "not_eql" {
		return func(rec *record) bool { return !in(rec) }
	}
	return in
}

func (qc *queryCompiler) boolCondition(loc string, spec attrSpec, ope string, c map[string]any) func(*record) bool {
	switch ope {
	case "ext":
		return spec.flag
	case "not_ext":
		return func(rec *record) bool { return !spec.flag(rec) }
	}
	vals, ok := qc.values(loc, c, false)
	if !ok {
		return nil
	}
	want, err := strconv.ParseBool(vals[0])
	if err != nil {
		qc.fail(loc+".value", `expected "true" or "false"`, vals[0])
		return nil
	}
	if ope == "not_eql" {
		want = !want
	}
	return func(rec *record) bool { return spec.flag(rec) == want }
}

// formCondition matches form answers: ext/not_ext on form_id alone (form_ref_ids ignored,
// as the sandbox saw), any_of/eql/none_of/not_eql/all_of on form_ref_ids, and for
// free-text forms eql on the answer text when value is given.
func (qc *queryCompiler) formCondition(loc string, spec attrSpec, ope string, c map[string]any) func(*record) bool {
	formID, ok := asInt(c["form_id"])
	if !ok {
		qc.fail(loc+".form_id", "required property form_id is missing (an integer)", c["form_id"])
		return nil
	}
	f, known := qc.forms.form(formID)
	if !known {
		qc.fail(loc+".form_id", fmt.Sprintf("form %d does not exist", formID), formID)
		return nil
	}
	if spec.custom != (f.Category == CategoryCustomFields) {
		qc.fail(loc+".form_id", fmt.Sprintf("form %d is a %s form; use attr %q", formID, f.Category, map[bool]string{true: "custom_fields", false: "form"}[f.Category == CategoryCustomFields]), formID)
		return nil
	}
	answers := func(rec *record) []storedAnswer {
		list := rec.forms
		if spec.custom {
			list = rec.custom
		}
		var out []storedAnswer
		for _, a := range list {
			if a.formID == formID {
				out = append(out, a)
			}
		}
		return out
	}
	if ope == "ext" || ope == "not_ext" {
		return func(rec *record) bool { return (len(answers(rec)) > 0) == (ope == "ext") }
	}
	var refs []int64
	if raw, present := c["form_ref_ids"]; present && raw != nil {
		arr, ok := raw.([]any)
		if !ok {
			qc.fail(loc+".form_ref_ids", "expected array, got "+jsonTypeName(raw), raw)
			return nil
		}
		for i, item := range arr {
			id, ok := asInt(item)
			if !ok {
				qc.fail(fmt.Sprintf("%s.form_ref_ids[%d]", loc, i), "expected integer, got "+jsonTypeName(item), item)
				return nil
			}
			refs = append(refs, id)
		}
	}
	text, hasText := c["value"].(string)
	if len(refs) == 0 && !hasText {
		qc.fail(loc+".form_ref_ids", "expected form_ref_ids (or a value for a free-text form)", nil)
		return nil
	}
	hit := func(a storedAnswer) bool {
		if len(refs) > 0 && !slices.Contains(refs, a.formRefID) {
			return false
		}
		return !hasText || phrasePrefix(a.data, text)
	}
	switch ope {
	case "eql", "any_of":
		return func(rec *record) bool { return slices.ContainsFunc(answers(rec), hit) }
	case "not_eql", "none_of":
		return func(rec *record) bool { return !slices.ContainsFunc(answers(rec), hit) }
	}
	// all_of: every listed option is answered
	return func(rec *record) bool {
		have := answers(rec)
		for _, ref := range refs {
			if !slices.ContainsFunc(have, func(a storedAnswer) bool { return a.formRefID == ref }) {
				return false
			}
		}
		return true
	}
}
