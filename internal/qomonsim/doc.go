// Package qomonsim is a stateful, in-memory simulator of Qomon's public contacts API
// (see /work/shared/qomon-api.md), for tests, demos and users' own CI.
//
// It is an http.Handler speaking the documented wire format on its own terms: it imports
// nothing of this repository, so a key misspelt by the API client cannot be misspelt here
// as well.
//
// What it does, in short:
//   - POST /contacts, GET/PATCH/DELETE /contacts/{id}, POST /contacts/upsert, POST /search,
//     POST /kpi, GET /v1/forms/type/{type}, GET /forms/{id} and the older GET /forms/{type};
//   - bearer authentication (401 {"status":"fail","message":"Need authentication"});
//   - a token bucket per token with X-Ratelimit-* headers, 429 and Retry-After;
//   - validation answered with RFC 7807 problems whose errors[].location name the field;
//   - PATCH as a full replace (documented) or as a merge (Options.PatchMode);
//   - responses in the new or the old spelling (Options.Spelling); requests in either;
//   - deterministic geocoding, tag colours and counts, note ids, and form answers that get
//     fresh ids on every write and follow the radio/checkbox/free-text rules;
//   - injected faults (status, delay, connection reset, response dropped after processing);
//   - optionally, upserts applied after a delay and a search index that lags writes;
//   - a request log and direct access to the store, to assert what a client sent and what
//     Qomon ended up holding, and to edit or delete contacts "out of band".
//
// Rendering choices where Qomon is undocumented: unset scalars are left out of a contact,
// collections (tags, notes, formdatas, custom_fields, action_ids) are always arrays; mail is
// stored in lower case; birthdate is answered as YYYY-MM-DDT00:00:00Z; choice-form answers
// store the option's value as data whatever text was sent; PATCH and upsert move UpdatedAt
// but not lastchange, which only EditContact (a person in the app) moves.
package qomonsim
