package main

import (
	"bytes"
	"context"
	"flag"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/qomon/terraform-provider-qomon/internal/qomonsim"
)

// lockedBuffer is a bytes.Buffer safe to read while the server writes to it: the command's
// own syncWriter around a buffer, read under the same lock.
type lockedBuffer struct{ syncWriter }

func newLockedBuffer() *lockedBuffer { return &lockedBuffer{syncWriter{w: new(bytes.Buffer)}} }

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.(*bytes.Buffer).String()
}

func start(t *testing.T, args ...string) (url string, stderr *lockedBuffer, stop func() error) {
	t.Helper()
	dir := t.TempDir()
	urlFile := filepath.Join(dir, "url")
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr := newLockedBuffer(), newLockedBuffer()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"-addr", "127.0.0.1:0", "-url-file", urlFile}, args...), stdout, stderr)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		b, err := os.ReadFile(urlFile)
		if err == nil && len(b) > 0 {
			url = strings.TrimSpace(string(b))
			break
		}
		select {
		case err := <-done:
			cancel()
			t.Fatalf("qomonsim exited: %v\n%s", err, stderr)
		default:
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("qomonsim did not start\n%s", stderr)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if got := strings.TrimSpace(stdout.String()); got != url {
		t.Errorf("stdout %q, want the base URL %q", got, url)
	}
	stopped := false
	stop = func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(10 * time.Second):
			t.Fatal("qomonsim did not shut down")
			return nil
		}
	}
	t.Cleanup(func() { _ = stop() })
	return url, stderr, stop
}

