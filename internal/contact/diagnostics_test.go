package contact

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

func TestAttributePath(t *testing.T) {
	cases := []struct {
		location string
		want     path.Path
		name     string
		ok       bool
	}{
		{"body.data.contact.mail", path.Root("mail"), "mail", true},
		{"body.data.contact.birthcity", path.Root("birth_city"), "birth_city", true},
		{"body.data.contact.birth_city", path.Root("birth_city"), "birth_city", true},
		{"body.data.contact.age_category", path.Root("age_category"), "age_category", true},
		// Terraform can only show a top-level attribute or a list element: an address part is
		// named in words, on the address.
		{"body.data.contact.address.city", path.Root("address"), "address.city", true},
		{"body.data.contact.address.postal_code", path.Root("address"), "address.postalcode", true},
		{"body.data.contact.address.latitude", path.Root("address"), "address", true},
		{"body.data.contact.notes[1].content", path.Root("notes").AtListIndex(1), "notes[1].content", true},
		{"body.data.contact.notes[0].data", path.Root("notes").AtListIndex(0), "notes[0].content", true},
		{"body.data.contact.tags[2].name", path.Root("tags"), "tags", true},
		{"body.data.contact.custom_fields[0].form_id", path.Root("custom_fields"), "custom_fields", true},
		{"body.data.contact.customfields[0].data", path.Root("custom_fields"), "custom_fields", true},
		{"body.data.contact.actions_ids", path.Root("action_ids"), "action_ids", true},
		{"mail", path.Root("mail"), "mail", true}, // JSend
		{"body.data.contact.id", path.Empty(), "", false},
		{"body.data.contact.CreatedAt", path.Empty(), "", false},
		{"body.data.advanced_search.per_page", path.Empty(), "", false},
		{"", path.Empty(), "", false},
	}
	for _, c := range cases {
		got, name, ok := attributePath(c.location)
		if ok != c.ok || !got.Equal(c.want) || name != c.name {
			t.Errorf("%q -> %s %q, %v; want %s %q, %v", c.location, got, name, ok, c.want, c.name, c.ok)
		}
	}
}

func TestAPIDiagnostics(t *testing.T) {
	t.Run("field errors land on their attributes", func(t *testing.T) {
		err := fmt.Errorf("wrapped: %w", &qomon.APIError{
			Method: "POST", Path: "/contacts", StatusCode: 422, Title: "Unprocessable Entity", Detail: "validation failed",
			Errors: []qomon.FieldError{
				{Location: "body.data.contact.mail", Message: "expected a valid e-mail address", Value: "secret@example.org"},
				{Location: "body.data.contact.address.city", Message: "too long"},
				{Location: "body.data.somewhere", Message: "odd"},
			},
		})
		diags := apiDiagnostics("Cannot create the contact", err)
		if len(diags) != 3 {
			t.Fatalf("%d diagnostics: %v", len(diags), diags)
		}
		paths := map[string]bool{}
		for _, d := range diags {
			if wp, ok := d.(diag.DiagnosticWithPath); ok {
				paths[wp.Path().String()] = true
			}
			if strings.Contains(d.Detail(), "secret@example.org") {
				t.Errorf("the rejected value leaked into %q", d.Detail())
			}
		}
		if !paths["mail"] || !paths["address"] {
			t.Errorf("paths = %v", paths)
		}
		if d := diags[1].Detail(); !strings.Contains(d, "Qomon refused address.city") {
			t.Errorf("the address error does not name the part: %q", d)
		}
		if general := diags[2]; !strings.Contains(general.Detail(), "body.data.somewhere: odd") {
			t.Errorf("general error = %q", general.Detail())
		}
	})
	t.Run("other errors are one error with the client's message", func(t *testing.T) {
		diags := apiDiagnostics("Cannot read the contact", &qomon.APIError{Method: "GET", Path: "/contacts/1", StatusCode: 500})
		if len(diags) != 1 || !diags.HasError() || !strings.Contains(diags[0].Detail(), "GET /contacts/1") {
			t.Errorf("diags = %v", diags)
		}
	})
}
