package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"math/big"
	"reflect"
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/qomon/terraform-provider-qomon/internal/provider"
	"github.com/qomon/terraform-provider-qomon/internal/serve"
)

// planOracle is the provider's quick plan (serve.QuickPlanner) beside terraform-plugin-framework
// alone, both configured against one simulator: the framework's answer to a request is what the
// quick plan must answer, byte for byte, whenever it answers.
type planOracle struct {
	quick     serve.QuickPlanner
	upgrade   serve.QuickUpgrader
	validate  serve.QuickValidator
	framework *driver
	// contacts are states of contacts created in the simulator, with their configurations.
	contacts []oracleContact
}

type oracleContact struct {
	state
	config map[string]any
}

func newPlanOracle(tb testing.TB) *planOracle {
	tb.Helper()
	ctx := context.Background()
	writer := newDriver(tb, "replace")
	forms := writer.sim.Forms()
	configs := []map[string]any{richContact(tb, forms, 0), contactConfig(1), {"firstname": "Ada"}}
	notes := richContact(tb, forms, 2)
	notes["notes"] = []map[string]any{{"content": "Unpinned, by default."}, {"content": "Pinned.", "pinned": true}, {"content": "Unpinned.", "pinned": false}}
	configs = append(configs, notes)
	o := &planOracle{}
	for _, cfg := range configs {
		s, err := writer.create(ctx, cfg)
		if err != nil {
			tb.Fatal(err)
		}
		o.contacts = append(o.contacts, oracleContact{state: s, config: cfg})
	}
	providerConfig := map[string]any{
		"api_token":  benchToken,
		"endpoint":   writer.url,
		"rate_limit": map[string]any{"enabled": false},
	}
	p := provider.New("bench")()
	quick, ok := p.(serve.QuickPlanner)
	if !ok {
		tb.Fatal("the provider answers no plan without the framework")
	}
	newDriverOf(tb, writer.sim, providerConfig, serve.NewServer(p)) // configures p
	o.quick = quick
	if o.upgrade, ok = p.(serve.QuickUpgrader); !ok {
		tb.Fatal("the provider upgrades no state without the framework")
	}
	if o.validate, ok = p.(serve.QuickValidator); !ok {
		tb.Fatal("the provider validates no configuration without the framework")
	}
	o.framework = newDriverOf(tb, writer.sim, providerConfig, frameworkServer())
	return o
}

// request is the PlanResourceChange of prior under config, with the proposed new state given
// (proposedNew's when proposed is nil).
func (o *planOracle) request(tb testing.TB, prior state, config tftypes.Value, proposed *tftypes.Value) *tfprotov6.PlanResourceChangeRequest {
	tb.Helper()
	t := o.framework.contactType
	if proposed == nil {
		p := proposedNew(prior.value, config)
		proposed = &p
	}
	dv := func(v tftypes.Value) *tfprotov6.DynamicValue {
		d, err := tfprotov6.NewDynamicValue(t, v)
		if err != nil {
			tb.Fatal(err)
		}
		return &d
	}
	return &tfprotov6.PlanResourceChangeRequest{TypeName: "qomon_contact", PriorState: dv(prior.value),
		ProposedNewState: dv(*proposed), Config: dv(config), PriorPrivate: prior.private}
}

// compare feeds req to both and reports whether the quick plan answered; when it did, its
// answer must be the framework's.
func (o *planOracle) compare(tb testing.TB, name string, req *tfprotov6.PlanResourceChangeRequest) bool {
	tb.Helper()
	return oracle(tb, name, req, o.quick.QuickPlan, o.framework.srv.PlanResourceChange, func(r *tfprotov6.PlanResourceChangeResponse) string {
		return "\n" + o.describe(tb, r) + "\n"
	})
}

// oracle feeds req to quick and to framework and reports whether quick answered; when it did,
// its answer must be framework's, which describe shows in a failure message.
func oracle[Req, Resp any](tb testing.TB, name string, req Req, quick func(context.Context, Req) (*Resp, bool), framework func(context.Context, Req) (*Resp, error), describe func(*Resp) string) bool {
	tb.Helper()
	ctx := context.Background()
	got, ok := quick(ctx, req)
	want, err := framework(ctx, req)
	if err != nil {
		tb.Fatal(err)
	}
	if !ok {
		if got != nil {
			tb.Errorf("%s: declined, but answered %+v", name, got)
		}
		return false
	}
	if !reflect.DeepEqual(got, want) {
		tb.Errorf("%s: the quick path answered %s, the framework %s", name, describe(got), describe(want))
	}
	return true
}

