// Package bench holds Go benchmarks of the provider's own cost: the plugin protocol calls a CLI
// makes for one contact (plan, apply, read), driven in-process against the simulator, and the
// API client alone. They isolate what the CLI benchmarks (cli_bench_test.go) measure end to end,
// and give CPU and memory profiles of the provider (go test -bench ... -cpuprofile).
package bench

import (
	"context"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/qomon/terraform-provider-qomon/internal/provider"
	"github.com/qomon/terraform-provider-qomon/internal/qomonsim"
	"github.com/qomon/terraform-provider-qomon/internal/serve"
)

const benchToken = "bench-token"

// driver plays the CLI's part of the plugin protocol for qomon_contact, the way Terraform
// calls it during plan, apply and refresh, without the CLI, gRPC or msgpack framing outside
// the provider: what remains is the provider's own work per contact (plus the in-process
// simulator, which a profile separates by package).
type driver struct {
	srv          tfprotov6.ProviderServer
	sim          *qomonsim.Server
	url          string // the simulator's
	contactType  tftypes.Object
	providerType tftypes.Object
}

// newDriver starts a simulator without a rate limit, and a provider configured against it with
// its pacing off, in the given update mode.
func newDriver(tb testing.TB, updateMode string) *driver {
	tb.Helper()
	opts := qomonsim.Options{Tokens: []string{benchToken}, RateLimit: qomonsim.RateLimit{Disabled: true}}
	if updateMode == "merge" {
		opts.PatchMode = qomonsim.PatchMerge
	}
	sim, url := qomonsim.NewTestServer(tb, opts)
	return newProviderDriver(tb, sim, map[string]any{
		"api_token":   benchToken,
		"endpoint":    url,
		"update_mode": updateMode,
		"rate_limit":  map[string]any{"enabled": false},
	})
}

// newProviderDriver starts a provider process of its own (a new server, as the CLI starts one
// per command, served as main serves it) against sim, configured with providerConfig.
func newProviderDriver(tb testing.TB, sim *qomonsim.Server, providerConfig map[string]any) *driver {
	tb.Helper()
	return newDriverOf(tb, sim, providerConfig, serve.NewServer(provider.New("bench")()))
}

// newDriverOf is newProviderDriver with the server to drive: the one main serves, or the
// framework's alone.
func newDriverOf(tb testing.TB, sim *qomonsim.Server, providerConfig map[string]any, srv tfprotov6.ProviderServer) *driver {
	tb.Helper()
	ctx := context.Background()
	schemas, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		tb.Fatal(err)
	}
	if err := diagError("GetProviderSchema", schemas.Diagnostics); err != nil {
		tb.Fatal(err)
	}
	rs, ok := schemas.ResourceSchemas["qomon_contact"]
	if !ok {
		tb.Fatal("the provider does not serve qomon_contact")
	}
	d := &driver{srv: srv, sim: sim, url: providerConfig["endpoint"].(string),
		contactType:  rs.ValueType().(tftypes.Object),
		providerType: schemas.Provider.ValueType().(tftypes.Object)}

	cfg, err := objectValue(d.providerType, providerConfig)
	if err != nil {
		tb.Fatal(err)
	}
	dv, err := tfprotov6.NewDynamicValue(d.providerType, cfg)
	if err != nil {
		tb.Fatal(err)
	}
	resp, err := srv.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{TerraformVersion: "1.5.7", Config: &dv})
	if err != nil {
		tb.Fatal(err)
	}
	if err := diagError("ConfigureProvider", resp.Diagnostics); err != nil {
		tb.Fatal(err)
	}
	return d
}

// state is a contact as Terraform holds it between two calls.
type state struct {
	value   tftypes.Value
	private []byte
}

// create plans and applies a new contact from config, as `apply` does for one resource.
func (d *driver) create(ctx context.Context, config map[string]any) (state, error) {
	cfg, err := objectValue(d.contactType, config)
	if err != nil {
		return state{}, err
	}
	return d.planApply(ctx, state{value: tftypes.NewValue(d.contactType, nil)}, cfg)
}

// applyCreate creates a new contact from config with the calls `terraform apply` makes for it:
// ValidateResourceConfig twice, PlanResourceChange twice, ApplyResourceChange once.
func (d *driver) applyCreate(ctx context.Context, config map[string]any) (state, error) {
	cfg, err := objectValue(d.contactType, config)
	if err != nil {
		return state{}, err
	}
	cfgDV, err := tfprotov6.NewDynamicValue(d.contactType, cfg)
	if err != nil {
		return state{}, err
	}
	for range 2 {
		v, err := d.srv.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: "qomon_contact", Config: &cfgDV})
		if err != nil {
			return state{}, err
		}
		if err := diagError("ValidateResourceConfig", v.Diagnostics); err != nil {
			return state{}, err
		}
	}
	null := state{value: tftypes.NewValue(d.contactType, nil)}
	if _, err := d.planned(ctx, null, cfg); err != nil {
		return state{}, err
	}
	return d.planApply(ctx, null, cfg)
}

