package provider

import (
	"context"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/qomon/terraform-provider-qomon/internal/contact/sweep"
	"github.com/qomon/terraform-provider-qomon/internal/providerdata"
	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// Environment variables read when the provider block leaves an attribute out.
const (
	EnvToken      = "QOMON_API_TOKEN"
	EnvEndpoint   = "QOMON_ENDPOINT"
	EnvUpdateMode = "QOMON_UPDATE_MODE"
	EnvRefresh    = "QOMON_REFRESH_MODE"
)

// settings is what the provider block and the environment configure.
type settings struct {
	client      qomon.Config
	updateMode  providerdata.UpdateMode
	refreshMode sweep.Mode
}

// A setting is one attribute of the provider block: its schema, and how its value (known by
// then) becomes part of the settings. The schema, the refusal of values unknown until apply and
// the reading all walk this table, so an attribute is declared once, here.
type setting struct {
	name string
	attr schema.Attribute
	// read writes the attribute's value into s; get reads the value into a target as
	// tfsdk.Config.GetAttribute does, env looks up an environment variable.
	read func(s *settings, get func(target any) diag.Diagnostics, env func(string) string) diag.Diagnostics
}

var providerSettings = []setting{
	text("api_token", "Qomon API token", EnvToken, schema.StringAttribute{
		MarkdownDescription: "Qomon API key, created in the Qomon web app under *Settings → Extensions → Connect*. " +
			"The key is bound to one Qomon space. May also be set with the `" + EnvToken + "` environment variable, " +
			"which keeps it out of your configuration.",
		Sensitive:  true,
		Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
	}, func(s *settings, v string) error {
		// Validated by Configure, after Options.ClientConfig may have set it.
		s.client.Token = v
		return nil
	}),
	text("endpoint", "Qomon endpoint", EnvEndpoint, schema.StringAttribute{
		MarkdownDescription: "Base URL of the Qomon API. Defaults to `" + qomon.DefaultEndpoint + "`, or the `" + EnvEndpoint +
			"` environment variable. Must use `https://`, except for a loopback address (such as the local simulator on `http://127.0.0.1:8787`).",
		Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
	}, func(s *settings, v string) error {
		s.client.Endpoint = qomon.DefaultEndpoint
		if v != "" {
			s.client.Endpoint = strings.TrimRight(v, "/")
		}
		_, err := qomon.ValidateEndpoint(s.client.Endpoint)
		return err
	}),
	oneOf("update_mode", "update mode", EnvUpdateMode, "How an update reaches Qomon. `replace` (the default, or `"+EnvUpdateMode+"`) follows Qomon's documented "+
		"`PATCH`, which replaces the whole contact: the provider reads the contact fresh, checks that nobody changed the "+
		"fields about to change since the plan, overlays exactly the planned changes and sends the whole contact, so data "+
		"Terraform does not manage is kept. `merge` sends only the changed fields, for a Qomon API whose `PATCH` merges.",
		func(s *settings) *providerdata.UpdateMode { return &s.updateMode },
		choice[providerdata.UpdateMode]{providerdata.UpdateModeReplace, "Qomon's documented full-replace PATCH"},
		choice[providerdata.UpdateMode]{providerdata.UpdateModeMerge, ""}),
	oneOf("refresh_mode", "refresh mode", EnvRefresh, "How a plan reads the contacts it manages from Qomon. `get` reads each contact with its own request "+
		"(1 token each). `search` reads the whole Qomon space once with Qomon's search (1 token per 1,000 contacts "+
		"of the space, whatever the configuration holds) and then reads with its own request only the contacts that "+
		"changed since the last apply or refresh. `auto` (the default, or `"+EnvRefresh+"`) starts as `get` and "+
		"switches to `search` once the contacts read cost as much as the search would, so it never spends much more "+
		"than the cheaper of the two. Every mode shows the same plan: see the guide *Rate limits and large applies*.",
		func(s *settings) *sweep.Mode { return &s.refreshMode },
		choice[sweep.Mode]{sweep.ModeAuto, "the cheaper of the two, chosen as reads come"},
		choice[sweep.Mode]{sweep.ModeGet, "one request per contact"},
		choice[sweep.Mode]{sweep.ModeSearch, "one search of the whole space"}),
	{name: "max_retries", attr: schema.Int64Attribute{
		MarkdownDescription: fmt.Sprintf("How many times a request is retried after a rate-limit answer (429), a gateway error "+
			"(502, 503, 504), a network error, or, for reads, searches and deletes, a server error (500), with exponential backoff "+
			"that honours `Retry-After`. Defaults to %d. "+
			"A contact creation is retried only when Qomon provably did not process it (a 429, a refused connection); when its "+
			"answer is lost, it is sent again, up to the same number of times, only after searches by its `mail` over Qomon's "+
			"index lag found no such contact (see the `qomon_contact` resource's *Creating contacts safely*).", qomon.DefaultMaxRetries),
		Optional:   true,
		Validators: []validator.Int64{int64validator.Between(0, 20)},
	}, read: func(s *settings, get func(any) diag.Diagnostics, _ func(string) string) diag.Diagnostics {
		// The default is set here rather than left to qomon.New, since 0 is a value a user may set.
		s.client.Retry.MaxRetries = qomon.DefaultMaxRetries
		var n types.Int64
		diags := get(&n)
		if !n.IsNull() {
			s.client.Retry.MaxRetries = int(n.ValueInt64())
		}
		return diags
	}},
	{name: "rate_limit", attr: schema.SingleNestedAttribute{
		MarkdownDescription: "Client-side pacing. Qomon gives each space a token bucket (100 tokens, refilled at 10 per second; " +
			"creating or updating a contact costs 5 tokens, other calls 1). The provider keeps one matching bucket for all its " +
			"requests so that a large apply paces itself instead of collecting `429 Too Many Requests` answers.",
		Optional: true,
		Attributes: map[string]schema.Attribute{
			"enabled": schema.BoolAttribute{
				MarkdownDescription: "Whether the provider paces its requests. Defaults to `true`.",
				Optional:            true,
			},
			"burst": schema.Float64Attribute{
				MarkdownDescription: fmt.Sprintf("Bucket capacity in tokens. Defaults to %d, Qomon's documented burst.", qomon.DefaultBurst),
				Optional:            true,
				Validators: []validator.Float64{atLeast(qomon.WriteCost,
					"tokens: a create or an update costs that many, so a smaller bucket could never admit one")},
			},
			"per_second": schema.Float64Attribute{
				MarkdownDescription: fmt.Sprintf("Tokens added per second. Defaults to %d, Qomon's documented rate.", qomon.DefaultPerSecond),
				Optional:            true,
				Validators:          []validator.Float64{atLeast(0.1, "tokens per second")},
			},
		},
	}, read: func(s *settings, get func(any) diag.Diagnostics, _ func(string) string) diag.Diagnostics {
		// What is left out stays zero: qomon.New applies Qomon's bucket, declared there once.
		var rl *rateLimit
		diags := get(&rl)
		if rl == nil {
			return diags
		}
		if !rl.Enabled.IsNull() {
			s.client.RateLimit.Disabled = !rl.Enabled.ValueBool()
		}
		if !rl.Burst.IsNull() {
			s.client.RateLimit.Burst = rl.Burst.ValueFloat64()
		}
		if !rl.PerSecond.IsNull() {
			s.client.RateLimit.PerSecond = rl.PerSecond.ValueFloat64()
		}
		return diags
	}},
}

type rateLimit struct {
	Enabled   types.Bool    `tfsdk:"enabled"`
	Burst     types.Float64 `tfsdk:"burst"`
	PerSecond types.Float64 `tfsdk:"per_second"`
}

// text is a text attribute, called title in messages, that falls back to the environment
// variable env. parse gets the value in force, "" when neither the block nor the environment
// sets it; its error names the attribute and both places the value may have come from.
func text(name, title, env string, a schema.StringAttribute, parse func(s *settings, v string) error) setting {
	a.Optional = true
	return setting{name: name, attr: a, read: func(s *settings, get func(any) diag.Diagnostics, getenv func(string) string) diag.Diagnostics {
		var v types.String
		diags := get(&v)
		if err := parse(s, firstNonEmpty(v.ValueString(), getenv(env))); err != nil {
			diags.AddAttributeError(path.Root(name), "Invalid "+title, err.Error()+
				". The value came from the provider block or the "+env+" environment variable.")
		}
		return diags
	}}
}

// A choice is one value of a setting with named values, and the few words an error about the
// setting gives it ("" for none).
type choice[T ~string] struct {
	value T
	means string
}

// oneOf is a text setting whose value is one of choices, the first being the default: the
// schema's validator and the error for a bad environment value derive from them.
func oneOf[T ~string](name, title, env, doc string, field func(*settings) *T, choices ...choice[T]) setting {
	values := make([]string, len(choices))
	described := make([]string, len(choices))
	for i, c := range choices {
		values[i] = string(c.value)
		described[i] = fmt.Sprintf("%q", c.value)
		if c.means != "" {
			described[i] += " (" + c.means + ")"
		}
	}
	use := strings.Join(described[:len(described)-1], ", ") + " or " + described[len(described)-1]
	a := schema.StringAttribute{MarkdownDescription: doc, Validators: []validator.String{stringvalidator.OneOf(values...)}}
	return text(name, title, env, a, func(s *settings, v string) error {
		for _, c := range choices {
			if v == "" || v == string(c.value) {
				*field(s) = c.value
				return nil
			}
		}
		return fmt.Errorf("unknown %s %q: use %s", title, v, use)
	})
}

func providerSchema() schema.Schema {
	attrs := make(map[string]schema.Attribute, len(providerSettings))
	for _, s := range providerSettings {
		attrs[s.name] = s.attr
	}
	return schema.Schema{
		Description: "Manage Qomon contacts as code.",
		MarkdownDescription: "Manages [Qomon](https://qomon.com) contacts as code: create, update in place, import and " +
			"look up contacts, their address, tags, notes, form answers and custom fields.",
		Attributes: attrs,
	}
}

// validateConfig checks what can be checked before any value is known for sure (terraform
// validate): the endpoint the block sets, if known.
func validateConfig(ctx context.Context, c tfsdk.Config) diag.Diagnostics {
	var endpoint types.String
	diags := c.GetAttribute(ctx, path.Root("endpoint"), &endpoint)
	if !endpoint.IsNull() && !endpoint.IsUnknown() {
		if _, err := qomon.ValidateEndpoint(endpoint.ValueString()); err != nil {
			diags.AddAttributeError(path.Root("endpoint"), "Invalid Qomon endpoint", err.Error())
		}
	}
	return diags
}

// rejectUnknown refuses values that are only known after apply, wherever they stand in the
// block: the client must be built now.
func rejectUnknown(ctx context.Context, c tfsdk.Config) diag.Diagnostics {
	var diags diag.Diagnostics
	var walk func(at path.Path, v attr.Value)
	walk = func(at path.Path, v attr.Value) {
		if v.IsUnknown() {
			diags.AddAttributeError(at, "Provider setting not known until apply",
				"The provider is configured before any resource is created, so "+at.String()+" cannot depend on a value "+
					"that is only known after apply. Use a literal, a variable, or an environment variable instead.")
			return
		}
		if o, ok := v.(basetypes.ObjectValue); ok {
			attrs := o.Attributes()
			for _, name := range slices.Sorted(maps.Keys(attrs)) {
				walk(at.AtName(name), attrs[name])
			}
		}
	}
	for _, s := range providerSettings {
		var v attr.Value
		diags.Append(c.GetAttribute(ctx, path.Root(s.name), &v)...)
		if v != nil {
			walk(path.Root(s.name), v)
		}
	}
	return diags
}

func lookupEnv(k string) string { return strings.TrimSpace(os.Getenv(k)) }

// readSettings reads the provider block, known by then, with its environment fallbacks and
// defaults. env is injected so tests need not touch the process environment.
func readSettings(ctx context.Context, c tfsdk.Config, env func(string) string) (settings, diag.Diagnostics) {
	var s settings
	var diags diag.Diagnostics
	for _, st := range providerSettings {
		get := func(target any) diag.Diagnostics { return c.GetAttribute(ctx, path.Root(st.name), target) }
		diags.Append(st.read(&s, get, env)...)
	}
	return s, diags
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}
