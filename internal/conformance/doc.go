// Package conformance checks, against a Qomon API, each behaviour of Qomon's that the
// provider relies on and that Qomon's documentation leaves open: what PATCH does with fields
// it leaves out, whether note ids survive a PATCH, whether [] and an empty address clear,
// how far search lags writes and whether a search hit carries what GET carries, the key
// spellings and rate-limit headers Qomon answers with, and what a missing contact's 404 and
// a DELETE look like. Each check reports what was assumed and what was observed.
//
// The suite talks to Qomon through the provider's own client (internal/qomon) only; a
// recording http.RoundTripper under it keeps the raw answers (headers, error bodies) the
// client does not hand out, and counts the tokens spent.
//
// It is written to be safe in a real Qomon space:
//   - it reads and writes only contacts it creates, named Surname with a mail address that
//     starts with MailPrefix and the tag Tag;
//   - it deletes them before Run returns, also when its context is cancelled;
//   - it first deletes what an earlier run left behind (at most maxLeftovers per run), found
//     by a search and recognised by both the surname and the mail address;
//   - it never spends more than Budget() tokens, stated before it starts.
//
// The suite runs against the simulator (internal/qomonsim) in every mode in this package's
// tests, and against a real space with cmd/qomon-conformance (make conformance).
package conformance
