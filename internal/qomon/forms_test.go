package qomon

import (
	"context"
	"reflect"
	"strings"
	"testing"
)

const formsAnswer = `{"status":"success","data":{"forms":[
  {"id":10,"label":"Consent e-mail","type":"radio","section":"consent","order":1,"mandatory":false,"hidden":false,"group_id":[1],
   "CreatedAt":"2022-01-01T00:00:00Z","refvalues":[{"id":11,"form_id":10,"label":"Yes","value":"yes","color":"#0f0"},{"id":12,"form_id":10,"label":"No","value":"no"}]},
  {"id":"20","label":"Job","type":"text","mandatory":"true","refvalues":[{"id":"21","form_id":"20","label":"Job","value":null}]},
  {"id":30,"label":"Range","type":"range","refvalues":null}
]}}`

func TestListForms(t *testing.T) {
	srv := newFakeServer(t, reply(200, formsAnswer))
	c, _ := newTestClient(t, srv.URL)
	forms, err := c.ListForms(context.Background(), "custom_fields")
	if err != nil {
		t.Fatal(err)
	}
	want := []Form{
		{ID: 10, Label: "Consent e-mail", Type: "radio", Section: "consent",
			RefValues: []RefValue{{ID: 11, FormID: 10, Label: "Yes", Value: "yes"}, {ID: 12, FormID: 10, Label: "No", Value: "no"}}},
		{ID: 20, Label: "Job", Type: "text", Mandatory: true, RefValues: []RefValue{{ID: 21, FormID: 20, Label: "Job"}}},
		{ID: 30, Label: "Range", Type: "range"},
	}
	if !reflect.DeepEqual(forms, want) {
		t.Errorf("got  %#v\nwant %#v", forms, want)
	}
	if r := srv.seen()[0]; r.Method != "GET" || r.Path != "/v1/forms/type/custom_fields" {
		t.Errorf("sent %s %s", r.Method, r.Path)
	}
	if _, err := c.ListForms(context.Background(), " "); err == nil {
		t.Error("empty type accepted")
	}
}

func TestListFormsEscapesTheType(t *testing.T) {
	srv := newFakeServer(t, reply(200, `{"data":{"forms":null}}`))
	c, _ := newTestClient(t, srv.URL)
	forms, err := c.ListForms(context.Background(), "a/b?c")
	if err != nil || forms == nil || len(forms) != 0 {
		t.Fatalf("got %#v, %v", forms, err)
	}
	if p := srv.seen()[0].Path; p != "/v1/forms/type/a/b?c" {
		t.Errorf("path %q", p) // decoded by the server: a single escaped segment
	}
}

func TestGetForm(t *testing.T) {
	srv := newFakeServer(t,
		reply(200, `{"status":"success","data":{"form":{"id":10,"label":"L","type":"checkbox","refvalues":[{"id":1,"form_id":10,"label":"A","value":"a"}]}}}`),
		reply(200, `{"data":{"id":10,"label":"L","type":"checkbox"}}`),
		reply(404, `{"status":"error","message":"record not found"}`))
	c, _ := newTestClient(t, srv.URL)
	ctx := context.Background()
	f, err := c.GetForm(ctx, 10)
	if err != nil || f.Label != "L" || len(f.RefValues) != 1 || f.RefValues[0].Value != "a" {
		t.Fatalf("got %#v, %v", f, err)
	}
	if f, err := c.GetForm(ctx, 10); err != nil || f.Type != "checkbox" {
		t.Errorf("form as data: %#v, %v", f, err)
	}
	if _, err := c.GetForm(ctx, 10); !IsNotFound(err) || !strings.Contains(err.Error(), "record not found") {
		t.Errorf("missing form: %v", err)
	}
	if p := srv.seen()[0].Path; p != "/forms/10" {
		t.Errorf("path %q", p)
	}
}

func TestFormAnswersThatAreNotForms(t *testing.T) {
	cases := map[string]string{
		`{"data":{}}`:                                 "no data.forms",
		`{"data":{"forms":{}}}`:                       "not an array",
		`{"data":{"forms":[{"label":"x"}]}}`:          "has no id",
		`{"data":{"forms":[{"id":1,"label":{}}]}}`:    "cannot be read",
		`{"data":{"forms":[{"id":1,"refvalues":5}]}}`: "cannot be read",
	}
	for body, want := range cases {
		srv := newFakeServer(t, reply(200, body))
		c, _ := newTestClient(t, srv.URL)
		if _, err := c.ListForms(context.Background(), "survey"); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v", body, err)
		}
	}
	for body, want := range map[string]string{
		`{"data":{"form":null}}`:      "not an object",
		`{"data":{"form":{"id":11}}}`: "form 11, not 10",
		`{"data":{"x":1}}`:            "no data.form",
	} {
		srv := newFakeServer(t, reply(200, body))
		c, _ := newTestClient(t, srv.URL)
		if _, err := c.GetForm(context.Background(), 10); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v", body, err)
		}
	}
}
