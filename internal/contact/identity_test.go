package contact_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/qomon/terraform-provider-qomon/internal/acctest"
	"github.com/qomon/terraform-provider-qomon/internal/qomonsim"
)

// The identity of qomon_contact through the provider's RPCs, for what the acceptance tests
// cannot reach: a state without identity (written by Terraform 1.5 or a provider release
// before identity), and identities a CLI would refuse before asking the provider.

// Import by identity, by id and by e-mail address all end with the same state and identity.
func TestIdentity_import(t *testing.T) {
	env := acctest.New(t, qomonsim.Options{})
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
	env := acctest.New(t, qomonsim.Options{})
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
	env := acctest.New(t, qomonsim.Options{})
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
