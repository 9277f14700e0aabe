package serve

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// detachingServer keeps the provider's memory flat however many resources a walk visits.
//
// terraform-plugin-framework v1.19.0 (internal/proto6server, registerContext) wraps the context
// of every RPC in context.WithCancel and appends the CancelFunc to a slice that only StopProvider
// empties, so that Ctrl-C can cancel work in flight. Terraform calls StopProvider only when
// interrupted, so the slice grows by one entry per RPC for the life of the process, and each
// CancelFunc keeps its context's whole parent chain reachable: the gRPC stream and
// terraform-plugin-go's per-request loggers with their buffers. Measured in BENCHMARKS.md
// ("Memory"): about 80 KiB per refreshed contact, 192 MiB of peak RSS for 2000 contacts.
//
// For the RPCs a walk makes once per resource, detachingServer hands the framework a context
// that forwards to the request's context while the RPC runs and drops that link when it
// returns. While the RPC runs nothing changes: values, deadline and cancellation are the
// request's, and StopProvider still cancels the context the framework registered. Afterwards the
// framework retains a few hundred bytes per RPC instead of the chain.
//
// Each of these RPCs' diagnostics is scrubbed of set elements' values (scrub.go). The embedded
// server is the framework's; RPCs not listed here pass through untouched. Of the optional
// interfaces, list resources are forwarded by listingServer (list.go); actions and state stores
// are not: the provider has none of them.
type detachingServer struct {
	tfprotov6.ProviderServer
	// quickRead, quickPlan, quickUpgrade and quickValidate answer the calls the provider can
	// answer without the framework (QuickReader, QuickPlanner, QuickUpgrader, QuickValidator);
	// nil when it has no such answers.
	quickRead     func(context.Context, *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, bool)
	quickPlan     func(context.Context, *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, bool)
	quickUpgrade  func(context.Context, *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, bool)
	quickValidate func(context.Context, *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, bool)
}

func (s detachingServer) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return quickly(ctx, req, s.quickValidate, s.ProviderServer.ValidateResourceConfig, func(r *tfprotov6.ValidateResourceConfigResponse) []*tfprotov6.Diagnostic { return r.Diagnostics })
}

func (s detachingServer) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	return quickly(ctx, req, s.quickUpgrade, s.ProviderServer.UpgradeResourceState, func(r *tfprotov6.UpgradeResourceStateResponse) []*tfprotov6.Diagnostic { return r.Diagnostics })
}

func (s detachingServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return quickly(ctx, req, s.quickRead, s.ProviderServer.ReadResource, func(r *tfprotov6.ReadResourceResponse) []*tfprotov6.Diagnostic { return r.Diagnostics })
}

func (s detachingServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return quickly(ctx, req, s.quickPlan, s.ProviderServer.PlanResourceChange, func(r *tfprotov6.PlanResourceChangeResponse) []*tfprotov6.Diagnostic { return r.Diagnostics })
}

func (s detachingServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return scrubbed(ctx, req, s.ProviderServer.ApplyResourceChange, func(r *tfprotov6.ApplyResourceChangeResponse) []*tfprotov6.Diagnostic { return r.Diagnostics })
}

func (s detachingServer) ImportResourceState(ctx context.Context, req *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return scrubbed(ctx, req, s.ProviderServer.ImportResourceState, func(r *tfprotov6.ImportResourceStateResponse) []*tfprotov6.Diagnostic { return r.Diagnostics })
}

func (s detachingServer) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return scrubbed(ctx, req, s.ProviderServer.ValidateDataResourceConfig, func(r *tfprotov6.ValidateDataResourceConfigResponse) []*tfprotov6.Diagnostic { return r.Diagnostics })
}

func (s detachingServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return scrubbed(ctx, req, s.ProviderServer.ReadDataSource, func(r *tfprotov6.ReadDataSourceResponse) []*tfprotov6.Diagnostic { return r.Diagnostics })
}

