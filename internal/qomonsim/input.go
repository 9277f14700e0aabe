package qomonsim

import (
	"encoding/json"
	"fmt"
	"net/mail"
	"strconv"
	"strings"
	"time"
)

// contactPatch is a validated contact write body in canonical form. For every key the body
// carried, the matching *Set flag (or map entry) is true; a nil value means the key was null.
type contactPatch struct {
	scalars map[string]any // canonical key -> string | bool | int64 | nil (null)

	addressSet bool
	address    *addressPatch // nil with addressSet: null

	tagsSet bool
	tags    []string

	notesSet bool
	notes    []notePatch

	formdatasSet bool
	formdatas    []answerPatch

	customSet    bool
	customFields []answerPatch

	actionsSet bool
	actionIDs  []int64

	extra map[string]any // keys the simulator does not model; nil value: null
}

type addressPatch struct {
	parts map[string]*string // input part -> value; nil: null
	extra map[string]any     // unknown address keys
}

type notePatch struct {
	id      int64 // 0: new note
	content string
	pinned  *bool
}

type answerPatch struct {
	formID    int64
	formRefID int64
	data      string
	date      *time.Time
	surveyID  *int64
}

// inputParser validates one contact object and collects every error with its location.
type inputParser struct {
	forms *catalogue
	base  string // e.g. "body.data.contact"
	errs  []fieldError
	// refuseEmptyLists answers an empty list with an error (Options.EmptyLists refuse).
	refuseEmptyLists bool
}

func (p *inputParser) fail(loc, msg string, value any) {
	p.errs = append(p.errs, fieldError{Location: loc, Message: msg, Value: value})
}

func (p *inputParser) loc(key string) string { return p.base + "." + key }

// parseContact validates a decoded contact object. Read-only keys are ignored; unknown keys
// are kept as they came.
func (p *inputParser) parseContact(obj map[string]any) *contactPatch {
	cp := &contactPatch{scalars: map[string]any{}, extra: map[string]any{}}
	seen := map[string]string{} // canonical -> spelling used, to catch both spellings at once
	for key, v := range obj {
		if readOnlyKeys[key] {
			continue
		}
		canon := key
		if c, ok := canonicalKey[key]; ok {
			canon = c
		}
		if _, modelled := scalarFields[canon]; modelled || isCollection(canon) {
			if other, dup := seen[canon]; dup {
				p.fail(p.loc(key), fmt.Sprintf("%q and %q are two spellings of the same field; send one", other, key), nil)
				continue
			}
			seen[canon] = key
		}
		loc := p.loc(key)
		if arr, isList := v.([]any); isList && len(arr) == 0 && p.refuseEmptyLists {
			p.fail(loc, "expected array length >= 1", v)
			continue
		}
		if kind, ok := scalarFields[canon]; ok {
			if v == nil {
				cp.scalars[canon] = nil
				continue
			}
			if val, ok := p.scalar(kind, loc, v); ok {
				cp.scalars[canon] = val
			}
			continue
		}
		switch canon {
		case "address":
			cp.addressSet = true
			if v != nil {
				cp.address = p.parseAddress(loc, v)
			}
		case "tags":
			cp.tagsSet = true
			cp.tags = p.parseTags(loc, v)
		case "notes":
			cp.notesSet = true
			cp.notes = p.parseNotes(loc, v)
		case "formdatas":
			cp.formdatasSet = true
			cp.formdatas = p.parseAnswers(loc, v, false)
		case "custom_fields":
			cp.customSet = true
			cp.customFields = p.parseAnswers(loc, v, true)
		case "action_ids":
			cp.actionsSet = true
			cp.actionIDs = p.parseIntList(loc, v)
		default:
			cp.extra[key] = v
		}
	}
	return cp
}

func isCollection(canon string) bool {
	switch canon {
	case "address", "tags", "notes", "formdatas", "custom_fields", "action_ids":
		return true
	}
	return false
}

