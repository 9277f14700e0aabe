package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/qomon/terraform-provider-qomon/internal/providerdata"
	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

func TestCheckEndpoint(t *testing.T) {
	cases := []struct {
		in      string
		wantErr string
	}{
		{"https://incoming.qomon.app", ""},
		{"https://incoming.qomon.app/", ""},
		{"http://127.0.0.1:8787", ""},
		{"http://localhost:8787", ""},
		{"http://[::1]:8787", ""},
		{"http://127.10.0.3", ""},
		{"http://incoming.qomon.app", "plain http to a remote host"},
		{"http://10.0.0.1:8080", "plain http to a remote host"},
		{"ftp://incoming.qomon.app", "not a valid endpoint"},
		{"incoming.qomon.app", "not a valid endpoint"},
		{"", "not a valid endpoint"},
		{"https://", "not a valid endpoint"},
		{"https://user:pw@incoming.qomon.app", "must not carry credentials"},
		{"https://incoming.qomon.app/?x=1", "must not carry credentials"},
		{"::::", "not a valid endpoint"},
	}
	for _, c := range cases {
		err := checkEndpoint(c.in)
		switch {
		case c.wantErr == "" && err != nil:
			t.Errorf("checkEndpoint(%q) = %v, want no error", c.in, err)
		case c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)):
			t.Errorf("checkEndpoint(%q) = %v, want an error containing %q", c.in, err, c.wantErr)
		}
	}
}

func TestResolve(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

	t.Run("defaults", func(t *testing.T) {
		s, diags := configModel{}.resolve(env(nil))
		if diags.HasError() {
			t.Fatal(diags)
		}
		if s.client.Endpoint != DefaultEndpoint || s.client.Token != "" || s.updateMode != providerdata.UpdateModeReplace {
			t.Errorf("unexpected defaults: %+v %q", s.client, s.updateMode)
		}
		if s.client.RateLimit.Burst != 100 || s.client.RateLimit.PerSecond != 10 || s.client.RateLimit.Disabled {
			t.Errorf("rate limit defaults = %+v", s.client.RateLimit)
		}
		if s.client.Retry.MaxRetries != DefaultMaxRetries {
			t.Errorf("max retries = %d", s.client.Retry.MaxRetries)
		}
	})

	t.Run("environment fallbacks", func(t *testing.T) {
		s, diags := configModel{}.resolve(env(map[string]string{
			EnvToken: "env-token", EnvEndpoint: "http://127.0.0.1:9/", EnvUpdateMode: "merge",
		}))
		if diags.HasError() {
			t.Fatal(diags)
		}
		if s.client.Token != "env-token" || s.client.Endpoint != "http://127.0.0.1:9" || s.updateMode != providerdata.UpdateModeMerge {
			t.Errorf("got %q %q %q", s.client.Token, s.client.Endpoint, s.updateMode)
		}
	})

	t.Run("configuration wins over environment", func(t *testing.T) {
		cfg := configModel{
			APIToken:   types.StringValue("cfg-token"),
			Endpoint:   types.StringValue("https://qomon.example.org"),
			UpdateMode: types.StringValue("replace"),
			MaxRetries: types.Int64Value(0),
			RateLimit:  &rateLimit{Enabled: types.BoolValue(false), Burst: types.Float64Value(50), PerSecond: types.Float64Value(2.5)},
		}
		s, diags := cfg.resolve(env(map[string]string{EnvToken: "env-token", EnvEndpoint: "http://127.0.0.1:9", EnvUpdateMode: "merge"}))
		if diags.HasError() {
			t.Fatal(diags)
		}
		if s.client.Token != "cfg-token" || s.client.Endpoint != "https://qomon.example.org" || s.updateMode != providerdata.UpdateModeReplace {
			t.Errorf("got %q %q %q", s.client.Token, s.client.Endpoint, s.updateMode)
		}
		if s.client.Retry.MaxRetries != 0 || !s.client.RateLimit.Disabled || s.client.RateLimit.Burst != 50 || s.client.RateLimit.PerSecond != 2.5 {
			t.Errorf("knobs not applied: %+v %+v", s.client.Retry, s.client.RateLimit)
		}
	})

	t.Run("bad environment values name the variable", func(t *testing.T) {
		_, diags := configModel{}.resolve(env(map[string]string{EnvUpdateMode: "upsert", EnvEndpoint: "http://qomon.example.org"}))
		if diags.ErrorsCount() != 2 {
			t.Fatalf("want 2 errors, got %v", diags)
		}
		all := ""
		for _, d := range diags {
			all += d.Summary() + ": " + d.Detail() + "\n"
		}
		for _, want := range []string{EnvUpdateMode, "plain http to a remote host", `"upsert"`} {
			if !strings.Contains(all, want) {
				t.Errorf("diagnostics do not mention %q:\n%s", want, all)
			}
		}
	})
}

func TestRejectUnknown(t *testing.T) {
	cfg := configModel{
		APIToken:  types.StringUnknown(),
		Endpoint:  types.StringValue("https://incoming.qomon.app"),
		RateLimit: &rateLimit{Burst: types.Float64Unknown()},
	}
	diags := cfg.rejectUnknown()
	if diags.ErrorsCount() != 2 {
		t.Fatalf("want 2 errors (api_token, rate_limit.burst), got %v", diags)
	}
}

func TestUserAgent(t *testing.T) {
	if got := userAgent("0.1.0", "1.5.7"); got != "terraform-provider-qomon/0.1.0 (+terraform 1.5.7)" {
		t.Errorf("userAgent = %q", got)
	}
	if got := userAgent("", ""); got != "terraform-provider-qomon/dev" {
		t.Errorf("userAgent = %q", got)
	}
}

func TestSharedLimiterPerSpace(t *testing.T) {
	rl := qomon.RateLimit{Burst: 100, PerSecond: 10}
	a := sharedLimiter("https://a.example", "tok-1", rl)
	if b := sharedLimiter("https://a.example", "tok-1", rl); a != b {
		t.Error("same endpoint and token must share one limiter")
	}
	if c := sharedLimiter("https://a.example", "tok-2", rl); a == c {
		t.Error("another token must get its own limiter")
	}
}