// describe shows a plan response for a failure message.
func (o *planOracle) describe(tb testing.TB, r *tfprotov6.PlanResourceChangeResponse) string {
	tb.Helper()
	s := fmt.Sprintf("diagnostics %v, requires replace %v, deferred %v, private %q", r.Diagnostics, r.RequiresReplace, r.Deferred, r.PlannedPrivate)
	if r.PlannedState != nil {
		v, err := r.PlannedState.Unmarshal(o.framework.contactType)
		s += fmt.Sprintf("\nstate %v (%v)", v, err)
	}
	if r.PlannedIdentity != nil && r.PlannedIdentity.IdentityData != nil {
		s += fmt.Sprintf("\nidentity %x", r.PlannedIdentity.IdentityData.MsgPack)
	}
	return s
}

// TestQuickPlanAnswersAsTheFramework feeds the same plans to the quick plan and to the framework
// alone: every plan the quick plan answers, it answers as the framework does (state, private
// state, identity, diagnostics), and it answers the plans that change nothing.
func TestQuickPlanAnswersAsTheFramework(t *testing.T) {
	o := newPlanOracle(t)
	ct := o.framework.contactType
	idType := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"id": tftypes.Number}}
	identity := func(id int64) *tfprotov6.ResourceIdentityData {
		dv, err := tfprotov6.NewDynamicValue(idType, tftypes.NewValue(idType, map[string]tftypes.Value{"id": tftypes.NewValue(tftypes.Number, big.NewFloat(float64(id)))}))
		if err != nil {
			t.Fatal(err)
		}
		return &tfprotov6.ResourceIdentityData{IdentityData: &dv}
	}
	config := func(c map[string]any) tftypes.Value { return configOf(t, ct, c) }
	with := withAttr
	unknown := func(v tftypes.Value, name string) tftypes.Value {
		var attrs map[string]tftypes.Value
		if err := v.As(&attrs); err != nil {
			t.Fatal(err)
		}
		attrs = maps.Clone(attrs) // As gives the value's own map
		attrs[name] = tftypes.NewValue(attrs[name].Type(), tftypes.UnknownValue)
		return tftypes.NewValue(v.Type(), attrs)
	}

	for i, c := range o.contacts {
		cfg := config(c.config)
		var attrs map[string]tftypes.Value
		if err := c.value.As(&attrs); err != nil {
			t.Fatal(err)
		}
		var id big.Float
		if err := attrs["id"].As(&id); err != nil {
			t.Fatal(err)
		}
		n, _ := id.Int64()
		prior := c.value
		null := tftypes.NewValue(ct, nil)
		for name, tc := range map[string]struct {
			req   *tfprotov6.PlanResourceChangeRequest
			quick bool
		}{
			"unchanged":                         {o.request(t, c.state, cfg, &prior), true},
			"unchanged, proposed by the CLI":    {o.request(t, c.state, cfg, nil), proposedNew(prior, cfg).Equal(prior)},
			"no private state":                  {o.request(t, state{value: prior}, cfg, &prior), true},
			"empty private state":               {o.request(t, state{value: prior, private: []byte("{}")}, cfg, &prior), true},
			"framework key":                     {o.request(t, state{value: prior, private: privateWith(t, c.private, ".import_before_read", "true")}, cfg, &prior), true},
			"unreadable ownership record":       {o.request(t, state{value: prior, private: privateWith(t, c.private, "managed_fields", `{"v":"x"}`)}, cfg, &prior), false},
			"private state that is not JSON":    {o.request(t, state{value: prior, private: []byte("{")}, cfg, &prior), false},
			"private state spelled differently": {o.request(t, state{value: prior, private: respelled(t, c.private)}, cfg, &prior), true},
			"empty private value":               {o.request(t, state{value: prior, private: privateWith(t, c.private, "x", "")}, cfg, &prior), false},
			"private value that is not JSON":    {o.request(t, state{value: prior, private: privateWith(t, c.private, "x", "{")}, cfg, &prior), false},
			"mobile left out":                   {o.request(t, c.state, config(with(c.config, "mobile", nil)), &prior), true},
			"address left out":                  {o.request(t, c.state, config(with(c.config, "address", nil)), &prior), true},
			"tags left out":                     {o.request(t, c.state, config(with(c.config, "tags", nil)), &prior), true},
			"notes left out":                    {o.request(t, c.state, config(with(c.config, "notes", nil)), &prior), i != 0 && i != 3},
			"first name changed":                {o.request(t, c.state, config(with(c.config, "firstname", "Zoé")), nil), false},
			"first name unknown":                {o.request(t, c.state, unknown(cfg, "firstname"), &prior), false},
			"create":                            {o.request(t, state{value: null}, cfg, nil), true},
			"destroy":                           {o.request(t, c.state, null, &null), false},
			"with its identity":                 {withIdentity(o.request(t, c.state, cfg, &prior), identity(n)), true},
			"with another identity":             {withIdentity(o.request(t, c.state, cfg, &prior), identity(n+1)), true},
			"with an empty identity":            {withIdentity(o.request(t, c.state, cfg, &prior), &tfprotov6.ResourceIdentityData{}), true},
			"with an identity of another type":  {withIdentity(o.request(t, c.state, cfg, &prior), &tfprotov6.ResourceIdentityData{IdentityData: &tfprotov6.DynamicValue{MsgPack: []byte{0xc1}}}), false},
			"with provider meta":                {withMeta(o.request(t, c.state, cfg, &prior)), false},
			"proposed state of another contact": {o.request(t, c.state, cfg, &o.contacts[(i+1)%len(o.contacts)].value), false},
			"configuration of another contact":  {o.request(t, c.state, config(o.contacts[(i+1)%len(o.contacts)].config), &prior), i != 0},
			"prior state of another type":       {withPrior(o.request(t, c.state, cfg, &prior), &tfprotov6.DynamicValue{MsgPack: []byte{0xc1}}), false},
		} {
			if got := o.compare(t, fmt.Sprintf("contact %d, %s", i, name), tc.req); got != tc.quick {
				t.Errorf("contact %d, %s: answered without the framework: %t, want %t", i, name, got, tc.quick)
			}
		}
	}
}

