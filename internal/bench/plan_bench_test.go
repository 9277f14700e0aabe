package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"strings"
	"syscall"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/qomon/terraform-provider-qomon/internal/provider"
	"github.com/qomon/terraform-provider-qomon/internal/qomonsim"
	"github.com/qomon/terraform-provider-qomon/internal/serve"
)

// BenchmarkProviderPlanUnchanged is what one managed contact costs the provider in a `plan`
// that finds nothing to change: the calls Terraform 1.5.7 makes per resource
// (ValidateResourceConfig in the validate walk and again before planning, UpgradeResourceState
// of the stored state, ReadResource, PlanResourceChange), on a contact with an address, tags,
// notes, form answers and custom fields, without gRPC. With refresh_mode=search the process's
// sweep vouches for the contact and no request reaches Qomon: the provider's own CPU per
// contact of BenchmarkCLIBulkRefresh. With refresh_mode=get every read is one GET, as in the
// refresh phase of BenchmarkCLICeiling (the in-process simulator's work is part of the op). A
// profile (-cpuprofile) shows where the CPU goes.
func BenchmarkProviderPlanUnchanged(b *testing.B) {
	for _, mode := range []string{"search", "get"} {
		b.Run("refresh_mode="+mode, func(b *testing.B) {
			ctx := context.Background()
			c := newPlanCycle(b, false, mode)
			c.d.sim.ResetRequests()
			// The process's CPU time per op, garbage collection included: on a shared machine
			// the wall time (ns/op) is the load's as much as the provider's.
			cpu0 := cpuSeconds(syscall.RUSAGE_SELF)
			eachIteration(b, func(int) error { return c.run(ctx) })
			b.ReportMetric((cpuSeconds(syscall.RUSAGE_SELF)-cpu0)*1e3/float64(b.N), "cpu-ms/op")
			if err := c.checkRequests(b.N); err != nil {
				b.Fatal(err)
			}
		})
	}
}

// checkRequests reports whether the simulator saw what n cycles of the plan make: nothing when
// the sweep vouches for the contact (refresh_mode = "search"), one GET of it each otherwise.
func (c *planCycle) checkRequests(n int) error {
	got := c.d.sim.Requests()
	if c.mode == "search" {
		if len(got) != 0 {
			return fmt.Errorf("the plans sent %d requests, want none: the sweep did not vouch for the contact", len(got))
		}
		return nil
	}
	for _, r := range got {
		if r.Method != "GET" || !strings.HasPrefix(r.Path, "/contacts/") {
			return fmt.Errorf("the plans sent %s %s, want only GETs of the contact", r.Method, r.Path)
		}
	}
	if len(got) != n {
		return fmt.Errorf("the plans sent %d GETs, want %d", len(got), n)
	}
	return nil
}

// TestPlanCycle checks that BenchmarkProviderPlanUnchanged measures what it claims: the read
// sends no request and keeps the state, and the plan proposes that very state. The read is
// answered without the framework (serve.QuickReader), with what the framework alone answers.
func TestPlanCycle(t *testing.T) {
	ctx := context.Background()
	c := newPlanCycle(t, false, "search")
	framework := newPlanCycle(t, true, "search")
	c.d.sim.ResetRequests()
	quick, err := c.readRaw(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if quick.NewState != c.priorDV {
		t.Error("the served read went through the framework: its answer is not the request's own state")
	}
	slow, err := framework.readRaw(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if slow.NewState == framework.priorDV {
		t.Fatal("control: the framework's read answered with the request's own state")
	}
	for cycle, r := range map[*planCycle]*tfprotov6.ReadResourceResponse{c: quick, framework: slow} {
		got, err := r.NewState.Unmarshal(c.d.contactType)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Equal(cycle.prior.value) || !samePrivate(t, r.Private, cycle.prior.private) {
			t.Fatalf("the read changed the state:\n got %v\nwant %v", got, cycle.prior.value)
		}
	}
	identityType := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"id": tftypes.Number}}
	for cycle, r := range map[*planCycle]*tfprotov6.ReadResourceResponse{c: quick, framework: slow} {
		if r.NewIdentity == nil || r.NewIdentity.IdentityData == nil {
			t.Fatal("a read answered no identity")
		}
		got, err := r.NewIdentity.IdentityData.Unmarshal(identityType)
		if err != nil {
			t.Fatal(err)
		}
		var attrs map[string]tftypes.Value
		if err := cycle.prior.value.As(&attrs); err != nil {
			t.Fatal(err)
		}
		if want := tftypes.NewValue(identityType, map[string]tftypes.Value{"id": attrs["id"]}); !got.Equal(want) {
			t.Errorf("identity %v, want %v", got, want)
		}
	}
	planned, err := c.plan(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !planned.Equal(c.prior.value) {
		t.Fatalf("the plan proposes a change:\n got %v\nwant %v", planned, c.prior.value)
	}
	if err := c.run(ctx); err != nil {
		t.Fatal(err)
	}
	if err := c.checkRequests(1); err != nil {
		t.Fatal(err)
	}
	get := newPlanCycle(t, false, "get")
	get.d.sim.ResetRequests()
	if err := get.run(ctx); err != nil {
		t.Fatal(err)
	}
	if err := get.checkRequests(1); err != nil {
		t.Fatal(err)
	}
}

// samePrivate reports whether two private states hold the same keys and values.
func samePrivate(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y map[string]json.RawMessage
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		t.Fatalf("private states %q and %q are not JSON objects", a, b)
	}
	return fmt.Sprint(x) == fmt.Sprint(y)
}

