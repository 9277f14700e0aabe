// Command terraform-provider-qomon is the Terraform provider for Qomon contacts.
package main

import (
	"flag"
	"log"

	"github.com/qomon/terraform-provider-qomon/internal/provider"
	"github.com/qomon/terraform-provider-qomon/internal/serve"
)

// Set by goreleaser through -ldflags "-X main.version=... -X main.commit=...".
var (
	version = "dev"
	commit  = "none"
)

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "start the provider in debug mode, for a debugger such as delve")
	flag.Parse()

	if err := serve.Serve(provider.New(version), serve.Options{Debug: debug}); err != nil {
		log.Fatalf("terraform-provider-qomon %s (%s): %s", version, commit, err)
	}
}