// scalar checks one writable scalar and returns its canonical value. Validated strings that
// are empty are treated as null: Qomon has no use for an empty mail or gender.
func (p *inputParser) scalar(kind scalarKind, loc string, v any) (any, bool) {
	switch kind {
	case kindBool:
		b, ok := v.(bool)
		if !ok {
			p.fail(loc, "expected boolean, got "+jsonTypeName(v), v)
		}
		return b, ok
	case kindInt:
		i, ok := asInt(v)
		if !ok {
			p.fail(loc, "expected integer, got "+jsonTypeName(v), v)
		}
		return i, ok
	case kindAgeCategory:
		i, ok := asInt(v)
		if !ok {
			p.fail(loc, "expected integer, got "+jsonTypeName(v), v)
			return nil, false
		}
		if i < 0 || i > 6 {
			p.fail(loc, "expected value to be between 0 and 6", i)
			return nil, false
		}
		return i, true
	}
	s, ok := v.(string)
	if !ok {
		p.fail(loc, "expected string, got "+jsonTypeName(v), v)
		return nil, false
	}
	switch kind {
	case kindMail:
		s = strings.TrimSpace(s)
		if s == "" {
			return nil, true
		}
		if !validMail(s) {
			p.fail(loc, "expected a valid e-mail address", s)
			return nil, false
		}
		// Qomon stores addresses in lower case (the provider has to cope with that).
		return strings.ToLower(s), true
	case kindGender:
		if s == "" {
			return nil, true
		}
		if s != "M" && s != "F" && s != "O" {
			p.fail(loc, `expected value to be one of "M, F, O"`, s)
			return nil, false
		}
		return s, true
	case kindBirthdate:
		if s == "" {
			return nil, true
		}
		t, ok := parseDate(s)
		if !ok {
			p.fail(loc, "expected a date (YYYY-MM-DD or RFC 3339 date-time)", s)
			return nil, false
		}
		return t.UTC().Format(birthdateLayout), true
	}
	return s, true
}

// validMail accepts what a reasonable server accepts: one @, a local part, a dotted domain,
// no spaces or display name.
func validMail(s string) bool {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	domain := s[at+1:]
	return at > 0 && strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".")
}

// parseDate accepts YYYY-MM-DD and RFC 3339 date-times (any fraction).
func parseDate(s string) (time.Time, bool) {
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, true
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, true
	}
	return time.Time{}, false
}

func (p *inputParser) parseAddress(loc string, v any) *addressPatch {
	obj, ok := v.(map[string]any)
	if !ok {
		p.fail(loc, "expected object, got "+jsonTypeName(v), v)
		return nil
	}
	ap := &addressPatch{parts: map[string]*string{}, extra: map[string]any{}}
	for key, val := range obj {
		if addressReadOnly[key] {
			continue
		}
		if !addressInputSet[key] {
			ap.extra[key] = val
			continue
		}
		switch t := val.(type) {
		case nil:
			ap.parts[key] = nil
		case string:
			s := t
			ap.parts[key] = &s
		case json.Number:
			i, ok := asInt(t)
			if !addressNumeric[key] || !ok || i < 0 {
				p.fail(loc+"."+key, "expected string, got "+jsonTypeName(val), val)
				continue
			}
			s := strconv.FormatInt(i, 10)
			ap.parts[key] = &s
		default:
			p.fail(loc+"."+key, "expected string, got "+jsonTypeName(val), val)
		}
	}
	return ap
}

// parseTags accepts [{"name": "x"}] (the API) and ["x"] (the guides).
func (p *inputParser) parseTags(loc string, v any) []string {
	seen := map[string]bool{}
	return parseList(p, loc, v, func(iloc string, item any) (string, bool) {
		var name string
		switch t := item.(type) {
		case string:
			name = t
		case map[string]any:
			n, ok := t["name"].(string)
			if !ok {
				p.fail(iloc+".name", "expected string, got "+jsonTypeName(t["name"]), t["name"])
				return "", false
			}
			name = n
			iloc += ".name"
		default:
			p.fail(iloc, "expected object or string, got "+jsonTypeName(item), item)
			return "", false
		}
		name = strings.TrimSpace(name)
		if name == "" {
			p.fail(iloc, "expected a non-empty tag name", item)
			return "", false
		}
		if seen[name] {
			return "", false
		}
		seen[name] = true
		return name, true
	})
}

