package qomonsim

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// parseDateMath reads a search date: an absolute date (RFC 3339, YYYY-MM-DD, or
// YYYY-MM-DDTHH:MM:SS taken as UTC), or Qomon's (Elasticsearch-style) relative math:
// "now", "now-7d", "now-1d/d", "now+1y", and "<date>||-1d". Units: y, M (months), w, d,
// h (or H), m (minutes), s. A rounding "/unit" goes down to the start of the unit, which
// is what gte, the one date operator modelled, reads. All in UTC.
func parseDateMath(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	var t time.Time
	var expr string
	switch {
	case strings.HasPrefix(s, "now"):
		t, expr = now.UTC(), s[len("now"):]
	default:
		anchor, rest, found := strings.Cut(s, "||")
		d, ok := parseAnchor(anchor)
		if !ok {
			return time.Time{}, errors.New("expected a date (RFC 3339 or YYYY-MM-DD) or date math such as now-7d")
		}
		t = d
		if found {
			expr = rest
		}
	}
	for expr != "" {
		op := expr[0]
		expr = expr[1:]
		switch op {
		case '+', '-':
			i := 0
			for i < len(expr) && expr[i] >= '0' && expr[i] <= '9' {
				i++
			}
			n := 1
			if i > 0 {
				var err error
				if n, err = strconv.Atoi(expr[:i]); err != nil {
					return time.Time{}, errors.New("date math: number out of range")
				}
			}
			if i >= len(expr) {
				return time.Time{}, errors.New("date math: missing unit after " + string(op))
			}
			if op == '-' {
				n = -n
			}
			var ok bool
			if t, ok = addUnit(t, expr[i], n); !ok {
				return time.Time{}, errors.New("date math: unknown unit " + string(expr[i]))
			}
			expr = expr[i+1:]
		case '/':
			if expr == "" {
				return time.Time{}, errors.New("date math: missing unit after /")
			}
			var ok bool
			if t, ok = roundDown(t, expr[0]); !ok {
				return time.Time{}, errors.New("date math: unknown unit " + string(expr[0]))
			}
			expr = expr[1:]
		default:
			return time.Time{}, errors.New("date math: unexpected " + string(op))
		}
	}
	return t, nil
}

func parseAnchor(s string) (time.Time, bool) {
	if t, ok := parseDate(s); ok {
		return t.UTC(), true
	}
	if t, err := time.Parse("2006-01-02T15:04:05", s); err == nil {
		return t, true
	}
	return time.Time{}, false
}

func addUnit(t time.Time, unit byte, n int) (time.Time, bool) {
	switch unit {
	case 'y':
		return t.AddDate(n, 0, 0), true
	case 'M':
		return t.AddDate(0, n, 0), true
	case 'w':
		return t.AddDate(0, 0, 7*n), true
	case 'd':
		return t.AddDate(0, 0, n), true
	case 'h', 'H':
		return t.Add(time.Duration(n) * time.Hour), true
	case 'm':
		return t.Add(time.Duration(n) * time.Minute), true
	case 's':
		return t.Add(time.Duration(n) * time.Second), true
	}
	return t, false
}

func roundDown(t time.Time, unit byte) (time.Time, bool) {
	t = t.UTC()
	switch unit {
	case 'y':
		return time.Date(t.Year(), 1, 1, 0, 0, 0, 0, time.UTC), true
	case 'M':
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC), true
	case 'w':
		wd := (int(t.Weekday()) + 6) % 7 // Monday starts the week
		return time.Date(t.Year(), t.Month(), t.Day()-wd, 0, 0, 0, 0, time.UTC), true
	case 'd':
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), true
	case 'h', 'H':
		return t.Truncate(time.Hour), true
	case 'm':
		return t.Truncate(time.Minute), true
	case 's':
		return t.Truncate(time.Second), true
	}
	return t, false
}
