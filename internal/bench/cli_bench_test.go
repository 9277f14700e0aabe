package bench

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/terraform-exec/tfexec"

	"github.com/qomon/terraform-provider-qomon/internal/clitest"
	"github.com/qomon/terraform-provider-qomon/internal/qomonsim"
)

// The CLI benchmarks: a real terraform or tofu (TF_ACC_TERRAFORM_PATH) applies and refreshes
// N contacts against the simulator, and each reports what it measured as benchmark metrics, so
// that benchstat gives medians, spreads and comparisons (BENCHMARKS.md has the commands). sec/op
// is the wall time of the CLI command an op measures; the provider runs under rsswrap, which
// records each provider process's peak memory and CPU time from the kernel's accounting. Run
// them with -benchtime 1x (one command per op) and -count for repetitions, as scripts/bench.sh does.
//
// Adding a suite is adding a Benchmark function: a workspace, a configuration, a measured
// command, the metrics it saw.

var (
	sizes       = flag.String("contacts", "500,2000", "CLI benchmarks: contact counts of the apply and refresh suites")
	updateMode  = flag.String("update-mode", "replace", "CLI benchmarks: the provider's update_mode and the simulator's PATCH semantics (replace or merge)")
	providerEnv = flag.String("provider-env", "", `CLI benchmarks: extra environment for the provider process only, e.g. "TF_LOG_SDK=off GOGC=50"`)
)

// BenchmarkCLIApply is the overhead suite: an apply creating N contacts (timed: sec/op), and in
// the same op the same apply of N terraform_data, built into the CLI (terraform_data-sec/op), with
// the simulator and the provider's pacing off, so that both sides are bound by CPU only. ratio
// is the first over the second; which goes first alternates between ops, so that a drift in
// the machine's load does not always fall on the same side.
func BenchmarkCLIApply(b *testing.B) {
	for _, n := range counts(b) {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			compare(b, n, func(w *workspace) { w.measure(w.apply) })
		})
	}
}

// BenchmarkCLIRefresh is a `plan` with nothing to change over N existing contacts, paired with
// the same plan over N terraform_data as in BenchmarkCLIApply: one GET per contact, no write.
func BenchmarkCLIRefresh(b *testing.B) {
	for _, n := range counts(b) {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			compare(b, n, func(w *workspace) {
				w.untimed(w.apply)
				w.sim.ResetRequests()
				w.measure(w.planNoChanges)
			})
		})
	}
}

// compare runs an op of the overhead comparison: run, timed, over N qomon_contact resources
// and, untimed, over N terraform_data resources holding the same values.
func compare(b *testing.B, n int, run func(*workspace)) {
	rep := report{}
	off := qomonsim.RateLimit{Disabled: true}
	for range b.N {
		q, d := newWorkspace(b, off, true), newWorkspace(b, off, false)
		q.writeConfig(n, off)
		d.writeConfig(n, off)
		ops++
		order := []*workspace{q, d}
		if ops%2 == 0 {
			order = []*workspace{d, q}
		}
		for _, w := range order {
			run(w)
		}
		q.checkStored(n)
		rep.add(q.last)
		rep.addRequests(q.sim.Requests(), off)
		rep["terraform_data-sec/op"] += d.last.wall.Seconds()
		rep["terraform_data-cli-cpu-sec/op"] += d.last.cliCPU
		rep["ratio"] += q.last.wall.Seconds() / d.last.wall.Seconds()
	}
	rep.emit(b)
}

// ops counts the ops of the overhead comparison in this process, to alternate their order.
var ops int

