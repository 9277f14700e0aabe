package contact

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/qomon/terraform-provider-qomon/internal/contact/reconcile"
	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// apiDiagnostics turns a client error into diagnostics. A validation error from Qomon (an
// APIError with errors[].location) becomes one diagnostic per field, on the attribute the
// location names, so that Terraform points at the line of the configuration; anything else is
// one error with Qomon's message. Values from Qomon's answer are never repeated: they may be
// personal data.
func apiDiagnostics(summary string, err error) diag.Diagnostics {
	var diags diag.Diagnostics
	apiErr, ok := errors.AsType[*qomon.APIError](err)
	if !ok || len(apiErr.Errors) == 0 {
		diags.AddError(summary, err.Error())
		return diags
	}
	detail := apiErr.Title
	if apiErr.Detail != "" {
		detail = apiErr.Detail
	}
	var general []string
	for _, fe := range apiErr.Errors {
		p, name, ok := attributePath(fe.Location)
		if !ok {
			general = append(general, strings.TrimSpace(fe.Location+": "+fe.Message))
			continue
		}
		diags.AddAttributeError(p, summary,
			fmt.Sprintf("Qomon refused %s (HTTP %d %s): %s", name, apiErr.StatusCode, http.StatusText(apiErr.StatusCode), fe.Message))
	}
	if len(general) > 0 || !diags.HasError() {
		msg := fmt.Sprintf("Qomon refused the request (HTTP %d): %s", apiErr.StatusCode, detail)
		if len(general) > 0 {
			msg += "\n\n" + strings.Join(general, "\n")
		}
		diags.AddError(summary, msg)
	}
	return diags
}

// attributePath reads a problem location such as "body.data.contact.address.city" or
// "body.data.contact.notes[1].content" (or a JSend field name such as "mail") into where a
// diagnostic can point (see locate) and the attribute's full name for its text. Only writable
// attributes are returned (reconcile.FieldAtLocation): a location naming anything else is
// reported as a general error.
func attributePath(location string) (path.Path, string, bool) {
	loc, ok := reconcile.FieldAtLocation(location)
	if !ok {
		return path.Empty(), "", false
	}
	parent, child, nested := strings.Cut(loc.Field, ".")
	p := path.Root(parent)
	if nested {
		p = p.AtName(child)
	}
	if loc.Index >= 0 {
		p = p.AtListIndex(loc.Index)
		if loc.Elem != "" {
			p = p.AtName(loc.Elem)
		}
	}
	point, name := locate(p)
	return point, name, true
}
