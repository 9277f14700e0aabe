package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"sort"
	"strings"
)

// Qomon's documented bucket (qomon-api.md §5), used to translate simulator figures into the
// time a run would take against the real API.
const (
	qomonBurst     = 100.0
	qomonPerSecond = 10.0
)

// realTime is the least time spending tokens takes at Qomon's real rate, starting from a full
// bucket: at 10 tokens/s the bucket, not the provider, sets the pace of any run of more than a
// few contacts, so this is what a user waits, divided by the fraction of the ceiling achieved.
func realTime(tokens float64) float64 {
	return max(0, tokens-qomonBurst) / qomonPerSecond
}

func (r *results) markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n## Run of %s\n\n", r.Started.Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(&b, "- CLI: `%s` (%s), `-parallelism=%d`, `update_mode = %q`\n", r.CLI, r.CLIVersion, r.Parallelism, r.UpdateMode)
	if r.ProviderEnv != "" {
		fmt.Fprintf(&b, "- provider environment (this run only): `%s`\n", r.ProviderEnv)
	}
	keys := make([]string, 0, len(r.Env))
	for k := range r.Env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "- %s: %s\n", k, r.Env[k])
	}
	r.overheadTable(&b)
	r.refreshTable(&b)
	r.ceilingTable(&b)
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "\n> %s\n", n)
	}
	return b.String()
}

// spread formats the median of a sample with its range.
func spread(xs []float64, format string) string {
	lo, hi := minMax(xs)
	return fmt.Sprintf(format+" ("+format+"–"+format+")", median(xs), lo, hi)
}

func (r *results) overheadTable(b *strings.Builder) {
	if len(r.Overhead) == 0 {
		return
	}
	b.WriteString("\n### 1. Overhead: apply creating N contacts vs N terraform_data (simulator and provider pacing off)\n\n")
	b.WriteString("| N | runs | qomon apply s | terraform_data apply s | ratio | provider peak RSS MiB | provider CPU s | CLI CPU s (qomon / data) | simulator CPU s | load1 before |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|---|\n")
	for _, n := range overheadNs(r.Overhead) {
		var wq, wd, ratio, rss, pcpu, cq, cd, scpu, load []float64
		for _, o := range r.Overhead {
			if o.N != n || o.Data.WallSec == 0 {
				continue
			}
			wq = append(wq, o.Qomon.WallSec)
			wd = append(wd, o.Data.WallSec)
			ratio = append(ratio, o.Ratio)
			rss = append(rss, o.Qomon.ProviderMaxRSSMiB)
			pcpu = append(pcpu, o.Qomon.ProviderCPUSec)
			cq = append(cq, o.Qomon.CLIUserSec+o.Qomon.CLISysSec)
			cd = append(cd, o.Data.CLIUserSec+o.Data.CLISysSec)
			scpu = append(scpu, o.SimCPUSec)
			load = append(load, o.Qomon.Load1)
		}
		if len(wq) == 0 {
			continue
		}
		_, rssMax := minMax(rss)
		fmt.Fprintf(b, "| %d | %d | %s | %s | %s | %.0f (max) | %.1f | %.1f / %.1f | %.1f | %s |\n", n, len(wq),
			spread(wq, "%.1f"), spread(wd, "%.1f"), spread(ratio, "%.2f"), rssMax, median(pcpu),
			median(cq), median(cd), median(scpu), spread(load, "%.1f"))
	}
}

func (r *results) refreshTable(b *strings.Builder) {
	if len(r.Overhead) == 0 && len(r.Ceiling) == 0 {
		return
	}
	b.WriteString("\n### 3. Refresh: `plan` with nothing to change, N existing contacts\n\n")
	b.WriteString("| N | bucket | plan s | terraform_data plan s | requests | tokens | found changes | provider peak RSS MiB | provider CPU s | at Qomon's 10 tokens/s |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|---|\n")
	for _, n := range overheadNs(r.Overhead) {
		var w, wd, reqs, toks, rss, pcpu []float64
		var methods map[string]int
		changes := 0
		for _, o := range r.Overhead {
			if o.N != n || o.Refresh.WallSec == 0 {
				continue
			}
			w = append(w, o.Refresh.WallSec)
			wd = append(wd, o.DataRefresh.WallSec)
			reqs = append(reqs, float64(o.RefreshRequests.Requests))
			toks = append(toks, float64(o.RefreshRequests.Tokens))
			methods = o.RefreshRequests.ByMethod
			rss = append(rss, o.Refresh.ProviderMaxRSSMiB)
			pcpu = append(pcpu, o.Refresh.ProviderCPUSec)
			if o.RefreshChanges {
				changes++
			}
		}
		if len(w) == 0 {
			continue
		}
		_, rssMax := minMax(rss)
		fmt.Fprintf(b, "| %d | off | %s | %s | %.0f %s | %.0f | %d of %d runs | %.0f (max) | %.1f | ≈ %.0f s |\n", n, spread(w, "%.1f"), spread(wd, "%.1f"),
			median(reqs), methodList(methods), median(toks), changes, len(w), rssMax, median(pcpu), realTime(median(toks)))
	}
	var w, reqs, toks, rss, pcpu []float64
	var methods map[string]int
	for _, c := range r.Ceiling {
		if c.RefreshCLI.WallSec == 0 {
			continue
		}
		w = append(w, c.RefreshCLI.WallSec)
		rss = append(rss, c.RefreshCLI.ProviderMaxRSSMiB)
		pcpu = append(pcpu, c.RefreshCLI.ProviderCPUSec)
		reqs = append(reqs, float64(c.Refresh.Requests))
		toks = append(toks, float64(c.Refresh.Tokens))
		methods = c.Refresh.ByMethod
	}
	if len(w) > 0 {
		_, rssMax := minMax(rss)
		fmt.Fprintf(b, "| %d | %g + %g/s | %s | – | %.0f %s | %.0f | 0 of %d runs | %.0f (max) | %.1f | ≈ %.0f s |\n", r.Ceiling[0].N, r.Shape.Burst, r.Shape.PerSecond,
			spread(w, "%.1f"), median(reqs), methodList(methods), median(toks), len(w), rssMax, median(pcpu), realTime(median(toks)))
	}
}

