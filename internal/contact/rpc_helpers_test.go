package contact_test

import (
	"context"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/qomon/terraform-provider-qomon/internal/acctest"
	"github.com/qomon/terraform-provider-qomon/internal/qomonsim"
)

// The provider as Terraform sees it, in process: the tests below call its protocol 6 RPCs
// (configure, list, import, read, validate) the way a CLI would, without a CLI. They cover
// what no CLI on these machines can run (`terraform query` needs Terraform 1.14) and what a
// CLI hides (the raw stream, warnings, the identity a CLI would store).

// rpcProvider is one configured provider server.
type rpcProvider struct {
	t      *testing.T
	server listServer
	schema *tfprotov6.GetProviderSchemaResponse
	// identity is the identity type of qomon_contact.
	identity tftypes.Type
}

// newRPCProvider starts the provider of env, fetches its schemas and configures it with an
// empty provider block (env supplies the endpoint and token).
func newRPCProvider(t *testing.T, env *acctest.Env) *rpcProvider {
	t.Helper()
	ctx := context.Background()
	server := startServer(t, env)
	schema, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	failOnDiags(t, "GetProviderSchema", schema.Diagnostics)
	ids, err := server.GetResourceIdentitySchemas(ctx, &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		t.Fatal(err)
	}
	failOnDiags(t, "GetResourceIdentitySchemas", ids.Diagnostics)
	idSchema, ok := ids.IdentitySchemas["qomon_contact"]
	if !ok {
		t.Fatal("qomon_contact has no identity schema")
	}
	p := &rpcProvider{t: t, server: server, schema: schema, identity: idSchema.ValueType()}
	cfg := p.dynamic(schema.Provider.ValueType(), nil)
	resp, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{
		TerraformVersion: "1.14.0", Config: p.encode(schema.Provider.ValueType(), cfg),
	})
	if err != nil {
		t.Fatal(err)
	}
	failOnDiags(t, "ConfigureProvider", resp.Diagnostics)
	return p
}

// listServer is a provider server with the list resource RPCs, which terraform-plugin-go
// v0.31.0 keeps out of tfprotov6.ProviderServer.
type listServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
}

// startServer starts the provider of env, which serves list resources.
func startServer(t *testing.T, env *acctest.Env) listServer {
	t.Helper()
	server, err := env.Factories["qomon"]()
	if err != nil {
		t.Fatal(err)
	}
	ls, ok := server.(listServer)
	if !ok {
		t.Fatalf("%T serves no list resources", server)
	}
	return ls
}

// dynamic builds an object of type typ whose attributes are set (the others null).
func (p *rpcProvider) dynamic(typ tftypes.Type, set map[string]tftypes.Value) *tftypes.Value {
	p.t.Helper()
	obj := typ.(tftypes.Object)
	vals := make(map[string]tftypes.Value, len(obj.AttributeTypes))
	for name, at := range obj.AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
	}
	for name, v := range set {
		if _, ok := obj.AttributeTypes[name]; !ok {
			p.t.Fatalf("no attribute %q in %s", name, typ)
		}
		vals[name] = v
	}
	v := tftypes.NewValue(typ, vals)
	return &v
}

func (p *rpcProvider) encode(typ tftypes.Type, v *tftypes.Value) *tfprotov6.DynamicValue {
	p.t.Helper()
	dv, err := tfprotov6.NewDynamicValue(typ, *v)
	if err != nil {
		p.t.Fatal(err)
	}
	return &dv
}

// listType is the type of the qomon_contact list block's config.
func (p *rpcProvider) listType() tftypes.Type {
	s, ok := p.schema.ListResourceSchemas["qomon_contact"]
	if !ok {
		p.t.Fatal("the provider serves no qomon_contact list resource")
	}
	return s.ValueType()
}

func (p *rpcProvider) resourceType() tftypes.Type {
	return p.schema.ResourceSchemas["qomon_contact"].ValueType()
}

// readDataSource reads data source typeName configured with set, as a plan does, and returns
// its attributes.
func (p *rpcProvider) readDataSource(typeName string, set map[string]tftypes.Value) map[string]tftypes.Value {
	p.t.Helper()
	s, ok := p.schema.DataSourceSchemas[typeName]
	if !ok {
		p.t.Fatalf("the provider serves no %s data source", typeName)
	}
	typ := s.ValueType()
	resp, err := p.server.ReadDataSource(context.Background(), &tfprotov6.ReadDataSourceRequest{
		TypeName: typeName, Config: p.encode(typ, p.dynamic(typ, set)),
	})
	if err != nil {
		p.t.Fatal(err)
	}
	failOnDiags(p.t, "ReadDataSource "+typeName, resp.Diagnostics)
	state, err := resp.State.Unmarshal(typ)
	if err != nil {
		p.t.Fatal(err)
	}
	var attrs map[string]tftypes.Value
	if err := state.As(&attrs); err != nil {
		p.t.Fatal(err)
	}
	return attrs
}