func call(t *testing.T, method, url, token, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), method, url, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func TestRunServesAPIAndAdmin(t *testing.T) {
	seed := filepath.Join(t.TempDir(), "seed.json")
	if err := os.WriteFile(seed, []byte(`{"contacts":[{"surname":"Seeded","mail":"seed@example.org"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	url, stderr, stop := start(t, "-token", "alpha, beta", "-patch-mode", "merge", "-spelling", "old", "-seed", seed,
		"-note-ids", "renew", "-search-lag", "0.5", "-rate-limit-headers", "plain", "-burst", "50", "-not-found-body", "fail")

	status, body := call(t, "POST", url+"/contacts", "beta", `{"data":{"contact":{"surname":"Secret-Surname","birth_city":"Paris","mail":"secret@example.org"}}}`)
	if status != 200 || !strings.Contains(body, `"birthcity":"Paris"`) {
		t.Errorf("create: %d %s", status, body)
	}
	if status, _ := call(t, "GET", url+"/v1/forms/type/consent", "test-token", ""); status != 401 {
		t.Errorf("default token accepted although -token was given: %d", status)
	}
	if status, body := call(t, "GET", url+"/_sim/contacts", "", ""); status != 200 || !strings.Contains(body, "Seeded") || !strings.Contains(body, "Secret-Surname") {
		t.Errorf("admin contacts: %d %s", status, body)
	}
	if status, body := call(t, "GET", url+"/contacts/1", "alpha", ""); status != 404 || strings.TrimSpace(body) != `{"status":"fail"}` {
		t.Errorf("-not-found-body fail: %d %s", status, body)
	}
	if status, body := call(t, "GET", url+"/_sim/settings", "", ""); status != 200 || !strings.Contains(body, `"note_ids": "renew"`) ||
		!strings.Contains(body, `"search_lag": 0.5`) || !strings.Contains(body, `"headers": "plain"`) || !strings.Contains(body, `"burst": 50`) {
		t.Errorf("flags not in force: %s", body)
	}
	if err := stop(); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	log := stderr.String()
	for _, want := range []string{"seeded 1 contacts", "POST /contacts 200", "GET /v1/forms/type/consent 401", `"patch_mode":"merge"`, `"spelling":"old"`, "shutting down"} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
	for _, secret := range []string{"Secret-Surname", "secret@example.org", "beta", "Paris"} {
		if strings.Contains(log, secret) {
			t.Errorf("log shows %q:\n%s", secret, log)
		}
	}
}

func TestRunLogsResetConnections(t *testing.T) {
	url, stderr, stop := start(t)
	if status, _ := call(t, "POST", url+"/_sim/faults", "", `{"kind":"reset","times":1}`); status != 204 {
		t.Fatalf("fault: %d", status)
	}
	req, _ := http.NewRequestWithContext(t.Context(), "GET", url+"/forms/11240", nil)
	if res, err := (&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}).Do(req); err == nil {
		res.Body.Close()
		t.Error("request survived a reset")
	}
	// The line is written when the handler returns, which the client's reset does not wait
	// for (nor does Shutdown, for a hijacked connection).
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(stderr.String(), "GET /forms/11240 ---") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	_ = stop()
	if !strings.Contains(stderr.String(), "GET /forms/11240 ---") {
		t.Errorf("reset not logged:\n%s", stderr)
	}
}

func TestRunRefusesBadConfiguration(t *testing.T) {
	for _, args := range [][]string{
		{"-addr", "0.0.0.0:0"},
		{"-addr", ":0"},
		{"-addr", "192.0.2.1:0"},
		{"-patch-mode", "sideways"},
		{"-spelling", "medieval"},
		{"-burst", "0"},
		{"-rate", "fast"},
		{"-search-lag", "soon"},
		{"-note-ids", "forget"},
		{"-empty-lists", "maybe"},
		{"-empty-address", "drop"},
		{"-search-omits", "shoe_size"},
		{"-not-found-body", "html"},
		{"-rate-limit-headers", "x"},
		{"-upsert-delay", "2s"},
		{"-seed", "/nonexistent/seed.json"},
		{"-nosuchflag"},
		{"extra-argument"},
	} {
		var stderr bytes.Buffer
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err := run(ctx, append([]string{"-addr", "127.0.0.1:0"}, args...), io.Discard, &stderr)
		cancel()
		if err == nil {
			t.Errorf("%v: accepted", args)
		}
	}
	err := run(context.Background(), []string{"-addr", "0.0.0.0:0"}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "-allow-remote") {
		t.Errorf("remote refusal does not say how to insist: %v", err)
	}
}

func TestSeedFileFormats(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	_ = os.WriteFile(bad, []byte(`[{"mail":"broken"}]`), 0o600)
	if err := run(context.Background(), []string{"-addr", "127.0.0.1:0", "-seed", bad}, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "contact #0") {
		t.Errorf("invalid seed: %v", err)
	}
	url, _, _ := start(t, "-seed", writeFile(t, dir, "list.json", `[{"surname":"One"},{"surname":"Two"}]`))
	if _, body := call(t, "GET", url+"/_sim/contacts", "", ""); !strings.Contains(body, "One") || !strings.Contains(body, "Two") {
		t.Errorf("array seed: %s", body)
	}
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestIsLoopbackAddr(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:8787": true, "127.1.2.3:1": true, "[::1]:8787": true, "localhost:8787": true,
		":8787": false, "0.0.0.0:8787": false, "[::]:1": false, "10.0.0.1:1": false, "example.org:1": false, "nonsense": false,
	} {
		if got := isLoopbackAddr(addr); got != want {
			t.Errorf("%s: %v", addr, got)
		}
	}
}

// TestGuideDocumentsEveryFlagAndSetting: the testing guide and this command's README list
// every flag, and the guide every key of PUT /_sim/settings with its flag.
func TestGuideDocumentsEveryFlagAndSetting(t *testing.T) {
	guide, err := os.ReadFile("../../templates/guides/testing-with-the-simulator.md.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	fs := flag.NewFlagSet("qomonsim", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var c config
	registerFlags(fs, &c)
	fs.VisitAll(func(f *flag.Flag) {
		if !strings.Contains(string(guide), "| `-"+f.Name+"` |") {
			t.Errorf("the testing guide's flag table lacks -%s", f.Name)
		}
		if !strings.Contains(string(readme), "`-"+f.Name+"`") {
			t.Errorf("README.md lacks -%s", f.Name)
		}
	})
	for _, k := range qomonsim.SettingKeys() {
		if !regexp.MustCompile("(?m)^\\| `" + regexp.QuoteMeta(k) + "` \\| `-[a-z-]+` \\|").Match(guide) {
			t.Errorf("the testing guide's settings table lacks %s", k)
		}
	}
}
