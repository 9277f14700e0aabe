// Command rsswrap stands in for terraform-provider-qomon during the CLI benchmarks
// (internal/bench): the CLI starts it through dev_overrides, it runs the real provider binary
// as its child with the same arguments, environment and standard streams (so go-plugin's
// handshake passes through untouched), and when the child exits it appends the child's peak
// resident memory and CPU time to a file, as one JSON line.
//
// The kernel's own accounting of the exited child (wait4's rusage) gives the true peak, which
// polling /proc/<pid>/status can miss between two samples. No library measures a child process
// this way, hence this small program.
//
// Environment:
//
//	BENCH_PROVIDER_REAL   path of the real provider binary (required)
//	BENCH_PROVIDER_STATS  file to append one JSON line per provider process to (optional)
//	BENCH_PROVIDER_ENV    extra environment for the provider only, "K=V" pairs separated by
//	                      spaces (optional): an experiment such as GOMEMLIMIT=64MiB must not
//	                      reach the CLI, which is a Go program too
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

// Record is one provider process, as the benchmarks read it back.
type Record struct {
	MaxRSSKiB int64   `json:"max_rss_kib"`
	UserSec   float64 `json:"user_s"`
	SysSec    float64 `json:"sys_s"`
}

func main() {
	os.Exit(run())
}

func run() int {
	target := os.Getenv("BENCH_PROVIDER_REAL")
	if target == "" {
		fmt.Fprintln(os.Stderr, "rsswrap: BENCH_PROVIDER_REAL is not set")
		return 2
	}
	cmd := exec.Command(target, os.Args[1:]...) //nolint:gosec // running the binary we were told to wrap is the point
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = append(os.Environ(), strings.Fields(os.Getenv("BENCH_PROVIDER_ENV"))...)
	// If the CLI kills the wrapper outright, the provider must not outlive it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}

	// The CLI may interrupt the plugin; pass it on instead of dying before the child.
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(os.Stderr, "rsswrap: %v\n", err)
		return 1
	}
	go func() {
		for s := range sigs {
			_ = cmd.Process.Signal(s)
		}
	}()

	code := 0
	if err := cmd.Wait(); err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			fmt.Fprintf(os.Stderr, "rsswrap: %v\n", err)
			return 1
		}
		code = exit.ExitCode()
	}
	var rec Record
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rec.MaxRSSKiB = ru.Maxrss // kilobytes on Linux
		rec.UserSec = time.Duration(ru.Utime.Nano()).Seconds()
		rec.SysSec = time.Duration(ru.Stime.Nano()).Seconds()
	}
	if path := os.Getenv("BENCH_PROVIDER_STATS"); path != "" {
		if err := appendRecord(path, rec); err != nil {
			fmt.Fprintf(os.Stderr, "rsswrap: %v\n", err)
		}
	}
	return code
}

// appendRecord writes one line with O_APPEND: several provider processes may end at once, and
// a single short write to an O_APPEND file is not interleaved with another.
func appendRecord(path string, rec Record) error {
	line, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600) //nolint:gosec // a path the benchmark chose
	if err != nil {
		return err
	}
	_, werr := f.Write(append(line, '\n'))
	cerr := f.Close()
	return errors.Join(werr, cerr)
}
