// Command profprovider is terraform-provider-qomon with profiling, for benchmarks only: it
// serves the same provider as main.go and, when BENCH_PROFILE_DIR is set, writes to that
// directory, per process (the CLI starts several per command): a CPU profile of its whole life,
// the allocation profile at exit, numbered heap profiles taken each time the heap grew by 10%
// (diff two with pprof -base to see what accumulates), the peaks of the Go runtime's memory
// metrics (sampled every 50ms) as JSON, and their timeline.
//
// BENCH_KEEP_CONTEXTS=1 serves it without the memory fix of internal/serve (detach.go), and
// TF_LOG_SDK=trace in the provider's environment keeps the SDK's logging on, for A/B runs.
//
// It is a separate binary so that the released provider carries no profiling code.
package main

import (
	"encoding/json"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"time"

	"github.com/qomon/terraform-provider-qomon/internal/provider"
	"github.com/qomon/terraform-provider-qomon/internal/serve"
)

func main() {
	stop := startProfiles(os.Getenv("BENCH_PROFILE_DIR"))
	err := serve.Serve(provider.New("bench"), serve.Options{KeepContexts: os.Getenv("BENCH_KEEP_CONTEXTS") != ""})
	stop()
	if err != nil {
		log.Fatal(err)
	}
}

// startProfiles starts the CPU profile and returns what writes both profiles at the end.
func startProfiles(dir string) func() {
	if dir == "" {
		return func() {}
	}
	prefix := filepath.Join(dir, fmt.Sprintf("provider-%d", os.Getpid()))
	cpu, err := os.Create(prefix + ".cpu.pprof") //nolint:gosec // a path the benchmark chose
	if err != nil {
		log.Printf("profprovider: %v", err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(cpu); err != nil {
		log.Printf("profprovider: %v", err)
		_ = cpu.Close()
		return func() {}
	}
	stopMem := sampleMemory(prefix)
	return func() {
		stopMem()
		pprof.StopCPUProfile()
		_ = cpu.Close()
		heap, err := os.Create(prefix + ".heap.pprof") //nolint:gosec // a path the benchmark chose
		if err != nil {
			return
		}
		defer heap.Close()
		runtime.GC()
		_ = pprof.Lookup("allocs").WriteTo(heap, 0)
	}
}

// memoryMetrics are the runtime metrics whose peaks explain a peak RSS: the live heap, the
// heap goal the GC allowed, and everything the runtime mapped.
var memoryMetrics = []string{
	"/memory/classes/heap/objects:bytes",
	"/gc/heap/live:bytes",
	"/gc/cycles/total:gc-cycles",
	"/gc/heap/goal:bytes",
	"/memory/classes/total:bytes",
	"/memory/classes/heap/released:bytes",
	"/sched/goroutines:goroutines",
}

// sampleMemory records the peak of each metric, and a heap profile at the largest live heap.
func sampleMemory(prefix string) func() {
	samples := make([]metrics.Sample, len(memoryMetrics))
	for i, name := range memoryMetrics {
		samples[i].Name = name
	}
	peaks := map[string]uint64{}
	var written uint64 // live heap of the last heap profile written
	shots := 0
	done, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		timeline, _ := os.Create(prefix + ".mem.timeline") //nolint:gosec // a path the benchmark chose
		defer timeline.Close()
		start := time.Now()
		for n := 0; ; n++ {
			metrics.Read(samples)
			if n%20 == 0 && timeline != nil {
				fmt.Fprintf(timeline, "%6.1fs", time.Since(start).Seconds())
				for _, s := range samples {
					if s.Value.Kind() == metrics.KindUint64 {
						fmt.Fprintf(timeline, " %s=%d", filepath.Base(s.Name), s.Value.Uint64())
					}
				}
				fmt.Fprintln(timeline)
			}
			for i, s := range samples {
				if s.Value.Kind() != metrics.KindUint64 {
					continue
				}
				v := s.Value.Uint64()
				if v > peaks[memoryMetrics[i]] {
					peaks[memoryMetrics[i]] = v
					// Profiling the heap costs time: only at a peak 10% above the last one.
					if i == 0 && v > 8<<20 && v > written+written/10 {
						shots++
						writeHeap(fmt.Sprintf("%s.heap-%02d.pprof", prefix, shots))
						written = v
					}
				}
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() {
		close(done)
		<-stopped
		b, err := json.MarshalIndent(peaks, "", "  ")
		if err == nil {
			_ = os.WriteFile(prefix+".mem.json", b, 0o600)
		}
	}
}

func writeHeap(path string) {
	f, err := os.Create(path) //nolint:gosec // a path the benchmark chose
	if err != nil {
		return
	}
	defer f.Close()
	_ = pprof.Lookup("heap").WriteTo(f, 0)
}