// TestQuickCreatePlanAnswersAsTheFramework feeds the same create plans (no prior state) to the
// quick plan and to the framework alone: every one the quick plan answers, it answers as the
// framework does, defaults and unknown computed values included, and it answers the creates
// whose proposal is their configuration, fully known.
func TestQuickCreatePlanAnswersAsTheFramework(t *testing.T) {
	o := newPlanOracle(t)
	ct := o.framework.contactType
	config := func(c map[string]any) tftypes.Value { return configOf(t, ct, c) }
	with := withAttr
	null := state{value: tftypes.NewValue(ct, nil)}
	create := func(cfg tftypes.Value) *tfprotov6.PlanResourceChangeRequest { return o.request(t, null, cfg, nil) }
	idType := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"id": tftypes.Number}}
	nullIdentity, err := tfprotov6.NewDynamicValue(idType, tftypes.NewValue(idType, nil))
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range o.contacts {
		cfg := config(c.config)
		proposedID := setAttr(t, cfg, "id", tftypes.NewValue(tftypes.Number, big.NewFloat(7)))
		for name, tc := range map[string]struct {
			req   *tfprotov6.PlanResourceChangeRequest
			quick bool
		}{
			"as configured":                  {create(cfg), true},
			"empty private state":            {o.request(t, state{value: null.value, private: []byte("{}")}, cfg, nil), true},
			"private state that is not JSON": {o.request(t, state{value: null.value, private: []byte("{")}, cfg, nil), false},
			"a null identity":                {withIdentity(create(cfg), &tfprotov6.ResourceIdentityData{IdentityData: &nullIdentity}), true},
			"mobile left out":                {create(config(with(c.config, "mobile", nil))), true},
			"address left out":               {create(config(with(c.config, "address", nil))), true},
			"only a city":                    {create(config(with(c.config, "address", map[string]any{"city": "Lyon"}))), true},
			"an empty address":               {create(config(with(c.config, "address", map[string]any{}))), true},
			"tags left out":                  {create(config(with(c.config, "tags", nil))), true},
			"no tags":                        {create(config(with(c.config, "tags", []string{}))), true},
			"notes, pinned left out":         {create(config(with(c.config, "notes", []map[string]any{{"content": "A"}, {"content": "B", "pinned": true}}))), true},
			"no notes":                       {create(config(with(c.config, "notes", []map[string]any{}))), true},
			"only a first name":              {create(config(map[string]any{"firstname": "Ada"})), true},
			"nothing configured":             {create(config(map[string]any{})), true},
			"an answer to no form":           {create(config(with(c.config, "formdatas", []map[string]any{{"form_id": 987654, "form_ref_id": 1}}))), false},
			"first name unknown":             {o.request(t, null, setAttr(t, cfg, "firstname", tftypes.NewValue(tftypes.String, tftypes.UnknownValue)), nil), false},
			"an id proposed":                 {o.request(t, null, cfg, &proposedID), false},
			"another contact proposed":       {o.request(t, null, cfg, &o.contacts[(i+1)%len(o.contacts)].value), false},
			"with provider meta":             {withMeta(create(cfg)), false},
			"configuration of another type":  {withConfig(create(cfg), &tfprotov6.DynamicValue{MsgPack: []byte{0xc1}}), false},
		} {
			if got := o.compare(t, fmt.Sprintf("contact %d, %s", i, name), tc.req); got != tc.quick {
				t.Errorf("contact %d, %s: answered without the framework: %t, want %t", i, name, got, tc.quick)
			}
		}
	}
}

