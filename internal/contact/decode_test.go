package contact

import (
	"context"
	"maps"
	"math"
	"math/big"
	"reflect"
	"slices"
	"strconv"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/qomon/terraform-provider-qomon/internal/contact/reconcile"
)

// valueMaker builds Terraform values of a type from fuzz bytes: nulls, unknowns, and numbers a
// 64-bit integer or float cannot hold among the ordinary values.
type valueMaker struct {
	in []byte
}

func (m *valueMaker) next() byte {
	if len(m.in) == 0 {
		return 0
	}
	b := m.in[0]
	m.in = m.in[1:]
	return b
}

func (m *valueMaker) value(t tftypes.Type) tftypes.Value {
	switch m.next() % 10 {
	case 0:
		return tftypes.NewValue(t, nil)
	case 1:
		return tftypes.NewValue(t, tftypes.UnknownValue)
	}
	switch t := t.(type) {
	case tftypes.Object:
		attrs := make(map[string]tftypes.Value, len(t.AttributeTypes))
		for _, name := range slices.Sorted(maps.Keys(t.AttributeTypes)) {
			attrs[name] = m.value(t.AttributeTypes[name])
		}
		return tftypes.NewValue(t, attrs)
	case tftypes.List:
		return tftypes.NewValue(t, m.elements(t.ElementType))
	case tftypes.Set:
		return tftypes.NewValue(t, m.elements(t.ElementType))
	}
	switch {
	case t.Is(tftypes.String):
		return tftypes.NewValue(t, "v"+strconv.Itoa(int(m.next())))
	case t.Is(tftypes.Bool):
		return tftypes.NewValue(t, m.next()%2 == 0)
	}
	numbers := []*big.Float{
		big.NewFloat(float64(m.next())), big.NewFloat(0.7345), big.NewFloat(-3),
		new(big.Float).SetInt64(math.MaxInt64), new(big.Float).Mul(big.NewFloat(math.MaxInt64), big.NewFloat(4)),
		new(big.Float).SetMantExp(big.NewFloat(1), 5000), new(big.Float).SetMantExp(big.NewFloat(1), -5000),
	}
	return tftypes.NewValue(t, numbers[int(m.next())%len(numbers)])
}

func (m *valueMaker) elements(t tftypes.Type) []tftypes.Value {
	out := make([]tftypes.Value, int(m.next()%3))
	for i := range out {
		out[i] = m.value(t)
	}
	return out
}

// FuzzDecode: wherever decode reads a value of the resource's type, the framework reads the
// same (valueOf of its values); where decode declines, objectOf reads through the framework.
func FuzzDecode(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2})
	f.Add([]byte{5, 7, 9, 3, 4, 1, 0, 8, 2, 6, 4, 4, 4, 3, 3, 3, 5, 5, 5, 2, 2, 2, 2, 6, 6, 6, 7, 7, 8, 8, 9, 9})
	f.Add([]byte{3, 0, 3, 1, 3, 2, 3, 3, 3, 4, 3, 5, 3, 6, 3, 7, 3, 8, 3, 9, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3})
	types := quickTypes()
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, in []byte) {
		m := &valueMaker{in: in}
		raw := m.value(types.state)
		x, err := decode(types.object, raw)
		want, diags := frameworkObjectOf(ctx, types.object, raw)
		obj, objDiags := objectOf(ctx, raw)
		// Which refusal the framework reports first depends on the order of a map's keys.
		if !reflect.DeepEqual(obj, want) || objDiags.HasError() != diags.HasError() || (!diags.HasError() && !objDiags.Equal(diags)) {
			t.Fatalf("objectOf read %v as\n%#v (%v)\nthe framework as\n%#v (%v)", raw, obj, objDiags, want, diags)
		}
		if err != nil {
			return
		}
		if diags.HasError() {
			t.Fatalf("decode read %v, which the framework refuses: %v", raw, diags)
		}
		if got, _ := x.(reconcile.Object); !reflect.DeepEqual(got, want) {
			t.Fatalf("decode read %v as\n%#v\nthe framework as\n%#v", raw, got, want)
		}
	})
}

// TestDecodeFallsBack: a number the framework refuses is refused by objectOf with the
// framework's diagnostic.
func TestDecodeFallsBack(t *testing.T) {
	types := quickTypes()
	attrs := map[string]tftypes.Value{}
	for name, at := range types.state.(tftypes.Object).AttributeTypes {
		attrs[name] = tftypes.NewValue(at, nil)
	}
	attrs["id"] = tftypes.NewValue(tftypes.Number, big.NewFloat(1.5))
	raw := tftypes.NewValue(types.state, attrs)
	if _, err := decode(types.object, raw); err == nil {
		t.Fatal("decode read an id of 1.5")
	}
	_, diags := objectOf(context.Background(), raw)
	if !diags.HasError() || diags[0].Summary() != "Cannot read the resource data" {
		t.Fatalf("diagnostics %v, want the framework's refusal", diags)
	}
}