// planCycle is one contact's part of a no-change plan, encoded once as the CLI sends it.
type planCycle struct {
	d        *driver
	mode     string // the provider's refresh_mode
	prior    state
	priorDV  *tfprotov6.DynamicValue
	rawState []byte // the state as the CLI stores it (JSON)
	config   tfprotov6.DynamicValue
	proposed tfprotov6.DynamicValue
}

// newPlanCycle creates richContact(0..samples) with one provider process, then starts the
// provider process of a `plan` (refresh_mode = mode) whose first reads, with a GET each,
// confirm the sweep: from then on, in mode "search", it vouches for richContact(0). The process
// has planned the contact once, as the first plan of answers lists the space's forms. It is
// served as main serves it, or by the framework alone.
func newPlanCycle(tb testing.TB, frameworkOnly bool, mode string) *planCycle {
	tb.Helper()
	ctx := context.Background()
	writer := newDriver(tb, "replace")
	forms := writer.sim.Forms()
	const samples = 3 // sweep.DefaultSamples
	states := make([]state, samples+1)
	for i := range states {
		s, err := writer.create(ctx, richContact(tb, forms, i))
		if err != nil {
			tb.Fatal(err)
		}
		states[i] = s
	}
	srv := serve.NewServer(provider.New("bench")())
	if frameworkOnly {
		srv = frameworkServer()
	}
	d := newDriverOf(tb, writer.sim, map[string]any{
		"api_token":    benchToken,
		"endpoint":     writer.url,
		"refresh_mode": mode,
		"rate_limit":   map[string]any{"enabled": false},
	}, srv)
	for _, s := range states[1:] {
		if _, err := d.read(ctx, s); err != nil {
			tb.Fatal(err)
		}
	}
	c := &planCycle{d: d, mode: mode, prior: states[0]}
	priorDV, err := tfprotov6.NewDynamicValue(d.contactType, c.prior.value)
	if err != nil {
		tb.Fatal(err)
	}
	c.priorDV = &priorDV
	cfg, err := objectValue(d.contactType, richContact(tb, forms, 0))
	if err != nil {
		tb.Fatal(err)
	}
	if c.config, err = tfprotov6.NewDynamicValue(d.contactType, cfg); err != nil {
		tb.Fatal(err)
	}
	if c.proposed, err = tfprotov6.NewDynamicValue(d.contactType, proposedNew(c.prior.value, cfg)); err != nil {
		tb.Fatal(err)
	}
	if c.rawState, err = json.Marshal(jsonOf(c.prior.value)); err != nil {
		tb.Fatal(err)
	}
	// The process's first plan of answers lists the space's forms (once per process).
	if err := c.run(ctx); err != nil {
		tb.Fatal(err)
	}
	// Terraform proposes the new state from the refreshed one, which holds numbers as the
	// state file wrote them (the decimal 0.58809 read at 512 bits, not the float64 nearest
	// to it): so does the plan of each op.
	refreshed, err := c.refreshed(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	if c.proposed, err = tfprotov6.NewDynamicValue(d.contactType, proposedNew(refreshed, cfg)); err != nil {
		tb.Fatal(err)
	}
	return c
}

// refreshed is the state a plan's read gives for the stored state.
func (c *planCycle) refreshed(ctx context.Context) (tftypes.Value, error) {
	up, err := c.d.srv.UpgradeResourceState(ctx, &tfprotov6.UpgradeResourceStateRequest{
		TypeName: "qomon_contact", RawState: &tfprotov6.RawState{JSON: c.rawState}})
	if err != nil {
		return tftypes.Value{}, err
	}
	if err := diagError("UpgradeResourceState", up.Diagnostics); err != nil {
		return tftypes.Value{}, err
	}
	read, err := c.d.srv.ReadResource(ctx, &tfprotov6.ReadResourceRequest{
		TypeName: "qomon_contact", CurrentState: up.UpgradedState, Private: c.prior.private})
	if err != nil {
		return tftypes.Value{}, err
	}
	if err := diagError("ReadResource", read.Diagnostics); err != nil {
		return tftypes.Value{}, err
	}
	return read.NewState.Unmarshal(c.d.contactType)
}

// frameworkServer is the provider served by terraform-plugin-framework alone, without
// internal/serve's wrappers and quick answers.
func frameworkServer() tfprotov6.ProviderServer {
	return providerserver.NewProtocol6(provider.New("bench")())()
}

// run makes the calls of one resource of the plan.
func (c *planCycle) run(ctx context.Context) error {
	if err := c.validate(ctx); err != nil {
		return err
	}
	up, err := c.d.srv.UpgradeResourceState(ctx, &tfprotov6.UpgradeResourceStateRequest{
		TypeName: "qomon_contact", RawState: &tfprotov6.RawState{JSON: c.rawState}})
	if err != nil {
		return err
	}
	if err := diagError("UpgradeResourceState", up.Diagnostics); err != nil {
		return err
	}
	read, err := c.d.srv.ReadResource(ctx, &tfprotov6.ReadResourceRequest{
		TypeName: "qomon_contact", CurrentState: up.UpgradedState, Private: c.prior.private})
	if err != nil {
		return err
	}
	if err := diagError("ReadResource", read.Diagnostics); err != nil {
		return err
	}
	if err := c.validate(ctx); err != nil {
		return err
	}
	plan, err := c.d.srv.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{TypeName: "qomon_contact",
		PriorState: read.NewState, ProposedNewState: &c.proposed, Config: &c.config, PriorPrivate: read.Private})
	if err != nil {
		return err
	}
	if err := diagError("PlanResourceChange", plan.Diagnostics); err != nil {
		return err
	}
	if len(plan.RequiresReplace) > 0 {
		return fmt.Errorf("PlanResourceChange: replace %v", plan.RequiresReplace)
	}
	return nil
}