// FuzzQuickCreatePlan varies a create's configuration attribute by attribute (kept, left out,
// another contact's value, unknown) and inside the nested values (notes' pinned left out, an
// address part left out), proposes either the configuration or the prior state of a contact,
// and requires the quick plan to answer as the framework whenever it answers.
func FuzzQuickCreatePlan(f *testing.F) {
	f.Add(uint8(0), false, []byte{})
	f.Add(uint8(3), false, []byte{4, 5, 1, 0, 2})
	f.Add(uint8(0), false, []byte{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1})
	f.Add(uint8(2), true, []byte{2, 0, 3})
	var o *planOracle
	f.Fuzz(func(t *testing.T, which uint8, proposePrior bool, ops []byte) {
		if o == nil {
			o = newPlanOracle(t)
		}
		c, cfg := o.varied(t, which, ops, 6, func(op byte, i int, attrs map[string]tftypes.Value) {
			switch op {
			case 4:
				attrs["notes"] = eachElement(t, attrs["notes"], func(e tftypes.Value) tftypes.Value {
					return setAttr(t, e, "pinned", tftypes.NewValue(tftypes.Bool, nil))
				})
			case 5:
				if a := attrs["address"]; !a.IsNull() && a.IsKnown() {
					var parts map[string]tftypes.Value
					if err := a.As(&parts); err != nil {
						t.Fatal(err)
					}
					part := slices.Sorted(maps.Keys(parts))[i%len(parts)]
					attrs["address"] = setAttr(t, a, part, tftypes.NewValue(parts[part].Type(), nil))
				}
			}
		})
		ct := o.framework.contactType
		var proposed *tftypes.Value
		if proposePrior {
			proposed = &c.value
		}
		o.compare(t, fmt.Sprintf("contact %d, ops %v, prior proposed %t", which, ops, proposePrior),
			o.request(t, state{value: tftypes.NewValue(ct, nil)}, cfg, proposed))
	})
}

// setAttr is the object v with its attribute name set to x.
func setAttr(tb testing.TB, v tftypes.Value, name string, x tftypes.Value) tftypes.Value {
	tb.Helper()
	var attrs map[string]tftypes.Value
	if err := v.As(&attrs); err != nil {
		tb.Fatal(err)
	}
	attrs = maps.Clone(attrs) // As gives the value's own map
	attrs[name] = x
	return tftypes.NewValue(v.Type(), attrs)
}

// eachElement is the list or set v with change applied to each element (v itself when null or unknown).
func eachElement(tb testing.TB, v tftypes.Value, change func(tftypes.Value) tftypes.Value) tftypes.Value {
	tb.Helper()
	if v.IsNull() || !v.IsKnown() {
		return v
	}
	var elems []tftypes.Value
	if err := v.As(&elems); err != nil {
		tb.Fatal(err)
	}
	out := make([]tftypes.Value, len(elems))
	for i, e := range elems {
		out[i] = change(e)
	}
	return tftypes.NewValue(v.Type(), out)
}

// compareValidation feeds the validation of config to both and reports whether the quick
// validation answered; when it did, its answer must be the framework's.
func (o *planOracle) compareValidation(tb testing.TB, name string, config *tfprotov6.DynamicValue) bool {
	tb.Helper()
	req := &tfprotov6.ValidateResourceConfigRequest{TypeName: "qomon_contact", Config: config}
	return oracle(tb, name, req, o.validate.QuickValidate, o.framework.srv.ValidateResourceConfig, func(r *tfprotov6.ValidateResourceConfigResponse) string {
		s := fmt.Sprintf("%d diagnostics", len(r.Diagnostics))
		for _, d := range r.Diagnostics {
			s += fmt.Sprintf("; %s: %s", d.Summary, d.Detail)
		}
		return s
	})
}

