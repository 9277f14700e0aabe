package qomonsim

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Direct access to the store, for tests: what Qomon holds, and edits made "out of band" as
// a person in the Qomon app would make them. Maps are JSON-shaped (numbers are float64)
// and are copies: changing them changes nothing stored.

// Contact returns a stored contact as GET /contacts/{id} would render it now.
func (s *Server) Contact(id int64) (map[string]any, bool) {
	out, ok := s.renderStored(id)
	if !ok {
		return nil, false
	}
	return jsonShape[map[string]any](out), true
}

// Contacts returns every stored contact, ordered by id.
func (s *Server) Contacts() []map[string]any {
	s.mu.Lock()
	idList := s.sortedIDsLocked()
	out := make([]any, 0, len(idList))
	rd := s.rendererLocked()
	for _, id := range idList {
		out = append(out, rd.contact(s.contacts[id]))
	}
	s.mu.Unlock()
	return jsonShape[[]map[string]any](out)
}

// ContactCount returns how many contacts are stored.
func (s *Server) ContactCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.contacts)
}

func (s *Server) sortedIDsLocked() []int64 {
	idList := make([]int64, 0, len(s.contacts))
	for id := range s.contacts {
		idList = append(idList, id)
	}
	slices.Sort(idList)
	return idList
}

// SeedContact stores a contact as POST /contacts would (both spellings accepted, geocoding
// and ids assigned) without logging a request or charging the bucket. Unlike the API it
// honours `id`, `CreatedAt`, `UpdatedAt` and `lastchange` when given (RFC 3339), so tests
// can seed old contacts. It returns the id, or 0 when c is invalid: use TrySeedContact to
// learn why.
func (s *Server) SeedContact(c map[string]any) int64 {
	id, err := s.TrySeedContact(c)
	if err != nil {
		return 0
	}
	return id
}

// TrySeedContact is SeedContact with the validation error.
func (s *Server) TrySeedContact(c map[string]any) (int64, error) {
	obj, err := reshape(c)
	if err != nil {
		return 0, err
	}
	p := &inputParser{forms: s.forms, base: "contact"}
	cp := p.parseContact(obj)
	if len(p.errs) > 0 {
		return 0, validationError(p.errs)
	}
	var stamps [3]*time.Time
	for i, key := range []string{"CreatedAt", "UpdatedAt", "lastchange"} {
		v, ok := obj[key]
		if !ok || v == nil {
			continue
		}
		str, _ := v.(string)
		t, err := time.Parse(time.RFC3339Nano, str)
		if err != nil {
			return 0, fmt.Errorf("contact.%s: expected an RFC 3339 timestamp, got %v", key, v)
		}
		stamps[i] = &t
	}
	var wantID int64
	if v, ok := obj["id"]; ok && v != nil {
		id, ok := asInt(v)
		if !ok || id <= 0 {
			return 0, fmt.Errorf("contact.id: expected a positive integer, got %v", v)
		}
		wantID = id
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if wantID != 0 && s.contacts[wantID] != nil {
		return 0, fmt.Errorf("contact %d already exists", wantID)
	}
	now := nowMicro(s.now())
	rec := s.createLocked(cp, now, appUserID)
	if wantID != 0 && wantID != rec.id {
		delete(s.contacts, rec.id)
		s.next.contact-- // give the allocated id back
		rec.id = wantID
		s.contacts[wantID] = rec
	}
	if t := stamps[0]; t != nil {
		rec.createdAt = nowMicro(*t)
		rec.updatedAt = rec.createdAt
		rec.lastChange = rec.createdAt.Truncate(time.Millisecond)
	}
	if t := stamps[1]; t != nil {
		rec.updatedAt = nowMicro(*t)
	}
	if t := stamps[2]; t != nil {
		rec.lastChange = t.UTC().Truncate(time.Millisecond)
	}
	s.indexLocked(rec, true)
	return rec.id, nil
}

// EditContact edits a stored contact as a person in the Qomon app would: edit receives the
// contact as GET renders it in the new spelling (JSON-shaped) and changes it in place; the
// result replaces the contact (read-only keys are ignored), UpdatedAt and lastchange move.
// It fails when the contact does not exist or the edited contact is invalid.
func (s *Server) EditContact(id int64, edit func(c map[string]any)) error {
	s.mu.Lock()
	rec, ok := s.contacts[id]
	if !ok {
		s.mu.Unlock()
		return fmt.Errorf("contact %d not found", id)
	}
	rd := s.rendererLocked()
	rd.spelling = SpellingNew
	view := jsonShape[map[string]any](rd.contact(rec))
	s.mu.Unlock()

	edit(view)
	obj, err := reshape(view)
	if err != nil {
		return err
	}
	p := &inputParser{forms: s.forms, base: "contact"}
	cp := p.parseContact(obj)
	if len(p.errs) > 0 {
		return validationError(p.errs)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok = s.contacts[id]
	if !ok {
		return fmt.Errorf("contact %d not found", id)
	}
	s.updateLocked(rec, cp, writeRules{replace: true}, nowMicro(s.now()), appUserID, true)
	s.indexLocked(rec, false)
	return nil
}

// DeleteContact removes a stored contact, as a person in the app (or DELETE) would. It
// reports whether the contact existed.
func (s *Server) DeleteContact(id int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.contacts[id]
	if !ok {
		return false
	}
	s.countTags(rec.tags, nil)
	delete(s.contacts, id)
	s.unindexLocked(id)
	return true
}

// reshape turns a Go map into the decoded-JSON form the parser reads (json.Number numbers).
func reshape(c map[string]any) (map[string]any, error) {
	b, err := json.Marshal(c)
	if err != nil {
		return nil, fmt.Errorf("contact is not JSON-encodable: %w", err)
	}
	v, err := decodeJSON(b)
	if err != nil {
		return nil, err
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New("contact is not a JSON object")
	}
	return obj, nil
}

func validationError(errs []fieldError) error {
	errs = sortErrors(errs)
	msgs := make([]error, 0, len(errs))
	for _, e := range errs {
		msgs = append(msgs, fmt.Errorf("%s: %s", e.Location, e.Message))
	}
	return errors.Join(msgs...)
}
