package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// probeDiagnostics says what the configuration check (qomon.Client.Probe) found wrong, as one
// error on the setting to fix: the key when Qomon refused it, the endpoint when what answered is
// not Qomon or nothing answered at all.
func probeDiagnostics(endpoint string, err error) diag.Diagnostics {
	apiErr, answered := errors.AsType[*qomon.APIError](err)
	var d diag.Diagnostic
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		d = diag.NewErrorDiagnostic("Qomon configuration check interrupted", err.Error())
	case answered && apiErr.FromQomon() &&
		(apiErr.StatusCode == http.StatusUnauthorized || apiErr.StatusCode == http.StatusForbidden):
		d = diag.NewAttributeErrorDiagnostic(path.Root("api_token"), "Qomon refused the API key",
			fmt.Sprintf("The provider checks its configuration with one request (POST /kpi, counting the space's contacts) "+
				"before it reads or writes any contact, and Qomon refused it:\n\n%s\n\nNothing was read or written.", err))
	case answered:
		d = diag.NewAttributeErrorDiagnostic(path.Root("endpoint"), "The endpoint does not answer like Qomon",
			fmt.Sprintf("The provider checks its configuration with one request to %s/kpi before it reads or writes any "+
				"contact, and the answer is not Qomon's (HTTP %d, %s):\n\n%s\n\nCheck the endpoint, base path included: Qomon's "+
				"API is %s. Nothing was read or written, and no contact was removed from the state.",
				endpoint, apiErr.StatusCode, answerShape(apiErr), err, qomon.DefaultEndpoint))
	default:
		d = diag.NewAttributeErrorDiagnostic(path.Root("endpoint"), "Cannot reach Qomon",
			fmt.Sprintf("The provider checks its configuration with one request to %s/kpi before it reads or writes any "+
				"contact, and it got no answer:\n\n%s\n\nCheck the endpoint and the network. Nothing was read or written.", endpoint, err))
	}
	return diag.Diagnostics{d}
}

// answerShape names what came back: the body's format, or why a success was unusable.
func answerShape(e *qomon.APIError) string {
	if e.StatusCode >= 200 && e.StatusCode < 300 && e.Detail != "" {
		return e.Detail
	}
	return e.Format.String()
}