// BenchmarkCLICeiling is how close the provider's pacing keeps a Qomon-shaped bucket (cost 5
// per create and PATCH, 1 otherwise) to its ceiling, without a 429: create N contacts, refresh
// them, add a tag to each. n=500 at 5x Qomon's refill keeps a run to about a minute per phase;
// n=100 at rate=10 is Qomon's own rate. Each phase starts from a full bucket, as a command a
// person types after a pause would; the refresh and update phases create their contacts
// unpaced first, untimed.
func BenchmarkCLICeiling(b *testing.B) {
	for _, c := range []struct {
		n     int
		shape qomonsim.RateLimit
	}{
		{500, qomonsim.RateLimit{Burst: 100, PerSecond: 50}},
		{100, qomonsim.RateLimit{Burst: 100, PerSecond: 10}},
	} {
		for _, phase := range []string{"create", "refresh", "update"} {
			b.Run(fmt.Sprintf("n=%d/rate=%g/phase=%s", c.n, c.shape.PerSecond, phase), func(b *testing.B) {
				rep := report{}
				for range b.N {
					w := newWorkspace(b, c.shape, true)
					if phase != "create" {
						w.sim.Configure(func(o *qomonsim.Options) { o.RateLimit = qomonsim.RateLimit{Disabled: true} })
						w.writeConfig(c.n, qomonsim.RateLimit{Disabled: true})
						w.untimed(w.apply)
						w.sim.Configure(func(o *qomonsim.Options) { o.RateLimit = c.shape }) // a full bucket
						w.sim.ResetRequests()
					}
					cmd, tags := w.apply, []string(nil)
					switch phase {
					case "refresh":
						cmd = w.planNoChanges
					case "update":
						tags = []string{"volunteer", "door-to-door", "bench-update"}
					}
					w.writeConfig(c.n, c.shape, tags...)
					// One GET per contact: this suite judges the pacing of a stream of requests
					// (the bulk refresh, one search page per 1,000 contacts, has its own suite).
					w.setRefreshMode("get")
					w.measure(cmd)
					w.checkStored(c.n)
					rep.add(w.last)
					p := rep.addRequests(w.sim.Requests(), c.shape)
					rep["qomon-sec/1k-contacts"] += qomonSeconds(p.tokens * 1000 / c.n)
					if phase == "update" {
						if walk, ok := applyWalk(w.sim.Requests(), c.shape); ok {
							rep["apply-walk-fraction"] += walk.fraction
						}
					}
				}
				rep.emit(b)
			})
		}
	}
}

func counts(b *testing.B) []int {
	var ns []int
	for _, f := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			b.Fatalf("-contacts: %q is not a contact count", f)
		}
		ns = append(ns, n)
	}
	return ns
}

// harness is what every CLI benchmark of the process shares: the CLI, the provider built
// from this tree, and rsswrap standing in for it in a dev_overrides folder.
var harness struct {
	once                     sync.Once
	dir, cli, provider, wrap string
	err                      error
}

func cliHarness(b *testing.B) {
	b.Helper()
	harness.cli = os.Getenv("TF_ACC_TERRAFORM_PATH")
	if harness.cli == "" {
		b.Skip("set TF_ACC_TERRAFORM_PATH to a terraform or tofu binary to run the CLI benchmarks")
	}
	harness.once.Do(func() {
		// Shared by every benchmark of the process, so not a b.TempDir; TestMain removes it.
		harness.dir, harness.err = os.MkdirTemp("", "qomon-bench-") //nolint:usetesting // see above
		if harness.err != nil {
			return
		}
		harness.wrap = filepath.Join(harness.dir, "wrap")
		harness.provider = filepath.Join(harness.dir, clitest.ProviderName)
		if harness.err = clitest.BuildProvider(harness.dir); harness.err != nil {
			return
		}
		out, err := exec.Command("go", "build", "-o", filepath.Join(harness.wrap, clitest.ProviderName),
			"github.com/qomon/terraform-provider-qomon/internal/bench/rsswrap").CombinedOutput()
		if err != nil {
			harness.err = fmt.Errorf("go build of rsswrap: %w\n%s", err, out)
		}
	})
	if harness.err != nil {
		b.Fatal(harness.err)
	}
}

func TestMain(m *testing.M) {
	code := m.Run()
	if harness.dir != "" {
		_ = os.RemoveAll(harness.dir)
	}
	os.Exit(code)
}

// workspace is one configuration folder, its simulator, and the CLI that runs there.
type workspace struct {
	b     *testing.B
	qomon bool // qomon_contact resources, else terraform_data (BenchmarkCLIApply)
	dir   string
	sim   *qomonsim.Server
	url   string
	tf    *tfexec.Terraform
	stats string // rsswrap's records of the provider processes of the last command
	last  cliRun // what measure measured last
}

// newWorkspace stops the benchmark timer: only measure runs with it on.
func newWorkspace(b *testing.B, shape qomonsim.RateLimit, qomon bool) *workspace {
	b.Helper()
	b.StopTimer()
	cliHarness(b)
	opts := qomonsim.Options{Tokens: []string{benchToken}, RateLimit: shape}
	if *updateMode == "merge" {
		opts.PatchMode = qomonsim.PatchMerge
	}
	w := &workspace{b: b, qomon: qomon, dir: b.TempDir()}
	w.sim, w.url = qomonsim.NewTestServer(b, opts)
	w.stats = filepath.Join(w.dir, "provider-stats.jsonl")
	var err error
	w.tf, err = clitest.New(w.dir, harness.cli, harness.wrap, map[string]string{
		"QOMON_API_TOKEN":      benchToken,
		"BENCH_PROVIDER_REAL":  harness.provider,
		"BENCH_PROVIDER_STATS": w.stats,
		"BENCH_PROVIDER_ENV":   *providerEnv,
	})
	if err != nil {
		b.Fatal(err)
	}
	return w
}

