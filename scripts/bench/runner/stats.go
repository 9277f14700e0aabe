package main

import (
	"sort"
	"time"
)

// phase summarises the simulator's request log over one CLI command.
type phase struct {
	Requests  int            `json:"requests"`
	ByMethod  map[string]int `json:"by_method"`
	Status429 int            `json:"status_429"`
	Status5xx int            `json:"status_5xx"`
	Tokens    int            `json:"tokens"` // cost of the requests the bucket admitted
	WindowSec float64        `json:"window_s"`
	// MaxGapSec is the longest pause between two consecutive requests: in an apply, the CLI's
	// own work between its plan walk and its apply walk, when no request is in flight.
	MaxGapSec   float64 `json:"max_gap_s"`
	FirstToLast string  `json:"first_to_last,omitempty"`
	// Filled when the bucket was on: the most tokens the bucket could have admitted between the
	// first and the last request (a full bucket at the start, then the refill), and the
	// achieved fraction of it. Steady is the same without the initial burst: how well the
	// refill alone was kept busy.
	CeilingTokens  float64 `json:"ceiling_tokens,omitempty"`
	Fraction       float64 `json:"fraction,omitempty"`
	SteadyFraction float64 `json:"steady_fraction,omitempty"`
	// ApplyWalk is the same summary over the requests after the longest pause, when that pause
	// is long enough to be the CLI's switch from its plan walk (refresh reads) to its apply
	// walk: the scaled-up bucket refills during that pause far more than Qomon's would, so the
	// pacing of the writes is judged on this part alone.
	ApplyWalk *phase `json:"apply_walk,omitempty"`
}

// walkGap is the least pause taken for the switch between two walks of the CLI.
const walkGap = 250 * time.Millisecond

func summariseWalks(reqs []simRequest, shape simShape) phase {
	p := summarise(reqs, shape)
	cut, longest := -1, time.Duration(0)
	for i := 1; i < len(reqs); i++ {
		if g := reqs[i].Time.Sub(reqs[i-1].Time); g > longest {
			cut, longest = i, g
		}
	}
	if cut > 0 && longest >= walkGap {
		w := summarise(reqs[cut:], shape)
		p.ApplyWalk = &w
	}
	return p
}

func summarise(reqs []simRequest, shape simShape) phase {
	p := phase{ByMethod: map[string]int{}}
	var first, last, prev time.Time
	for _, r := range reqs {
		if r.Method == "POST" && r.Path == "/kpi" {
			// The provider's configuration check, once per provider process, before the CLI
			// walks: not part of the paced stream, and followed by the CLI's own work.
			continue
		}
		if !prev.IsZero() {
			p.MaxGapSec = max(p.MaxGapSec, r.Time.Sub(prev).Seconds())
		}
		prev = r.Time
		p.Requests++
		p.ByMethod[r.Method]++
		switch {
		case r.Status == 429:
			p.Status429++
			continue
		case r.Status >= 500:
			p.Status5xx++
		}
		p.Tokens += r.Cost
		if first.IsZero() || r.Time.Before(first) {
			first = r.Time
		}
		if r.Time.After(last) {
			last = r.Time
		}
	}
	if !first.IsZero() {
		p.WindowSec = last.Sub(first).Seconds()
		p.FirstToLast = first.Format(time.RFC3339Nano) + " .. " + last.Format(time.RFC3339Nano)
	}
	if !shape.Disabled && shape.PerSecond > 0 && p.Tokens > 0 {
		p.CeilingTokens = shape.Burst + shape.PerSecond*p.WindowSec
		p.Fraction = float64(p.Tokens) / p.CeilingTokens
		if refill := shape.PerSecond * p.WindowSec; refill > 0 {
			p.SteadyFraction = (float64(p.Tokens) - shape.Burst) / refill
		}
	}
	return p
}

// median of a sample; the middle value, or the mean of the two middle values.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	m := len(s) / 2
	if len(s)%2 == 1 {
		return s[m]
	}
	return (s[m-1] + s[m]) / 2
}

// minMax returns the smallest and largest values of a sample, to show the spread of a median.
func minMax(xs []float64) (float64, float64) {
	if len(xs) == 0 {
		return 0, 0
	}
	lo, hi := xs[0], xs[0]
	for _, x := range xs[1:] {
		lo, hi = min(lo, x), max(hi, x)
	}
	return lo, hi
}
