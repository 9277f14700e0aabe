package contact

import (
	"math/big"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/qomon/terraform-provider-qomon/internal/contact/reconcile"
)

// QuickValidate answers a ValidateResourceConfig of qomon_contact without
// terraform-plugin-framework when the configuration passes every rule the framework would check,
// which is every resource of a valid configuration, validated twice by each apply (in the
// validate walk and again in the plan walk). The answer is then the framework's: no
// diagnostics.
//
// terraform-plugin-framework v1.19.0 (internal/fwserver, ValidateResourceConfig and
// AttributeValidate) reads each attribute's value through its framework type, then says that a
// read-only (computed only) attribute is set or a required one is null, runs the attribute's
// validators (checkValidator: the registry's checks, reconcile.Check) and goes through nested
// attributes the same way. The resource has no ValidateConfig, config validators, deprecated
// or write-only attributes. validConfig applies the same rules to the raw value.
//
// ok is false, and the framework answers as always with its diagnostics, whenever any rule
// does not hold, and whenever a value is one this walk does not read as the framework does: a
// number that is not an int64, a float, an unknown or null collection element.
// TestQuickValidateAnswersAsTheFramework and FuzzQuickValidate (internal/bench) feed the same
// requests to both.
func QuickValidate(req *tfprotov6.ValidateResourceConfigRequest) (resp *tfprotov6.ValidateResourceConfigResponse, ok bool) {
	if req.Config == nil {
		return nil, false
	}
	config, err := req.Config.Unmarshal(quickTypes().state)
	if err != nil || config.IsNull() || !config.IsKnown() || !validObject(defaultedTree(), config) {
		return nil, false
	}
	return &tfprotov6.ValidateResourceConfigResponse{}, true
}

// validObject reports whether the known, non-null object v of attrs passes the framework's
// rules (QuickValidate).
func validObject(attrs []reconcile.Attr, v tftypes.Value) bool {
	var m map[string]tftypes.Value
	if v.IsNull() || !v.IsKnown() || v.As(&m) != nil || len(m) != len(attrs) {
		return false
	}
	for _, a := range attrs {
		x, ok := m[a.Name]
		if !ok || !validAttr(a, x) {
			return false
		}
	}
	return true
}

// validAttr reports whether attribute a holding v passes the framework's rules.
func validAttr(a reconcile.Attr, v tftypes.Value) bool {
	switch {
	case a.Role == reconcile.RoleComputed:
		return v.IsNull() // "Invalid Configuration for Read-Only Attribute", unknown too
	case v.IsNull():
		return a.Role != reconcile.RoleRequired // "Missing Configuration for Required Attribute"
	case !v.IsKnown():
		return true // neither the validators nor the nested attributes look at an unknown value
	}
	switch a.Kind {
	case reconcile.KindText, reconcile.KindInt:
		x, ok := checkable(a.Kind, v)
		return ok && passes(a.Checks, x)
	case reconcile.KindTextSet, reconcile.KindIntSet:
		elemKind := reconcile.KindText
		if a.Kind == reconcile.KindIntSet {
			elemKind = reconcile.KindInt
		}
		var elems []tftypes.Value
		if v.As(&elems) != nil {
			return false
		}
		for _, e := range elems {
			if !e.IsKnown() {
				continue // checkValidator.ValidateSet skips it
			}
			x, ok := checkable(elemKind, e)
			if !ok || !passes(a.Checks, x) {
				return false
			}
		}
		return true
	case reconcile.KindBool:
		return len(a.Checks) == 0 // resourceAttribute gives booleans no validator
	case reconcile.KindObject:
		return len(a.Checks) == 0 && validObject(a.Elems, v)
	case reconcile.KindObjectList, reconcile.KindObjectSet:
		var elems []tftypes.Value
		if len(a.Checks) > 0 || v.As(&elems) != nil {
			return false
		}
		for _, e := range elems {
			if !validObject(a.Elems, e) {
				return false
			}
		}
		return true
	}
	return false // a float, or a kind this walk does not know
}

// checkable is v as the framework's type of kind gives it to checkValidator: a string, or an
// int64 when the number is one exactly (else the framework reports a conversion error). A null
// value is declined: ValidateSet skips a null element, the framework's set type may not.
func checkable(kind reconcile.Kind, v tftypes.Value) (any, bool) {
	if v.IsNull() {
		return nil, false
	}
	switch kind {
	case reconcile.KindText:
		var s string
		return s, v.As(&s) == nil
	case reconcile.KindInt:
		var f big.Float
		if v.As(&f) != nil || !f.IsInt() {
			return nil, false
		}
		n, accuracy := f.Int64()
		return n, accuracy == big.Exact
	}
	return nil, false
}

// passes reports whether x passes every check (checkValidator.run).
func passes(checks []reconcile.Check, x any) bool {
	for _, c := range checks {
		if c.Test(x) != "" {
			return false
		}
	}
	return true
}