// update plans and applies config over prior, as `apply` does after a configuration change.
func (d *driver) update(ctx context.Context, prior state, config map[string]any) (state, error) {
	cfg, err := objectValue(d.contactType, config)
	if err != nil {
		return state{}, err
	}
	return d.planApply(ctx, prior, cfg)
}

func (d *driver) planApply(ctx context.Context, prior state, cfg tftypes.Value) (state, error) {
	plan, err := d.planned(ctx, prior, cfg)
	if err != nil {
		return state{}, err
	}
	priorDV, cfgDV := plan.req.PriorState, plan.req.Config
	applied, err := d.srv.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
		TypeName: "qomon_contact", PriorState: priorDV, PlannedState: plan.resp.PlannedState, Config: cfgDV, PlannedPrivate: plan.resp.PlannedPrivate,
	})
	if err != nil {
		return state{}, err
	}
	return d.next("ApplyResourceChange", applied.Diagnostics, applied.NewState, applied.Private)
}

// planCall is a PlanResourceChange and its answer.
type planCall struct {
	req  *tfprotov6.PlanResourceChangeRequest
	resp *tfprotov6.PlanResourceChangeResponse
}

// planned plans cfg over prior, as `plan` does for one resource, and fails on an error
// diagnostic.
func (d *driver) planned(ctx context.Context, prior state, cfg tftypes.Value) (planCall, error) {
	priorDV, err := tfprotov6.NewDynamicValue(d.contactType, prior.value)
	if err != nil {
		return planCall{}, err
	}
	cfgDV, err := tfprotov6.NewDynamicValue(d.contactType, cfg)
	if err != nil {
		return planCall{}, err
	}
	proposedDV, err := tfprotov6.NewDynamicValue(d.contactType, proposedNew(prior.value, cfg))
	if err != nil {
		return planCall{}, err
	}
	req := &tfprotov6.PlanResourceChangeRequest{
		TypeName: "qomon_contact", PriorState: &priorDV, ProposedNewState: &proposedDV, Config: &cfgDV, PriorPrivate: prior.private,
	}
	plan, err := d.srv.PlanResourceChange(ctx, req)
	if err != nil {
		return planCall{}, err
	}
	if err := diagError("PlanResourceChange", plan.Diagnostics); err != nil {
		return planCall{}, err
	}
	return planCall{req: req, resp: plan}, nil
}

// read refreshes a contact, as `plan` does for every resource in the state.
func (d *driver) read(ctx context.Context, s state) (state, error) {
	dv, err := tfprotov6.NewDynamicValue(d.contactType, s.value)
	if err != nil {
		return state{}, err
	}
	resp, err := d.srv.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: "qomon_contact", CurrentState: &dv, Private: s.private})
	if err != nil {
		return state{}, err
	}
	return d.next("ReadResource", resp.Diagnostics, resp.NewState, resp.Private)
}

// next is the state a provider's answer to op leaves, or the error diagnostics it carries.
func (d *driver) next(op string, diags []*tfprotov6.Diagnostic, newState *tfprotov6.DynamicValue, private []byte) (state, error) {
	if err := diagError(op, diags); err != nil {
		return state{}, err
	}
	v, err := newState.Unmarshal(d.contactType)
	if err != nil {
		return state{}, err
	}
	return state{value: v, private: private}, nil
}

// proposedNew approximates Terraform's proposed new state: the configuration, with every
// attribute the configuration leaves null taken from the prior state (computed values survive
// until the provider's plan says otherwise), recursively through nested objects and lists of
// them.
func proposedNew(prior, config tftypes.Value) tftypes.Value {
	if prior.IsNull() || !prior.IsKnown() {
		return config
	}
	if config.IsNull() {
		return prior
	}
	if list, ok := config.Type().(tftypes.List); ok {
		// A list of nested objects pairs its elements by index when both have as many, as
		// Terraform's proposed new state does (the notes' ids come from the prior state).
		var cfgElems, priorElems []tftypes.Value
		if config.As(&cfgElems) != nil || prior.As(&priorElems) != nil || len(cfgElems) != len(priorElems) {
			return config
		}
		out := make([]tftypes.Value, len(cfgElems))
		for i := range cfgElems {
			out[i] = proposedNew(priorElems[i], cfgElems[i])
		}
		return tftypes.NewValue(list, out)
	}
	obj, ok := config.Type().(tftypes.Object)
	if !ok {
		return config
	}
	var cfgAttrs, priorAttrs map[string]tftypes.Value
	if config.As(&cfgAttrs) != nil || prior.As(&priorAttrs) != nil {
		return config
	}
	out := make(map[string]tftypes.Value, len(cfgAttrs))
	for name := range obj.AttributeTypes {
		out[name] = proposedNew(priorAttrs[name], cfgAttrs[name])
	}
	return tftypes.NewValue(obj, out)
}

