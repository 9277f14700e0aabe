package reconcile

// Value is a field's value in a form that both the engine and the framework glue understand,
// so that the glue converts Terraform values by the field's Kind without knowing the field:
//
//	nil               no value (null)
//	string, int64, bool, float64
//	[]Value           the elements of a set or list
//	map[string]Value  an object, by attribute name
//	Unknown           not known until apply (only in plans and configurations)
type Value = any

type unknownValue struct{}

// Unknown is the Value of something only known at apply time.
var Unknown Value = unknownValue{}

// IsUnknown reports whether v is Unknown.
func IsUnknown(v Value) bool {
	_, ok := v.(unknownValue)
	return ok
}

// IsSet reports whether a configured value sets its attribute: anything but null and blank
// text counts, and so does a value only known at apply time. Blank text is how a CSV file says
// "no value", so it is treated like an attribute left out.
func IsSet(v Value) bool {
	switch v := v.(type) {
	case nil:
		return false
	case string:
		return !blank(v)
	}
	return true
}
