// Command runner drives the end-to-end benchmarks of terraform-provider-qomon (issue 7): it
// starts the standalone simulator, generates configurations of N contacts, runs a real
// Terraform or OpenTofu CLI against them and measures wall time, the provider's memory and CPU,
// and the requests and tokens the simulator saw. scripts/bench.sh builds everything and calls it.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

type options struct {
	work, cli, provider, wrapDir, simBin, out string
	suites                                    []string
	overheadN                                 []int
	ceilingN                                  int
	runs, parallelism                         int
	burst, rate                               float64
	updateMode, providerEnv                   string
	timeout                                   time.Duration
}

func main() {
	var o options
	var suites, ns string
	flag.StringVar(&o.work, "work", "", "work directory (required)")
	flag.StringVar(&o.cli, "cli", "", "terraform or tofu binary (required)")
	flag.StringVar(&o.provider, "provider", "", "the real terraform-provider-qomon binary (required)")
	flag.StringVar(&o.wrapDir, "wrap-dir", "", "directory holding the rsswrap binary named terraform-provider-qomon (required)")
	flag.StringVar(&o.simBin, "sim", "", "the qomonsim binary (required)")
	flag.StringVar(&o.out, "out", "", "write every measurement as JSON to this file")
	flag.StringVar(&suites, "suites", "overhead,ceiling", "comma-separated: overhead (with refresh), ceiling (create, refresh, update at the bucket's rate)")
	flag.StringVar(&ns, "n", "500,2000", "contact counts for the overhead suite")
	flag.IntVar(&o.ceilingN, "ceiling-n", 500, "contact count for the ceiling suite")
	flag.IntVar(&o.runs, "runs", 3, "repetitions of every measurement (medians are reported)")
	flag.IntVar(&o.parallelism, "parallelism", 10, "the CLI's -parallelism, the same for every run")
	flag.Float64Var(&o.burst, "burst", 100, "bucket capacity for the ceiling suite (Qomon: 100)")
	flag.Float64Var(&o.rate, "rate", 50, "bucket refill in tokens/s for the ceiling suite (Qomon: 10; scaled so a run takes tens of seconds, but kept below what the CLI can sustain on the machine)")
	flag.StringVar(&o.updateMode, "update-mode", "replace", "provider update_mode (and simulator PATCH mode): replace or merge")
	flag.DurationVar(&o.timeout, "timeout", 30*time.Minute, "limit for one CLI command")
	flag.StringVar(&o.providerEnv, "provider-env", "", `extra environment for the provider process only, e.g. "TF_LOG_SDK=off GOGC=50"`)
	flag.Parse()

	for _, s := range strings.Split(suites, ",") {
		if s = strings.TrimSpace(s); s != "" {
			o.suites = append(o.suites, s)
		}
	}
	for _, s := range strings.Split(ns, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			fail(fmt.Errorf("-n: %q is not a positive count", s))
		}
		o.overheadN = append(o.overheadN, n)
	}
	if o.work == "" || o.cli == "" || o.provider == "" || o.wrapDir == "" || o.simBin == "" {
		flag.Usage()
		os.Exit(2)
	}
	if o.updateMode != "replace" && o.updateMode != "merge" {
		fail(fmt.Errorf("-update-mode: %q is neither replace nor merge", o.updateMode))
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	res, err := run(ctx, o)
	if o.out != "" {
		if b, jerr := json.MarshalIndent(res, "", "  "); jerr == nil {
			_ = os.WriteFile(o.out, b, 0o600)
		}
	}
	fmt.Print(res.markdown())
	if err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "bench: %v\n", err)
	os.Exit(1)
}

// results is everything measured, raw runs included, so a median can always be checked.
type results struct {
	Started     time.Time         `json:"started"`
	CLI         string            `json:"cli"`
	CLIVersion  string            `json:"cli_version"`
	Parallelism int               `json:"parallelism"`
	UpdateMode  string            `json:"update_mode"`
	ProviderEnv string            `json:"provider_env,omitempty"`
	Overhead    []overheadRun     `json:"overhead,omitempty"`
	Ceiling     []ceilingRun      `json:"ceiling,omitempty"`
	Shape       simShape          `json:"ceiling_shape"`
	Notes       []string          `json:"notes,omitempty"`
	Env         map[string]string `json:"env"`
}