// readRaw is the plan's read of the contact's prior state.
func (c *planCycle) readRaw(ctx context.Context) (*tfprotov6.ReadResourceResponse, error) {
	resp, err := c.d.srv.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: "qomon_contact", CurrentState: c.priorDV, Private: c.prior.private})
	if err == nil {
		err = diagError("ReadResource", resp.Diagnostics)
	}
	return resp, err
}

func (c *planCycle) validate(ctx context.Context) error {
	v, err := c.d.srv.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: "qomon_contact", Config: &c.config})
	if err != nil {
		return err
	}
	if err := diagError("ValidateResourceConfig", v.Diagnostics); err != nil {
		return err
	}
	return nil
}

// plan is the state PlanResourceChange proposes over the prior state.
func (c *planCycle) plan(ctx context.Context) (tftypes.Value, error) {
	plan, err := c.d.srv.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{TypeName: "qomon_contact",
		PriorState: c.priorDV, ProposedNewState: &c.proposed, Config: &c.config, PriorPrivate: c.prior.private})
	if err != nil {
		return tftypes.Value{}, err
	}
	if err := diagError("PlanResourceChange", plan.Diagnostics); err != nil {
		return tftypes.Value{}, err
	}
	return plan.PlannedState.Unmarshal(c.d.contactType)
}

// richContact is contactConfig(i) with what a contact managed in earnest also holds: notes,
// answers to forms and to custom fields (options of the simulator's seeded forms).
func richContact(tb testing.TB, forms []qomonsim.Form, i int) map[string]any {
	tb.Helper()
	answer := func(label, option, data string) map[string]any {
		f, ok := qomonsim.FindForm(forms, label)
		if !ok {
			tb.Fatalf("the simulator has no form %q", label)
		}
		rv, ok := f.Option(option)
		if !ok && option != "" {
			tb.Fatalf("form %q has no option %q", label, option)
		}
		if option == "" {
			rv = f.RefValues[0] // a free-text form's single option
		}
		a := map[string]any{"form_id": int(f.ID), "form_ref_id": int(rv.ID)}
		if data != "" {
			a["data"] = data
		}
		return a
	}
	c := contactConfig(i)
	c["notes"] = []map[string]any{
		{"content": "Met at the market on Saturday; wants to help with the leaflets."},
		{"content": "Prefers to be called after 6 pm.", "pinned": true},
	}
	c["formdatas"] = []map[string]any{
		answer("Level of support", "support", "support"),
		answer("Topics of support", "housing", "housing"),
		answer("Support comment", "", "Cares about the new tram line"),
	}
	c["custom_fields"] = []map[string]any{
		answer("Job", "Teacher", "Teacher"),
		answer("Nickname", "", fmt.Sprintf("Cam %d", i)),
	}
	return c
}

// jsonOf is a value as Terraform writes it in a state file.
func jsonOf(v tftypes.Value) any {
	if v.IsNull() || !v.IsKnown() {
		return nil
	}
	switch {
	case v.Type().Is(tftypes.String):
		var s string
		_ = v.As(&s)
		return s
	case v.Type().Is(tftypes.Bool):
		var x bool
		_ = v.As(&x)
		return x
	case v.Type().Is(tftypes.Number):
		var n big.Float
		_ = v.As(&n)
		return json.Number(n.Text('g', -1))
	case v.Type().Is(tftypes.Object{}), v.Type().Is(tftypes.Map{}):
		var m map[string]tftypes.Value
		_ = v.As(&m)
		out := make(map[string]any, len(m))
		for k, e := range m {
			out[k] = jsonOf(e)
		}
		return out
	}
	var l []tftypes.Value
	_ = v.As(&l)
	out := make([]any, len(l))
	for i, e := range l {
		out[i] = jsonOf(e)
	}
	return out
}
