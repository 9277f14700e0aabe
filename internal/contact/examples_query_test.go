package contact_test

import (
	"bytes"
	"context"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/zclconf/go-cty/cty"

	"github.com/qomon/terraform-provider-qomon/internal/acctest"
	"github.com/qomon/terraform-provider-qomon/internal/qomonsim"
)

// TestExamples_queryFiles checks the .tfquery.hcl examples, which no CLI on these machines
// reads: `terraform query` came with Terraform 1.14 (BUSL: not installed here), OpenTofu has no
// list blocks, and scripts/check-examples.sh validates .tf and .tofu files only. It does what
// `terraform fmt -check`, `terraform validate` and a query would: every list block of qomon_contact is parsed, its
// arguments and config checked against the list schema, and it is run through the provider's
// ListResource RPC against a simulator, with no error.
func TestExamples_queryFiles(t *testing.T) {
	files, err := filepath.Glob("../../examples/*/*/*.tfquery.hcl")
	if err != nil {
		t.Fatal(err)
	}
	more, _ := filepath.Glob("../../examples/*/*.tfquery.hcl")
	files = append(files, more...)
	if len(files) < 2 {
		t.Fatalf("found %d .tfquery.hcl examples, want at least the list resource's and the adoption guide's", len(files))
	}
	env := acctest.Parallel(t, qomonsim.Options{})
	env.Sim.SeedContact(map[string]any{"firstname": "Ada", "surname": "Lovelace", "tags": []any{map[string]any{"name": "volunteer"}},
		"address": map[string]any{"city": "Lyon"}})
	env.Sim.SeedContact(map[string]any{"firstname": "Grace", "surname": "Hopper", "tags": []any{map[string]any{"name": "donor"}}})
	p := newRPCProvider(t, env)
	for _, f := range files {
		t.Run(strings.TrimPrefix(f, "../../"), func(t *testing.T) {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if formatted := hclwrite.Format(raw); !bytes.Equal(formatted, raw) {
				t.Errorf("not formatted as `terraform fmt` would; formatted:\n%s", formatted)
			}
			blocks := parseListBlocks(t, f, p.listType())
			if len(blocks) == 0 {
				t.Fatal("no list block of qomon_contact")
			}
			for name, req := range blocks {
				resp, err := p.server.ValidateListResourceConfig(context.Background(), &tfprotov6.ValidateListResourceConfigRequest{
					TypeName: "qomon_contact", Config: p.encode(p.listType(), p.dynamic(p.listType(), req.config)),
				})
				if err != nil {
					t.Fatal(err)
				}
				failOnDiags(t, name+": validation", resp.Diagnostics)
				if got := results(t, p.list(req)); len(got) == 0 {
					t.Errorf("%s lists no contact of the simulator", name)
				}
			}
		})
	}
}

// parseListBlocks reads the list blocks of a query file, by name, as list requests. Anything a
// query file holds besides list blocks of qomon_contact and their arguments fails the test.
func parseListBlocks(t *testing.T, path string, configType tftypes.Type) map[string]listRequest {
	t.Helper()
	file, diags := hclparse.NewParser().ParseHCLFile(path)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	out := map[string]listRequest{}
	for _, b := range file.Body.(*hclsyntax.Body).Blocks {
		if b.Type != "list" || len(b.Labels) != 2 || b.Labels[0] != "qomon_contact" {
			t.Fatalf("%s: unexpected block %s %v", b.DefRange(), b.Type, b.Labels)
		}
		req := listRequest{limit: 100} // Terraform's default
		for name, a := range b.Body.Attributes {
			switch name {
			case "provider":
				if tr, d := hcl.AbsTraversalForExpr(a.Expr); d.HasErrors() || tr.RootName() != "qomon" {
					t.Errorf("%s: provider must name qomon", a.SrcRange)
				}
			case "include_resource":
				req.includeResource = literal(t, a).True()
			case "limit":
				n, _ := literal(t, a).AsBigFloat().Int64()
				req.limit = n
			default:
				t.Errorf("%s: unexpected argument %s", a.SrcRange, name)
			}
		}
		for _, c := range b.Body.Blocks {
			if c.Type != "config" || req.config != nil {
				t.Fatalf("%s: unexpected block %s", c.DefRange(), c.Type)
			}
			req.config = map[string]tftypes.Value{}
			types := configType.(tftypes.Object).AttributeTypes
			for name, a := range c.Body.Attributes {
				typ, ok := types[name]
				if !ok {
					t.Errorf("%s: the list resource has no filter %s", a.SrcRange, name)
					continue
				}
				v, err := terraformOf(literal(t, a), typ)
				if err != nil {
					t.Errorf("%s: %v", a.SrcRange, err)
				}
				req.config[name] = v
			}
		}
		out[b.Labels[1]] = req
	}
	return out
}

// literal evaluates an argument of an example, which must not depend on anything.
func literal(t *testing.T, a *hclsyntax.Attribute) cty.Value {
	t.Helper()
	v, diags := a.Expr.Value(nil)
	if diags.HasErrors() {
		t.Fatalf("%s: %v", a.SrcRange, diags)
	}
	return v
}

// terraformOf converts an HCL value into the list config's type, as Terraform would: a tuple
// of objects into a list of objects, absent attributes null.
func terraformOf(v cty.Value, typ tftypes.Type) (tftypes.Value, error) {
	switch {
	case v.IsNull():
		return tftypes.NewValue(typ, nil), nil
	case typ.Is(tftypes.String) && v.Type() == cty.String:
		return tftypes.NewValue(typ, v.AsString()), nil
	case typ.Is(tftypes.Bool) && v.Type() == cty.Bool:
		return tftypes.NewValue(typ, v.True()), nil
	case typ.Is(tftypes.Number) && v.Type() == cty.Number:
		return tftypes.NewValue(typ, new(big.Float).Set(v.AsBigFloat())), nil
	}
	switch t := typ.(type) {
	case tftypes.List:
		if !v.CanIterateElements() {
			return tftypes.Value{}, fmt.Errorf("want a list, got %s", v.Type().FriendlyName())
		}
		var elems []tftypes.Value
		for _, e := range v.AsValueSlice() {
			x, err := terraformOf(e, t.ElementType)
			if err != nil {
				return tftypes.Value{}, err
			}
			elems = append(elems, x)
		}
		return tftypes.NewValue(typ, elems), nil
	case tftypes.Object:
		if !v.Type().IsObjectType() {
			return tftypes.Value{}, fmt.Errorf("want an object, got %s", v.Type().FriendlyName())
		}
		attrs := map[string]tftypes.Value{}
		for name, at := range t.AttributeTypes {
			attrs[name] = tftypes.NewValue(at, nil)
		}
		for name, x := range v.AsValueMap() {
			at, ok := t.AttributeTypes[name]
			if !ok {
				return tftypes.Value{}, fmt.Errorf("no attribute %s", name)
			}
			conv, err := terraformOf(x, at)
			if err != nil {
				return tftypes.Value{}, fmt.Errorf("%s: %w", name, err)
			}
			attrs[name] = conv
		}
		return tftypes.NewValue(typ, attrs), nil
	}
	return tftypes.Value{}, fmt.Errorf("want %s, got %s", typ, v.Type().FriendlyName())
}
