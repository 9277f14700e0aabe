package serve

import (
	"context"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// listingServer is detachingServer with the list resource RPCs (`terraform query`, Terraform
// 1.14 and later) of the server it wraps. terraform-plugin-go v0.31.0 keeps them out of
// tfprotov6.ProviderServer, and tf6server looks for them by type assertion (on its deprecated
// ProviderServerWithListResource, which is ProviderServer plus ListResourceServer): a wrapper
// that only embeds tfprotov6.ProviderServer hides them, and Terraform would be told that the
// provider does not implement them.
type listingServer struct {
	detachingServer
	lists listServer
}

// listServer is a provider server with the list resource RPCs.
type listServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
}

var _ listServer = listingServer{}

// listing gives s the list resource RPCs of the framework server it wraps, when it has them.
func listing(s detachingServer) tfprotov6.ProviderServer {
	lists, ok := s.ProviderServer.(listServer)
	if !ok {
		return s
	}
	return listingServer{detachingServer: s, lists: lists}
}

func (s listingServer) ValidateListResourceConfig(ctx context.Context, req *tfprotov6.ValidateListResourceConfigRequest) (*tfprotov6.ValidateListResourceConfigResponse, error) {
	return scrubbed(ctx, req, s.lists.ValidateListResourceConfig, func(r *tfprotov6.ValidateListResourceConfigResponse) []*tfprotov6.Diagnostic { return r.Diagnostics })
}

// ListResource is not detached: Terraform reads the results stream after the call returns, and
// the searches and reads behind it run then, on the request's context, whose values (the
// loggers among them) a cut context no longer gives. One list block makes one call, so its
// context is no weight worth cutting.
func (s listingServer) ListResource(ctx context.Context, req *tfprotov6.ListResourceRequest) (*tfprotov6.ListResourceServerStream, error) {
	stream, err := s.lists.ListResource(ctx, req)
	if stream == nil || stream.Results == nil {
		return stream, err
	}
	results := stream.Results
	stream.Results = func(push func(tfprotov6.ListResourceResult) bool) {
		for r := range results {
			scrubDiagnostics(r.Diagnostics)
			if !push(r) {
				return
			}
		}
	}
	return stream, err
}