// parseList parses each element of the JSON array v with parse, which reports its own errors
// at the element's location (loc[i]) and returns false to leave the element out. A null list
// gives nil; anything but an array is an error at loc.
func parseList[T any](p *inputParser, loc string, v any, parse func(iloc string, item any) (T, bool)) []T {
	if v == nil {
		return nil
	}
	arr, ok := v.([]any)
	if !ok {
		p.fail(loc, "expected array, got "+jsonTypeName(v), v)
		return nil
	}
	out := make([]T, 0, len(arr))
	for i, item := range arr {
		if t, ok := parse(fmt.Sprintf("%s[%d]", loc, i), item); ok {
			out = append(out, t)
		}
	}
	return out
}

// parseObjects is parseList for arrays of objects: an element that is not an object is an
// error at its location.
func parseObjects[T any](p *inputParser, loc string, v any, parse func(iloc string, obj map[string]any) (T, bool)) []T {
	return parseList(p, loc, v, func(iloc string, item any) (T, bool) {
		obj, ok := item.(map[string]any)
		if !ok {
			p.fail(iloc, "expected object, got "+jsonTypeName(item), item)
			var zero T
			return zero, false
		}
		return parse(iloc, obj)
	})
}

// parseNotes accepts the text in `content` (OLD) or `data` (NEW); `content` wins when both
// are there, since a client that decoded `data` writes `content`.
func (p *inputParser) parseNotes(loc string, v any) []notePatch {
	return parseObjects(p, loc, v, func(iloc string, obj map[string]any) (notePatch, bool) {
		var n notePatch
		good := true
		text, hasText := obj["content"]
		key := "content"
		if !hasText || text == nil {
			text, hasText = obj["data"]
			key = "data"
		}
		s, isString := text.(string)
		switch {
		case !hasText || text == nil:
			p.fail(iloc+".content", "expected the note text in content (or data)", nil)
			good = false
		case !isString:
			p.fail(iloc+"."+key, "expected string, got "+jsonTypeName(text), text)
			good = false
		case strings.TrimSpace(s) == "":
			p.fail(iloc+"."+key, "expected a non-empty note", s)
			good = false
		default:
			n.content = s
		}
		if idv, ok := obj["id"]; ok && idv != nil {
			id, ok := asInt(idv)
			if !ok {
				p.fail(iloc+".id", "expected integer, got "+jsonTypeName(idv), idv)
				good = false
			}
			n.id = id
		}
		if pv, ok := obj["pinned"]; ok && pv != nil {
			b, ok := pv.(bool)
			if !ok {
				p.fail(iloc+".pinned", "expected boolean, got "+jsonTypeName(pv), pv)
				good = false
			}
			n.pinned = &b
		}
		return n, good
	})
}

// parseAnswers validates formdatas (custom == false) or custom_fields entries against the
// catalogue and applies the per-form rules of Qomon's update reference
// (https://developers.qomon.com/api-reference/contacts/update-contact-by-id): a radio form
// keeps only its last entry, a checkbox form one entry per option, free-text forms every
// entry.
func (p *inputParser) parseAnswers(loc string, v any, custom bool) []answerPatch {
	return p.applyFormRules(parseObjects(p, loc, v, func(iloc string, obj map[string]any) (answerPatch, bool) {
		return p.parseAnswer(iloc, obj, custom)
	}))
}

// requiredInt reads obj[key], which must be an integer; a missing or null key and a value of
// another type are errors at loc.key.
func (p *inputParser) requiredInt(loc string, obj map[string]any, key string) (int64, bool) {
	n, ok := asInt(obj[key])
	switch {
	case ok:
	case obj[key] == nil:
		p.fail(loc+"."+key, "required property "+key+" is missing", nil)
	default:
		p.fail(loc+"."+key, "expected integer, got "+jsonTypeName(obj[key]), obj[key])
	}
	return n, ok
}

