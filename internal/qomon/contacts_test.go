package qomon

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
)

func TestCreateContactSendsWritableFieldsOnly(t *testing.T) {
	srv := newFakeServer(t, reply(200, `{"status":"success","data":{"contact":{"id":12,"firstname":"Ada","CreatedAt":"2026-01-01T00:00:00.123456Z",`+
		`"address":{"postalcode":75001,"latitude":48.8}}}}`))
	c, _ := newTestClient(t, srv.URL)
	in := decodeContact(t, `{"id":99,"group_id":1,"CreatedAt":"x","firstname":"Ada","birthcity":"London","tags":[{"name":"a","color":"#fff"}],
		"address":{"postalcode":"75001","citycode":"75101"},"custom_fields":[{"id":5,"form_id":1,"form_ref_id":2}],"external_id":"e"}`)
	got, err := c.CreateContact(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID.Value != 12 || got.Address.Value.PostalCode.Value != "75001" || got.Address.Value.Latitude.Value != "48.8" {
		t.Errorf("decoded %#v", got)
	}
	r := srv.seen()[0]
	want := `{"data":{"contact":{"firstname":"Ada","birth_city":"London","address":{"postalcode":"75001"},"tags":[{"name":"a"}],` +
		`"custom_fields":[{"form_id":1,"form_ref_id":2}],"external_id":"e"}}}`
	if r.Method != "POST" || r.Path != "/contacts" || r.Body != want {
		t.Errorf("sent %s %s %s\nwant %s", r.Method, r.Path, r.Body, want)
	}
}

// UpdateContact is a transport: the body goes out exactly as the caller built it.
func TestUpdateContactSendsBodyAsGiven(t *testing.T) {
	srv := newFakeServer(t, reply(200, contactAnswer(7)))
	c, _ := newTestClient(t, srv.URL)
	body := Contact{Surname: Some("Martin"), Mail: Null[string](), Address: Some(Address{City: Some("Lyon")}),
		Extra: Extra{Unknown: map[string]json.RawMessage{"external_id": json.RawMessage(`"e"`)}}}
	if _, err := c.UpdateContact(context.Background(), 7, body); err != nil {
		t.Fatal(err)
	}
	r := srv.seen()[0]
	want := `{"data":{"contact":{"surname":"Martin","mail":null,"address":{"city":"Lyon"},"external_id":"e"}}}`
	if r.Method != "PATCH" || r.Path != "/contacts/7" || r.Body != want {
		t.Errorf("sent %s %s %s\nwant %s", r.Method, r.Path, r.Body, want)
	}
}

func TestGetAndDeleteContact(t *testing.T) {
	srv := newFakeServer(t,
		reply(200, `{"data":{"contact":{"id":"7","customfields":[{"form_id":1,"form_ref_id":2,"data":"x"}]}}}`),
		reply(204, ``),
		reply(404, `{"type":"about:blank","title":"Not Found","status":404,"detail":"contact not found"}`))
	c, _ := newTestClient(t, srv.URL)
	ctx := context.Background()
	got, err := c.GetContact(ctx, 7)
	if err != nil {
		t.Fatal(err)
	}
	if got.CustomFields.Value[0].Data.Value != "x" {
		t.Errorf("decoded %#v", got)
	}
	if err := c.DeleteContact(ctx, 7); err != nil {
		t.Fatal(err)
	}
	err = c.DeleteContact(ctx, 7)
	if !IsNotFound(err) {
		t.Errorf("second delete: %v", err)
	}
	if _, err := c.GetContact(ctx, 7); !IsNotFound(err) || !strings.Contains(err.Error(), "contact not found") {
		t.Errorf("get after delete: %v", err)
	}
	methods := []string{}
	for _, r := range srv.seen() {
		methods = append(methods, r.Method+" "+r.Path)
	}
	if strings.Join(methods, ",") != "GET /contacts/7,DELETE /contacts/7,DELETE /contacts/7,GET /contacts/7" {
		t.Errorf("requests %v", methods)
	}
}

// A success status whose body is not the contact asked for is an error, never a zero contact.
func TestUnusableSuccessAnswers(t *testing.T) {
	cases := map[string]http.HandlerFunc{
		"empty 200":          reply(200, ``),
		"{}":                 reply(200, `{}`),
		"no data.contact":    reply(200, `{"status":"success","data":{"contacts":[]}}`),
		"wrong types":        reply(200, `{"data":{"contact":{"id":7,"firstname":{"a":1}}}}`),
		"truncated JSON":     reply(200, `{"data":{"contact":{"id":7,"firstname":"Ada`),
		"another contact":    reply(200, contactAnswer(8)),
		"html":               reply(200, `<html><body>Welcome</body></html>`),
		"status fail in 200": reply(200, `{"status":"fail","message":"nope"}`),
		"oversized": func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(200)
			_, _ = w.Write([]byte(`{"data":{"contact":{"id":7,"x":"`))
			chunk := []byte(strings.Repeat("a", 1<<20))
			for range 9 {
				_, _ = w.Write(chunk)
			}
			_, _ = w.Write([]byte(`"}}}`))
		},
	}
	for name, h := range cases {
		t.Run(name, func(t *testing.T) {
			srv := newFakeServer(t, h)
			c, _ := newTestClient(t, srv.URL)
			got, err := c.GetContact(context.Background(), 7)
			var apiErr *APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != 200 {
				t.Fatalf("got %#v, %v", got, err)
			}
			if got != nil {
				t.Errorf("returned a contact with the error")
			}
			if name == "oversized" && (!apiErr.BodyTruncated || !strings.Contains(err.Error(), "8 MiB")) {
				t.Errorf("oversized: %v", err)
			}
			if len(err.Error()) > 2000 {
				t.Errorf("message of %d bytes", len(err.Error()))
			}
		})
	}
}

func TestValidationErrorsCarryFieldLocations(t *testing.T) {
	srv := newFakeServer(t, reply(422, `{"type":"about:blank","title":"Unprocessable Entity","status":422,"detail":"validation failed",`+
		`"errors":[{"location":"body.data.contact.mail","message":"expected an e-mail address","value":"nope"}]}`))
	c, _ := newTestClient(t, srv.URL)
	_, err := c.CreateContact(context.Background(), Contact{Mail: Some("nope")})
	var apiErr *APIError
	if !errors.As(err, &apiErr) || IsOutcomeUnknown(err) {
		t.Fatalf("got %v", err)
	}
	if len(apiErr.Errors) != 1 || apiErr.Errors[0].Location != "body.data.contact.mail" || apiErr.Errors[0].Value != "nope" {
		t.Errorf("field errors %#v", apiErr.Errors)
	}
	if len(srv.seen()) != 1 {
		t.Errorf("a 422 was retried")
	}
}

func TestInvalidIDsAreRefusedLocally(t *testing.T) {
	srv := newFakeServer(t, reply(200, contactAnswer(1)))
	c, _ := newTestClient(t, srv.URL)
	ctx := context.Background()
	for _, id := range []int64{0, -1} {
		if _, err := c.GetContact(ctx, id); err == nil {
			t.Errorf("GetContact(%d) accepted", id)
		}
		if _, err := c.UpdateContact(ctx, id, Contact{}); err == nil {
			t.Errorf("UpdateContact(%d) accepted", id)
		}
		if err := c.DeleteContact(ctx, id); err == nil {
			t.Errorf("DeleteContact(%d) accepted", id)
		}
		if _, err := c.GetForm(ctx, id); err == nil {
			t.Errorf("GetForm(%d) accepted", id)
		}
	}
	if n := len(srv.seen()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}
