package qomonsim

import "time"

// record is a stored contact. Writable scalars and unknown keys live in maps keyed by their
// canonical name; everything Qomon computes is kept typed.
type record struct {
	id               int64
	createdAt        time.Time
	updatedAt        time.Time
	lastChange       time.Time
	userID           int64
	lastChangeUserID int64

	scalars map[string]any // canonical key -> string | bool | int64
	address *storedAddress
	tags    []string
	notes   []storedNote
	forms   []storedAnswer // formdatas
	custom  []storedAnswer // custom_fields
	actions []int64
	extra   map[string]any // unknown keys, stored and echoed as they came
}

type storedAddress struct {
	id    int64
	parts map[string]string // writable parts, as strings
	extra map[string]any
	geo   geocode
}

type storedNote struct {
	id        int64
	content   string
	pinned    bool
	createdAt time.Time
	updatedAt time.Time
}

type storedAnswer struct {
	id        int64
	formID    int64
	formRefID int64
	data      string
	date      *time.Time
	surveyID  *int64
	createdAt time.Time
}

// ids hands out the identifiers of everything the store creates.
type ids struct {
	contact, address, note, answer int64
}
