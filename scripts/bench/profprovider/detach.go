package main

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// A prototype of a fix for the provider's memory, measured in BENCHMARKS.md ("Memory").
//
// terraform-plugin-framework v1.19.0 (internal/proto6server, registerContext) wraps the context
// of every RPC in context.WithCancel and appends the CancelFunc to a slice that only
// StopProvider empties, so that a Ctrl-C can cancel in-flight work. Terraform calls
// StopProvider only when interrupted: the slice grows by one entry per RPC for the life of the
// process, and each CancelFunc keeps its context's whole parent chain reachable — the gRPC
// stream, terraform-plugin-go's per-request loggers and their buffers. That is the provider's
// peak memory growing with the number of contacts.
//
// detachingServer hands the framework, for the RPCs a walk makes once per resource, a context
// whose link to the request's context is cut when the RPC returns: what the framework keeps
// is then a few hundred bytes per RPC instead of the whole chain. While the RPC runs, the
// context behaves exactly like the request's (values, deadline, cancellation, and Ctrl-C
// through StopProvider still cancels it, as the framework registered it).
type detachingServer struct {
	tfprotov6.ProviderServer
}

func (s detachingServer) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	d := detach(ctx)
	defer d.cut()
	return s.ProviderServer.ValidateResourceConfig(d, req)
}

func (s detachingServer) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	d := detach(ctx)
	defer d.cut()
	return s.ProviderServer.UpgradeResourceState(d, req)
}

func (s detachingServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	d := detach(ctx)
	defer d.cut()
	return s.ProviderServer.ReadResource(d, req)
}

func (s detachingServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	d := detach(ctx)
	defer d.cut()
	return s.ProviderServer.PlanResourceChange(d, req)
}

func (s detachingServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	d := detach(ctx)
	defer d.cut()
	return s.ProviderServer.ApplyResourceChange(d, req)
}

func (s detachingServer) ImportResourceState(ctx context.Context, req *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	d := detach(ctx)
	defer d.cut()
	return s.ProviderServer.ImportResourceState(d, req)
}

func (s detachingServer) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	d := detach(ctx)
	defer d.cut()
	return s.ProviderServer.ValidateDataResourceConfig(d, req)
}

func (s detachingServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	d := detach(ctx)
	defer d.cut()
	return s.ProviderServer.ReadDataSource(d, req)
}

// detachable is a context.Context that forwards everything to its parent until cut, then
// behaves as a cancelled, empty context and no longer references the parent.
type detachable struct {
	parent atomic.Pointer[context.Context]
}

func detach(parent context.Context) *detachable {
	d := &detachable{}
	d.parent.Store(&parent)
	return d
}

// cut drops the reference to the parent. Called when the RPC has returned: nothing may use
// the request's context after that.
func (d *detachable) cut() { d.parent.Store(nil) }

var closed = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

func (d *detachable) Deadline() (time.Time, bool) {
	if p := d.parent.Load(); p != nil {
		return (*p).Deadline()
	}
	return time.Time{}, false
}

// Done returns the parent's channel while attached: context.WithCancel(d) then recognises the
// parent's cancelCtx and registers with it directly, so cancellation propagates as usual.
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