func run(ctx context.Context, o options) (*results, error) {
	res := &results{Started: time.Now().UTC(), CLI: o.cli, Parallelism: o.parallelism, UpdateMode: o.updateMode, ProviderEnv: o.providerEnv,
		Shape: simShape{Burst: o.burst, PerSecond: o.rate}, Env: machine()}
	res.CLIVersion = cliVersion(o.cli)
	if err := os.MkdirAll(o.work, 0o750); err != nil {
		return res, err
	}
	cliConfig := filepath.Join(o.work, "cli.tfrc")
	if err := writeCLIConfig(cliConfig, o.wrapDir); err != nil {
		return res, err
	}
	env := cliEnv{CLI: o.cli, CLIConfig: cliConfig, RealProvider: o.provider, Token: "bench-token",
		Parallelism: o.parallelism, Timeout: o.timeout, ProviderEnv: o.providerEnv}

	for _, s := range o.suites {
		switch s {
		case "overhead":
			for _, n := range o.overheadN {
				for r := 0; r < o.runs; r++ {
					or, err := overhead(ctx, o, env, n, r)
					res.Overhead = append(res.Overhead, or)
					if err != nil {
						return res, err
					}
					progress("overhead N=%d run %d: qomon %.1fs, terraform_data %.1fs, ratio %.2f, provider peak %.0f MiB",
						n, r+1, or.Qomon.WallSec, or.Data.WallSec, or.Ratio, or.Qomon.ProviderMaxRSSMiB)
				}
			}
		case "ceiling":
			for r := 0; r < o.runs; r++ {
				cr, err := ceiling(ctx, o, env, r)
				res.Ceiling = append(res.Ceiling, cr)
				if err != nil {
					return res, err
				}
				progress("ceiling N=%d run %d: create %.3f (%d x 429), update %.3f (%d x 429)", o.ceilingN, r+1,
					cr.Create.Fraction, cr.Create.Status429, cr.Update.Fraction, cr.Update.Status429)
			}
		default:
			return res, fmt.Errorf("unknown suite %q (overhead, ceiling)", s)
		}
	}
	res.Notes = append(res.Notes, capacityNote(res)...)
	return res, nil
}

// capacityNote warns when the ceiling suite asked for more than the machine can do: the
// fraction of the ceiling then measures the CPU, not the pacing. The capacity is the create
// rate of the fastest unpaced apply of the overhead suite.
func capacityNote(res *results) []string {
	if len(res.Ceiling) == 0 || len(res.Overhead) == 0 {
		return nil
	}
	best := 0.0
	for _, o := range res.Overhead {
		if o.Qomon.WallSec > 0 {
			best = max(best, float64(o.N)/o.Qomon.WallSec)
		}
	}
	need := res.Shape.PerSecond / 5
	if best >= 1.5*need {
		return []string{fmt.Sprintf("Unpaced, the CLI created up to %.1f contacts/s on this machine; the ceiling suite needs %.1f/s, so its fraction measures the pacing.", best, need)}
	}
	return []string{fmt.Sprintf("Unpaced, the CLI created at most %.1f contacts/s on this machine, and the ceiling suite needs %.1f/s: its fraction of the ceiling is bounded by the machine, not by the pacing. Use a lower -rate.", best, need)}
}

func progress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
}

// overheadRun is one repetition of benchmark 1 (and 3 without a bucket) for one N.
type overheadRun struct {
	N     int     `json:"n"`
	Run   int     `json:"run"`
	Qomon cliRun  `json:"qomon_apply"`
	Data  cliRun  `json:"terraform_data_apply"`
	Ratio float64 `json:"ratio"`
	// The simulator's CPU during the qomon apply: it shares the machine with the CLI and the
	// provider, so it is part of the wall time but not of the provider's cost.
	SimCPUSec     float64 `json:"sim_cpu_s"`
	ApplyRequests phase   `json:"apply_requests"`
	Stored        int     `json:"stored_contacts"`
	// Benchmark 3: a plan with nothing to change, right after the apply.
	Refresh         cliRun `json:"refresh_plan"`
	RefreshRequests phase  `json:"refresh_requests"`
	RefreshChanges  bool   `json:"refresh_found_changes"`
	DataRefresh     cliRun `json:"terraform_data_refresh_plan"`
}

func overhead(ctx context.Context, o options, env cliEnv, n, r int) (overheadRun, error) {
	out := overheadRun{N: n, Run: r + 1}
	base := filepath.Join(o.work, fmt.Sprintf("overhead-%d-run%d", n, r+1))
	qdir, ddir := filepath.Join(base, "qomon"), filepath.Join(base, "terraform_data")
	// A state left by an earlier run in a reused work directory (BENCH_WORK + BENCH_KEEP) would
	// turn the creates into no-ops: every run starts empty.
	if err := os.RemoveAll(base); err != nil {
		return out, err
	}

	// Alternate which configuration goes first, so a drift in the machine's load does not
	// always fall on the same side of the ratio.
	steps := []func() error{
		func() error { return overheadQomon(ctx, o, env, n, qdir, &out) },
		func() error { return overheadData(ctx, env, n, ddir, &out) },
	}
	if r%2 == 1 {
		steps[0], steps[1] = steps[1], steps[0]
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return out, err
		}
	}
	if out.Data.WallSec > 0 {
		out.Ratio = out.Qomon.WallSec / out.Data.WallSec
	}
	return out, nil
}

