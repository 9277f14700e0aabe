package qomonsim

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// UpsertOutcome is what became of one POST /contacts/upsert. Qomon never tells the caller
// (202 either way); tests can ask the simulator.
type UpsertOutcome struct {
	Applied   bool
	Created   bool
	ContactID int64  // the contact created or updated; 0 when dropped
	Reason    string // why it was dropped
}

type upsertCounters struct {
	applied, dropped int
	outcomes         []UpsertOutcome
}

type pendingUpsert struct{ data map[string]any }

// lightForms maps the upsert's light-form keys to form categories (qomon-api.md §2.5).
var lightForms = map[string]string{
	"consents":       CategoryConsent,
	"status":         CategoryLevelOfSupport,
	"forms":          CategorySurvey,
	"custom_fields":  CategoryCustomFields,
	"actions":        CategoryTasks,
	"name_presences": CategoryPresenceStatus,
}

// upsertFields are the contact keys an upsert may carry (besides id and light forms);
// anything else is accepted and dropped, as the sandbox saw with presence_status.
var upsertFields = map[string]bool{
	"nationbuilderid": true, "firstname": true, "surname": true, "married_name": true,
	"gender": true, "birthdate": true, "birthcity": true, "birthcountry": true, "birthdept": true,
	"birth_city": true, "birth_country": true, "birth_dept": true, "nationality": true,
	"mail": true, "phone": true, "mobile": true, "age_category": true, "black_list": true,
	"address": true, "tags": true, "notes": true,
}

// handleUpsert is POST /contacts/upsert: 202 with an empty body; the write is applied after
// UpsertDelay, or silently dropped when a business rule fails.
func (s *Server) handleUpsert(w http.ResponseWriter, r *http.Request, body []byte, _ string) {
	v, err := decodeJSON(body)
	if err != nil {
		writeProblem(w, r, http.StatusBadRequest, "malformed JSON body: "+err.Error())
		return
	}
	root, ok := v.(map[string]any)
	if !ok {
		writeValidation(w, r, []fieldError{{Location: "body", Message: "expected object, got " + jsonTypeName(v)}})
		return
	}
	var errs []fieldError
	for k := range root {
		if k != "kind" && k != "data" {
			errs = append(errs, fieldError{Location: "body." + k, Message: "unexpected property"})
		}
	}
	if kind, _ := root["kind"].(string); kind != "contact" {
		errs = append(errs, fieldError{Location: "body.kind", Message: `expected value to be one of "contact"`, Value: root["kind"]})
	}
	data, ok := root["data"].(map[string]any)
	if !ok {
		errs = append(errs, fieldError{Location: "body.data", Message: "required property data is missing (an object)"})
	}
	if len(errs) > 0 {
		writeValidation(w, r, sortErrors(errs))
		return
	}
	s.mu.Lock()
	delay := s.upsertDelay
	switch {
	case s.closed:
	case delay <= 0:
		s.applyUpsertLocked(data)
	default:
		key := &pendingUpsert{data: data}
		s.pending[key] = time.AfterFunc(delay, func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			if _, still := s.pending[key]; still {
				delete(s.pending, key)
				s.applyUpsertLocked(key.data)
			}
		})
	}
	s.mu.Unlock()
	w.WriteHeader(http.StatusAccepted)
}

// FlushUpserts applies every upsert still waiting for its delay, now.
func (s *Server) FlushUpserts() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for key, t := range s.pending {
		t.Stop()
		delete(s.pending, key)
		s.applyUpsertLocked(key.data)
	}
}

// Upserts returns the outcome of every upsert applied or dropped so far.
func (s *Server) Upserts() []UpsertOutcome {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.upserts.outcomes)
}

func (s *Server) dropUpsertLocked(reason string) {
	s.upserts.dropped++
	s.upserts.outcomes = append(s.upserts.outcomes, UpsertOutcome{Reason: reason})
}

