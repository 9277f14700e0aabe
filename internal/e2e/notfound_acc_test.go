package e2e

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/qomon/terraform-provider-qomon/internal/acctest"
	"github.com/qomon/terraform-provider-qomon/internal/qomonsim"
)

// Believe only Qomon: a 404 that Qomon did not write never makes the provider forget a contact
// or create it again. These tests put a reverse proxy between a real CLI (and the provider as
// its own plugin process) and the simulator, which stays Qomon-shaped; the proxy answers one
// chosen request itself, as a proxy or an API gateway in front of Qomon would.

// foreignProxy forwards everything to the simulator except, while armed, requests with the
// armed method and path, which it answers itself.
type foreignProxy struct {
	*httptest.Server
	mu                sync.Mutex
	method, path      string
	status            int
	contentType, body string
	hits              int
}

func newForeignProxy(t *testing.T, target string) *foreignProxy {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	forward := httputil.NewSingleHostReverseProxy(u)
	p := &foreignProxy{}
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		own := p.status != 0 && r.Method == p.method && r.URL.Path == p.path
		if own {
			p.hits++
		}
		status, ctype, body := p.status, p.contentType, p.body
		p.mu.Unlock()
		if !own {
			forward.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Type", ctype)
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(p.Close)
	return p
}

func (p *foreignProxy) arm(method, path string, a foreignAnswer) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.method, p.path, p.status, p.contentType, p.body, p.hits = method, path, a.status, a.contentType, a.body, 0
}

func (p *foreignProxy) disarm() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.status = 0
	return p.hits
}

// foreignAnswer is a 404 that something other than Qomon writes.
type foreignAnswer struct {
	name, contentType, body string
	status                  int
}

var foreignNotFounds = []foreignAnswer{
	{name: "proxy HTML 404", status: 404, contentType: "text/html",
		body: "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"},
	{name: "API gateway JSON 404", status: 404, contentType: "application/json", body: `{"message":"no Route matched with those values"}`},
}

const goneConfig = `provider "qomon" {}

resource "qomon_contact" "x" {
  firstname = "Hedy"
  surname   = "Lamarr"
  mail      = "hedy.lamarr@example.test"
  phone     = "%s"
  tags      = ["inventor"]
}
`

// snapshot is what must not change when an answer cannot be trusted: the state file, and
// the simulator's store.
type snapshot struct {
	state    []byte
	contacts []map[string]any
	requests int // how many the simulator had received
}