func (r *results) ceilingTable(b *strings.Builder) {
	if len(r.Ceiling) == 0 {
		return
	}
	n := r.Ceiling[0].N
	fmt.Fprintf(b, "\n### 2. Rate-limit ceiling: bucket %g tokens + %g tokens/s (cost 5 per create and PATCH, 1 otherwise), N = %d\n\n",
		r.Shape.Burst, r.Shape.PerSecond, n)
	b.WriteString("| phase | runs | CLI wall s | first→last request s | longest pause s | requests | tokens | 429s | fraction of ceiling | steady fraction (without the burst) | 1000 contacts at Qomon's 10 tokens/s |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, ph := range []struct {
		name string
		get  func(c ceilingRun) (cliRun, phase)
	}{
		{"create", func(c ceilingRun) (cliRun, phase) { return c.CreateCLI, c.Create }},
		{"refresh (plan)", func(c ceilingRun) (cliRun, phase) { return c.RefreshCLI, c.Refresh }},
		{"update", func(c ceilingRun) (cliRun, phase) { return c.UpdateCLI, c.Update }},
		{"update: apply walk only", func(c ceilingRun) (cliRun, phase) {
			if c.Update.ApplyWalk == nil {
				return cliRun{}, phase{}
			}
			return c.UpdateCLI, *c.Update.ApplyWalk
		}},
	} {
		var wall, win, gap, reqs, toks, frac, steady []float64
		var methods map[string]int
		total429 := 0
		for _, c := range r.Ceiling {
			cli, p := ph.get(c)
			if cli.WallSec == 0 {
				continue
			}
			wall = append(wall, cli.WallSec)
			win = append(win, p.WindowSec)
			gap = append(gap, p.MaxGapSec)
			reqs = append(reqs, float64(p.Requests))
			toks = append(toks, float64(p.Tokens))
			frac = append(frac, p.Fraction)
			steady = append(steady, p.SteadyFraction)
			total429 += p.Status429
			methods = p.ByMethod
		}
		if len(wall) == 0 {
			continue
		}
		per1000 := median(toks) * 1000 / float64(n)
		fmt.Fprintf(b, "| %s | %d | %s | %s | %s | %.0f %s | %.0f | %d (all runs) | %s | %s | %.0f tokens: ≥ %.0f s |\n", ph.name, len(wall),
			spread(wall, "%.1f"), spread(win, "%.1f"), spread(gap, "%.1f"), median(reqs), methodList(methods), median(toks), total429,
			spread(frac, "%.3f"), spread(steady, "%.3f"), per1000, realTime(per1000))
	}
}

func overheadNs(runs []overheadRun) []int {
	seen := map[int]bool{}
	var ns []int
	for _, o := range runs {
		if !seen[o.N] {
			seen[o.N] = true
			ns = append(ns, o.N)
		}
	}
	return ns
}

func methodList(m map[string]int) string {
	if len(m) == 0 {
		return ""
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%d %s", m[k], k)
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// machine describes where the figures were taken.
func machine() map[string]string {
	m := map[string]string{
		"nproc":             fmt.Sprint(runtime.NumCPU()),
		"go (runner build)": runtime.Version(),
	}
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				m["cpu"] = strings.TrimSpace(v)
				break
			}
		}
		_ = f.Close()
	}
	if f, err := os.Open("/proc/meminfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && k == "MemTotal" {
				m["memory"] = strings.TrimSpace(v)
				break
			}
		}
		_ = f.Close()
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m["kernel"] = strings.TrimSpace(string(b))
	}
	m["load average at start"] = fmt.Sprintf("%.2f", loadAverage())
	return m
}

func cliVersion(cli string) string {
	cmd := exec.Command(cli, "version") //nolint:gosec // the CLI binary the script installed
	cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1", "TF_CLI_CONFIG_FILE=/dev/null")
	out, err := cmd.Output()
	if err != nil {
		return "unknown version"
	}
	line, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	return line
}