// writeConfig writes main.tf with n contacts, as qomon_contact resources or as the input of
// terraform_data resources: both carry the same bytes of HCL per resource, so that the
// comparison measures the provider, not the configuration. tags replace each contact's tags.
func (w *workspace) writeConfig(n int, pacing qomonsim.RateLimit, tags ...string) {
	var b strings.Builder
	if w.qomon {
		fmt.Fprintf(&b, "terraform {\n  required_providers {\n    qomon = { source = \"qomon/qomon\" }\n  }\n}\n\n"+
			"provider \"qomon\" {\n  endpoint    = %q\n  update_mode = %q\n", w.url, *updateMode)
		if pacing.Disabled {
			b.WriteString("  rate_limit  = { enabled = false }\n}\n")
		} else {
			fmt.Fprintf(&b, "  rate_limit  = { burst = %g, per_second = %g }\n}\n", pacing.Burst, pacing.PerSecond)
		}
	}
	for i := range n {
		if w.qomon {
			fmt.Fprintf(&b, "\nresource \"qomon_contact\" \"c%05d\" {\n", i)
			writeHCL(&b, "  ", contactConfig(i, tags...))
			b.WriteString("}\n")
		} else {
			fmt.Fprintf(&b, "\nresource \"terraform_data\" \"c%05d\" {\n  input = {\n", i)
			writeHCL(&b, "    ", contactConfig(i, tags...))
			b.WriteString("  }\n}\n")
		}
	}
	if err := os.WriteFile(filepath.Join(w.dir, "main.tf"), []byte(b.String()), 0o600); err != nil {
		w.b.Fatal(err)
	}
}

// setRefreshMode adds refresh_mode to the provider block writeConfig wrote.
func (w *workspace) setRefreshMode(mode string) {
	w.b.Helper()
	file := filepath.Join(w.dir, "main.tf")
	src, err := os.ReadFile(file)
	if err != nil {
		w.b.Fatal(err)
	}
	const block = "provider \"qomon\" {\n"
	if !strings.Contains(string(src), block) {
		w.b.Fatalf("%s has no provider block", file)
	}
	out := strings.Replace(string(src), block, block+fmt.Sprintf("  refresh_mode = %q\n", mode), 1)
	if err := os.WriteFile(file, []byte(out), 0o600); err != nil {
		w.b.Fatal(err)
	}
}

// writeHCL writes attributes of the shapes contactConfig uses (strings, lists of strings,
// nested objects), in a stable order.
func writeHCL(b *strings.Builder, indent string, attrs map[string]any) {
	for _, k := range slices.Sorted(maps.Keys(attrs)) {
		switch v := attrs[k].(type) {
		case string:
			fmt.Fprintf(b, "%s%s = %q\n", indent, k, v)
		case []string:
			quoted := make([]string, len(v))
			for i, s := range v {
				quoted[i] = strconv.Quote(s)
			}
			fmt.Fprintf(b, "%s%s = [%s]\n", indent, k, strings.Join(quoted, ", "))
		case map[string]any:
			fmt.Fprintf(b, "%s%s = {\n", indent, k)
			writeHCL(b, indent+"  ", v)
			fmt.Fprintf(b, "%s}\n", indent)
		}
	}
}

func (w *workspace) apply(ctx context.Context) error { return w.tf.Apply(ctx) }

// planNoChanges is a plan that must find nothing to change: a refresh that proposes changes
// is a bug, not a figure.
func (w *workspace) planNoChanges(ctx context.Context) error {
	changes, err := w.tf.Plan(ctx)
	if err == nil && changes {
		err = errors.New("the plan after the apply proposes changes")
	}
	return err
}

// untimed runs a command that prepares a measurement.
func (w *workspace) untimed(cmd func(context.Context) error) {
	w.b.Helper()
	if err := cmd(context.Background()); err != nil {
		w.b.Fatal(err)
	}
}

// checkStored fails unless the simulator holds the n contacts of the configuration: a
// benchmark must not time an apply that did less than it claims.
func (w *workspace) checkStored(n int) {
	w.b.Helper()
	if got := w.sim.ContactCount(); got != n {
		w.b.Fatalf("the simulator holds %d contacts, want the %d of the configuration", got, n)
	}
}

