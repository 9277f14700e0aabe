package contact

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/qomon/terraform-provider-qomon/internal/contact/reconcile"
	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// The schema is derived from the registry: every field is an attribute at its path, writable
// fields are optional and computed, and nothing else is there.
func TestSchemaIsTheRegistry(t *testing.T) {
	ctx := context.Background()
	s := resourceSchema()
	if diags := s.ValidateImplementation(ctx); diags.HasError() {
		t.Fatalf("invalid schema: %v", diags)
	}
	for _, f := range reconcile.Fields {
		p := path.Root(f.Path)
		if g := f.Group(); g != "" {
			p = path.Root(g).AtName(f.Name)
		}
		a, diags := s.AttributeAtPath(ctx, p)
		if diags.HasError() {
			t.Errorf("%s is not in the schema: %v", f.Path, diags)
			continue
		}
		if f.Writable() && (!a.IsOptional() || !a.IsComputed()) {
			t.Errorf("%s: writable fields are optional and computed", f.Path)
		}
		if !f.Writable() && (a.IsOptional() || !a.IsComputed()) {
			t.Errorf("%s: computed fields are computed only", f.Path)
		}
		if a.GetMarkdownDescription() == "" {
			t.Errorf("%s has no description", f.Path)
		}
	}
	want := len(reconcile.Fields) - len(groupParts()) + len(reconcile.Groups)
	if n := len(s.Attributes); n != want {
		t.Errorf("the schema has %d top-level attributes, the registry %d", n, want)
	}
}

func groupParts() []reconcile.Field {
	var out []reconcile.Field
	for _, f := range reconcile.Fields {
		if f.Group() != "" {
			out = append(out, f)
		}
	}
	return out
}

// A contact goes to a Terraform value of the schema's type and comes back the same.
func TestConversionRoundTrip(t *testing.T) {
	ctx := context.Background()
	var c qomon.Contact
	if err := c.UnmarshalJSON([]byte(`{
		"id": 42, "group_id": 3, "user_id": 9, "CreatedAt": "2026-01-02T03:04:05.123456Z",
		"firstname": "Hélène", "mail": "ada@example.org", "age_category": 3, "black_list": true,
		"address": {"street": "rue de Rivoli", "postalcode": "01000", "latitude": "48.8", "score": 0.5, "invalid": false},
		"tags": [{"name": "a"}], "notes": [{"id": 7, "content": "hello", "pinned": true}],
		"formdatas": [{"form_id": 1, "form_ref_id": 10, "data": "yes"}], "action_ids": [5]
	}`)); err != nil {
		t.Fatal(err)
	}
	obj := reconcile.ObjectOf(reconcile.Canonical(c))
	v, err := terraformValue(ctx, obj, resourceSchema().Type())
	if err != nil {
		t.Fatal(err)
	}
	back, diags := valueOf(ctx, v)
	if diags.HasError() {
		t.Fatal(diags)
	}
	if got := reconcile.ObjectOf(reconcile.ContactOf(back.(reconcile.Object))); !sameObject(got, obj) {
		t.Errorf("round trip:\n got %v\nwant %v", got, obj)
	}
	// Text attributes carry their meaning, so that the framework's semantic equality applies it.
	mail := v.(basetypes.ObjectValue).Attributes()["mail"]
	if _, ok := mail.(textValue); !ok {
		t.Errorf("mail is a %T, want a textValue", mail)
	}
}

func sameObject(a, b reconcile.Object) bool {
	va, _ := terraformValue(context.Background(), a, resourceSchema().Type())
	vb, _ := terraformValue(context.Background(), b, resourceSchema().Type())
	return va != nil && va.Equal(vb)
}

// The framework keeps the prior value of a text attribute when the new one means the same.
func TestTextSemanticEquality(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		meaning  reconcile.Meaning
		old, new string
		want     bool
	}{
		{reconcile.Mail, "Ada@Example.org", "ada@example.org", true},
		{reconcile.Mail, "ada@example.org", "ada@example.com", false},
		{reconcile.Birthdate, "1990-02-28", "1990-02-28T00:00:00Z", true},
		{reconcile.Digits, "01000", "1000", true},
		{reconcile.Text, "Hélène", "He\u0301le\u0300ne", true},
		{reconcile.Text, "Paris", "paris", false},
	} {
		typ := typeOfText(tc.meaning).(textType)
		prior, _ := typ.ValueFromString(ctx, basetypes.NewStringValue(tc.old))
		next, _ := typ.ValueFromString(ctx, basetypes.NewStringValue(tc.new))
		got, diags := next.(textValue).StringSemanticEquals(ctx, prior)
		if diags.HasError() || got != tc.want {
			t.Errorf("%s: %q vs %q = %v, want %v", tc.meaning.Name, tc.old, tc.new, got, tc.want)
		}
	}
}

// The framework logs values and set element paths with String(): a text value never shows.
func TestTextValueHidesItsValue(t *testing.T) {
	ctx := context.Background()
	typ := typeOfText(reconcile.Mail).(textType)
	v, _ := typ.ValueFromString(ctx, basetypes.NewStringValue("secret@example.org"))
	if s := v.String(); strings.Contains(s, "secret") {
		t.Errorf("String() = %q", s)
	}
	if p := path.Root("tags").AtSetValue(v).String(); strings.Contains(p, "secret") {
		t.Errorf("path = %q", p)
	}
	null, _ := typ.ValueFromString(ctx, basetypes.NewStringNull())
	if null.String() != "<null>" {
		t.Errorf("null String() = %q", null.String())
	}
}

// Diagnostics point where Terraform can show them, and name the part in words.
func TestLocate(t *testing.T) {
	for _, tc := range []struct {
		in    path.Path
		point path.Path
		name  string
	}{
		{path.Root("mail"), path.Root("mail"), "mail"},
		{path.Root("address").AtName("city"), path.Root("address"), "address.city"},
		{path.Root("notes").AtListIndex(2).AtName("content"), path.Root("notes").AtListIndex(2), "notes[2].content"},
		{path.Root("tags").AtSetValue(basetypes.NewStringValue("secret")), path.Root("tags"), "An element of tags"},
		{path.Root("formdatas").AtSetValue(basetypes.NewStringValue("x")).AtName("form_id"), path.Root("formdatas"), "form_id of an element of formdatas"},
	} {
		point, name := locate(tc.in)
		if !point.Equal(tc.point) || name != tc.name {
			t.Errorf("%s -> %s %q, want %s %q", tc.in, point, name, tc.point, tc.name)
		}
	}
}
