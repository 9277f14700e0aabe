package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// cliEnv is everything a CLI run needs besides its arguments.
type cliEnv struct {
	CLI          string // terraform or tofu binary
	CLIConfig    string // file with dev_overrides
	RealProvider string // the provider binary the wrapper runs
	Token        string
	Parallelism  int
	Timeout      time.Duration
	// ProviderEnv is extra environment for the provider process only ("K=V K2=V2"), passed
	// through scripts/bench/rsswrap: an experiment must not change the CLI it runs under.
	ProviderEnv string
}

// cliRun is one CLI invocation as measured from outside.
type cliRun struct {
	Args     []string `json:"args"`
	WallSec  float64  `json:"wall_s"`
	ExitCode int      `json:"exit_code"`
	// The CLI process itself (its own rusage, not its children's).
	CLIUserSec   float64 `json:"cli_user_s"`
	CLISysSec    float64 `json:"cli_sys_s"`
	CLIMaxRSSMiB float64 `json:"cli_max_rss_mib"`
	// Every provider process the CLI started during the run, from the wrapper's records.
	Providers         int     `json:"provider_processes"`
	ProviderMaxRSSMiB float64 `json:"provider_max_rss_mib"`
	ProviderCPUSec    float64 `json:"provider_cpu_s"`
	Load1             float64 `json:"load1_before"`
	Log               string  `json:"log"`
}

// providerRecord is one line written by scripts/bench/rsswrap.
type providerRecord struct {
	MaxRSSKiB int64   `json:"max_rss_kib"`
	UserSec   float64 `json:"user_s"`
	SysSec    float64 `json:"sys_s"`
}

// runCLI runs `cli <args>` in dir with -parallelism and no colour, and measures it.
// okCodes lists the exit codes that are not failures (plan -detailed-exitcode returns 2 on changes).
func runCLI(ctx context.Context, env cliEnv, dir, logName string, args []string, okCodes ...int) (cliRun, error) {
	statsPath := filepath.Join(dir, ".provider-stats.jsonl")
	_ = os.Remove(statsPath)
	logPath := filepath.Join(dir, logName)
	logf, err := os.Create(logPath) //nolint:gosec // a file in the benchmark's work directory
	if err != nil {
		return cliRun{}, err
	}
	defer logf.Close()

	full := append(append([]string(nil), args...), "-input=false", "-no-color", fmt.Sprintf("-parallelism=%d", env.Parallelism))
	ctx, cancel := context.WithTimeout(ctx, env.Timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, env.CLI, full...) //nolint:gosec // the CLI binary the script installed
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.Env = cliEnviron(env, statsPath)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}

	run := cliRun{Args: full, Load1: loadAverage(), Log: logPath}
	start := time.Now()
	err = cmd.Run()
	run.WallSec = time.Since(start).Seconds()
	if cmd.ProcessState != nil {
		run.ExitCode = cmd.ProcessState.ExitCode()
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			run.CLIUserSec = time.Duration(ru.Utime.Nano()).Seconds()
			run.CLISysSec = time.Duration(ru.Stime.Nano()).Seconds()
			run.CLIMaxRSSMiB = float64(ru.Maxrss) / 1024
		}
	}
	recs, rerr := readProviderRecords(statsPath)
	if rerr != nil {
		return run, rerr
	}
	run.Providers = len(recs)
	for _, r := range recs {
		run.ProviderCPUSec += r.UserSec + r.SysSec
		if m := float64(r.MaxRSSKiB) / 1024; m > run.ProviderMaxRSSMiB {
			run.ProviderMaxRSSMiB = m
		}
	}
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		return run, fmt.Errorf("%s %s: %w", filepath.Base(env.CLI), strings.Join(args, " "), err)
	}
	for _, c := range append([]int{0}, okCodes...) {
		if run.ExitCode == c {
			return run, nil
		}
	}
	return run, fmt.Errorf("%s %s exited with %d; last lines of %s:\n%s",
		filepath.Base(env.CLI), strings.Join(args, " "), run.ExitCode, logPath, tail(logPath, 25))
}

// cliEnviron is the caller's environment minus anything that would change what is measured
// (logging, a different CLI configuration), plus what the wrapper and the provider need.
func cliEnviron(env cliEnv, statsPath string) []string {
	var out []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch {
		case strings.HasPrefix(k, "TF_LOG"), k == "TF_CLI_CONFIG_FILE", k == "TF_CLI_ARGS",
			strings.HasPrefix(k, "TF_CLI_ARGS_"), strings.HasPrefix(k, "QOMON_"), strings.HasPrefix(k, "BENCH_"):
			continue
		}
		out = append(out, kv)
	}
	return append(out,
		"TF_CLI_CONFIG_FILE="+env.CLIConfig,
		"CHECKPOINT_DISABLE=1",
		"TF_IN_AUTOMATION=1",
		"QOMON_API_TOKEN="+env.Token,
		"BENCH_PROVIDER_REAL="+env.RealProvider,
		"BENCH_PROVIDER_STATS="+statsPath,
		"BENCH_PROVIDER_ENV="+env.ProviderEnv,
	)
}

func readProviderRecords(path string) ([]providerRecord, error) {
	f, err := os.Open(path) //nolint:gosec // a file in the benchmark's work directory
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []providerRecord
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var r providerRecord
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		out = append(out, r)
	}
	return out, sc.Err()
}

func tail(path string, n int) string {
	b, err := os.ReadFile(path) //nolint:gosec // a file in the benchmark's work directory
	if err != nil {
		return err.Error()
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
