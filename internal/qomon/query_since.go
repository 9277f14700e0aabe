package qomon

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// dateMath is Qomon's relative date syntax (Elasticsearch's): an anchor, now or a date
// followed by ||, then any number of +N<unit>, -N<unit> and /<unit> (round down), e.g. now-7d,
// now-1d/d, now+1y, 2026-05-01||+1M. Units: y, M (month), w, d, h or H, m (minute), s.
var dateMath = regexp.MustCompile(`^(now|[0-9][0-9TZ:.+-]*\|\|)((?:[+-][0-9]+[yMwdhHms]|/[yMwdhHms])*)$`)

// ParseSince checks a "since" bound of a search and returns what is sent to Qomon: date math as
// written (Qomon evaluates it in UTC at search time, so a saved plan does not freeze "now"), an
// RFC 3339 timestamp converted to UTC, or a YYYY-MM-DD date as midnight UTC. The error does
// not name what the value is for: the caller knows.
func ParseSince(s string) (string, error) {
	if m := dateMath.FindStringSubmatch(s); m != nil {
		if anchor, ok := strings.CutSuffix(m[1], "||"); ok {
			if _, err := parseAbsolute(anchor); err != nil || m[2] == "" {
				return "", sinceError(s)
			}
		}
		return s, nil
	}
	if t, err := parseAbsolute(s); err == nil {
		return t, nil
	}
	return "", sinceError(s)
}

// parseAbsolute reads an RFC 3339 timestamp (returned in UTC) or a YYYY-MM-DD date (returned
// as its midnight, UTC).
func parseAbsolute(s string) (string, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC().Format(time.RFC3339Nano), nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return "", err
	}
	return t.UTC().Format(time.RFC3339), nil
}

func sinceError(s string) error {
	return fmt.Errorf("%q is neither an RFC 3339 timestamp (2026-05-01T08:00:00Z), a date (2026-05-01) "+
		"nor Qomon date math (now-7d, now-1d/d, now-12h, 2026-05-01||+1M)", s)
}
