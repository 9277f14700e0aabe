package qomonsim

import (
	"testing"
	"time"
)

func TestParseDateMath(t *testing.T) {
	now := time.Date(2026, 11, 26, 15, 4, 5, 0, time.UTC)
	cases := []struct {
		in   string
		want string
	}{
		{"now", "2026-11-26T15:04:05Z"},
		{"now-7d", "2026-11-19T15:04:05Z"},
		{"now-1d/d", "2026-11-25T00:00:00Z"},
		{"now-1h", "2026-11-26T14:04:05Z"},
		{"now+1y", "2027-11-26T15:04:05Z"},
		{"now-1M/M", "2026-10-01T00:00:00Z"},
		{"now/w", "2026-11-23T00:00:00Z"},
		{"now-30m", "2026-11-26T14:34:05Z"},
		{"now-10s", "2026-11-26T15:03:55Z"},
		{"2026-01-02", "2026-01-02T00:00:00Z"},
		{"2026-01-02T03:04:05.123456Z", "2026-01-02T03:04:05.123456Z"},
		{"2026-01-02T03:04:05", "2026-01-02T03:04:05Z"},
		{"2026-01-02||-1d", "2026-01-01T00:00:00Z"},
	}
	for _, tt := range cases {
		got, err := parseDateMath(tt.in, now)
		if err != nil {
			t.Errorf("%s: %v", tt.in, err)
			continue
		}
		if got.Format(time.RFC3339Nano) != tt.want {
			t.Errorf("%s = %s, want %s", tt.in, got.Format(time.RFC3339Nano), tt.want)
		}
	}
	for _, bad := range []string{"", "nowhere", "now-7", "now-7x", "now/", "yesterday", "2026-13-01", "now-99999999999999999999d"} {
		if _, err := parseDateMath(bad, now); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}
