package qomonsim

import (
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"time"
)

// contactBody decodes {"data":{"contact":{...}}}, answering 400 for malformed JSON and 422
// for a missing or mistyped envelope.
func contactBody(w http.ResponseWriter, r *http.Request, body []byte) (map[string]any, bool) {
	v, err := decodeJSON(body)
	if err != nil {
		writeProblem(w, r, http.StatusBadRequest, "malformed JSON body: "+err.Error())
		return nil, false
	}
	root, ok := v.(map[string]any)
	if !ok {
		writeValidation(w, r, []fieldError{{Location: "body", Message: "expected object, got " + jsonTypeName(v)}})
		return nil, false
	}
	loc, obj := "body", root
	for _, key := range []string{"data", "contact"} {
		loc += "." + key
		inner, ok := obj[key].(map[string]any)
		if !ok {
			msg := "required property " + key + " is missing"
			if obj[key] != nil {
				msg = "expected object, got " + jsonTypeName(obj[key])
			}
			writeValidation(w, r, []fieldError{{Location: loc, Message: msg}})
			return nil, false
		}
		obj = inner
	}
	return obj, true
}

// contactID parses the {contactId} path parameter.
func contactID(w http.ResponseWriter, r *http.Request, param string) (int64, bool) {
	id, err := strconv.ParseInt(param, 10, 64)
	if err != nil || id < 0 {
		writeValidation(w, r, []fieldError{{Location: "path.contactId", Message: "expected integer", Value: param}})
		return 0, false
	}
	return id, true
}

// writeNotFound answers a request for a contact that does not exist, in the body format
// Options.NotFoundBody selects.
func (s *Server) writeNotFound(w http.ResponseWriter, r *http.Request, id int64) {
	s.mu.Lock()
	format := s.opts.NotFoundBody
	s.mu.Unlock()
	detail := fmt.Sprintf("contact %d not found", id)
	switch format {
	case NotFoundJSend:
		writeAPIJSON(w, http.StatusNotFound, map[string]any{"status": "error", "message": "record not found"})
	case NotFoundFail:
		writeAPIJSON(w, http.StatusNotFound, map[string]any{"status": "fail"})
	case NotFoundEmpty:
		w.WriteHeader(http.StatusNotFound)
	default:
		writeProblem(w, r, http.StatusNotFound, detail)
	}
}

// parser returns the validator of an API write body under the switches in force.
func (s *Server) parser() *inputParser {
	s.mu.Lock()
	defer s.mu.Unlock()
	return &inputParser{forms: s.forms, base: "body.data.contact", refuseEmptyLists: s.opts.EmptyLists == EmptyListsRefuse}
}

func sortErrors(errs []fieldError) []fieldError {
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].Location < errs[j].Location })
	return errs
}

// readContactBody validates a create or update body under the switches in force; on a bad
// body it writes the answer (400 or 422) and returns false.
func (s *Server) readContactBody(w http.ResponseWriter, r *http.Request, body []byte) (*contactPatch, bool) {
	obj, ok := contactBody(w, r, body)
	if !ok {
		return nil, false
	}
	p := s.parser()
	cp := p.parseContact(obj)
	if len(p.errs) > 0 {
		writeValidation(w, r, sortErrors(p.errs))
		return nil, false
	}
	return cp, true
}

// renderStored renders the stored contact id as the API shows it now; false when there is none.
func (s *Server) renderStored(id int64) (map[string]any, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.contacts[id]
	if !ok {
		return nil, false
	}
	return s.rendererLocked().contact(rec), true
}

// handleCreate is POST /contacts.
func (s *Server) handleCreate(w http.ResponseWriter, r *http.Request, body []byte, _ string) {
	cp, ok := s.readContactBody(w, r, body)
	if !ok {
		return
	}
	s.mu.Lock()
	rec := s.createLocked(cp, nowMicro(s.now()), apiUserID)
	s.indexLocked(rec, false)
	out := s.rendererLocked().contact(rec)
	s.mu.Unlock()
	writeSuccess(w, map[string]any{"contact": out})
}