func (p *inputParser) parseAnswer(loc string, obj map[string]any, custom bool) (answerPatch, bool) {
	var a answerPatch
	good := true
	formID, ok := p.requiredInt(loc, obj, "form_id")
	if !ok {
		return a, false
	}
	a.formID = formID
	refID, ok := p.requiredInt(loc, obj, "form_ref_id")
	if !ok {
		good = false
	}
	a.formRefID = refID
	var data string
	hasData := false
	if dv, present := obj["data"]; present && dv != nil {
		s, ok := dv.(string)
		if !ok {
			p.fail(loc+".data", "expected string, got "+jsonTypeName(dv), dv)
			good = false
		}
		data, hasData = s, ok
	}
	if dv, present := obj["date"]; present && dv != nil {
		s, ok := dv.(string)
		t, okDate := parseDate(s)
		if !ok || !okDate {
			p.fail(loc+".date", "expected a date-time (RFC 3339)", dv)
			good = false
		} else {
			t = t.UTC()
			a.date = &t
		}
	}
	if sv, present := obj["survey_id"]; present && sv != nil {
		id, ok := asInt(sv)
		if !ok {
			p.fail(loc+".survey_id", "expected integer, got "+jsonTypeName(sv), sv)
			good = false
		}
		a.surveyID = &id
	}
	form, known := p.forms.form(formID)
	switch {
	case !known:
		p.fail(loc+".form_id", fmt.Sprintf("form %d does not exist", formID), formID)
		return a, false
	case custom && form.Category != CategoryCustomFields:
		p.fail(loc+".form_id", fmt.Sprintf("form %d is a %s form, not a custom field; send it in formdatas", formID, form.Category), formID)
		return a, false
	case !custom && form.Category == CategoryCustomFields:
		p.fail(loc+".form_id", fmt.Sprintf("form %d is a custom field; send it in custom_fields", formID), formID)
		return a, false
	}
	if !good {
		return a, false
	}
	rv, ok := form.refValue(refID)
	if !ok {
		p.fail(loc+".form_ref_id", fmt.Sprintf("refvalue %d does not belong to form %d", refID, formID), refID)
		return a, false
	}
	if !form.freeText() {
		// Qomon stores the option's value for choice forms, whatever text was sent.
		a.data = rv.Value
		return a, true
	}
	if !hasData || strings.TrimSpace(data) == "" {
		p.fail(loc+".data", fmt.Sprintf("form %d is a %s field: data is required", formID, form.Type), nil)
		return a, false
	}
	switch form.Type {
	case TypeNumeric:
		if _, err := strconv.ParseFloat(strings.TrimSpace(data), 64); err != nil {
			p.fail(loc+".data", "expected a number", data)
			return a, false
		}
	case TypeDate:
		if _, ok := parseDate(data); !ok {
			p.fail(loc+".data", "expected a date (YYYY-MM-DDTHH:mm:ss.SSSZ)", data)
			return a, false
		}
	}
	a.data = data
	return a, true
}

func (p *inputParser) applyFormRules(in []answerPatch) []answerPatch {
	lastRadio := map[int64]int{} // form id -> index of its last entry
	for i, a := range in {
		if f, _ := p.forms.form(a.formID); f != nil && f.Type == TypeRadio {
			lastRadio[a.formID] = i
		}
	}
	seenOption := map[[2]int64]bool{}
	var out []answerPatch
	for i, a := range in {
		f, _ := p.forms.form(a.formID)
		switch {
		case f == nil:
		case f.Type == TypeRadio:
			if lastRadio[a.formID] != i {
				continue
			}
		case f.Type == TypeCheckbox:
			k := [2]int64{a.formID, a.formRefID}
			if seenOption[k] {
				continue
			}
			seenOption[k] = true
		}
		out = append(out, a)
	}
	return out
}

func (p *inputParser) parseIntList(loc string, v any) []int64 {
	return parseList(p, loc, v, func(iloc string, item any) (int64, bool) {
		n, ok := asInt(item)
		if !ok {
			p.fail(iloc, "expected integer, got "+jsonTypeName(item), item)
		}
		return n, ok
	})
}
