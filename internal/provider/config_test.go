package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/qomon/terraform-provider-qomon/internal/providerdata"
	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

func TestResolve(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

	t.Run("defaults", func(t *testing.T) {
		s, diags := configModel{}.resolve(env(nil))
		if diags.HasError() {
			t.Fatal(diags)
		}
		if s.client.Endpoint != qomon.DefaultEndpoint || s.client.Token != "" || s.updateMode != providerdata.UpdateModeReplace {
			t.Errorf("unexpected defaults: %+v %q", s.client, s.updateMode)
		}
		// Left zero: qomon.New applies Qomon's bucket and the backoff defaults, declared there.
		if s.client.RateLimit != (qomon.RateLimit{}) || s.client.Retry.MinWait != 0 || s.client.Retry.MaxWait != 0 {
			t.Errorf("the provider sets defaults of its own: %+v %+v", s.client.RateLimit, s.client.Retry)
		}
		if s.client.Retry.MaxRetries != qomon.DefaultMaxRetries {
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
		for _, want := range []string{EnvUpdateMode, "uses plain http", `"upsert"`} {
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