// TestQuickValidateAnswersAsTheFramework feeds the same configurations to the quick validation
// and to the framework alone: every one the quick validation answers, it answers as the
// framework does (no diagnostics), and it answers valid configurations, unknown values included.
func TestQuickValidateAnswersAsTheFramework(t *testing.T) {
	o := newPlanOracle(t)
	ct := o.framework.contactType
	dv := func(v tftypes.Value) *tfprotov6.DynamicValue {
		d, err := tfprotov6.NewDynamicValue(ct, v)
		if err != nil {
			t.Fatal(err)
		}
		return &d
	}
	config := func(c map[string]any) tftypes.Value { return configOf(t, ct, c) }
	with := func(c map[string]any, name string, v any) tftypes.Value { return config(withAttr(c, name, v)) }
	unknown := func(typ tftypes.Type) tftypes.Value { return tftypes.NewValue(typ, tftypes.UnknownValue) }
	number := func(f float64) tftypes.Value { return tftypes.NewValue(tftypes.Number, big.NewFloat(f)) }
	answerType := ct.AttributeTypes["formdatas"].(tftypes.Set).ElementType.(tftypes.Object)
	answers := func(formID tftypes.Value) tftypes.Value {
		a := tftypes.NewValue(answerType, map[string]tftypes.Value{"form_id": formID, "form_ref_id": number(2),
			"data": tftypes.NewValue(tftypes.String, nil), "date": tftypes.NewValue(tftypes.String, nil)})
		return tftypes.NewValue(ct.AttributeTypes["formdatas"], []tftypes.Value{a})
	}
	tagsOf := func(elems ...tftypes.Value) tftypes.Value {
		return tftypes.NewValue(ct.AttributeTypes["tags"], elems)
	}
	for i, c := range o.contacts {
		cfg := config(c.config)
		for name, tc := range map[string]struct {
			config *tfprotov6.DynamicValue
			quick  bool
		}{
			"as configured":               {dv(cfg), true},
			"nothing configured":          {dv(config(map[string]any{})), true},
			"first name unknown":          {dv(setAttr(t, cfg, "firstname", unknown(tftypes.String))), true},
			"tags unknown":                {dv(setAttr(t, cfg, "tags", unknown(ct.AttributeTypes["tags"]))), true},
			"a tag unknown":               {dv(setAttr(t, cfg, "tags", tagsOf(tftypes.NewValue(tftypes.String, "a"), unknown(tftypes.String)))), true},
			"a blank tag":                 {dv(setAttr(t, cfg, "tags", tagsOf(tftypes.NewValue(tftypes.String, " ")))), false},
			"a null tag":                  {dv(setAttr(t, cfg, "tags", tagsOf(tftypes.NewValue(tftypes.String, nil)))), false},
			"no tags":                     {dv(with(c.config, "tags", []string{})), true},
			"a mail that is not one":      {dv(with(c.config, "mail", "camille.martin")), false},
			"a birthdate that is not one": {dv(with(c.config, "birthdate", "12/03/1984")), false},
			"an id configured":            {dv(setAttr(t, cfg, "id", number(7))), false},
			"an id unknown":               {dv(setAttr(t, cfg, "id", unknown(tftypes.Number))), false},
			"a note without content":      {dv(with(c.config, "notes", []map[string]any{{"pinned": true}})), false},
			"a note's content unknown": {dv(setAttr(t, cfg, "notes", eachElement(t, attrOf(t, config(map[string]any{"notes": []map[string]any{{"content": "x"}}}), "notes"),
				func(e tftypes.Value) tftypes.Value { return setAttr(t, e, "content", unknown(tftypes.String)) }))), true},
			"an answer":                    {dv(setAttr(t, cfg, "formdatas", answers(number(1)))), true},
			"an answer to form 0":          {dv(setAttr(t, cfg, "formdatas", answers(number(0)))), false},
			"an answer to form 1.5":        {dv(setAttr(t, cfg, "formdatas", answers(number(1.5)))), false},
			"an answer to form 2^70":       {dv(setAttr(t, cfg, "formdatas", answers(tftypes.NewValue(tftypes.Number, new(big.Float).SetMantExp(big.NewFloat(1), 70))))), false},
			"an answer to an unknown form": {dv(setAttr(t, cfg, "formdatas", answers(unknown(tftypes.Number)))), true},
			"an answer without a form":     {dv(setAttr(t, cfg, "formdatas", answers(tftypes.NewValue(tftypes.Number, nil)))), false},
			"unknown":                      {dv(unknown(ct)), false},
			"null":                         {dv(tftypes.NewValue(ct, nil)), false},
			"of another type":              {&tfprotov6.DynamicValue{MsgPack: []byte{0xc1}}, false},
			"none":                         {nil, false},
		} {
			if got := o.compareValidation(t, fmt.Sprintf("contact %d, %s", i, name), tc.config); got != tc.quick {
				t.Errorf("contact %d, %s: answered without the framework: %t, want %t", i, name, got, tc.quick)
			}
		}
	}
}