func takeSnapshot(t *testing.T, w *cliWork, sim *qomonsim.Server) snapshot {
	t.Helper()
	state, err := os.ReadFile(filepath.Join(w.dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	return snapshot{state: state, contacts: sim.Contacts(), requests: len(sim.Requests())}
}

func (s snapshot) unchanged(t *testing.T, w *cliWork, sim *qomonsim.Server, what string) {
	t.Helper()
	now := takeSnapshot(t, w, sim)
	if !reflect.DeepEqual(now.contacts, s.contacts) {
		t.Errorf("%s: the simulator's store changed: %d contacts before, %d after", what, len(s.contacts), len(now.contacts))
	}
	if !stateValuesEqual(t, s.state, now.state) {
		t.Errorf("%s: the state changed", what)
	}
}

// stateValuesEqual compares two state files by their resources (Terraform bumps the serial
// when it writes an unchanged state).
func stateValuesEqual(t *testing.T, a, b []byte) bool {
	t.Helper()
	re := regexp.MustCompile(`(?s)"resources":.*`)
	return string(re.Find(a)) == string(re.Find(b))
}

func kpiCount(sim *qomonsim.Server, from int) int {
	n := 0
	for _, r := range sim.Requests()[from:] {
		if r.Method == "POST" && r.Path == "/kpi" {
			n++
		}
	}
	return n
}

// TestAccForeignNotFound: a proxy's HTML 404, an API gateway's JSON 404 and a wrong base path,
// on the read of a plan (refresh) and on the reads of an apply (the fresh read before a
// replace-mode PATCH, and the PATCH's own answer), each fail the command with what was seen,
// leave the state and Qomon unchanged, and create nothing. Then a contact really deleted in
// Qomon is still detected, and the apply re-creates it: exactly one contact at the end.
func TestAccForeignNotFound(t *testing.T) {
	t.Parallel()
	sim, simURL := qomonsim.NewTestServer(t, qomonsim.Options{Tokens: []string{acctest.Token}})
	proxy := newForeignProxy(t, simURL)
	w := newCLIWork(t, proxy.URL, acctest.Token, fmt.Sprintf(goneConfig, "0102030405"))

	start := len(sim.Requests())
	w.apply()
	costs := map[string]int{"apply (create)": kpiCount(sim, start)}
	id := int64(sim.Contacts()[0]["id"].(float64))
	contactPath := "/contacts/" + strconv.FormatInt(id, 10)
	start = len(sim.Requests())
	if empty, res := w.planIsEmpty(); !empty {
		t.Fatalf("plan after create not empty: %s", res)
	}
	costs["plan"] = kpiCount(sim, start)

	fails := func(res cliResult, want string) {
		t.Helper()
		out := res.stdout + res.stderr
		if res.code == 0 {
			t.Errorf("%v succeeded against a foreign 404:\n%s", res.args, res)
			return
		}
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("%v: the error does not match %s:\n%s", res.args, want, tail(out, 3000))
		}
		if strings.Contains(out, "Contact no longer exists") || strings.Contains(out, "will be created") {
			t.Errorf("%v: a contact was dropped or planned for creation:\n%s", res.args, tail(out, 3000))
		}
	}

	for _, a := range foreignNotFounds {
		t.Run(a.name, func(t *testing.T) {
			before := takeSnapshot(t, w, sim)
			seen := wrapped("does not come from Qomon", "keeps the contact in the state")

			// The refresh of a plan, and of an apply's own plan.
			proxy.arm("GET", contactPath, a)
			fails(w.run(nil, "plan", "-no-color", "-input=false"), seen)
			fails(w.run(nil, "apply", "-auto-approve", "-no-color", "-input=false"), seen)
			if proxy.disarm() == 0 {
				t.Fatal("the proxy answered nothing: the scenario did not happen")
			}
			before.unchanged(t, w, sim, "a foreign 404 on a plan's read")

			// The reads of an apply: the plan is made through a well-behaved proxy, then the
			// fresh read of replace mode, and separately the PATCH, get the foreign 404.
			w.write("main.tf", fmt.Sprintf(goneConfig, "0102030406"))
			for _, method := range []string{"GET", "PATCH"} {
				if res := w.run(nil, "plan", "-out=change.tfplan", "-no-color", "-input=false"); res.code != 0 {
					t.Fatalf("plan: %s", res)
				}
				proxy.arm(method, contactPath, a)
				fails(w.run(nil, "apply", "-no-color", "-input=false", "change.tfplan"), seen)
				if proxy.disarm() == 0 {
					t.Fatalf("the proxy answered no %s: the scenario did not happen", method)
				}
				before.unchanged(t, w, sim, "a foreign 404 on an apply's "+method)
			}
			w.write("main.tf", fmt.Sprintf(goneConfig, "0102030405"))
			for _, r := range sim.Requests()[before.requests:] {
				if (r.Method == "POST" && r.Path == "/contacts") || r.Method == "PATCH" || r.Method == "DELETE" {
					t.Errorf("%s %s reached Qomon after a foreign 404", r.Method, r.Path)
				}
			}
		})
	}

	// The qomon_contact data source says "not found" only on Qomon's own 404.
	t.Run("data source", func(t *testing.T) {
		data := filepath.Join(w.dir, "data.tf")
		must(t, os.WriteFile(data, []byte(fmt.Sprintf("data \"qomon_contact\" \"d\" {\n  id = %d\n}\n", id)), 0o600))
		defer os.Remove(data)
		for _, a := range foreignNotFounds {
			proxy.arm("GET", contactPath, a)
			res := w.run(nil, "plan", "-no-color", "-input=false")
			proxy.disarm()
			out := res.stdout + res.stderr
			if res.code == 0 || strings.Contains(out, "Qomon contact not found") || !regexp.MustCompile(wrapped("the endpoint answered 404")).MatchString(out) {
				t.Errorf("%s on the data source's read: %s", a.name, res)
			}
		}
	})

	t.Run("wrong base path", func(t *testing.T) {
		before := takeSnapshot(t, w, sim)
		wrong := []string{"QOMON_ENDPOINT=" + proxy.URL + "/api"}
		seen := `(?s)does not answer like Qomon.*HTTP 404.*base path`
		if res := w.run(wrong, "plan", "-no-color", "-input=false"); res.code == 0 || !regexp.MustCompile(seen).MatchString(res.stdout+res.stderr) {
			t.Errorf("plan with a wrong base path: %s", res)
		}
		// A plan made against the right endpoint, applied against the wrong one.
		w.write("main.tf", fmt.Sprintf(goneConfig, "0102030407"))
		if res := w.run(nil, "plan", "-out=change.tfplan", "-no-color", "-input=false"); res.code != 0 {
			t.Fatalf("plan: %s", res)
		}
		if res := w.run(wrong, "apply", "-no-color", "-input=false", "change.tfplan"); res.code == 0 || !regexp.MustCompile(seen).MatchString(res.stdout+res.stderr) {
			t.Errorf("apply with a wrong base path: %s", res)
		}
		w.write("main.tf", fmt.Sprintf(goneConfig, "0102030405"))
		before.unchanged(t, w, sim, "a wrong base path")
	})

	t.Run("a contact really deleted in Qomon is re-created once", func(t *testing.T) {
		if !sim.DeleteContact(id) {
			t.Fatal("the simulator could not delete the contact")
		}
		res := w.apply()
		out := res.stdout + res.stderr
		if !regexp.MustCompile(wrapped("Contact no longer exists", "a search by its e-mail address finds no contact", "the current plan creates it again")).MatchString(out) {
			t.Errorf("the deletion was not reported as confirmed:\n%s", tail(out, 3000))
		}
		cs := sim.Contacts()
		if len(cs) != 1 || int64(cs[0]["id"].(float64)) == id || cs[0]["mail"] != "hedy.lamarr@example.test" {
			t.Errorf("after re-creating: %v", cs)
		}
		if empty, res := w.planIsEmpty(); !empty {
			t.Errorf("plan after re-creating not empty: %s", res)
		}
	})

	for name, cmds := range map[string][][]string{
		"refresh": {{"refresh", "-no-color", "-input=false"}},
		"import":  {{"state", "rm", "qomon_contact.x"}, {"import", "-no-color", "-input=false", "qomon_contact.x", "mail:hedy.lamarr@example.test"}},
	} {
		for _, cmd := range cmds {
			start = len(sim.Requests())
			if res := w.run(nil, cmd...); res.code != 0 {
				t.Fatalf("%s: %s", name, res)
			}
		}
		costs[name] = kpiCount(sim, start)
	}
	start = len(sim.Requests())
	if res := w.run(nil, "destroy", "-auto-approve", "-no-color", "-input=false"); res.code != 0 {
		t.Fatalf("destroy: %s", res)
	}
	costs["destroy"] = kpiCount(sim, start)
	t.Logf("configuration checks (POST /kpi, 1 token each) per command: %v", costs)
	if costs["plan"] != 1 {
		t.Errorf("a plan made %d configuration checks, want 1", costs["plan"])
	}
}

// TestAccBadKeyIsOneError: with a bad API key, or an endpoint where nothing listens, a
// configuration of 100 contacts fails with exactly one error, from the provider's
// configuration, and sends no contact request. (One retry: an unreachable endpoint is retried,
// and more retries would only add their backoff.)
func TestAccBadKeyIsOneError(t *testing.T) {
	t.Parallel()
	sim, w := simWork(t, qomonsim.Options{RateLimit: qomonsim.RateLimit{Burst: 100, PerSecond: 2000}}, loadConfig(100, `  rate_limit  = { burst = 100, per_second = 2000 }
  max_retries = 1`))
	w.apply()
	if n := len(sim.Contacts()); n != 100 {
		t.Fatalf("%d contacts created, want 100", n)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	nobody := "http://" + l.Addr().String()
	l.Close()
	for _, tc := range []struct {
		name string
		env  []string
		want string
	}{
		{"bad key", []string{"QOMON_API_TOKEN=not-the-key"}, `(?s)Qomon refused the API key.*401`},
		{"unreachable endpoint", []string{"QOMON_ENDPOINT=" + nobody}, `(?s)Cannot reach Qomon.*connection refused`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := len(sim.Requests())
			for _, cmd := range [][]string{{"plan", "-no-color", "-no-color", "-input=false"}, {"apply", "-auto-approve", "-no-color", "-no-color", "-input=false"}} {
				res := w.run(tc.env, cmd...)
				out := res.stdout + res.stderr
				if res.code == 0 || !regexp.MustCompile(tc.want).MatchString(out) {
					t.Errorf("%s: %s", cmd[0], res)
				}
				if n := strings.Count(out, "Error: "); n != 1 {
					t.Errorf("%s: %d errors for 100 contacts, want exactly 1:\n%s", cmd[0], n, tail(out, 3000))
				}
			}
			for _, r := range sim.Requests()[start:] {
				if r.Path != "/kpi" {
					t.Errorf("a contact request was sent: %s %s", r.Method, r.Path)
				}
			}
		})
	}
}

// wrapped matches phrases in order in CLI output, which wraps lines at word boundaries.
func wrapped(phrases ...string) string {
	for i, p := range phrases {
		phrases[i] = strings.Join(strings.Fields(regexp.QuoteMeta(p)), `\s+`)
	}
	return `(?s)` + strings.Join(phrases, ".*")
}
