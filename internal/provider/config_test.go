package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/qomon/terraform-provider-qomon/internal/contact/sweep"
	"github.com/qomon/terraform-provider-qomon/internal/providerdata"
	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// providerConfig is a provider block holding values, by attribute name; the others are null.
func providerConfig(t *testing.T, values map[string]tftypes.Value) tfsdk.Config {
	t.Helper()
	s := providerSchema()
	typ, ok := s.Type().TerraformType(t.Context()).(tftypes.Object)
	if !ok {
		t.Fatalf("the provider schema is not an object")
	}
	return tfsdk.Config{Schema: s, Raw: object(typ, values)}
}

// object is a value of typ holding values, by attribute name; the others are null.
func object(typ tftypes.Object, values map[string]tftypes.Value) tftypes.Value {
	attrs := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		v, ok := values[name]
		if !ok {
			v = tftypes.NewValue(at, nil)
		}
		attrs[name] = v
	}
	return tftypes.NewValue(typ, attrs)
}

// rateLimitBlock is a rate_limit value holding values, by attribute name.
func rateLimitBlock(t *testing.T, values map[string]tftypes.Value) tftypes.Value {
	t.Helper()
	typ, ok := providerSchema().Type().TerraformType(t.Context()).(tftypes.Object)
	if !ok {
		t.Fatalf("the provider schema is not an object")
	}
	return object(typ.AttributeTypes["rate_limit"].(tftypes.Object), values)
}

func str(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

func TestReadSettings(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

	t.Run("defaults", func(t *testing.T) {
		s, diags := readSettings(t.Context(), providerConfig(t, nil), env(nil))
		if diags.HasError() {
			t.Fatal(diags)
		}
		if s.client.Endpoint != qomon.DefaultEndpoint || s.client.Token != "" || s.updateMode != providerdata.UpdateModeReplace ||
			s.refreshMode != sweep.ModeAuto {
			t.Errorf("unexpected defaults: %+v %q %q", s.client, s.updateMode, s.refreshMode)
		}
		// Left zero: qomon.New applies Qomon's bucket and the backoff defaults, declared there.
		if s.client.RateLimit != (qomon.RateLimit{}) || s.client.Retry.MinWait != 0 || s.client.Retry.MaxWait != 0 {
			t.Errorf("the provider sets defaults of its own: %+v %+v", s.client.RateLimit, s.client.Retry)
		}
		if s.client.Retry.MaxRetries != qomon.DefaultMaxRetries {
			t.Errorf("max retries = %d", s.client.Retry.MaxRetries)
		}
	})

	// The same environment under two provider blocks: an empty one, and one that sets everything.
	environment := env(map[string]string{
		EnvToken: "env-token", EnvEndpoint: "http://127.0.0.1:9/", EnvUpdateMode: "merge", EnvRefresh: "search",
	})
	for _, tc := range []struct {
		name  string
		block map[string]tftypes.Value
		want  settings
	}{
		{name: "environment fallbacks",
			want: settings{client: qomon.Config{Token: "env-token", Endpoint: "http://127.0.0.1:9", Retry: qomon.Retry{MaxRetries: qomon.DefaultMaxRetries}},
				updateMode: providerdata.UpdateModeMerge, refreshMode: sweep.ModeSearch}},
		{name: "configuration wins over environment",
			block: map[string]tftypes.Value{
				"api_token": str("cfg-token"), "endpoint": str("https://qomon.example.org"), "update_mode": str("replace"),
				"refresh_mode": str("get"), "max_retries": tftypes.NewValue(tftypes.Number, 0),
				"rate_limit": rateLimitBlock(t, map[string]tftypes.Value{
					"enabled": tftypes.NewValue(tftypes.Bool, false), "burst": tftypes.NewValue(tftypes.Number, 50),
					"per_second": tftypes.NewValue(tftypes.Number, 2.5),
				}),
			},
			want: settings{client: qomon.Config{Token: "cfg-token", Endpoint: "https://qomon.example.org",
				RateLimit: qomon.RateLimit{Disabled: true, Burst: 50, PerSecond: 2.5}},
				updateMode: providerdata.UpdateModeReplace, refreshMode: sweep.ModeGet}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, diags := readSettings(t.Context(), providerConfig(t, tc.block), environment)
			if diags.HasError() {
				t.Fatal(diags)
			}
			if s.client.Token != tc.want.client.Token || s.client.Endpoint != tc.want.client.Endpoint ||
				s.client.Retry != tc.want.client.Retry || s.client.RateLimit != tc.want.client.RateLimit ||
				s.updateMode != tc.want.updateMode || s.refreshMode != tc.want.refreshMode {
				t.Errorf("got %q %q %+v %+v %q %q", s.client.Token, s.client.Endpoint, s.client.Retry, s.client.RateLimit, s.updateMode, s.refreshMode)
			}
		})
	}

	t.Run("bad environment values name the variable", func(t *testing.T) {
		_, diags := readSettings(t.Context(), providerConfig(t, nil), env(map[string]string{
			EnvUpdateMode: "upsert", EnvEndpoint: "http://qomon.example.org", EnvRefresh: "GET",
		}))
		if diags.ErrorsCount() != 3 {
			t.Fatalf("want 3 errors, got %v", diags)
		}
		all := ""
		for _, d := range diags {
			all += d.Summary() + ": " + d.Detail() + "\n"
		}
		for _, want := range []string{
			"Invalid update mode", EnvUpdateMode, `"upsert"`, `use "replace" (Qomon's documented full-replace PATCH) or "merge"`,
			"Invalid Qomon endpoint", EnvEndpoint, "uses plain http",
			"Invalid refresh mode", EnvRefresh, `"GET"`, `"auto" (the cheaper of the two, chosen as reads come), "get" (one request per contact) or "search"`,
		} {
			if !strings.Contains(all, want) {
				t.Errorf("diagnostics do not mention %q:\n%s", want, all)
			}
		}
	})
}

func TestRejectUnknown(t *testing.T) {
	cfg := providerConfig(t, map[string]tftypes.Value{
		"api_token":  tftypes.NewValue(tftypes.String, tftypes.UnknownValue),
		"endpoint":   str("https://incoming.qomon.app"),
		"rate_limit": rateLimitBlock(t, map[string]tftypes.Value{"burst": tftypes.NewValue(tftypes.Number, tftypes.UnknownValue)}),
	})
	diags := rejectUnknown(t.Context(), cfg)
	if diags.ErrorsCount() != 2 {
		t.Fatalf("want 2 errors (api_token, rate_limit.burst), got %v", diags)
	}
	for i, want := range []string{"api_token", "rate_limit.burst"} {
		if d, ok := diags[i].(diag.DiagnosticWithPath); !ok || d.Path().String() != want {
			t.Errorf("error %d is not on %s: %v", i, want, diags[i])
		}
	}

	// A whole block unknown until apply is refused as such.
	cfg = providerConfig(t, map[string]tftypes.Value{
		"rate_limit": tftypes.NewValue(rateLimitBlock(t, nil).Type(), tftypes.UnknownValue),
	})
	if diags := rejectUnknown(t.Context(), cfg); diags.ErrorsCount() != 1 {
		t.Errorf("want 1 error (rate_limit), got %v", diags)
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
