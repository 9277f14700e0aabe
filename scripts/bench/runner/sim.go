package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// simShape is the simulator's token bucket for one benchmark: Disabled, or Qomon's shape
// (burst, cost 5 per create and PATCH, 1 otherwise) refilled at PerSecond.
type simShape struct {
	Disabled  bool
	Burst     float64
	PerSecond float64
}

// sim is a standalone simulator process (cmd/qomonsim) and the admin API it serves under /_sim/.
type sim struct {
	URL  string
	cmd  *exec.Cmd
	done chan struct{} // closed when the process has exited
	http *http.Client
}

// startSim runs the simulator on a free loopback port and waits until it answers.
// patchMode is the simulator's PATCH semantics, matched to the provider's update_mode.
func startSim(ctx context.Context, bin, token, logPath string, shape simShape, patchMode string) (*sim, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	args := []string{"-addr", addr, "-token", token, "-patch-mode", patchMode, "-quiet"}
	if shape.Disabled {
		args = append(args, "-no-rate-limit")
	} else {
		args = append(args, "-burst", strconv.FormatFloat(shape.Burst, 'f', -1, 64),
			"-rate", strconv.FormatFloat(shape.PerSecond, 'f', -1, 64))
	}
	logf, err := os.Create(logPath) //nolint:gosec // a file in the benchmark's work directory
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, args...) //nolint:gosec // the simulator binary the script built
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		_ = logf.Close()
		return nil, fmt.Errorf("starting the simulator: %w", err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); _ = logf.Close(); close(done) }()

	s := &sim{URL: "http://" + addr, cmd: cmd, done: done, http: &http.Client{Timeout: 60 * time.Second}}
	deadline := time.Now().Add(20 * time.Second)
	for {
		if _, err := s.stats(ctx); err == nil {
			return s, nil
		} else if time.Now().After(deadline) {
			s.stop()
			return nil, fmt.Errorf("the simulator did not answer on %s within 20s (log: %s): %w", addr, logPath, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (s *sim) stop() {
	_ = s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.done:
	case <-time.After(3 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
}

// cpuSeconds is the simulator's user+system CPU time so far, from /proc/<pid>/stat.
func (s *sim) cpuSeconds() float64 { return procCPUSeconds(s.cmd.Process.Pid) }

// simRequest is one entry of the simulator's request log. Field names are matched
// case-insensitively by encoding/json, so Go-style and snake_case logs both decode.
type simRequest struct {
	Method string    `json:"method"`
	Path   string    `json:"path"`
	Status int       `json:"status"`
	Time   time.Time `json:"time"`
	Cost   int       `json:"cost"`
}

// requests reads the request log, and keeps a copy of it in saveTo (when not empty) so that a
// figure can be traced back to the requests behind it.
func (s *sim) requests(ctx context.Context, saveTo string) ([]simRequest, error) {
	body, err := s.admin(ctx, http.MethodGet, "/_sim/requests")
	if err != nil {
		return nil, err
	}
	if saveTo != "" {
		if err := os.WriteFile(saveTo, body, 0o600); err != nil {
			return nil, err
		}
	}
	var list []simRequest
	if err := json.Unmarshal(body, &list); err == nil {
		return list, nil
	}
	// Tolerate an envelope such as {"requests": [...]}.
	var wrapped map[string]json.RawMessage
	if err := json.Unmarshal(body, &wrapped); err != nil {
		return nil, fmt.Errorf("decoding /_sim/requests: %w", err)
	}
	for _, raw := range wrapped {
		if err := json.Unmarshal(raw, &list); err == nil {
			return list, nil
		}
	}
	return nil, errors.New("decoding /_sim/requests: no list of requests in the answer")
}

func (s *sim) resetRequests(ctx context.Context) error {
	_, err := s.admin(ctx, http.MethodDelete, "/_sim/requests")
	return err
}

// stats returns the simulator's counters as it reports them; the driver only records them
// beside its own figures, which it computes from the request log.
func (s *sim) stats(ctx context.Context) (map[string]any, error) {
	body, err := s.admin(ctx, http.MethodGet, "/_sim/stats")
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, fmt.Errorf("decoding /_sim/stats: %w", err)
	}
	return m, nil
}

func (s *sim) contactCount(ctx context.Context) (int, error) {
	body, err := s.admin(ctx, http.MethodGet, "/_sim/contacts")
	if err != nil {
		return 0, err
	}
	var list []json.RawMessage
	if err := json.Unmarshal(body, &list); err != nil {
		return 0, fmt.Errorf("decoding /_sim/contacts: %w", err)
	}
	return len(list), nil
}

func (s *sim) admin(ctx context.Context, method, path string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, s.URL+path, nil)
	if err != nil {
		return nil, err
	}
	resp, err := s.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode/100 != 2 {
		return nil, fmt.Errorf("%s %s: %s", method, path, resp.Status)
	}
	return body, nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// procCPUSeconds reads utime+stime of a live process. Linux reports them in USER_HZ ticks,
// which is 100 on every architecture Go supports.
func procCPUSeconds(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The command name (field 2) may hold spaces; fields are counted after its closing paren.
	s := string(b)
	if i := strings.LastIndexByte(s, ')'); i >= 0 {
		s = s[i+1:]
	}
	f := strings.Fields(s)
	if len(f) < 13 {
		return 0
	}
	// After the paren: state is field 3 of the stat line, utime field 14, stime field 15.
	ut, _ := strconv.ParseFloat(f[11], 64)
	st, _ := strconv.ParseFloat(f[12], 64)
	return (ut + st) / 100
}

// loadAverage is the 1-minute load average, recorded beside every run: two cores are shared
// with other work, and a figure taken under load must say so.
func loadAverage() float64 {
	f, err := os.Open("/proc/loadavg")
	if err != nil {
		return -1
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	if !sc.Scan() {
		return -1
	}
	v, err := strconv.ParseFloat(strings.Fields(sc.Text())[0], 64)
	if err != nil {
		return -1
	}
	return v
}