// listed is one result of a list stream, decoded.
type listed struct {
	id          int64 // 0 when the result has no identity
	displayName string
	resource    *tftypes.Value // nil when the result has no resource object
	diags       []*tfprotov6.Diagnostic
}

// listRequest is a list block: its config attributes, include_resource and limit.
type listRequest struct {
	config          map[string]tftypes.Value
	includeResource bool
	limit           int64
}

// list calls ListResource and reads the whole stream.
func (p *rpcProvider) list(req listRequest) []listed {
	p.t.Helper()
	ctx := context.Background()
	typ := p.listType()
	stream, err := p.server.ListResource(ctx, &tfprotov6.ListResourceRequest{
		TypeName: "qomon_contact", Config: p.encode(typ, p.dynamic(typ, req.config)),
		IncludeResource: req.includeResource, Limit: req.limit,
	})
	if err != nil {
		p.t.Fatal(err)
	}
	var out []listed
	for r := range stream.Results {
		l := listed{displayName: r.DisplayName, diags: r.Diagnostics}
		if r.Identity != nil && r.Identity.IdentityData != nil {
			l.id = p.identityID(r.Identity)
		}
		if r.Resource != nil {
			v, err := r.Resource.Unmarshal(p.resourceType())
			if err != nil {
				p.t.Fatal(err)
			}
			if !v.IsNull() {
				l.resource = &v
			}
		}
		out = append(out, l)
	}
	return out
}

// identityID reads the id out of an identity.
func (p *rpcProvider) identityID(identity *tfprotov6.ResourceIdentityData) int64 {
	p.t.Helper()
	v, err := identity.IdentityData.Unmarshal(p.identity)
	if err != nil {
		p.t.Fatal(err)
	}
	return objectID(p.t, v)
}

// objectID reads the id attribute of an identity or a state.
func objectID(t *testing.T, v tftypes.Value) int64 {
	t.Helper()
	var attrs map[string]tftypes.Value
	if err := v.As(&attrs); err != nil {
		t.Fatal(err)
	}
	var n big.Float
	if err := attrs["id"].As(&n); err != nil {
		t.Fatal(err)
	}
	id, _ := n.Int64()
	return id
}

// identityOf builds the identity {id = id}.
func (p *rpcProvider) identityOf(id int64) *tfprotov6.ResourceIdentityData {
	v := tftypes.NewValue(p.identity, map[string]tftypes.Value{"id": tftypes.NewValue(tftypes.Number, id)})
	return &tfprotov6.ResourceIdentityData{IdentityData: p.encode(p.identity, &v)}
}

// imported is a resource after ImportResourceState then ReadResource, as a CLI runs them for
// an import block.
type imported struct {
	state    tftypes.Value
	identity int64
	diags    []*tfprotov6.Diagnostic
}

// importAndRead imports by id (importID != "") or by identity, then reads, and returns what
// the read put in state.
func (p *rpcProvider) importAndRead(importID string, identity *tfprotov6.ResourceIdentityData) imported {
	p.t.Helper()
	ctx := context.Background()
	ir, err := p.server.ImportResourceState(ctx, &tfprotov6.ImportResourceStateRequest{TypeName: "qomon_contact", ID: importID, Identity: identity})
	if err != nil {
		p.t.Fatal(err)
	}
	if hasError(ir.Diagnostics) || len(ir.ImportedResources) != 1 {
		return imported{diags: ir.Diagnostics}
	}
	got := ir.ImportedResources[0]
	rr, err := p.server.ReadResource(ctx, &tfprotov6.ReadResourceRequest{
		TypeName: "qomon_contact", CurrentState: got.State, Private: got.Private, CurrentIdentity: got.Identity,
	})
	if err != nil {
		p.t.Fatal(err)
	}
	out := imported{diags: append(ir.Diagnostics, rr.Diagnostics...)}
	if rr.NewState != nil {
		if out.state, err = rr.NewState.Unmarshal(p.resourceType()); err != nil {
			p.t.Fatal(err)
		}
	}
	if rr.NewIdentity != nil && rr.NewIdentity.IdentityData != nil {
		out.identity = p.identityID(rr.NewIdentity)
	}
	return out
}

func hasError(diags []*tfprotov6.Diagnostic) bool {
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return true
		}
	}
	return false
}

func diagsText(diags []*tfprotov6.Diagnostic) string {
	var b strings.Builder
	for _, d := range diags {
		fmt.Fprintf(&b, "[%s] %s: %s\n", d.Severity, d.Summary, d.Detail)
	}
	return b.String()
}

