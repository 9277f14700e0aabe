package provider

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

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

type configModel struct {
	APIToken    types.String `tfsdk:"api_token"`
	Endpoint    types.String `tfsdk:"endpoint"`
	UpdateMode  types.String `tfsdk:"update_mode"`
	RefreshMode types.String `tfsdk:"refresh_mode"`
	MaxRetries  types.Int64  `tfsdk:"max_retries"`
	RateLimit   *rateLimit   `tfsdk:"rate_limit"`
}

// readConfig reads the provider block and, when it could be read, checks it with check: validate
// when Terraform validates the configuration, rejectUnknown when it configures the provider.
func readConfig(ctx context.Context, c tfsdk.Config, check func(configModel) diag.Diagnostics) (configModel, diag.Diagnostics) {
	var cfg configModel
	diags := c.Get(ctx, &cfg)
	if !diags.HasError() {
		diags.Append(check(cfg)...)
	}
	return cfg, diags
}

type rateLimit struct {
	Enabled   types.Bool    `tfsdk:"enabled"`
	Burst     types.Float64 `tfsdk:"burst"`
	PerSecond types.Float64 `tfsdk:"per_second"`
}

func providerSchema() schema.Schema {
	modes := make([]string, len(providerdata.UpdateModes))
	for i, m := range providerdata.UpdateModes {
		modes[i] = string(m)
	}
	refreshModes := make([]string, len(sweep.Modes))
	for i, m := range sweep.Modes {
		refreshModes[i] = string(m)
	}
	return schema.Schema{
		Description: "Manage Qomon contacts as code.",
		MarkdownDescription: "Manages [Qomon](https://qomon.com) contacts as code: create, update in place, import and " +
			"look up contacts, their address, tags, notes, form answers and custom fields.",
		Attributes: map[string]schema.Attribute{
			"api_token": schema.StringAttribute{
				MarkdownDescription: "Qomon API key, created in the Qomon web app under *Settings → Extensions → Connect*. " +
					"The key is bound to one Qomon space. May also be set with the `" + EnvToken + "` environment variable, " +
					"which keeps it out of your configuration.",
				Optional:   true,
				Sensitive:  true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"endpoint": schema.StringAttribute{
				MarkdownDescription: "Base URL of the Qomon API. Defaults to `" + qomon.DefaultEndpoint + "`, or the `" + EnvEndpoint +
					"` environment variable. Must use `https://`, except for a loopback address (such as the local simulator on `http://127.0.0.1:8787`).",
				Optional:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"update_mode": schema.StringAttribute{
				MarkdownDescription: "How an update reaches Qomon. `replace` (the default, or `" + EnvUpdateMode + "`) follows Qomon's documented " +
					"`PATCH`, which replaces the whole contact: the provider reads the contact fresh, checks that nobody changed the " +
					"fields about to change since the plan, overlays exactly the planned changes and sends the whole contact, so data " +
					"Terraform does not manage is kept. `merge` sends only the changed fields, for a Qomon API whose `PATCH` merges.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.OneOf(modes...)},
			},
			"refresh_mode": schema.StringAttribute{
				MarkdownDescription: "How a plan reads the contacts it manages from Qomon. `get` reads each contact with its own request " +
					"(1 token each). `search` reads the whole Qomon space once with Qomon's search (1 token per 1,000 contacts " +
					"of the space, whatever the configuration holds) and then reads with its own request only the contacts that " +
					"changed since the last apply or refresh. `auto` (the default, or `" + EnvRefresh + "`) starts as `get` and " +
					"switches to `search` once the contacts read cost as much as the search would, so it never spends much more " +
					"than the cheaper of the two. Every mode shows the same plan: see the guide *Rate limits and large applies*.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.OneOf(refreshModes...)},
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("How many times a request is retried after a rate-limit answer (429), a gateway error "+
					"(502, 503, 504), a network error, or, for reads, searches and deletes, a server error (500), with exponential backoff "+
					"that honours `Retry-After`. Defaults to %d. "+
					"A contact creation is retried only when Qomon provably did not process it (a 429, a refused connection); when its "+
					"answer is lost, it is sent again, up to the same number of times, only after searches by its `mail` over Qomon's "+
					"index lag found no such contact (see the `qomon_contact` resource's *Creating contacts safely*).", qomon.DefaultMaxRetries),
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, 20)},
			},
			"rate_limit": schema.SingleNestedAttribute{
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
			},
		},
	}
}