// QuickReader is a provider that can answer some reads without the framework: ok false means
// that it did not, and changed nothing, so that the framework serves the read as always. The
// qomon provider answers the reads of contacts its bulk refresh vouches for (internal/contact's
// QuickRead), the bulk of a plan's reads in a large configuration.
type QuickReader interface {
	QuickRead(ctx context.Context, req *tfprotov6.ReadResourceRequest) (resp *tfprotov6.ReadResourceResponse, ok bool)
}

// QuickPlanner is a provider that can answer some plans without the framework, as QuickReader
// answers reads: ok false means that it did not, and changed nothing. The qomon provider answers
// the plans that change nothing (internal/contact's QuickPlan), every resource of a plan that
// finds nothing to do.
type QuickPlanner interface {
	QuickPlan(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (resp *tfprotov6.PlanResourceChangeResponse, ok bool)
}

// QuickUpgrader is a provider that can answer some state upgrades without the framework, as
// QuickReader answers reads. The qomon provider answers the upgrades of states of its current
// schema version (internal/contact's QuickUpgrade), one per resource in every plan.
type QuickUpgrader interface {
	QuickUpgrade(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (resp *tfprotov6.UpgradeResourceStateResponse, ok bool)
}

// QuickValidator is a provider that can answer some validations without the framework, as
// QuickReader answers reads. The qomon provider answers the validations of contacts'
// configurations that pass every rule (internal/contact's QuickValidate), two per resource in
// every apply.
type QuickValidator interface {
	QuickValidate(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (resp *tfprotov6.ValidateResourceConfigResponse, ok bool)
}

// quickly is quick's answer to req when quick gives one, and otherwise rpc's, served as scrubbed
// serves it. A quick answer has no diagnostics to scrub: it is given only when there are none.
func quickly[Req, Resp any](ctx context.Context, req Req, quick func(context.Context, Req) (*Resp, bool), rpc func(context.Context, Req) (*Resp, error), diags func(*Resp) []*tfprotov6.Diagnostic) (*Resp, error) {
	if quick != nil {
		if resp, ok := quick(ctx, req); ok {
			return resp, nil
		}
	}
	return scrubbed(ctx, req, rpc, diags)
}

// scrubbed calls rpc detached (see detached) and scrubs the diagnostics of its answer, which
// diags returns (see scrubDiagnostics).
func scrubbed[Req, Resp any](ctx context.Context, req Req, rpc func(context.Context, Req) (*Resp, error), diags func(*Resp) []*tfprotov6.Diagnostic) (*Resp, error) {
	resp, err := detached(ctx, req, rpc)
	if resp != nil {
		scrubDiagnostics(diags(resp))
	}
	return resp, err
}

// detached calls rpc with a context detached from ctx when rpc returns.
func detached[Req, Resp any](ctx context.Context, req Req, rpc func(context.Context, Req) (Resp, error)) (Resp, error) {
	d := detach(ctx)
	defer d.cut()
	return rpc(d, req)
}

// detachable is a context.Context that forwards everything to its parent until cut, and then
// behaves as a cancelled context without values, holding no reference to the parent.
type detachable struct {
	parent atomic.Pointer[context.Context]
}

func detach(parent context.Context) *detachable {
	d := &detachable{}
	d.parent.Store(&parent)
	return d
}

// cut drops the reference to the parent. It is called when the RPC has returned, after which
// nothing may use the request's context any more.
func (d *detachable) cut() { d.parent.Store(nil) }

// closed is the Done channel of a cut context.
var closed = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

func (d *detachable) Deadline() (time.Time, bool) {
	if p := d.parent.Load(); p != nil {
		return (*p).Deadline()
	}
	return time.Time{}, false
}

// Done returns the parent's channel while attached. context.WithCancel(d) then recognises the
// parent's own cancelCtx (Value forwards its key too) and registers with it directly, so
// cancellation propagates without an extra goroutine.
func (d *detachable) Done() <-chan struct{} {
	if p := d.parent.Load(); p != nil {
		return (*p).Done()
	}
	return closed
}

func (d *detachable) Err() error {
	if p := d.parent.Load(); p != nil {
		return (*p).Err()
	}
	return context.Canceled
}

func (d *detachable) Value(key any) any {
	if p := d.parent.Load(); p != nil {
		return (*p).Value(key)
	}
	return nil
}
