// Command qomonsim runs the Qomon simulator standalone, for the demo, for manual
// exploration with curl, and for users who want to test their configurations offline.
//
//	qomonsim -addr 127.0.0.1:8787 -token test-token
//
// It prints the base URL on stdout, logs one line per request on stderr (never a body, so
// no personal data), serves the admin endpoints under /_sim/ to loopback clients, and
// stops cleanly on SIGINT or SIGTERM.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/qomon/terraform-provider-qomon/internal/qomonsim"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "qomonsim:", err)
		os.Exit(1)
	}
}

type config struct {
	addr        string
	tokens      string
	seed        string
	allowRemote bool
	urlFile     string
	quiet       bool
	opts        qomonsim.Options // the switches, set by the flags qomonsim.RegisterFlags defines
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("qomonsim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	registerFlags(fs, &c)
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	for _, t := range strings.Split(c.tokens, ",") {
		if t = strings.TrimSpace(t); t != "" {
			c.opts.Tokens = append(c.opts.Tokens, t)
		}
	}
	return c, nil
}

// registerFlags defines the command's flags on fs: its own, then the simulator's switches.
func registerFlags(fs *flag.FlagSet, c *config) {
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8787", "listen address (port 0 picks a free port)")
	fs.StringVar(&c.tokens, "token", qomonsim.DefaultToken, "accepted bearer token(s), comma-separated")
	fs.StringVar(&c.seed, "seed", "", "JSON file of contacts to seed: an array, or {\"contacts\": [...]}")
	fs.BoolVar(&c.allowRemote, "allow-remote", false, "allow listening on a non-loopback address")
	fs.StringVar(&c.urlFile, "url-file", "", "also write the base URL to this file once listening")
	fs.BoolVar(&c.quiet, "quiet", false, "do not log requests")
	qomonsim.RegisterFlags(fs, &c.opts)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	stderr = &syncWriter{w: stderr}
	c, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	if !c.allowRemote && !isLoopbackAddr(c.addr) {
		return fmt.Errorf("refusing to listen on %q: not a loopback address (the simulator has no real security; pass -allow-remote to insist)", c.addr)
	}
	sim := qomonsim.New(c.opts)
	if c.seed != "" {
		n, err := seed(sim, c.seed)
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "qomonsim: seeded %d contacts from %s\n", n, c.seed)
	}

	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", c.addr)
	if err != nil {
		return err
	}
	url := "http://" + ln.Addr().String()
	var logTo io.Writer
	if !c.quiet {
		logTo = stderr
	}
	srv := &http.Server{Handler: sim.Handler(logTo), ReadHeaderTimeout: 10 * time.Second}

	fmt.Fprintln(stdout, url)
	if c.urlFile != "" {
		if err := os.WriteFile(c.urlFile, []byte(url+"\n"), 0o600); err != nil {
			_ = ln.Close()
			return err
		}
	}
	settings, _ := json.Marshal(sim.Settings())
	fmt.Fprintf(stderr, "qomonsim: listening on %s with settings %s\n", url, settings)

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	fmt.Fprintln(stderr, "qomonsim: shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// seed loads contacts from a JSON file: an array of contacts or {"contacts": [...]}.
func seed(sim *qomonsim.Server, path string) (int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	var list []map[string]any
	if err := json.Unmarshal(b, &list); err != nil {
		var wrapped struct {
			Contacts []map[string]any `json:"contacts"`
		}
		if err2 := json.Unmarshal(b, &wrapped); err2 != nil {
			return 0, fmt.Errorf("%s: expected a JSON array of contacts or {\"contacts\": [...]}: %w", path, err)
		}
		list = wrapped.Contacts
	}
	for i, c := range list {
		if _, err := sim.TrySeedContact(c); err != nil {
			return i, fmt.Errorf("%s: contact #%d: %w", path, i, err)
		}
	}
	return len(list), nil
}

// isLoopbackAddr reports whether a listen address binds loopback only. An empty host
// ("":8787) binds every interface.
func isLoopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil || host == "" {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// syncWriter serialises writes from concurrent request goroutines.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}
