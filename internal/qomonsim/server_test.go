package qomonsim

import (
	"net/http"
	"strings"
	"testing"
)

func TestAuthentication(t *testing.T) {
	c := newTC(t, Options{Tokens: []string{"alpha", "beta"}})
	for _, tok := range []string{"", "gamma", "alph", "alpha2"} {
		c.token = tok
		r := c.do("GET", "/v1/forms/type/consent", nil).want(t, 401)
		if string(r.raw) != `{"status":"fail","message":"Need authentication"}`+"\n" {
			t.Errorf("401 body %q", r.raw)
		}
		if r.header.Get("X-Ratelimit-Cost") != "" {
			t.Error("a 401 was charged to a bucket")
		}
	}
	for _, tok := range []string{"alpha", "beta"} {
		c.token = tok
		c.do("GET", "/v1/forms/type/consent", nil).want(t, 200)
	}
	// Wrong scheme.
	req, _ := http.NewRequestWithContext(t.Context(), "GET", c.url+"/forms/11240", nil)
	req.Header.Set("Authorization", "Basic alpha")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 401 {
		t.Errorf("Basic auth: %d", res.StatusCode)
	}
	for _, r := range c.s.Requests() {
		if strings.Contains(r.Header.Get("Authorization"), "alpha") || strings.Contains(r.Header.Get("Authorization"), "beta") {
			t.Errorf("token kept in the request log: %q", r.Header.Get("Authorization"))
		}
	}
}

func TestUnknownRoutesAndMethods(t *testing.T) {
	c := newTC(t, Options{})
	r := c.do("GET", "/users", nil).want(t, 404)
	if r.body["status"] != float64(404) {
		t.Errorf("404 body %s", r.raw)
	}
	r = c.do("PUT", "/contacts/1", nil).want(t, 405)
	if r.header.Get("Allow") != "GET, PATCH, DELETE" {
		t.Errorf("Allow %q", r.header.Get("Allow"))
	}
	c.do("GET", "/contacts", nil).want(t, 405)
	c.do("GET", "/search", nil).want(t, 405)
}

func TestBodyTooLarge(t *testing.T) {
	c := newTC(t, Options{})
	big := `{"data":{"contact":{"surname":"` + strings.Repeat("x", maxBody) + `"}}}`
	c.do("POST", "/contacts", big).want(t, 413)
	if c.s.ContactCount() != 0 {
		t.Error("an oversized body stored a contact")
	}
}