// cliRun is one CLI command as measured from outside. CPU times come from the kernel's
// accounting of exited processes: the CLI's (with the providers it started), the providers'
// own from rsswrap, and this process's, which runs the simulator.
type cliRun struct {
	wall                                                time.Duration
	cliCPU, providerCPU, simCPU, providerPeakMiB, load1 float64
	providers                                           int
}

// measure runs one command into w.last, a qomon workspace's with the benchmark timer on.
func (w *workspace) measure(cmd func(context.Context) error) {
	w.b.Helper()
	_ = os.Remove(w.stats)
	r := cliRun{load1: load1()}
	self0, kids0 := cpuSeconds(syscall.RUSAGE_SELF), cpuSeconds(syscall.RUSAGE_CHILDREN)
	if w.qomon {
		w.b.StartTimer()
	}
	start := time.Now()
	err := cmd(context.Background())
	r.wall = time.Since(start)
	w.b.StopTimer()
	r.simCPU = cpuSeconds(syscall.RUSAGE_SELF) - self0
	children := cpuSeconds(syscall.RUSAGE_CHILDREN) - kids0
	if err != nil {
		w.b.Fatal(err)
	}
	// One line per provider process the CLI started (four per apply, three per plan; none
	// for terraform_data, which is built into the CLI).
	if b, err := os.ReadFile(w.stats); err == nil {
		for line := range strings.Lines(string(b)) {
			var rec struct {
				MaxRSSKiB float64 `json:"max_rss_kib"`
				UserSec   float64 `json:"user_s"`
				SysSec    float64 `json:"sys_s"`
			}
			if err := json.Unmarshal([]byte(line), &rec); err != nil {
				w.b.Fatalf("%s: %v", w.stats, err)
			}
			r.providers++
			r.providerCPU += rec.UserSec + rec.SysSec
			r.providerPeakMiB = max(r.providerPeakMiB, rec.MaxRSSKiB/1024)
		}
	}
	if w.qomon && r.providers == 0 {
		w.b.Fatalf("%s holds no record of a provider process: the CLI did not run rsswrap", w.stats)
	}
	r.cliCPU = children - r.providerCPU
	w.last = r
}

func cpuSeconds(who int) float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(who, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

// load1 is the 1-minute load average before a command: the machine may be shared, and a
// figure taken under load must say so.
func load1() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return -1
	}
	v, err := strconv.ParseFloat(strings.Fields(string(b))[0], 64)
	if err != nil {
		return -1
	}
	return v
}

// report sums the metrics of a benchmark's ops; emit reports each per op.
type report map[string]float64

func (r report) add(run cliRun) {
	r["ops"]++
	r["cli-cpu-sec/op"] += run.cliCPU
	r["sim-cpu-sec/op"] += run.simCPU
	r["load1"] += run.load1
	if run.providers > 0 {
		r["provider-cpu-sec/op"] += run.providerCPU
		r["provider-peak-MiB"] += run.providerPeakMiB
	}
}

// addRequests adds what the simulator saw during the op's command, and returns it.
func (r report) addRequests(reqs []qomonsim.Request, shape qomonsim.RateLimit) phase {
	p := summarise(reqs, shape)
	for _, m := range []string{"POST", "GET", "PATCH", "DELETE"} {
		if p.byMethod[m] > 0 {
			r[m+"/op"] += float64(p.byMethod[m])
		}
	}
	r["tokens/op"] += float64(p.tokens)
	r["qomon-sec/op"] += qomonSeconds(p.tokens)
	if !shape.Disabled {
		r["429s/op"] += float64(p.status429)
		r["ceiling-fraction"] += p.fraction
		r["steady-fraction"] += p.steady
		r["window-sec"] += p.window.Seconds()
		r["longest-pause-sec"] += p.longestPause.Seconds()
	}
	return p
}

func (r report) emit(b *testing.B) {
	ops := r["ops"]
	if ops == 0 {
		return
	}
	for unit, v := range r {
		if unit != "ops" {
			b.ReportMetric(v/ops, unit)
		}
	}
}

// Qomon's documented bucket: 100 tokens, refilled at 10 per second
// (https://developers.qomon.com/pages/v1/rate-limits).
const qomonBurst, qomonPerSecond = 100, 10

// qomonSeconds is the least time spending tokens takes at Qomon's own rate from a full bucket:
// at 10 tokens/s the bucket, not the provider, sets the pace of any run of more than a few
// contacts, so this is what a user waits, divided by the fraction of the ceiling achieved.
func qomonSeconds(tokens int) float64 {
	return max(0, float64(tokens-qomonBurst)) / qomonPerSecond
}

