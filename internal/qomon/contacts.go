package qomon

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
)

// CreateContact creates a contact (POST /contacts, 5 tokens) and returns it as Qomon stored it,
// id included. Read-only keys of in are not sent (see WithoutReadOnly).
//
// Qomon has no idempotency key, so a create is retried only when Qomon provably did not process
// it. When it may have (the answer was lost, a 5xx, an unreadable success) the error satisfies
// IsOutcomeUnknown: the contact may exist, and creating it again could make a duplicate.
func (c *Client) CreateContact(ctx context.Context, in Contact) (*Contact, error) {
	body, err := encodeContactEnvelope(in.WithoutReadOnly())
	if err != nil {
		return nil, fmt.Errorf("encoding the contact: %w", err)
	}
	r := request{method: http.MethodPost, path: "/contacts", body: body, create: true}
	res, err := c.do(ctx, r)
	if err != nil {
		return nil, err
	}
	out, err := decodeContactResponse(res.body)
	if err != nil {
		return nil, &OutcomeUnknownError{Method: r.method, Path: r.path, Err: c.unusable(r, res, err.Error())}
	}
	return out, nil
}

// GetContact reads one contact (GET /contacts/{id}, 1 token). A contact that does not exist
// gives an error for which IsNotFound is true.
func (c *Client) GetContact(ctx context.Context, id int64) (*Contact, error) {
	if id <= 0 {
		return nil, fmt.Errorf("invalid contact id %d: Qomon ids are positive integers", id)
	}
	r := request{method: http.MethodGet, path: contactPath(id)}
	res, err := c.do(ctx, r)
	if err != nil {
		return nil, err
	}
	return c.contactFrom(r, res, id)
}

// UpdateContact sends body as it is (PATCH /contacts/{id}, 5 tokens): absent fields are left
// out, Null fields go out as null, Unknown keys are written back. Qomon documents this PATCH as a
// full replacement (omitted fields are cleared): building the right body is the caller's job.
// It returns the contact as Qomon stored it.
func (c *Client) UpdateContact(ctx context.Context, id int64, body Contact) (*Contact, error) {
	if id <= 0 {
		return nil, fmt.Errorf("invalid contact id %d: Qomon ids are positive integers", id)
	}
	payload, err := encodeContactEnvelope(body)
	if err != nil {
		return nil, fmt.Errorf("encoding the contact: %w", err)
	}
	r := request{method: http.MethodPatch, path: contactPath(id), body: payload}
	res, err := c.do(ctx, r)
	if err != nil {
		return nil, err
	}
	return c.contactFrom(r, res, id)
}

// DeleteContact deletes a contact (DELETE /contacts/{id}, 1 token). A contact that does not
// exist gives an error for which IsNotFound is true; only that error (Qomon's own 404) may count
// as done, and the provider confirms it first.
func (c *Client) DeleteContact(ctx context.Context, id int64) error {
	if id <= 0 {
		return fmt.Errorf("invalid contact id %d: Qomon ids are positive integers", id)
	}
	_, err := c.do(ctx, request{method: http.MethodDelete, path: contactPath(id)})
	return err
}

func contactPath(id int64) string { return "/contacts/" + strconv.FormatInt(id, 10) }

// contactFrom decodes a get or update answer and checks it is the contact asked for.
func (c *Client) contactFrom(r request, res *response, id int64) (*Contact, error) {
	out, err := decodeContactResponse(res.body)
	if err != nil {
		return nil, c.unusable(r, res, err.Error())
	}
	if got := out.ID.Value; got != id {
		return nil, c.unusable(r, res, fmt.Sprintf("the answer is contact %d, not %d", got, id))
	}
	return out, nil
}