// applyUpsertLocked matches and writes one upsert (§2.5). It only ever changes the fields
// the upsert carries; UpdatedAt moves, lastchange does not.
func (s *Server) applyUpsertLocked(data map[string]any) {
	obj := map[string]any{}
	for k, v := range data {
		if upsertFields[k] {
			obj[k] = v
		}
	}
	p := &inputParser{forms: s.forms, base: "data"}
	cp := p.parseContact(obj)
	answers, custom, reason := s.lightAnswers(data)
	if len(p.errs) > 0 {
		s.dropUpsertLocked(validationError(p.errs).Error())
		return
	}
	if reason != "" {
		s.dropUpsertLocked(reason)
		return
	}
	now := nowMicro(s.now())

	var rec *record
	if raw, present := data["id"]; present && raw != nil {
		id, ok := asInt(raw)
		if !ok {
			s.dropUpsertLocked("id is not an integer")
			return
		}
		rec = s.matchByIDLocked(id)
		if rec == nil {
			s.dropUpsertLocked(fmt.Sprintf("id %d matches no contact", id))
			return
		}
	} else {
		rec = s.matchByMailLocked(cp)
		if rec == nil {
			rec = s.matchByNameLocked(cp)
		}
	}

	created := rec == nil
	if created {
		rec = s.createLocked(cp, now, apiUserID)
	} else {
		if cp.tagsSet { // tags are added, never removed, by an upsert
			cp.tags = union(rec.tags, cp.tags)
		}
		if cp.notesSet { // notes without an id are added; with an id, updated
			merged := make([]notePatch, 0, len(rec.notes)+len(cp.notes))
			for _, n := range rec.notes {
				pinned := n.pinned
				merged = append(merged, notePatch{id: n.id, content: n.content, pinned: &pinned})
			}
			for _, n := range cp.notes {
				if i := slices.IndexFunc(merged, func(m notePatch) bool { return n.id != 0 && m.id == n.id }); i >= 0 {
					merged[i] = n
				} else {
					n.id = 0
					merged = append(merged, n)
				}
			}
			cp.notes = merged
		}
		lastChange := rec.lastChange
		s.updateLocked(rec, cp, false, now, apiUserID, false)
		rec.lastChange = lastChange
	}
	rec.forms = s.addAnswersLocked(rec.forms, answers, now)
	rec.custom = s.addAnswersLocked(rec.custom, custom, now)
	s.indexLocked(rec, false)
	s.upserts.applied++
	s.upserts.outcomes = append(s.upserts.outcomes, UpsertOutcome{Applied: true, Created: created, ContactID: rec.id})
}

