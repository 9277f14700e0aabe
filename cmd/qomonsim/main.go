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
	patchMode   string
	spelling    string
	burst       float64
	rate        float64
	noRateLimit bool
	seed        string
	upsertDelay time.Duration
	searchLag   time.Duration
	allowRemote bool
	urlFile     string
	quiet       bool
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("qomonsim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8787", "listen address (port 0 picks a free port)")
	fs.StringVar(&c.tokens, "token", qomonsim.DefaultToken, "accepted bearer token(s), comma-separated")
	fs.StringVar(&c.patchMode, "patch-mode", "replace", `PATCH semantics: "replace" (documented) or "merge"`)
	fs.StringVar(&c.spelling, "spelling", "new", `response spelling: "new" or "old"`)
	fs.Float64Var(&c.burst, "burst", 100, "rate-limit bucket capacity (tokens)")
	fs.Float64Var(&c.rate, "rate", 10, "rate-limit refill (tokens per second)")
	fs.BoolVar(&c.noRateLimit, "no-rate-limit", false, "disable the rate limit")
	fs.StringVar(&c.seed, "seed", "", "JSON file of contacts to seed: an array, or {\"contacts\": [...]}")
	fs.DurationVar(&c.upsertDelay, "upsert-delay", 2*time.Second, "delay before an upsert is applied")
	fs.DurationVar(&c.searchLag, "search-lag", 0, "how long a write takes to become searchable (Qomon: seconds)")
	fs.BoolVar(&c.allowRemote, "allow-remote", false, "allow listening on a non-loopback address")
	fs.StringVar(&c.urlFile, "url-file", "", "also write the base URL to this file once listening")
	fs.BoolVar(&c.quiet, "quiet", false, "do not log requests")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	return c, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	stderr = &syncWriter{w: stderr}
	c, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	opts, err := c.options()
	if err != nil {
		return err
	}
	if !c.allowRemote && !isLoopbackAddr(c.addr) {
		return fmt.Errorf("refusing to listen on %q: not a loopback address (the simulator has no real security; pass -allow-remote to insist)", c.addr)
	}
	sim := qomonsim.New(opts)
	defer sim.Close()
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
	mux := http.NewServeMux()
	mux.Handle(qomonsim.AdminPrefix, sim.AdminHandler())
	mux.Handle("/", sim)
	var handler http.Handler = mux
	if !c.quiet {
		handler = logRequests(handler, stderr)
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}

	fmt.Fprintln(stdout, url)
	if c.urlFile != "" {
		if err := os.WriteFile(c.urlFile, []byte(url+"\n"), 0o600); err != nil {
			_ = ln.Close()
			return err
		}
	}
	fmt.Fprintf(stderr, "qomonsim: listening on %s (patch-mode %s, spelling %s, rate limit %s)\n",
		url, opts.PatchMode, opts.Spelling, describeRate(opts.RateLimit))

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

func (c config) options() (qomonsim.Options, error) {
	var opts qomonsim.Options
	for _, t := range strings.Split(c.tokens, ",") {
		if t = strings.TrimSpace(t); t != "" {
			opts.Tokens = append(opts.Tokens, t)
		}
	}
	var ok bool
	if opts.PatchMode, ok = qomonsim.ParsePatchMode(c.patchMode); !ok {
		return opts, fmt.Errorf(`-patch-mode must be "replace" or "merge", not %q`, c.patchMode)
	}
	if opts.Spelling, ok = qomonsim.ParseSpelling(c.spelling); !ok {
		return opts, fmt.Errorf(`-spelling must be "new" or "old", not %q`, c.spelling)
	}
	if c.burst <= 0 || c.rate <= 0 {
		return opts, errors.New("-burst and -rate must be positive")
	}
	opts.RateLimit = qomonsim.RateLimit{Burst: c.burst, PerSecond: c.rate, Disabled: c.noRateLimit}
	opts.UpsertDelay = c.upsertDelay
	opts.SearchLag = c.searchLag
	return opts, nil
}

func describeRate(r qomonsim.RateLimit) string {
	if r.Disabled {
		return "off"
	}
	return fmt.Sprintf("burst %g, %g/s", r.Burst, r.PerSecond)
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

// logRequests writes one line per request: method, path, status, duration. Never the body
// or the query string, which may hold personal data.
func logRequests(next http.Handler, out io.Writer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		status := fmt.Sprint(sw.status)
		if sw.status == 0 {
			status = "---" // connection hijacked (injected reset)
		}
		fmt.Fprintf(out, "%s %s %s %s %s\n", start.UTC().Format("15:04:05.000"), r.Method, r.URL.Path, status,
			time.Since(start).Round(time.Microsecond))
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets the simulator hijack the connection through this wrapper.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

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
