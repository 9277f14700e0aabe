package qomonsim

import (
	"encoding/json"
	"testing"
)

func TestDecodeJSONKeepsNumbers(t *testing.T) {
	v, err := decodeJSON([]byte(`{"a": 12, "b": 12.5, "c": 1e3, "d": "12"}`))
	if err != nil {
		t.Fatal(err)
	}
	m := v.(map[string]any)
	if n, ok := asInt(m["a"]); !ok || n != 12 {
		t.Errorf("a: %v %v", n, ok)
	}
	for _, k := range []string{"b", "c", "d"} {
		if _, ok := asInt(m[k]); ok {
			t.Errorf("%s read as an integer", k)
		}
	}
	if _, ok := asInt(json.Number("99999999999999999999")); ok {
		t.Error("overflow read as an integer")
	}
	for _, bad := range []string{``, `{`, `{} {}`, `{"a":1}x`} {
		if _, err := decodeJSON([]byte(bad)); err == nil {
			t.Errorf("%q decoded", bad)
		}
	}
}

func TestJSONTypeName(t *testing.T) {
	for v, want := range map[any]string{nil: "null", "s": "string", true: "boolean", json.Number("1"): "number"} {
		if got := jsonTypeName(v); got != want {
			t.Errorf("%v: %s", v, got)
		}
	}
	if jsonTypeName([]any{}) != "array" || jsonTypeName(map[string]any{}) != "object" {
		t.Error("array/object")
	}
}