// oneContact adapts the handler of a /contacts/{id} route: the id in the path is validated
// first, and a handler that finds no contact with that id (it returns false having written
// nothing) gets the not-found answer Options.NotFoundBody selects.
func (s *Server) oneContact(h func(w http.ResponseWriter, r *http.Request, body []byte, id int64) (found bool)) func(http.ResponseWriter, *http.Request, []byte, string) {
	return func(w http.ResponseWriter, r *http.Request, body []byte, param string) {
		id, ok := contactID(w, r, param)
		if !ok {
			return
		}
		if !h(w, r, body, id) {
			s.writeNotFound(w, r, id)
		}
	}
}

// handleGet is GET /contacts/{id}.
func (s *Server) handleGet(w http.ResponseWriter, _ *http.Request, _ []byte, id int64) bool {
	out, found := s.renderStored(id)
	if found {
		writeSuccess(w, map[string]any{"contact": out})
	}
	return found
}

// handlePatch is PATCH /contacts/{id}, replacing or merging per the current PatchMode.
func (s *Server) handlePatch(w http.ResponseWriter, r *http.Request, body []byte, id int64) bool {
	s.mu.Lock()
	_, found := s.contacts[id]
	s.mu.Unlock()
	if !found {
		return false
	}
	cp, ok := s.readContactBody(w, r, body)
	if !ok {
		return true
	}
	s.mu.Lock()
	rec, found := s.contacts[id]
	var out map[string]any
	if found {
		rules := writeRules{
			replace:      s.opts.PatchMode == PatchReplace,
			renewNotes:   s.opts.NoteIDs == NoteIDsRenew,
			keepBareAddr: s.opts.EmptyAddress == EmptyAddressKeep,
		}
		s.updateLocked(rec, cp, rules, nowMicro(s.now()), apiUserID, false)
		s.indexLocked(rec, false)
		out = s.rendererLocked().contact(rec)
	}
	s.mu.Unlock()
	if found { // false: deleted while the body was validated
		writeSuccess(w, map[string]any{"contact": out})
	}
	return found
}

// handleDelete is DELETE /contacts/{id}: 204, and 404 once it is gone.
func (s *Server) handleDelete(w http.ResponseWriter, _ *http.Request, _ []byte, id int64) bool {
	if !s.DeleteContact(id) {
		return false
	}
	w.WriteHeader(http.StatusNoContent)
	return true
}

func (s *Server) rendererLocked() renderer {
	return renderer{spelling: s.opts.Spelling, groupID: s.groupID, tagCounts: s.tagCounts}
}

// createLocked stores a new contact built from a validated body.
func (s *Server) createLocked(cp *contactPatch, now time.Time, author int64) *record {
	s.next.contact++
	for s.contacts[s.next.contact] != nil { // ids taken by SeedContact
		s.next.contact++
	}
	rec := &record{
		id: s.next.contact, createdAt: now, updatedAt: now, lastChange: now.Truncate(time.Millisecond),
		userID: author, scalars: map[string]any{}, extra: map[string]any{},
	}
	applyPatch(rec, cp, writeRules{replace: true}, now, &s.next)
	s.countTags(nil, rec.tags)
	s.contacts[rec.id] = rec
	return rec
}

// updateLocked writes a validated body onto a stored contact. byPerson marks an edit made
// in the Qomon app, which also moves lastchange; API writes move UpdatedAt only (integrators
// saw Qomon's asynchronous upsert leave lastchange alone; nothing says PATCH differs).
func (s *Server) updateLocked(rec *record, cp *contactPatch, rules writeRules, now time.Time, author int64, byPerson bool) {
	oldTags := slices.Clone(rec.tags)
	applyPatch(rec, cp, rules, now, &s.next)
	s.countTags(oldTags, rec.tags)
	if !now.After(rec.updatedAt) {
		// A coarse or frozen clock must still show that something changed.
		now = rec.updatedAt.Add(time.Microsecond)
	}
	rec.updatedAt = now
	rec.userID = author
	if byPerson {
		rec.lastChange = now.Truncate(time.Millisecond)
		rec.lastChangeUserID = author
	}
}

func (s *Server) countTags(old, updated []string) {
	for _, t := range old {
		s.tagCounts[t]--
		if s.tagCounts[t] <= 0 {
			delete(s.tagCounts, t)
		}
	}
	for _, t := range updated {
		s.tagCounts[t]++
	}
}