func overheadQomon(ctx context.Context, o options, env cliEnv, n int, dir string, out *overheadRun) error {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	s, err := startSim(ctx, o.simBin, env.Token, filepath.Join(dir, "sim.log"), simShape{Disabled: true}, o.updateMode)
	if err != nil {
		return err
	}
	defer s.stop()
	pc := providerConfig{Endpoint: s.URL, UpdateMode: o.updateMode, RateLimit: simShape{Disabled: true}}
	if err := writeQomonConfig(dir, n, pc, 0); err != nil {
		return err
	}
	cpu0 := s.cpuSeconds()
	out.Qomon, err = runCLI(ctx, env, dir, "apply.log", []string{"apply", "-auto-approve"})
	out.SimCPUSec = s.cpuSeconds() - cpu0
	if err != nil {
		return err
	}
	reqs, err := s.requests(ctx, filepath.Join(dir, "apply-requests.json"))
	if err != nil {
		return err
	}
	out.ApplyRequests = summarise(reqs, simShape{Disabled: true})
	if out.Stored, err = s.contactCount(ctx); err != nil {
		return err
	}
	if out.Stored != n {
		return fmt.Errorf("after applying %d contacts the simulator holds %d", n, out.Stored)
	}

	if err := s.resetRequests(ctx); err != nil {
		return err
	}
	out.Refresh, err = runCLI(ctx, env, dir, "refresh-plan.log", []string{"plan", "-detailed-exitcode"}, 2)
	if err != nil {
		return err
	}
	out.RefreshChanges = out.Refresh.ExitCode == 2
	if reqs, err = s.requests(ctx, filepath.Join(dir, "refresh-requests.json")); err != nil {
		return err
	}
	out.RefreshRequests = summarise(reqs, simShape{Disabled: true})
	return nil
}

func overheadData(ctx context.Context, env cliEnv, n int, dir string, out *overheadRun) error {
	if err := writeDataConfig(dir, n, 0); err != nil {
		return err
	}
	var err error
	if out.Data, err = runCLI(ctx, env, dir, "apply.log", []string{"apply", "-auto-approve"}); err != nil {
		return err
	}
	out.DataRefresh, err = runCLI(ctx, env, dir, "refresh-plan.log", []string{"plan", "-detailed-exitcode"}, 2)
	return err
}

// ceilingRun is one repetition of benchmark 2 (and 3 with Qomon's bucket shape).
type ceilingRun struct {
	N            int    `json:"n"`
	Run          int    `json:"run"`
	CreateCLI    cliRun `json:"create_apply"`
	Create       phase  `json:"create"`
	RefreshCLI   cliRun `json:"refresh_plan"`
	Refresh      phase  `json:"refresh"`
	UpdateCLI    cliRun `json:"update_apply"`
	Update       phase  `json:"update"`
	SimStatsDone any    `json:"sim_stats_at_end"`
}

func ceiling(ctx context.Context, o options, env cliEnv, r int) (ceilingRun, error) {
	n := o.ceilingN
	out := ceilingRun{N: n, Run: r + 1}
	dir := filepath.Join(o.work, fmt.Sprintf("ceiling-%d-run%d", n, r+1))
	if err := os.RemoveAll(dir); err != nil { // see overhead
		return out, err
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return out, err
	}
	shape := simShape{Burst: o.burst, PerSecond: o.rate}
	s, err := startSim(ctx, o.simBin, env.Token, filepath.Join(dir, "sim.log"), shape, o.updateMode)
	if err != nil {
		return out, err
	}
	defer s.stop()
	pc := providerConfig{Endpoint: s.URL, UpdateMode: o.updateMode, RateLimit: shape}

	type step struct {
		name    string
		variant variant
		args    []string
		cli     *cliRun
		phase   *phase
	}
	steps := []step{
		{"create", 0, []string{"apply", "-auto-approve"}, &out.CreateCLI, &out.Create},
		{"refresh", 0, []string{"plan", "-detailed-exitcode"}, &out.RefreshCLI, &out.Refresh},
		{"update", 1, []string{"apply", "-auto-approve"}, &out.UpdateCLI, &out.Update},
	}
	for _, st := range steps {
		if err := writeQomonConfig(dir, n, pc, st.variant); err != nil {
			return out, err
		}
		// Let the simulator's bucket fill up again, as it would between two commands a person
		// types: every phase then starts from the same full bucket.
		time.Sleep(time.Duration(float64(time.Second)*o.burst/o.rate) + 200*time.Millisecond)
		if err := s.resetRequests(ctx); err != nil {
			return out, err
		}
		if *st.cli, err = runCLI(ctx, env, dir, st.name+".log", st.args, 2); err != nil {
			return out, err
		}
		reqs, err := s.requests(ctx, filepath.Join(dir, st.name+"-requests.json"))
		if err != nil {
			return out, err
		}
		*st.phase = summariseWalks(reqs, shape)
	}
	if out.RefreshCLI.ExitCode != 0 {
		return out, fmt.Errorf("the no-change plan after creating %d contacts proposed changes (see %s)", n, out.RefreshCLI.Log)
	}
	out.SimStatsDone, _ = s.stats(ctx)
	return out, nil
}