// FuzzQuickValidate varies a contact's configuration attribute by attribute (kept, left out,
// another contact's value, unknown, the fuzzed text or number where the attribute holds one,
// in a set of them, or in the notes and answers) and requires the quick validation to answer
// as the framework whenever it answers.
func FuzzQuickValidate(f *testing.F) {
	f.Add(uint8(0), []byte{}, "", 0.0)
	f.Add(uint8(1), []byte{4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4}, "camille@example.org", 1.0)
	f.Add(uint8(0), []byte{5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5}, " ", 0.5)
	f.Add(uint8(3), []byte{6, 7, 1, 3, 2}, "1984-03-12", -3.0)
	var o *planOracle
	f.Fuzz(func(t *testing.T, which uint8, ops []byte, text string, n float64) {
		if o == nil {
			o = newPlanOracle(t)
		}
		if !utf8.ValidString(text) || math.IsNaN(n) || math.IsInf(n, 0) {
			return // not values a configuration can hold
		}
		fuzzed := func(typ tftypes.Type) (tftypes.Value, bool) {
			if set, ok := typ.(tftypes.Set); ok {
				e, ok := fuzzedScalar(set.ElementType, text, n)
				if !ok {
					return tftypes.Value{}, false
				}
				return tftypes.NewValue(typ, []tftypes.Value{e}), true
			}
			return fuzzedScalar(typ, text, n)
		}
		_, cfg := o.varied(t, which, ops, 8, func(op byte, i int, attrs map[string]tftypes.Value) {
			names := slices.Sorted(maps.Keys(attrs))
			switch name := names[i%len(names)]; op {
			case 4, 5:
				if v, ok := fuzzed(attrs[name].Type()); ok {
					attrs[name] = v
				}
			case 6:
				attrs["notes"] = eachElement(t, attrs["notes"], func(e tftypes.Value) tftypes.Value {
					return setAttr(t, e, "content", tftypes.NewValue(tftypes.String, text))
				})
			case 7:
				for _, set := range []string{"formdatas", "custom_fields"} {
					attrs[set] = eachElement(t, attrs[set], func(e tftypes.Value) tftypes.Value {
						return setAttr(t, setAttr(t, e, "form_id", tftypes.NewValue(tftypes.Number, big.NewFloat(n))), "data", tftypes.NewValue(tftypes.String, text))
					})
				}
			}
		})
		ct := o.framework.contactType
		d, err := tfprotov6.NewDynamicValue(ct, cfg)
		if err != nil {
			return // two elements of a set made equal: not a configuration
		}
		o.compareValidation(t, fmt.Sprintf("contact %d, ops %v, %q, %v", which, ops, text, n), &d)
	})
}

// varied is the configuration of the contact which picks (mod their number), changed
// attribute by attribute, in name order, by ops: op%n is 0 to keep it, 1 to leave it out, 2 for
// another contact's value, 3 for an unknown value; extra does the others (4 to n-1), with the
// op's index and the attributes to change.
func (o *planOracle) varied(tb testing.TB, which uint8, ops []byte, n byte, extra func(op byte, i int, attrs map[string]tftypes.Value)) (oracleContact, tftypes.Value) {
	tb.Helper()
	c := o.contacts[int(which)%len(o.contacts)]
	other := o.contacts[(int(which)+1)%len(o.contacts)]
	ct := o.framework.contactType
	cfg, err := objectValue(ct, c.config)
	if err != nil {
		tb.Fatal(err)
	}
	otherCfg, err := objectValue(ct, other.config)
	if err != nil {
		tb.Fatal(err)
	}
	var attrs, otherAttrs map[string]tftypes.Value
	if cfg.As(&attrs) != nil || otherCfg.As(&otherAttrs) != nil {
		tb.Fatal("configurations are not objects")
	}
	attrs = maps.Clone(attrs) // As gives the value's own map
	names := slices.Sorted(maps.Keys(attrs))
	for i, op := range ops {
		name := names[i%len(names)]
		switch op %= n; op {
		case 0:
		case 1:
			attrs[name] = tftypes.NewValue(attrs[name].Type(), nil)
		case 2:
			attrs[name] = otherAttrs[name]
		case 3:
			attrs[name] = tftypes.NewValue(attrs[name].Type(), tftypes.UnknownValue)
		default:
			extra(op, i, attrs)
		}
	}
	return c, tftypes.NewValue(ct, attrs)
}

// fuzzedScalar is text or n as a value of typ, when typ is a string or a number.
func fuzzedScalar(typ tftypes.Type, text string, n float64) (tftypes.Value, bool) {
	switch {
	case typ.Is(tftypes.String):
		return tftypes.NewValue(typ, text), true
	case typ.Is(tftypes.Number):
		return tftypes.NewValue(typ, big.NewFloat(n)), true
	}
	return tftypes.Value{}, false
}

