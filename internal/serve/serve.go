// Package serve runs the provider as a Terraform plugin: the framework's protocol 6 server
// behind a wrapper that keeps memory flat (detach.go) and personal data out of the SDK's logs
// (scrub.go), with the plugin SDK's own trace logging switched off when nobody can read it
// (quietSDKLogs) and the garbage collector tuned to the framework's allocations (gc.go). The
// wrapper lets the provider answer, without the framework, the reads, plans and state upgrades
// it can prove the framework would answer the same way (QuickReader, QuickPlanner,
// QuickUpgrader, QuickValidator in detach.go).
package serve

import (
	"os"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
)

// Address is the provider's source address in the Terraform Registry.
const Address = "registry.terraform.io/qomon/qomon"

// Options tune Serve.
type Options struct {
	// Debug starts the provider for a debugger (the -debug flag): it prints the
	// TF_REATTACH_PROVIDERS value to use and keeps its logging as configured.
	Debug bool
	// KeepContexts serves the framework without the detaching wrapper, for benchmarks that
	// compare the two.
	KeepContexts bool
}

// Serve serves the provider until Terraform stops it.
func Serve(providerFunc func() provider.Provider, opts Options) error {
	var serveOpts []tf6server.ServeOpt
	tuneGC(os.LookupEnv) // gc.go
	frameworkLogsOff(os.LookupEnv, os.Setenv)
	if opts.Debug {
		serveOpts = append(serveOpts, tf6server.WithManagedDebug())
	} else {
		quietSDKLogs(os.LookupEnv, os.Setenv)
	}
	p := providerFunc()
	server := func() tfprotov6.ProviderServer {
		if opts.KeepContexts {
			return providerserver.NewProtocol6(p)()
		}
		return NewServer(p)
	}
	return tf6server.Serve(Address, server, serveOpts...)
}

// NewServer is the server Serve serves for p: the framework's, behind the wrappers of this
// package. Tests that drive the provider in-process use it too, so that they drive what
// Terraform talks to.
func NewServer(p provider.Provider) tfprotov6.ProviderServer {
	s := detachingServer{ProviderServer: providerserver.NewProtocol6(p)()}
	if q, ok := p.(QuickReader); ok {
		s.quickRead = q.QuickRead
	}
	if q, ok := p.(QuickPlanner); ok {
		s.quickPlan = q.QuickPlan
	}
	if q, ok := p.(QuickUpgrader); ok {
		s.quickUpgrade = q.QuickUpgrade
	}
	if q, ok := p.(QuickValidator); ok {
		s.quickValidate = q.QuickValidate
	}
	return listing(s)
}

// logSwitches are the environment variables that turn some provider logging on. Terraform and
// OpenTofu start the provider with their own environment, and they keep a provider's log lines
// only when TF_LOG or TF_LOG_PROVIDER is set; the others are the SDK's own levels.
var logSwitches = []string{
	"TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_PROVIDER_QOMON",
	"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK",
}

// sdkLogLevels are switched off by quietSDKLogs.
var sdkLogLevels = []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER"}

// quietSDKLogs switches the plugin SDK's logging off when no log switch is set, and reports
// whether it did.
//
// terraform-plugin-go and the framework log every RPC and every attribute at TRACE when their
// levels are unset. Each line is encoded as JSON, carried to the CLI over the plugin's stderr,
// decoded there and then thrown away, because the CLI's provider log is off. Measured in
// BENCHMARKS.md: 40 % of the provider's CPU and a third of the CLI's during an apply of 500
// contacts. With any switch set (TF_LOG=trace, say) nothing is changed and everything is logged
// as before.
func quietSDKLogs(lookup func(string) (string, bool), set func(string, string) error) bool {
	for _, name := range logSwitches {
		if v, ok := lookup(name); ok && v != "" {
			return false
		}
	}
	for _, name := range sdkLogLevels {
		_ = set(name, "off") // os.Setenv fails only on invalid names; these are valid.
	}
	return true
}
