package contact

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/qomon/terraform-provider-qomon/internal/providerdata"
	"github.com/qomon/terraform-provider-qomon/internal/qomon"
	"github.com/qomon/terraform-provider-qomon/internal/qomonsim"
)

// What the acceptance tests cannot see through a CLI: warnings (the testing library does not
// expose them), and answers the simulator never gives. These tests call Read directly, with
// the real client against a server on 127.0.0.1.

func testClient(t *testing.T, url, token string) *qomon.Client {
	t.Helper()
	c, err := qomon.New(qomon.Config{Endpoint: url, Token: token, RateLimit: qomon.RateLimit{Disabled: true}, Retry: qomon.Retry{MaxRetries: 0}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// readWith runs a data source's Read on a configuration that sets the given attributes.
func readWith(t *testing.T, ds datasource.DataSource, set map[string]tftypes.Value) (*datasource.ReadResponse, tfsdk.State) {
	t.Helper()
	ctx := context.Background()
	var sr datasource.SchemaResponse
	ds.Schema(ctx, datasource.SchemaRequest{}, &sr)
	if sr.Diagnostics.HasError() {
		t.Fatal(sr.Diagnostics)
	}
	typ := sr.Schema.Type().TerraformType(ctx).(tftypes.Object)
	vals := make(map[string]tftypes.Value, len(typ.AttributeTypes))
	for name, at := range typ.AttributeTypes {
		if v, ok := set[name]; ok {
			vals[name] = v
		} else {
			vals[name] = tftypes.NewValue(at, nil)
		}
	}
	resp := &datasource.ReadResponse{State: tfsdk.State{Schema: sr.Schema, Raw: tftypes.NewValue(typ, nil)}}
	ds.Read(ctx, datasource.ReadRequest{Config: tfsdk.Config{Schema: sr.Schema, Raw: tftypes.NewValue(typ, vals)}}, resp)
	return resp, resp.State
}

func findDiag(diags diag.Diagnostics, severity diag.Severity, summary string) diag.Diagnostic {
	for _, d := range diags {
		if d.Severity() == severity && d.Summary() == summary {
			return d
		}
	}
	return nil
}

// The truncation warning is on max_results and says how many were kept.
func TestContactsReadWarnsWhenTruncated(t *testing.T) {
	sim, url := qomonsim.NewTestServer(t, qomonsim.Options{})
	for _, name := range []string{"A", "B", "C"} {
		sim.SeedContact(map[string]any{"firstname": name, "surname": "Cut"})
	}
	ds := &contactsDataSource{DataSource: providerdata.DataSource{Data: &providerdata.Data{Client: testClient(t, url, "test-token")}}}

	resp, state := readWith(t, ds, map[string]tftypes.Value{
		"surname":     tftypes.NewValue(tftypes.String, "Cut"),
		"max_results": tftypes.NewValue(tftypes.Number, 2),
	})
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	w := findDiag(resp.Diagnostics, diag.SeverityWarning, "Search result truncated")
	if w == nil {
		t.Fatalf("no truncation warning in %v", resp.Diagnostics)
	}
	if !strings.Contains(w.Detail(), "More than 2 contacts match") {
		t.Errorf("warning detail: %s", w.Detail())
	}
	if wp, ok := w.(diag.DiagnosticWithPath); !ok || !wp.Path().Equal(path.Root("max_results")) {
		t.Errorf("warning is not on max_results: %#v", w)
	}
	var m contactsModel
	if d := state.Get(context.Background(), &m); d.HasError() {
		t.Fatal(d)
	}
	if !m.Truncated.ValueBool() || len(m.IDs.Elements()) != 2 || len(m.Contacts.Elements()) != 2 {
		t.Errorf("truncated=%v ids=%d contacts=%d, want true, 2, 2", m.Truncated, len(m.IDs.Elements()), len(m.Contacts.Elements()))
	}

	// Exactly as many as the bound: no warning.
	resp, _ = readWith(t, ds, map[string]tftypes.Value{
		"surname":     tftypes.NewValue(tftypes.String, "Cut"),
		"max_results": tftypes.NewValue(tftypes.Number, 3),
	})
	if len(resp.Diagnostics) != 0 {
		t.Errorf("unexpected diagnostics: %v", resp.Diagnostics)
	}
}

// caseServer answers searches as a Qomon that keeps an address's capitals would: nothing for
// the exact operator, and for the loose one a contact whose address differs only by case.
func caseServer(t *testing.T, stored string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/search" {
			http.NotFound(w, r)
			return
		}
		body, _ := io.ReadAll(r.Body)
		contacts := []any{}
		if !strings.Contains(string(body), `"eql:strictdata"`) && strings.Contains(string(body), `"eql"`) {
			contacts = append(contacts, map[string]any{"id": 5, "mail": stored, "surname": "Case"},
				map[string]any{"id": 6, "mail": "other." + stored, "surname": "Other"})
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"status": "success", "data": map[string]any{"contacts": contacts}})
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// A failed exact lookup names the contacts that hold the address in other capitals, by id
// only: the address Qomon holds is personal data and is not repeated.
func TestContactReadNamesCaseVariants(t *testing.T) {
	url := caseServer(t, "Jane@Example.ORG")
	ds := &contactDataSource{DataSource: providerdata.DataSource{Data: &providerdata.Data{Client: testClient(t, url, "any")}}}
	resp, _ := readWith(t, ds, map[string]tftypes.Value{"mail": tftypes.NewValue(tftypes.String, "jane@example.org")})
	e := findDiag(resp.Diagnostics, diag.SeverityError, "Qomon contact not found")
	if e == nil {
		t.Fatalf("no not-found error in %v", resp.Diagnostics)
	}
	if !strings.Contains(e.Detail(), "Contact(s) 5 hold the same address written with other capitals") {
		t.Errorf("detail does not name contact 5: %s", e.Detail())
	}
	if strings.Contains(e.Detail(), "6") || strings.Contains(e.Detail(), "Jane@Example.ORG") {
		t.Errorf("detail names a contact with another address, or repeats Qomon's address: %s", e.Detail())
	}
}

// A search answer wider than asked (an address that merely starts like the one looked up) is
// not taken for a match.
func TestContactReadIgnoresWiderMatches(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"status": "success", "data": map[string]any{"contacts": []any{
			map[string]any{"id": 8, "mail": "jane@example.org.uk"},
		}}})
	}))
	t.Cleanup(srv.Close)
	ds := &contactDataSource{DataSource: providerdata.DataSource{Data: &providerdata.Data{Client: testClient(t, srv.URL, "any")}}}
	resp, _ := readWith(t, ds, map[string]tftypes.Value{"mail": tftypes.NewValue(tftypes.String, "jane@example.org")})
	if findDiag(resp.Diagnostics, diag.SeverityError, "Qomon contact not found") == nil {
		t.Fatalf("want not found, got %v", resp.Diagnostics)
	}
}

// Read before the provider is configured is an error, not a panic.
func TestDataSourcesUnconfigured(t *testing.T) {
	for _, ds := range []datasource.DataSource{&contactDataSource{}, &contactsDataSource{}} {
		resp, _ := readWith(t, ds, map[string]tftypes.Value{"mail": tftypes.NewValue(tftypes.String, "jane@example.org")})
		if findDiag(resp.Diagnostics, diag.SeverityError, "Provider not configured") == nil {
			t.Errorf("%T: got %v", ds, resp.Diagnostics)
		}
	}
}
