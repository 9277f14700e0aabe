// Package qomon is a client for Qomon's contacts API (https://incoming.qomon.app), written from
// what Qomon publishes of it (https://developers.qomon.com). It imports nothing of Terraform.
//
// What it takes care of, so that its callers need not:
//
//   - Wire format. Contact and its parts decode every spelling and type Qomon has documented
//     (birthcity / birth_city, customfields / custom_fields, numbers as strings and strings as
//     numbers, notes as `content` or `data`, one object or an array, tags as objects or
//     strings, with or without the response envelope) and encode the current one. Opt keeps
//     absent, null and set apart; keys the client does not model survive a read-modify-write.
//   - Errors. Every answer it cannot use is an *APIError, whichever of Qomon's three error
//     formats (or none) the body holds, with a message that says what to do next.
//   - Rate limit. One Limiter, shaped like Qomon's bucket and shared by every request, paces a
//     large apply at the bucket's ceiling, follows the X-Ratelimit-* headers, and stops every
//     caller on a 429. A new Limiter does not assume the bucket is full (the previous provider
//     process may have emptied it): its first request goes alone, and the others wait for the
//     count in its answer.
//   - Retries. 429s, gateway errors and transport errors are retried with jittered backoff,
//     except a create that Qomon may have processed: Qomon has no idempotency key, so such a
//     create fails with an error for which IsOutcomeUnknown is true instead of risking a
//     duplicate contact.
//   - Secrets and personal data. The token goes to the configured host only, over TLS unless
//     the host is this machine; logs never carry it, and bodies are logged at trace level only,
//     through MaskBody.
package qomon