func failOnDiags(t *testing.T, what string, diags []*tfprotov6.Diagnostic) {
	t.Helper()
	if hasError(diags) {
		t.Fatalf("%s:\n%s", what, diagsText(diags))
	}
}

func str(s string) tftypes.Value   { return tftypes.NewValue(tftypes.String, s) }
func boolean(b bool) tftypes.Value { return tftypes.NewValue(tftypes.Bool, b) }

func strconv64(n int64) string { return strconv.FormatInt(n, 10) }

// The identity of qomon_contact through the provider's RPCs, for what the acceptance tests
// cannot reach: a state without identity (written by Terraform 1.5 or a provider release
// before identity), and identities a CLI would refuse before asking the provider.

// Import by identity, by id and by e-mail address all end with the same state and identity.
func TestIdentity_import(t *testing.T) {
	env := acctest.Parallel(t, qomonsim.Options{})
	id := env.Sim.SeedContact(map[string]any{"firstname": "Ada", "surname": "Lovelace", "mail": "ada@example.org"})
	p := newRPCProvider(t, env)
	byIdentity := p.importAndRead("", p.identityOf(id))
	for name, got := range map[string]imported{
		"identity": byIdentity,
		"id":       p.importAndRead(strconv64(id), nil),
		"mail":     p.importAndRead("mail:ada@example.org", nil),
	} {
		failOnDiags(t, name, got.diags)
		if got.identity != id || objectID(t, got.state) != id {
			t.Errorf("import by %s: identity %d, state id %d, want %d", name, got.identity, objectID(t, got.state), id)
		}
		if !got.state.Equal(byIdentity.state) {
			t.Errorf("import by %s reads another state than import by identity", name)
		}
	}
}

// An identity that cannot be a Qomon id is refused before any request; one that names no
// contact imports nothing, as an import by id does.
func TestIdentity_importRefuses(t *testing.T) {
	env := acctest.Parallel(t, qomonsim.Options{})
	p := newRPCProvider(t, env)
	env.Sim.ResetRequests()
	for _, bad := range []int64{0, -4} {
		got := p.importAndRead("", p.identityOf(bad))
		if !hasError(got.diags) || !strings.Contains(diagsText(got.diags), "Invalid import identity") {
			t.Errorf("identity id %d: %s", bad, diagsText(got.diags))
		}
	}
	null := tftypes.NewValue(p.identity, map[string]tftypes.Value{"id": tftypes.NewValue(tftypes.Number, nil)})
	got := p.importAndRead("", &tfprotov6.ResourceIdentityData{IdentityData: p.encode(p.identity, &null)})
	if !hasError(got.diags) || !strings.Contains(diagsText(got.diags), "Invalid import identity") {
		t.Errorf("null identity id: %s", diagsText(got.diags))
	}
	if reqs := env.Sim.Requests(); len(reqs) != 0 {
		t.Errorf("invalid identities sent %s", requestsLine(reqs))
	}

	got = p.importAndRead("", p.identityOf(99999999))
	if hasError(got.diags) || !got.state.IsNull() || !strings.Contains(diagsText(got.diags), "there is nothing to import") {
		t.Errorf("a missing contact: state %v, diagnostics\n%s", got.state, diagsText(got.diags))
	}
}

// A state without identity (from Terraform 1.5, which drops it, or from a provider release
// before identity) gets its identity on the next read; a contact deleted in Qomon leaves the
// state without the framework's "missing identity" error.
func TestIdentity_readFillsAMissingIdentity(t *testing.T) {
	env := acctest.Parallel(t, qomonsim.Options{})
	id := env.Sim.SeedContact(map[string]any{"surname": "Lovelace"})
	p := newRPCProvider(t, env)
	imp := p.importAndRead(strconv64(id), nil)
	failOnDiags(t, "import", imp.diags)
	state := p.encode(p.resourceType(), &imp.state)

	read := func() *tfprotov6.ReadResourceResponse {
		rr, err := p.server.ReadResource(context.Background(), &tfprotov6.ReadResourceRequest{TypeName: "qomon_contact", CurrentState: state})
		if err != nil {
			t.Fatal(err)
		}
		return rr
	}
	rr := read()
	failOnDiags(t, "read", rr.Diagnostics)
	if rr.NewIdentity == nil || p.identityID(rr.NewIdentity) != id {
		t.Fatalf("read without a prior identity returned identity %+v", rr.NewIdentity)
	}

	env.Sim.DeleteContact(id)
	rr = read()
	failOnDiags(t, "read of a deleted contact", rr.Diagnostics)
	v, err := rr.NewState.Unmarshal(p.resourceType())
	if err != nil {
		t.Fatal(err)
	}
	if !v.IsNull() || !strings.Contains(diagsText(rr.Diagnostics), "Contact no longer exists") {
		t.Errorf("a deleted contact: state %v, diagnostics\n%s", v, diagsText(rr.Diagnostics))
	}
}
