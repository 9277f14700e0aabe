package reconcile

// FillUnknown builds the state an apply returns: the planned value wherever the plan knew it,
// and what Qomon answered (actual) wherever the plan left the value unknown.
//
// Terraform requires an apply to produce exactly the values it planned. An attribute the
// configuration does not manage is planned as it was in state; if someone changed it in Qomon
// between plan and apply, Qomon's answer holds the newer value, and returning it would make
// Terraform fail the apply ("inconsistent result"). It is kept as planned and the next refresh
// shows the newer value. The same goes for a value planned in state's spelling because the
// configuration means the same. Managed values that Qomon stored differently are reported by
// the caller as a warning.
func FillUnknown(planned, actual Value) Value {
	switch p := planned.(type) {
	case unknownValue:
		return actual
	case Object:
		a, _ := actual.(Object)
		out := make(Object, len(p))
		for k, pv := range p {
			out[k] = FillUnknown(pv, a[k])
		}
		return out
	case []Value:
		a, _ := actual.([]Value)
		out := make([]Value, len(p))
		for i := range p {
			var av Value
			if i < len(a) {
				av = a[i]
			}
			out[i] = FillUnknown(p[i], av)
		}
		return out
	}
	return planned
}
