package contact

import (
	"math/big"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// TestSameState: what the sweep's samples compare. A number read back from a state file (the
// decimal Terraform wrote, at 512 bits) is the float64 the provider wrote; sets compare in any
// order; anything else that differs, differs.
func TestSameState(t *testing.T) {
	typ := tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"score": tftypes.Number,
		"id":    tftypes.Number,
		"tags":  tftypes.Set{ElementType: tftypes.String},
		"notes": tftypes.List{ElementType: tftypes.String},
		"mail":  tftypes.String,
	}}
	fromFile, _, err := big.ParseFloat("0.734512", 10, 512, big.ToNearestEven)
	if err != nil {
		t.Fatal(err)
	}
	obj := func(score *big.Float, mail string, tags, notes []string) tftypes.Value {
		set := func(ss []string) []tftypes.Value {
			out := make([]tftypes.Value, len(ss))
			for i, s := range ss {
				out[i] = tftypes.NewValue(tftypes.String, s)
			}
			return out
		}
		var m any
		if mail != "" {
			m = mail
		}
		return tftypes.NewValue(typ, map[string]tftypes.Value{
			"score": tftypes.NewValue(tftypes.Number, score),
			"id":    tftypes.NewValue(tftypes.Number, new(big.Float).SetInt64(20000001)),
			"tags":  tftypes.NewValue(typ.AttributeTypes["tags"], set(tags)),
			"notes": tftypes.NewValue(typ.AttributeTypes["notes"], set(notes)),
			"mail":  tftypes.NewValue(tftypes.String, m),
		})
	}
	provider := obj(big.NewFloat(0.734512), "ada@example.org", []string{"a", "b"}, []string{"x", "y"})
	if tftypes.NewValue(tftypes.Number, fromFile).Equal(tftypes.NewValue(tftypes.Number, big.NewFloat(0.734512))) {
		t.Fatal("tftypes now compares these numbers as equal: sameState's number rule may be simplified")
	}
	cases := []struct {
		name string
		v    tftypes.Value
		want bool
	}{
		{"read back from the state file", obj(fromFile, "ada@example.org", []string{"b", "a"}, []string{"x", "y"}), true},
		{"another score", obj(big.NewFloat(0.7345), "ada@example.org", []string{"a", "b"}, []string{"x", "y"}), false},
		{"list order matters", obj(fromFile, "ada@example.org", []string{"a", "b"}, []string{"y", "x"}), false},
		{"a tag less", obj(fromFile, "ada@example.org", []string{"a"}, []string{"x", "y"}), false},
		{"another tag", obj(fromFile, "ada@example.org", []string{"a", "c"}, []string{"x", "y"}), false},
		{"null mail", obj(fromFile, "", []string{"a", "b"}, []string{"x", "y"}), false},
		{"mail case", obj(fromFile, "Ada@example.org", []string{"a", "b"}, []string{"x", "y"}), false},
		{"unknown", tftypes.NewValue(typ, tftypes.UnknownValue), false},
	}
	for _, c := range cases {
		if got := sameState(provider, c.v); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
		if got := sameState(c.v, provider); got != c.want {
			t.Errorf("%s, reversed: %v, want %v", c.name, got, c.want)
		}
	}
}
