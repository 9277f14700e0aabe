package qomon

import (
	"context"
	"encoding/json"
	"fmt"
)

// Stamp is what a sweep of a space keeps of each contact: its id, and when Qomon last wrote it
// (UpdatedAt as the search hit gives it; absent when the hit carries none).
type Stamp struct {
	ID        int64
	UpdatedAt Opt[string]
}

// stampFields reads a contact's id and UpdatedAt with the decoders and spellings of
// contactFields.
var stampFields = func() []objectField[Contact] {
	var out []objectField[Contact]
	for _, f := range contactFields {
		if f.keys[0] == "id" || f.keys[0] == "UpdatedAt" {
			out = append(out, f)
		}
	}
	return out
}()

// SweepOrder is the order of a sweep's pages: by lastchange, oldest first, which an API write
// does not move (Qomon's search pages are offsets over a live index, and an order that writes
// reshuffle would make contacts skip pages).
const SweepOrder = "lastchange"

// SweepPage reads page number page (from 0) of every contact of the space: POST /search with
// Qomon's match-all query, perPage contacts (1 to MaxPerPage), in SweepOrder, 1 token. It keeps
// each hit's id and UpdatedAt only, so that sweeping a large space costs little memory. A page
// shorter than perPage is the last.
func (c *Client) SweepPage(ctx context.Context, page, perPage int) ([]Stamp, error) {
	if perPage < 1 || perPage > MaxPerPage || page < 0 {
		return nil, fmt.Errorf("sweep page %d of %d contacts is out of range: Qomon serves 1 to %d contacts per page", page, perPage, MaxPerPage)
	}
	query, err := buildQuery(Query{Op: OpAll, Groups: []Group{}})
	if err != nil {
		return nil, err
	}
	r, err := searchPage(query, page, perPage, SweepOrder, true)
	if err != nil {
		return nil, err
	}
	return call(ctx, c, r, decodeStamps)
}

func decodeStamps(body []byte) ([]Stamp, error) {
	return searchHits(body, func(raw json.RawMessage, ct *Contact) error {
		var rest map[string]json.RawMessage
		return decodeObject(raw, stampFields, ct, &rest)
	}, func(id int64, ct Contact) Stamp { return Stamp{ID: id, UpdatedAt: ct.UpdatedAt} })
}
