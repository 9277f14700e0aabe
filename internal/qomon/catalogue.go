package qomon

import (
	"context"
	"sync"
)

// FormTypes are the form families Qomon lists under GET /v1/forms/type/{type}
// (https://developers.qomon.com/pages/v1/reference/forms/overview). Answers to custom_fields
// forms travel in a contact's custom_fields, answers to the others in its formdatas.
var FormTypes = []string{"consent", "level_of_support", "presence_status", "custom_fields", "survey", "tasks"}

// CustomFields is the family whose answers travel in a contact's custom_fields.
const CustomFields = "custom_fields"

// FormCatalogue lists a space's forms once: each family is fetched (ListForms, 1 request) the
// first time something asks for it, and the answer, or the error, is kept for the catalogue's
// lifetime. A provider process keeps one, so that a hundred contacts with form answers, or a
// hundred qomon_form lookups, cost one request per family. Callers asking at the same time
// wait for the one request.
type FormCatalogue struct {
	client *Client
	mu     sync.Mutex
	byType map[string]*formList
}

type formList struct {
	done  chan struct{}
	forms []Form
	err   error
}

// NewFormCatalogue returns an empty catalogue that lists forms through c.
func NewFormCatalogue(c *Client) *FormCatalogue {
	return &FormCatalogue{client: c, byType: map[string]*formList{}}
}

// Forms returns the forms of one family. An error from a request that ctx cut short is not
// kept: the next caller asks again.
func (fc *FormCatalogue) Forms(ctx context.Context, formType string) ([]Form, error) {
	for {
		fc.mu.Lock()
		l, ok := fc.byType[formType]
		if !ok {
			l = &formList{done: make(chan struct{})}
			fc.byType[formType] = l
			fc.mu.Unlock()
			l.forms, l.err = fc.client.ListForms(ctx, formType)
			if l.err != nil && ctx.Err() != nil {
				fc.mu.Lock()
				delete(fc.byType, formType)
				fc.mu.Unlock()
			}
			close(l.done)
			return l.forms, l.err
		}
		fc.mu.Unlock()
		select {
		case <-l.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		fc.mu.Lock()
		kept := fc.byType[formType] == l
		fc.mu.Unlock()
		if kept {
			return l.forms, l.err
		}
	}
}
