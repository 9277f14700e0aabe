package contact

import (
	"context"
	"fmt"
	"net/mail"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// The validators in this file catch at plan time what Qomon would refuse at apply time (or
// worse, store), and name the attribute in the message.

// notBlank refuses empty and whitespace-only text. An attribute that should hold no value is
// left out of the configuration instead; Qomon's own empty strings are read as "no value".
type notBlank struct{}

var _ validator.String = notBlank{}

func (notBlank) Description(context.Context) string { return "must not be empty" }

func (v notBlank) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (notBlank) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if strings.TrimSpace(req.ConfigValue.ValueString()) == "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Empty value",
			fmt.Sprintf("%s must not be empty. To leave it without a value, remove the attribute from the configuration.", req.Path))
	}
}

// mailValidator accepts a bare e-mail address (jane@example.org), not a display name
// ("Jane <jane@example.org>") nor anything without a domain.
type mailValidator struct{}

var _ validator.String = mailValidator{}

func (mailValidator) Description(context.Context) string {
	return "must be an e-mail address such as jane@example.org"
}

func (v mailValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (mailValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if !validMail(req.ConfigValue.ValueString()) {
		// The value itself is personal data: the message does not repeat it.
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid e-mail address",
			fmt.Sprintf("%s must be a bare e-mail address such as jane@example.org, without a display name, spaces or angle brackets.", req.Path))
	}
}

func validMail(s string) bool {
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Name != "" || addr.Address != s {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	return at > 0 && at < len(s)-1
}

// dateValidator accepts YYYY-MM-DD or an RFC 3339 timestamp.
type dateValidator struct{}

var _ validator.String = dateValidator{}

func (dateValidator) Description(context.Context) string {
	return "must be a date (YYYY-MM-DD) or an RFC 3339 timestamp"
}

func (v dateValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (dateValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	v := req.ConfigValue.ValueString()
	if _, ok := parseTime(v); !ok || v != strings.TrimSpace(v) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid date",
			fmt.Sprintf("%s must be a date written YYYY-MM-DD (1984-03-21) or an RFC 3339 timestamp (1984-03-21T00:00:00Z).", req.Path))
	}
}

// addressNotEmpty refuses an address that sets no part: `address = {}` would manage nothing
// and leave the plan unable to settle. Leave address out instead.
type addressNotEmpty struct{}

var _ validator.Object = addressNotEmpty{}

func (addressNotEmpty) Description(context.Context) string {
	return "must set at least one address part"
}

func (v addressNotEmpty) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (addressNotEmpty) ValidateObject(_ context.Context, req validator.ObjectRequest, resp *validator.ObjectResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	attrs := req.ConfigValue.Attributes()
	for _, name := range addressInputs {
		if v, ok := attrs[name]; ok && !v.IsNull() {
			return
		}
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Empty address",
		fmt.Sprintf("%s sets no part of the address. Set at least one part (street, city...), or leave %s out of the configuration.", req.Path, req.Path))
}
