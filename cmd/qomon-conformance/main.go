// Command qomon-conformance checks a Qomon space against what terraform-provider-qomon
// assumes of Qomon's API, and writes a report to paste into an issue: Qomon's behaviour per
// check, the provider version, and the provider settings that fit the space.
//
//	QOMON_API_TOKEN=… QOMON_ENDPOINT=https://incoming.qomon.app QOMON_CONFORMANCE_CONFIRM=1 qomon-conformance
//
// It creates two contacts of its own (surname Conformance-Check, tag
// terraform-provider-qomon-conformance), changes and deletes only them, deletes them at the
// end also on Ctrl-C or SIGTERM, first deletes what an earlier interrupted run left, and
// states its token budget before it starts. Without QOMON_CONFORMANCE_CONFIRM=1 it states
// what it would do and stops.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/qomon/terraform-provider-qomon/internal/conformance"
	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// version is the provider version the report names; `make conformance` sets it with
// -ldflags "-X main.version=…".
var version = "dev"

// Exit codes.
const (
	exitPass        = 0
	exitFailed      = 1 // some check failed or erred
	exitUsage       = 2 // not run: missing confirmation, token or bad flags
	exitInterrupted = 130
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("qomon-conformance", flag.ContinueOnError)
	fs.SetOutput(stderr)
	reportPath := fs.String("report", "qomon-conformance-report.md", "file to write the report to")
	maxLag := fs.Duration("max-search-lag", conformance.DefaultMaxSearchLag, "longest search lag the search-lag check accepts")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "qomon-conformance: unexpected arguments: %s\n", strings.Join(fs.Args(), " "))
		return exitUsage
	}
	token := strings.TrimSpace(getenv("QOMON_API_TOKEN"))
	endpoint := strings.TrimSpace(getenv("QOMON_ENDPOINT"))
	if endpoint == "" {
		endpoint = qomon.DefaultEndpoint
	}
	if token == "" {
		fmt.Fprintln(stderr, "qomon-conformance: set QOMON_API_TOKEN to the API key of the Qomon space to check (and QOMON_ENDPOINT if it is not "+qomon.DefaultEndpoint+")")
		return exitUsage
	}
	ver := providerVersion()

	fmt.Fprintf(stdout, `This checks the Qomon space at %s against what terraform-provider-qomon %s assumes.
It creates 2 contacts named %s %s (tag %s, mail %s…@example.org),
changes and deletes only them, and deletes what an earlier interrupted run left.
Token budget: %d tokens at most:
%s
`, endpoint, ver, conformance.Firstname, conformance.Surname, conformance.Tag, conformance.MailPrefix, conformance.Budget(), indent(conformance.BudgetText()))
	if getenv("QOMON_CONFORMANCE_CONFIRM") != "1" {
		fmt.Fprintln(stdout, "Nothing was sent. Set QOMON_CONFORMANCE_CONFIRM=1 to run it.")
		return exitUsage
	}

	finished := make(chan struct{})
	defer close(finished)
	go func() {
		select {
		case <-ctx.Done():
			fmt.Fprintln(stderr, "qomon-conformance: interrupted; deleting the contacts this run created (for a minute at most)")
		case <-finished:
		}
	}()
	rep, err := conformance.Run(ctx, conformance.Config{
		Endpoint: endpoint, Token: token, UserAgent: "terraform-provider-qomon-conformance/" + ver,
		MaxSearchLag: *maxLag, Progress: stderr, Version: ver,
	})
	if err != nil {
		fmt.Fprintln(stderr, "qomon-conformance:", err)
		return exitUsage
	}
	md := rep.Markdown()
	err = os.MkdirAll(filepath.Dir(*reportPath), 0o750)
	if err == nil {
		err = os.WriteFile(*reportPath, []byte(md), 0o600)
	}
	if err != nil {
		fmt.Fprintln(stderr, "qomon-conformance:", err)
		fmt.Fprint(stdout, md) // the report is not lost
	}
	passed, failed, skipped := rep.Counts()
	fmt.Fprintf(stdout, "%d passed, %d failed, %d skipped. Spent %d tokens of the budget of %d.\n", passed, failed, skipped, rep.Spent, rep.Budget)
	for _, a := range rep.Advice() {
		fmt.Fprintln(stdout, "- "+a)
	}
	if len(rep.Remaining) > 0 {
		fmt.Fprintf(stdout, "Could not delete contacts %v: run again to delete them.\n", rep.Remaining)
	}
	fmt.Fprintf(stdout, "Report written to %s; paste it into an issue at %s.\n", *reportPath, conformance.IssuesURL)
	switch {
	case errors.Is(ctx.Err(), context.Canceled) || rep.Stopped == "interrupted":
		return exitInterrupted
	case failed > 0 || rep.Stopped != "":
		return exitFailed
	}
	return exitPass
}

// providerVersion is version, or what the build recorded (a module version for go install
// …@v0.1.0, a commit for a build from a checkout).
func providerVersion() string {
	if version != "dev" {
		return version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return version
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	rev, dirty := "", ""
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "-dirty"
			}
		}
	}
	if len(rev) > 12 {
		return "dev (" + rev[:12] + dirty + ")"
	}
	return version
}

func indent(s string) string { return "  " + strings.ReplaceAll(s, "\n", "\n  ") }