func union(a, b []string) []string {
	out := slices.Clone(a)
	for _, x := range b {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// lightAnswers resolves the light-form arrays. Any unknown form, or an option that is not
// one of the form's, drops the whole record (reason != "").
func (s *Server) lightAnswers(data map[string]any) (forms, custom []answerPatch, reason string) {
	keys := make([]string, 0, len(lightForms))
	for k := range lightForms {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, key := range keys {
		raw, present := data[key]
		if !present || raw == nil {
			continue
		}
		arr, ok := raw.([]any)
		if !ok {
			return nil, nil, key + " is not an array"
		}
		for i, item := range arr {
			obj, ok := item.(map[string]any)
			if !ok {
				return nil, nil, fmt.Sprintf("%s[%d] is not an object", key, i)
			}
			id, _ := asInt(obj["id"])
			label, _ := obj["label"].(string)
			value, ok := obj["value"].(string)
			if !ok {
				return nil, nil, fmt.Sprintf("%s[%d].value is not a string", key, i)
			}
			f, ok := s.forms.byIDOrLabel(lightForms[key], id, label)
			if !ok {
				return nil, nil, fmt.Sprintf("%s[%d]: no %s form with id %d or label %q", key, i, lightForms[key], id, label)
			}
			a := answerPatch{formID: f.ID}
			if f.freeText() {
				if !validFreeText(f, value) {
					return nil, nil, fmt.Sprintf("%s[%d]: %q is not a valid %s answer", key, i, value, f.Type)
				}
				a.formRefID, a.data = f.RefValues[0].ID, value
			} else {
				rv, ok := f.refValueByAnswer(value)
				if !ok {
					return nil, nil, fmt.Sprintf("%s[%d]: %q is not an option of form %d", key, i, value, f.ID)
				}
				a.formRefID, a.data = rv.ID, rv.Value
			}
			if f.Category == CategoryCustomFields {
				custom = append(custom, a)
			} else {
				forms = append(forms, a)
			}
		}
	}
	return forms, custom, ""
}

func validFreeText(f *Form, v string) bool {
	if strings.TrimSpace(v) == "" || len(f.RefValues) == 0 {
		return false
	}
	switch f.Type {
	case TypeNumeric:
		_, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		return err == nil
	case TypeDate:
		_, ok := parseDate(v)
		return ok
	}
	return true
}

// addAnswersLocked adds light-form answers to existing ones: a radio answer replaces the
// form's previous one, a checkbox option or free text already there is not repeated. New
// entries are dated now (a requested date is ignored, as the sandbox saw).
func (s *Server) addAnswersLocked(have []storedAnswer, add []answerPatch, now time.Time) []storedAnswer {
	out := slices.Clone(have)
	for _, a := range add {
		f, _ := s.forms.form(a.formID)
		if f != nil && f.Type == TypeRadio {
			out = slices.DeleteFunc(out, func(h storedAnswer) bool { return h.formID == a.formID })
		}
		if slices.ContainsFunc(out, func(h storedAnswer) bool {
			return h.formID == a.formID && h.formRefID == a.formRefID && h.data == a.data
		}) {
			continue
		}
		s.next.answer++
		d := now
		out = append(out, storedAnswer{id: s.next.answer, formID: a.formID, formRefID: a.formRefID, data: a.data, date: &d, createdAt: now})
	}
	return out
}

// matchByIDLocked: rule 1, a Qomon id or a NationBuilder id.
func (s *Server) matchByIDLocked(id int64) *record {
	if rec := s.contacts[id]; rec != nil {
		return rec
	}
	for _, cid := range s.sortedIDsLocked() {
		if nb, ok := s.contacts[cid].scalars["nationbuilderid"].(int64); ok && nb == id {
			return s.contacts[cid]
		}
	}
	return nil
}

// matchByMailLocked: rule 2, same mail; a non-empty firstname/surname must match too.
func (s *Server) matchByMailLocked(cp *contactPatch) *record {
	mail, _ := cp.scalars["mail"].(string)
	if mail == "" {
		return nil
	}
	for _, id := range s.sortedIDsLocked() {
		rec := s.contacts[id]
		if m, _ := rec.scalars["mail"].(string); !strings.EqualFold(m, mail) {
			continue
		}
		if sameIfGiven(cp, rec, "firstname") && sameIfGiven(cp, rec, "surname") {
			return rec
		}
	}
	return nil
}

func sameIfGiven(cp *contactPatch, rec *record, key string) bool {
	want, _ := cp.scalars[key].(string)
	if want == "" {
		return true
	}
	have, _ := rec.scalars[key].(string)
	return strings.EqualFold(want, have)
}

// matchByNameLocked: rule 3, same surname and firstname; birthdates equal when both have
// one; when both have an address, city or postal code equal, and the street too when no
// birthdate was compared.
func (s *Server) matchByNameLocked(cp *contactPatch) *record {
	surname, _ := cp.scalars["surname"].(string)
	if surname == "" {
		return nil
	}
	firstname, _ := cp.scalars["firstname"].(string)
	birth, _ := cp.scalars["birthdate"].(string)
	for _, id := range s.sortedIDsLocked() {
		rec := s.contacts[id]
		rs, _ := rec.scalars["surname"].(string)
		rf, _ := rec.scalars["firstname"].(string)
		if !strings.EqualFold(rs, surname) || !strings.EqualFold(rf, firstname) {
			continue
		}
		rb, _ := rec.scalars["birthdate"].(string)
		compared := birth != "" && rb != ""
		if compared && rb != birth {
			continue
		}
		if cp.address != nil && rec.address != nil {
			in := func(k string) string {
				if v := cp.address.parts[k]; v != nil {
					return strings.TrimSpace(*v)
				}
				return ""
			}
			have := rec.address.parts
			cityOK := (in("city") != "" && strings.EqualFold(in("city"), have["city"])) ||
				(in("postalcode") != "" && in("postalcode") == have["postalcode"])
			if !cityOK {
				continue
			}
			if !compared && !strings.EqualFold(in("street"), have["street"]) {
				continue
			}
		}
		return rec
	}
	return nil
}