// configOf is the configuration c (objectValue) of type t.
func configOf(tb testing.TB, t tftypes.Object, c map[string]any) tftypes.Value {
	tb.Helper()
	v, err := objectValue(t, c)
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

// withAttr is a copy of c with name set to v, or left out when v is nil.
func withAttr(c map[string]any, name string, v any) map[string]any {
	out := maps.Clone(c)
	if v == nil {
		delete(out, name)
	} else {
		out[name] = v
	}
	return out
}

// attrOf is the attribute name of the object v.
func attrOf(tb testing.TB, v tftypes.Value, name string) tftypes.Value {
	tb.Helper()
	var attrs map[string]tftypes.Value
	if err := v.As(&attrs); err != nil {
		tb.Fatal(err)
	}
	return attrs[name]
}

// TestQuickUpgradeAnswersAsTheFramework: every state upgrade the quick upgrade answers, it
// answers as the framework alone does, and it answers the states of the current schema.
func TestQuickUpgradeAnswersAsTheFramework(t *testing.T) {
	o := newPlanOracle(t)
	ctx := context.Background()
	for i, c := range o.contacts {
		stored, ok := jsonOf(c.value).(map[string]any)
		if !ok {
			t.Fatal("a state is no object")
		}
		encode := func(change func(m map[string]any)) []byte {
			m := maps.Clone(stored)
			change(m)
			b, err := json.Marshal(m)
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
		raw := encode(func(map[string]any) {})
		for name, tc := range map[string]struct {
			req   *tfprotov6.UpgradeResourceStateRequest
			quick bool
		}{
			"as stored":             {&tfprotov6.UpgradeResourceStateRequest{RawState: &tfprotov6.RawState{JSON: raw}}, true},
			"an attribute of old":   {&tfprotov6.UpgradeResourceStateRequest{RawState: &tfprotov6.RawState{JSON: encode(func(m map[string]any) { m["nickname"] = "Cam" })}}, true},
			"an attribute missing":  {&tfprotov6.UpgradeResourceStateRequest{RawState: &tfprotov6.RawState{JSON: encode(func(m map[string]any) { delete(m, "mobile") })}}, true},
			"a decimal":             {&tfprotov6.UpgradeResourceStateRequest{RawState: &tfprotov6.RawState{JSON: encode(func(m map[string]any) { m["id"] = json.Number("1.5") })}}, true},
			"a string for a number": {&tfprotov6.UpgradeResourceStateRequest{RawState: &tfprotov6.RawState{JSON: encode(func(m map[string]any) { m["id"] = "x" })}}, false},
			"not JSON":              {&tfprotov6.UpgradeResourceStateRequest{RawState: &tfprotov6.RawState{JSON: []byte("{")}}, false},
			"another version":       {&tfprotov6.UpgradeResourceStateRequest{Version: 1, RawState: &tfprotov6.RawState{JSON: raw}}, false},
			"a flatmap":             {&tfprotov6.UpgradeResourceStateRequest{RawState: &tfprotov6.RawState{Flatmap: map[string]string{"id": "1"}}}, false},
			"no state":              {&tfprotov6.UpgradeResourceStateRequest{}, false},
		} {
			tc.req.TypeName = "qomon_contact"
			quick, ok := o.upgrade.QuickUpgrade(ctx, tc.req)
			want, err := o.framework.srv.UpgradeResourceState(ctx, tc.req)
			if err != nil {
				t.Fatal(err)
			}
			if ok != tc.quick {
				t.Errorf("contact %d, %s: answered without the framework: %t, want %t", i, name, ok, tc.quick)
			}
			if ok && !reflect.DeepEqual(quick, want) {
				t.Errorf("contact %d, %s: the quick upgrade answered %+v, the framework %+v", i, name, quick, want)
			}
		}
	}
}

// TestQuickPlanDefaults: a note whose pinned the configuration leaves out is planned with the
// default (false) by the framework; the quick plan answers only when that changes nothing.
func TestQuickPlanDefaults(t *testing.T) {
	o := newPlanOracle(t)
	c := o.contacts[3] // notes: pinned left out, true, false
	ct := o.framework.contactType
	for name, tc := range map[string]struct {
		notes []map[string]any
		quick bool
	}{
		"as created":                    {c.config["notes"].([]map[string]any), true},
		"false left out":                {[]map[string]any{{"content": "Unpinned, by default."}, {"content": "Pinned.", "pinned": true}, {"content": "Unpinned."}}, true},
		"true left out":                 {[]map[string]any{{"content": "Unpinned, by default."}, {"content": "Pinned."}, {"content": "Unpinned.", "pinned": false}}, false},
		"fewer notes in the config":     {[]map[string]any{{"content": "Unpinned, by default."}}, false},
		"every pinned set":              {[]map[string]any{{"content": "Unpinned, by default.", "pinned": false}, {"content": "Pinned.", "pinned": true}, {"content": "Unpinned.", "pinned": false}}, true},
		"pinned set where state is not": {[]map[string]any{{"content": "Unpinned, by default.", "pinned": true}, {"content": "Pinned.", "pinned": true}, {"content": "Unpinned.", "pinned": false}}, true},
	} {
		cfgMap := make(map[string]any, len(c.config))
		for k, v := range c.config {
			cfgMap[k] = v
		}
		cfgMap["notes"] = tc.notes
		cfg, err := objectValue(ct, cfgMap)
		if err != nil {
			t.Fatal(err)
		}
		prior := c.value
		if got := o.compare(t, name, o.request(t, c.state, cfg, &prior)); got != tc.quick {
			t.Errorf("%s: answered without the framework: %t, want %t", name, got, tc.quick)
		}
	}
}

// FuzzQuickPlan varies a contact's configuration attribute by attribute (kept, left out, another
// contact's value, unknown) and its private state, proposes either the prior state or the
// configuration over it, and requires the quick plan to answer as the framework whenever it
// answers.
func FuzzQuickPlan(f *testing.F) {
	f.Add(uint8(0), uint8(0), false, []byte{})
	f.Add(uint8(0), uint8(1), true, []byte{1, 0, 0, 2, 0, 3})
	f.Add(uint8(3), uint8(2), false, []byte{0, 1, 1, 1, 0, 0, 0, 0, 1})
	f.Add(uint8(1), uint8(0), false, []byte{2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2})
	var o *planOracle
	f.Fuzz(func(t *testing.T, which, privateVariant uint8, fromConfig bool, ops []byte) {
		if o == nil {
			o = newPlanOracle(t)
		}
		c, cfg := o.varied(t, which, ops, 4, nil)
		private := c.private
		switch privateVariant % 4 {
		case 1:
			private = nil
		case 2:
			private = privateWith(t, c.private, "managed_fields", `{"v":1,"fields":["mobile","address.city","notes"]}`)
		case 3:
			private = privateWith(t, c.private, "mirrors", `{"v":1,"updated_at":"2020-01-01T00:00:00Z"}`)
		}
		prior := c.value
		proposed := &prior
		if fromConfig {
			proposed = nil
		}
		o.compare(t, fmt.Sprintf("contact %d, ops %v, private %d, from config %t", which, ops, privateVariant, fromConfig),
			o.request(t, state{value: c.value, private: private}, cfg, proposed))
	})
}

func withIdentity(req *tfprotov6.PlanResourceChangeRequest, id *tfprotov6.ResourceIdentityData) *tfprotov6.PlanResourceChangeRequest {
	req.PriorIdentity = id
	return req
}

func withMeta(req *tfprotov6.PlanResourceChangeRequest) *tfprotov6.PlanResourceChangeRequest {
	req.ProviderMeta = &tfprotov6.DynamicValue{}
	return req
}

func withConfig(req *tfprotov6.PlanResourceChangeRequest, config *tfprotov6.DynamicValue) *tfprotov6.PlanResourceChangeRequest {
	req.Config = config
	return req
}

func withPrior(req *tfprotov6.PlanResourceChangeRequest, prior *tfprotov6.DynamicValue) *tfprotov6.PlanResourceChangeRequest {
	req.PriorState = prior
	return req
}

// privateWith is private with key set to value (JSON, or not, as the case needs).
func privateWith(tb testing.TB, private []byte, key, value string) []byte {
	tb.Helper()
	m := map[string][]byte{}
	if len(private) > 0 {
		if err := json.Unmarshal(private, &m); err != nil {
			tb.Fatal(err)
		}
	}
	m[key] = []byte(value)
	out, err := json.Marshal(m)
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// respelled is private as another JSON encoder could write it: keys in reverse order, spaces.
func respelled(tb testing.TB, private []byte) []byte {
	tb.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(private, &m); err != nil {
		tb.Fatal(err)
	}
	keys := slices.Sorted(maps.Keys(m))
	slices.Reverse(keys)
	out := []byte("{ ")
	for i, k := range keys {
		if i > 0 {
			out = append(out, " , "...)
		}
		out = fmt.Appendf(out, "%q : %s", k, m[k])
	}
	return append(out, " }"...)
}