// validate checks what can be checked before any value is known for sure (terraform validate).
func (c configModel) validate() diag.Diagnostics {
	var diags diag.Diagnostics
	if !c.Endpoint.IsNull() && !c.Endpoint.IsUnknown() {
		if _, err := qomon.ValidateEndpoint(c.Endpoint.ValueString()); err != nil {
			diags.AddAttributeError(path.Root("endpoint"), "Invalid Qomon endpoint", err.Error())
		}
	}
	return diags
}

// rejectUnknown refuses values that are only known after apply: the client must be built now.
func (c configModel) rejectUnknown() diag.Diagnostics {
	var diags diag.Diagnostics
	unknown := func(attr path.Path, isUnknown bool) {
		if isUnknown {
			diags.AddAttributeError(attr, "Provider setting not known until apply",
				"The provider is configured before any resource is created, so "+attr.String()+" cannot depend on a value "+
					"that is only known after apply. Use a literal, a variable, or an environment variable instead.")
		}
	}
	unknown(path.Root("api_token"), c.APIToken.IsUnknown())
	unknown(path.Root("endpoint"), c.Endpoint.IsUnknown())
	unknown(path.Root("update_mode"), c.UpdateMode.IsUnknown())
	unknown(path.Root("refresh_mode"), c.RefreshMode.IsUnknown())
	unknown(path.Root("max_retries"), c.MaxRetries.IsUnknown())
	if c.RateLimit != nil {
		unknown(path.Root("rate_limit").AtName("enabled"), c.RateLimit.Enabled.IsUnknown())
		unknown(path.Root("rate_limit").AtName("burst"), c.RateLimit.Burst.IsUnknown())
		unknown(path.Root("rate_limit").AtName("per_second"), c.RateLimit.PerSecond.IsUnknown())
	}
	return diags
}

type settings struct {
	client      qomon.Config
	updateMode  providerdata.UpdateMode
	refreshMode sweep.Mode
}

func lookupEnv(k string) string { return strings.TrimSpace(os.Getenv(k)) }

// resolve applies environment fallbacks and defaults. env is injected so tests need not touch
// the process environment.
func (c configModel) resolve(env func(string) string) (settings, diag.Diagnostics) {
	var diags diag.Diagnostics
	// Unset values stay zero: qomon.New applies the defaults, declared there once. max_retries
	// is the exception, since 0 is a value a user may set.
	s := settings{client: qomon.Config{Endpoint: qomon.DefaultEndpoint, Retry: qomon.Retry{MaxRetries: qomon.DefaultMaxRetries}}}

	s.client.Token = firstNonEmpty(c.APIToken.ValueString(), env(EnvToken))
	if v := firstNonEmpty(c.Endpoint.ValueString(), env(EnvEndpoint)); v != "" {
		s.client.Endpoint = strings.TrimRight(v, "/")
	}
	if _, err := qomon.ValidateEndpoint(s.client.Endpoint); err != nil {
		diags.AddAttributeError(path.Root("endpoint"), "Invalid Qomon endpoint", err.Error())
	}

	mode, err := providerdata.ParseUpdateMode(firstNonEmpty(c.UpdateMode.ValueString(), env(EnvUpdateMode)))
	if err != nil {
		diags.AddAttributeError(path.Root("update_mode"), "Invalid update mode", err.Error()+
			". The value came from the provider block or the "+EnvUpdateMode+" environment variable.")
	}
	s.updateMode = mode

	refresh, err := sweep.ParseMode(firstNonEmpty(c.RefreshMode.ValueString(), env(EnvRefresh)))
	if err != nil {
		diags.AddAttributeError(path.Root("refresh_mode"), "Invalid refresh mode", err.Error()+
			". The value came from the provider block or the "+EnvRefresh+" environment variable.")
	}
	s.refreshMode = refresh

	if !c.MaxRetries.IsNull() {
		s.client.Retry.MaxRetries = int(c.MaxRetries.ValueInt64())
	}
	if rl := c.RateLimit; rl != nil {
		if !rl.Enabled.IsNull() {
			s.client.RateLimit.Disabled = !rl.Enabled.ValueBool()
		}
		if !rl.Burst.IsNull() {
			s.client.RateLimit.Burst = rl.Burst.ValueFloat64()
		}
		if !rl.PerSecond.IsNull() {
			s.client.RateLimit.PerSecond = rl.PerSecond.ValueFloat64()
		}
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
