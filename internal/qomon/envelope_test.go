package qomon

import (
	"strings"
	"testing"
)

func TestDecodeContactResponse(t *testing.T) {
	ok := []string{
		`{"status":"success","data":{"contact":{"id":7,"firstname":"A"}}}`,
		`{"data":{"contact":{"id":7,"firstname":"A"}}}`,
		`{"status":"success","data":{"id":7,"firstname":"A"}}`,
		`{"id":7,"firstname":"A"}`,
		` {"data":{"contact":{"id":"7","firstname":"A"}},"total":1} `,
	}
	for _, in := range ok {
		c, err := decodeContactResponse([]byte(in))
		if err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		if c.ID.Value != 7 || c.Firstname.Value != "A" {
			t.Errorf("%s: decoded %#v", in, c)
		}
	}
	bad := map[string]string{
		``:                                 "empty",
		`   `:                              "empty",
		`<html>502 Bad Gateway</html>`:     "not JSON (HTML)",
		`Service unavailable`:              "not JSON (text)",
		`[]`:                               "not a JSON object",
		`"ok"`:                             "not a JSON object",
		`{}`:                               "holds no contact",
		`{"status":"success"}`:             "holds no contact",
		`{"status":"success","data":{}}`:   "no data.contact",
		`{"status":"success","data":null}`: "data is null",
		`{"status":"success","data":[]}`:   "not an object",
		`{"status":"success","data":"x"}`:  "not an object",
		`{"data":{"contact":null}}`:        "null",
		`{"data":{"contact":{}}}`:          "no id",
		`{"data":{"contact":{"id":0}}}`:    "no id",
		`{"data":{"contact":{"id":null}}}`: "no id",
		`{"data":{"contact":[{"id":1}]}}`:  "cannot be read",
		`{"data":{"contact":{"id":1,"tags":5.5}}}`: "cannot be read",
		`{"data":{"contact":{"id":1,"mail":`:       "not valid JSON",
		`{"status":"fail"}`:                        `status "fail"`,
		`{"status":"error","message":"boom"}`:      "boom",
	}
	for in, want := range bad {
		c, err := decodeContactResponse([]byte(in))
		if err == nil {
			t.Errorf("%q: no error, got %#v", in, c)
			continue
		}
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %q, want it to mention %q", in, err, want)
		}
	}
}

func TestEncodeContactEnvelope(t *testing.T) {
	b, err := encodeContactEnvelope(Contact{Firstname: Some("A"), BirthCity: Some("B")})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"data":{"contact":{"firstname":"A","birth_city":"B"}}}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func FuzzDecodeContactResponse(f *testing.F) {
	for _, s := range []string{`{"status":"success","data":{"contact":{"id":7}}}`, `{"data":{"id":1}}`, `{"id":1}`,
		`{"status":"fail"}`, `<html>`, ``, `{"data":{"contact":{"id":1,"address":{"postalcode":1}}}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		c, err := decodeContactResponse(in)
		if err == nil && (c == nil || c.ID.Value <= 0) {
			t.Fatalf("accepted a contact without id: %#v", c)
		}
	})
}
