package qomonsim

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// tc is a tiny HTTP client for the tests: plain net/http, like any client of Qomon.
type tc struct {
	hc    *http.Client
	t     *testing.T
	s     *Server
	url   string
	token string
}

func newTC(t *testing.T, opts Options) *tc {
	t.Helper()
	s, url := NewTestServer(t, opts)
	// No keep-alive: a reset connection must surface as an error, and Go's transport
	// silently retries a request that failed on a reused connection.
	hc := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	t.Cleanup(hc.CloseIdleConnections)
	return &tc{hc: hc, t: t, s: s, url: url, token: DefaultToken}
}

type resp struct {
	status int
	header http.Header
	raw    []byte
	body   map[string]any
}

func (c *tc) do(method, path string, body any) resp {
	c.t.Helper()
	r, err := c.try(method, path, body)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	return r
}

// try is do for requests that may fail at the transport level.
func (c *tc) try(method, path string, body any) (resp, error) {
	c.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			c.t.Fatalf("marshal: %v", err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequestWithContext(c.t.Context(), method, c.url+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := c.hc.Do(req)
	if err != nil {
		return resp{}, err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return resp{}, err
	}
	r := resp{status: res.StatusCode, header: res.Header, raw: raw}
	if len(raw) > 0 && strings.Contains(res.Header.Get("Content-Type"), "json") {
		if err := json.Unmarshal(raw, &r.body); err != nil {
			c.t.Fatalf("%s %s: response is not a JSON object: %v\n%s", method, path, err, raw)
		}
	}
	return r, nil
}

// want fails unless the status is as expected, showing the body.
func (r resp) want(t *testing.T, status int) resp {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body: %s", r.status, status, r.raw)
	}
	return r
}

// contact returns data.contact of a success envelope.
func (r resp) contact(t *testing.T) map[string]any {
	t.Helper()
	if r.body["status"] != "success" {
		t.Fatalf("no success envelope: %s", r.raw)
	}
	data, _ := r.body["data"].(map[string]any)
	c, ok := data["contact"].(map[string]any)
	if !ok {
		t.Fatalf("no data.contact: %s", r.raw)
	}
	return c
}

// errorsAt returns the problem's error locations.
func (r resp) errorLocations() []string {
	var out []string
	errs, _ := r.body["errors"].([]any)
	for _, e := range errs {
		m, _ := e.(map[string]any)
		loc, _ := m["location"].(string)
		out = append(out, loc)
	}
	return out
}

func wrap(c map[string]any) map[string]any {
	return map[string]any{"data": map[string]any{"contact": c}}
}

func (c *tc) create(contact map[string]any) map[string]any {
	c.t.Helper()
	return c.do("POST", "/contacts", wrap(contact)).want(c.t, 200).contact(c.t)
}

func idOf(t *testing.T, c map[string]any) int64 {
	t.Helper()
	f, ok := c["id"].(float64)
	if !ok {
		t.Fatalf("no numeric id in %v", c)
	}
	return int64(f)
}