// objectValue builds a value of type t from plain Go values (string, bool, int, []string,
// map[string]any for a nested object); every attribute not given is null.
func objectValue(t tftypes.Object, attrs map[string]any) (tftypes.Value, error) {
	for name := range attrs {
		if _, ok := t.AttributeTypes[name]; !ok {
			return tftypes.Value{}, fmt.Errorf("the schema has no attribute %q", name)
		}
	}
	vals := make(map[string]tftypes.Value, len(t.AttributeTypes))
	for name, at := range t.AttributeTypes {
		v, ok := attrs[name]
		if !ok {
			vals[name] = tftypes.NewValue(at, nil)
			continue
		}
		tv, err := goValue(at, v)
		if err != nil {
			return tftypes.Value{}, fmt.Errorf("%s: %w", name, err)
		}
		vals[name] = tv
	}
	return tftypes.NewValue(t, vals), nil
}

func goValue(t tftypes.Type, v any) (tftypes.Value, error) {
	switch tt := t.(type) {
	case tftypes.Object:
		m, ok := v.(map[string]any)
		if !ok {
			return tftypes.Value{}, fmt.Errorf("want a map for an object, got %T", v)
		}
		return objectValue(tt, m)
	case tftypes.Set, tftypes.List:
		var elems []tftypes.Value
		switch vs := v.(type) {
		case []string:
			for _, s := range vs {
				elems = append(elems, tftypes.NewValue(tftypes.String, s))
			}
		case []map[string]any: // a list or set of nested objects
			et, ok := elemType(t).(tftypes.Object)
			if !ok {
				return tftypes.Value{}, fmt.Errorf("%s does not hold objects", t)
			}
			for _, m := range vs {
				ev, err := objectValue(et, m)
				if err != nil {
					return tftypes.Value{}, err
				}
				elems = append(elems, ev)
			}
		default:
			return tftypes.Value{}, fmt.Errorf("want []string or []map[string]any for %s, got %T", t, v)
		}
		return tftypes.NewValue(t, elems), nil
	}
	switch {
	case t.Is(tftypes.String):
		return tftypes.NewValue(t, v), nil
	case t.Is(tftypes.Bool):
		return tftypes.NewValue(t, v), nil
	case t.Is(tftypes.Number):
		n, ok := v.(int)
		if !ok {
			return tftypes.Value{}, fmt.Errorf("want int for a number, got %T", v)
		}
		return tftypes.NewValue(t, new(big.Float).SetInt64(int64(n))), nil
	}
	return tftypes.Value{}, fmt.Errorf("unsupported type %s", t)
}

func elemType(t tftypes.Type) tftypes.Type {
	switch tt := t.(type) {
	case tftypes.Set:
		return tt.ElementType
	case tftypes.List:
		return tt.ElementType
	}
	return nil
}

// contactConfig is the i-th benchmark contact, in process and (as HCL) in the CLI benchmarks.
func contactConfig(i int, tags ...string) map[string]any {
	if len(tags) == 0 {
		tags = []string{"volunteer", "door-to-door"}
	}
	return map[string]any{
		"firstname": "Camille",
		"surname":   "Martin",
		"gender":    "F",
		"mail":      fmt.Sprintf("camille.martin.%07d@example.org", i),
		"mobile":    fmt.Sprintf("+336%08d", i%100000000),
		"birthdate": "1984-03-12",
		"address": map[string]any{
			"housenumber": "12",
			"street":      "rue des Lilas",
			"postalcode":  "75011",
			"city":        "Paris",
			"country":     "France",
		},
		"tags": tags,
	}
}

// diagError is an error naming every diagnostic of diags when one of them is an error, nil
// otherwise.
func diagError(op string, diags []*tfprotov6.Diagnostic) error {
	if !slices.ContainsFunc(diags, func(d *tfprotov6.Diagnostic) bool { return d.Severity == tfprotov6.DiagnosticSeverityError }) {
		return nil
	}
	var b strings.Builder
	for _, d := range diags {
		fmt.Fprintf(&b, "[%s] %s: %s; ", d.Severity, d.Summary, d.Detail)
	}
	return fmt.Errorf("%s: %s", op, b.String())
}