// phase is the simulator's request log over one CLI command.
type phase struct {
	byMethod          map[string]int
	tokens, status429 int // tokens: the cost of the requests the bucket admitted
	// window runs from the first to the last admitted request; longestPause is the longest
	// time between two requests (in an apply, the CLI's own work between its walks).
	window, longestPause time.Duration
	// fraction is tokens over the most the bucket could admit in the window (a full bucket at
	// the first request, then its refill); steady leaves the burst out: how well the refill
	// alone was kept busy. Both only with a bucket.
	fraction, steady float64
}

func summarise(reqs []qomonsim.Request, shape qomonsim.RateLimit) phase {
	reqs = paced(reqs)
	p := phase{byMethod: map[string]int{}}
	var first, last time.Time
	for i, r := range reqs {
		if i > 0 {
			p.longestPause = max(p.longestPause, r.Time.Sub(reqs[i-1].Time))
		}
		p.byMethod[r.Method]++
		if r.RateLimited {
			p.status429++
			continue
		}
		p.tokens += r.Cost
		if first.IsZero() || r.Time.Before(first) {
			first = r.Time
		}
		if r.Time.After(last) {
			last = r.Time
		}
	}
	p.window = last.Sub(first)
	if refill := shape.PerSecond * p.window.Seconds(); !shape.Disabled && refill > 0 {
		p.fraction = float64(p.tokens) / (shape.Burst + refill)
		p.steady = (float64(p.tokens) - shape.Burst) / refill
	}
	return p
}

// paced leaves out the provider's configuration check (POST /kpi, once per provider process,
// internal/provider/probe.go): it comes before the CLI's walk, alone, so it is not part of the
// paced stream whose use of the bucket these figures judge.
func paced(reqs []qomonsim.Request) []qomonsim.Request {
	out := make([]qomonsim.Request, 0, len(reqs))
	for _, r := range reqs {
		if r.Method != "POST" || r.Path != "/kpi" {
			out = append(out, r)
		}
	}
	return out
}

// applyWalk is the summary of the requests after the longest pause, when that pause is long
// enough to be the CLI's switch from its plan walk (refresh reads) to its apply walk: the
// bucket refills during that pause, so the pacing of the writes is judged on this part alone.
func applyWalk(reqs []qomonsim.Request, shape qomonsim.RateLimit) (phase, bool) {
	reqs = paced(reqs)
	cut, longest := 0, time.Duration(0)
	for i := 1; i < len(reqs); i++ {
		if g := reqs[i].Time.Sub(reqs[i-1].Time); g > longest {
			cut, longest = i, g
		}
	}
	if longest < 250*time.Millisecond {
		return phase{}, false
	}
	return summarise(reqs[cut:], shape), true
}

// TestSummarise checks the arithmetic behind the ceiling figures on a request log made by hand.
func TestSummarise(t *testing.T) {
	at := func(ms int) time.Time { return time.Unix(0, 0).Add(time.Duration(ms) * time.Millisecond) }
	shape := qomonsim.RateLimit{Burst: 100, PerSecond: 50}
	var reqs []qomonsim.Request
	// 20 GETs in the first second, a 2 s pause, then 40 creates over 2 s and one 429.
	for i := range 20 {
		reqs = append(reqs, qomonsim.Request{Method: "GET", Cost: 1, Time: at(i * 50)})
	}
	for i := range 40 {
		reqs = append(reqs, qomonsim.Request{Method: "POST", Cost: 5, Time: at(3000 + i*50)})
	}
	reqs = append(reqs, qomonsim.Request{Method: "POST", RateLimited: true, Time: at(5000)})

	p := summarise(reqs, shape)
	window := 3.0 + 39*0.05 // first GET to last admitted POST
	want := phase{byMethod: map[string]int{"GET": 20, "POST": 41}, tokens: 220, status429: 1,
		window: time.Duration(window * float64(time.Second)), longestPause: 2050 * time.Millisecond,
		fraction: 220 / (100 + 50*window), steady: (220 - 100) / (50 * window)}
	if fmt.Sprint(p) != fmt.Sprint(want) {
		t.Errorf("summarise:\n got %+v\nwant %+v", p, want)
	}
	walk, ok := applyWalk(reqs, shape)
	if !ok || walk.tokens != 200 || walk.byMethod["GET"] != 0 {
		t.Errorf("applyWalk = %+v, %v; want the 40 creates only", walk, ok)
	}
	if _, ok := applyWalk(reqs[:20], shape); ok {
		t.Error("applyWalk found a walk switch in a log without a pause")
	}
	if got := qomonSeconds(1100); got != 100 {
		t.Errorf("qomonSeconds(1100) = %v, want 100 (a full bucket, then 1000 tokens at 10/s)", got)
	}
}
