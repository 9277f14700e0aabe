// Command terraform-provider-qomon is the Terraform provider for Qomon contacts.
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/qomon/terraform-provider-qomon/internal/provider"
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

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/qomon/qomon",
		Debug:   debug,
	})
	if err != nil {
		log.Fatalf("terraform-provider-qomon %s (%s): %s", version, commit, err)
	}
}
