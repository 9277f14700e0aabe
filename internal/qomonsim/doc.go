// Package qomonsim is a stateful, in-memory simulator of Qomon's public contacts API
// (https://developers.qomon.com, served at https://incoming.qomon.app), for tests, demos and
// users' own CI.
//
// It is an http.Handler speaking the documented wire format on its own terms: it imports
// nothing of this repository, so a key misspelt by the API client cannot be misspelt here
// as well.
//
// What it serves is what the provider calls: POST /contacts, GET/PATCH/DELETE
// /contacts/{id}, POST /search, POST /kpi (a search's count), GET /v1/forms/type/{type} and
// GET /forms/{id}; the admin endpoints under AdminPrefix; and
//   - bearer authentication (401 {"status":"fail","message":"Need authentication"}, the body
//     Qomon's imports reference gives);
//   - a token bucket per token with rate-limit headers, 429 and Retry-After (RateLimit);
//   - validation answered with RFC 7807 problems whose errors[].location name the field;
//   - PATCH as a full replace, as documented, or as a merge (Options.PatchMode);
//   - responses in the new or the old spelling (Options.Spelling); requests in either;
//   - deterministic geocoding, tag colours and counts, note ids, and form answers that get
//     fresh ids on every write and follow the radio/checkbox/free-text rules;
//   - injected faults (status, delay, connection reset, response dropped after processing);
//   - optionally, a search index that lags writes (Options.SearchLag);
//   - a request log and direct access to the store, to assert what a client sent and what
//     Qomon ended up holding, and to edit or delete contacts "out of band".
//
// Where Qomon is undocumented the simulator makes a choice, and where the provider's
// behaviour depends on that choice it is a switch (see Options and SettingKeys), checked
// against a real Qomon space by the conformance suite (internal/conformance):
//   - notes sent with their id keep it and their creation date; a note without an id is new
//     (Options.NoteIDs);
//   - an empty list clears it (Options.EmptyLists); an address without parts clears the
//     address (Options.EmptyAddress);
//   - a search hit carries every key a GET carries (Options.SearchOmits);
//   - the rate-limit headers are X-Ratelimit-Limit "burst:100;rate:10.0", -Remaining, -Cost
//     and -Reset (RateLimit.Headers);
//   - a missing contact's 404 is an RFC 7807 problem (Options.NotFoundBody); DELETE answers
//     204 and a later GET 404.
//
// Other rendering choices: unset scalars are left out of a contact, collections (tags,
// notes, formdatas, custom_fields, action_ids) are always arrays; mail is stored in lower
// case; birthdate is answered as YYYY-MM-DDT00:00:00Z; choice-form answers store the
// option's value as data whatever text was sent; PATCH moves UpdatedAt but not lastchange,
// which only EditContact (a person in the app) moves.
package qomonsim
