package provider

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// TestProbeDiagnostics: the configuration check turns each way it can fail into one error on
// the setting to fix, saying what was seen.
func TestProbeDiagnostics(t *testing.T) {
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	nobody := "http://" + closed.Addr().String()
	closed.Close()

	cases := []struct {
		name   string
		status int
		ctype  string
		body   string
		url    string // instead of a server answering status/body
		attr   string
		want   string
	}{
		{name: "Qomon refuses the key", status: 401, body: `{"status":"fail","message":"Need authentication"}`,
			attr: "api_token", want: `(?s)Qomon refused the API key.*401.*Need authentication.*api_token`},
		{name: "Qomon forbids", status: 403, body: `{"type":"about:blank","title":"Forbidden","status":403}`,
			attr: "api_token", want: `(?s)403`},
		{name: "a proxy's 401 page is not Qomon's", status: 401, ctype: "text/html", body: "<html><body>401 Authorization Required</body></html>",
			attr: "endpoint", want: `(?s)does not answer like Qomon.*HTTP 401, not JSON \(HTML\)`},
		{name: "wrong base path", status: 404, body: `{"type":"about:blank","title":"Not Found","status":404,"detail":"no route for POST /api/kpi"}`,
			attr: "endpoint", want: `(?s)does not answer like Qomon.*HTTP 404.*base path`},
		{name: "a gateway's JSON 404", status: 404, body: `{"message":"no Route matched with those values"}`,
			attr: "endpoint", want: `(?s)HTTP 404, JSON that is not one of Qomon's error formats`},
		{name: "an HTML page answered 200", status: 200, ctype: "text/html", body: "<!DOCTYPE html><html><title>Welcome</title></html>",
			attr: "endpoint", want: `(?s)HTTP 200, the answer is not JSON \(HTML\)`},
		{name: "JSON without a total", status: 200, body: `{"status":"success","data":{"contacts":[]}}`,
			attr: "endpoint", want: `(?s)HTTP 200, the answer has no data.total`},
		{name: "nothing listening", url: nobody, attr: "endpoint", want: `(?s)Cannot reach Qomon.*connection refused.*after 3 attempt`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			url := tc.url
			if url == "" {
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", map[bool]string{true: tc.ctype, false: "application/json"}[tc.ctype != ""])
					w.WriteHeader(tc.status)
					_, _ = w.Write([]byte(tc.body))
				}))
				defer srv.Close()
				url = srv.URL
			}
			c, err := qomon.New(qomon.Config{Endpoint: url, Token: "t", RateLimit: qomon.RateLimit{Disabled: true},
				Retry: qomon.Retry{MaxRetries: 2, MinWait: time.Millisecond, MaxWait: time.Millisecond}})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Probe(context.Background())
			if err == nil {
				t.Fatal("the probe succeeded")
			}
			diags := probeDiagnostics(url, err)
			if diags.ErrorsCount() != 1 {
				t.Fatalf("%d errors, want exactly one: %v", diags.ErrorsCount(), diags)
			}
			d := diags.Errors()[0]
			withPath, ok := d.(interface{ Path() path.Path })
			if !ok || !withPath.Path().Equal(path.Root(tc.attr)) {
				t.Errorf("the error is not on %s: %v", tc.attr, d)
			}
			if text := d.Summary() + "\n" + d.Detail(); !regexp.MustCompile(tc.want).MatchString(text) {
				t.Errorf("the error does not match %s:\n%s", tc.want, text)
			}
		})
	}
}
