package contact

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// apiDiagnostics turns a client error into diagnostics. A validation error from Qomon (an
// APIError with errors[].location) becomes one diagnostic per field, on the attribute the
// location names, so that Terraform points at the line of the configuration; anything else is
// one error with Qomon's message. Values from Qomon's answer are never repeated: they may be
// personal data.
func apiDiagnostics(summary string, err error) diag.Diagnostics {
	var diags diag.Diagnostics
	var apiErr *qomon.APIError
	if !errors.As(err, &apiErr) || len(apiErr.Errors) == 0 {
		diags.AddError(summary, err.Error())
		return diags
	}
	detail := apiErr.Title
	if apiErr.Detail != "" {
		detail = apiErr.Detail
	}
	var general []string
	for _, fe := range apiErr.Errors {
		p, ok := attributePath(fe.Location)
		if !ok {
			general = append(general, strings.TrimSpace(fe.Location+": "+fe.Message))
			continue
		}
		diags.AddAttributeError(p, summary,
			fmt.Sprintf("Qomon refused %s (HTTP %d %s): %s", p, apiErr.StatusCode, http.StatusText(apiErr.StatusCode), fe.Message))
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

// wireNames maps the keys Qomon uses in a contact (both spellings seen in its documentation)
// to attribute names where the two differ.
var wireNames = map[string]string{
	"birthcity":    "birth_city",
	"birthdept":    "birth_dept",
	"birthcountry": "birth_country",
	"customfields": "custom_fields",
	"actions_ids":  "action_ids",
	"age_cat":      "age_category",
	"house_number": "housenumber",
	"postal_code":  "postalcode",
}

// attributePath reads a problem location such as "body.data.contact.address.city" or
// "body.data.contact.notes[1].content" (or a JSend field name such as "mail") into the
// attribute it names. Only writable attributes are returned: a location naming anything else
// is reported as a general error.
func attributePath(location string) (path.Path, bool) {
	rest := location
	if i := strings.Index(rest, "contact."); i >= 0 {
		rest = rest[i+len("contact."):]
	}
	// Split "notes[1].content" into names and indexes.
	rest = strings.ReplaceAll(rest, "[", ".")
	rest = strings.ReplaceAll(rest, "]", "")
	parts := strings.Split(rest, ".")
	name := parts[0]
	if alias, ok := wireNames[name]; ok {
		name = alias
	}
	switch name {
	case "address":
		if len(parts) < 2 {
			return path.Root("address"), true
		}
		part := parts[1]
		if alias, ok := wireNames[part]; ok {
			part = alias
		}
		if _, ok := fieldByKey("address." + part); ok {
			return path.Root("address").AtName(part), true
		}
		return path.Root("address"), true
	case "notes":
		p := path.Root("notes")
		if len(parts) >= 2 {
			if i, err := strconv.Atoi(parts[1]); err == nil && i >= 0 {
				p = p.AtListIndex(i)
				if len(parts) >= 3 && (parts[2] == "content" || parts[2] == "data") {
					p = p.AtName("content")
				} else if len(parts) >= 3 && parts[2] == "pinned" {
					p = p.AtName("pinned")
				}
			}
		}
		return p, true
	}
	// Sets (tags, form answers, action ids) have no index a diagnostic could point at: the
	// whole attribute is named.
	if _, ok := fieldByKey(name); ok {
		return path.Root(name), true
	}
	return path.Empty(), false
}
