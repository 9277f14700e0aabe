package qomonsim

import (
	"maps"
	"slices"
	"time"
)

// Qomon searches an index that lags writes by seconds (Qomon's polling guide,
// https://developers.qomon.com/pages/v1/api-polling, sweeps by UpdatedAt; integrators who ran
// a sandbox saw writes searchable after about 2 s): a contact just created is not found yet,
// a contact just edited is found as it was, a contact just deleted is still found. With a
// SearchLag the simulator keeps, per contact, the versions written within the lag, and
// /search and /kpi read the newest version at least that old.

// indexVersion is one state of a contact as the search index will see it from `at` on; a
// nil rec is a deletion.
type indexVersion struct {
	at  time.Time
	rec *record
}

// reindexLocked starts the index again under a new lag: every contact stored at that moment
// counts as indexed.
func (s *Server) reindexLocked() {
	s.index = map[int64][]indexVersion{}
	if s.opts.SearchLag > 0 {
		for id, rec := range s.contacts {
			s.index[id] = []indexVersion{{rec: cloneRecord(rec)}}
		}
	}
}

// indexLocked records rec's state after a write (already indexed when seeded).
func (s *Server) indexLocked(rec *record, seeded bool) {
	if s.opts.SearchLag <= 0 {
		return
	}
	at := s.now()
	if seeded {
		at = time.Time{}
	}
	s.index[rec.id] = append(s.index[rec.id], indexVersion{at: at, rec: cloneRecord(rec)})
}

// unindexLocked records a deletion.
func (s *Server) unindexLocked(id int64) {
	if s.opts.SearchLag <= 0 {
		return
	}
	s.index[id] = append(s.index[id], indexVersion{at: s.now()})
}

// searchableLocked returns the contacts a search sees now, by id.
func (s *Server) searchableLocked() []*record {
	if s.opts.SearchLag <= 0 {
		out := make([]*record, 0, len(s.contacts))
		for _, id := range s.sortedIDsLocked() {
			out = append(out, s.contacts[id])
		}
		return out
	}
	cutoff := s.now().Add(-s.opts.SearchLag)
	idList := slices.Sorted(maps.Keys(s.index))
	var out []*record
	for _, id := range idList {
		versions := s.index[id]
		i := -1
		for j, v := range versions {
			if !v.at.After(cutoff) {
				i = j
			}
		}
		if i < 0 {
			continue // created within the lag: not indexed yet
		}
		// Older versions will never be read again: the cutoff only moves forward.
		versions = versions[i:]
		if versions[0].rec == nil && len(versions) == 1 {
			delete(s.index, id) // deleted long enough ago: gone from the index
			continue
		}
		s.index[id] = versions
		if versions[0].rec != nil {
			out = append(out, versions[0].rec)
		}
	}
	return out
}

// cloneRecord copies a record deeply enough that later writes cannot change it.
func cloneRecord(r *record) *record {
	c := *r
	c.scalars = maps.Clone(r.scalars)
	if r.address != nil {
		a := *r.address
		a.parts = maps.Clone(r.address.parts)
		a.extra = maps.Clone(r.address.extra)
		c.address = &a
	}
	c.tags = slices.Clone(r.tags)
	c.notes = slices.Clone(r.notes)
	c.forms = slices.Clone(r.forms)
	c.custom = slices.Clone(r.custom)
	c.actions = slices.Clone(r.actions)
	c.extra = maps.Clone(r.extra)
	return &c
}
