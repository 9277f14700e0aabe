package qomonsim

import (
	"net/http/httptest"
	"testing"
)

// NewTestServer starts a simulator on 127.0.0.1 (httptest, HTTP/1.1, so connection faults
// work) and returns it with its base URL. t.Cleanup stops it.
func NewTestServer(t testing.TB, opts Options) (*Server, string) {
	t.Helper()
	s := New(opts)
	ts := httptest.NewServer(s)
	t.Cleanup(func() {
		ts.CloseClientConnections()
		ts.Close()
	})
	return s, ts.URL
}
