package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/qomon/terraform-provider-qomon/internal/acctest"
	"github.com/qomon/terraform-provider-qomon/internal/qomonsim"
)

// moduleExample is the example the testing guide shows: a module and its .tftest.hcl files.
const moduleExample = "../../examples/testing-a-module"

// TestAccModuleTestExample runs the guide's module test example with the CLI's own test
// command (`tofu test`, `terraform test`), both routes: tests/simulator.tftest.hcl against the
// simulator, tests/mocked.tftest.hcl with mock_provider and mock_data. Terraform gained
// .tftest.hcl files in 1.6 and mock_provider in 1.7: an older Terraform skips, saying so.
func TestAccModuleTestExample(t *testing.T) {
	t.Parallel()
	sim, url := qomonsim.NewTestServer(t, qomonsim.Options{Tokens: []string{acctest.Token}})
	w := newCLIWork(t, url, acctest.Token, "")
	if name, ok := cliSupportsMocks(t, w); !ok {
		t.Skipf("%s has no mock_provider in its test command (Terraform 1.7, OpenTofu 1.8): the example needs it", name)
	}
	// The folder holds the example as it is in the repository, and no file of the harness's own.
	for _, f := range []string{"main.tf", "versions.tf"} {
		must(t, os.Remove(filepath.Join(w.dir, f)))
	}
	copyTree(t, moduleExample, w.dir)

	for _, tc := range []struct{ file, runs string }{
		{"tests/simulator.tftest.hcl", "3 passed"},
		{"tests/mocked.tftest.hcl", "2 passed"},
	} {
		sim.ResetRequests()
		res := w.run(nil, "test", "-no-color", "-filter="+tc.file)
		if res.code != 0 || !strings.Contains(res.stdout, tc.runs+", 0 failed") {
			t.Fatalf("%s: %s", tc.file, res)
		}
		requests, creates := 0, 0
		for _, r := range sim.Requests() {
			if strings.HasPrefix(r.Path, "/contacts") || strings.HasPrefix(r.Path, "/v1/forms") {
				requests++
			}
			if r.Method == "POST" && r.Path == "/contacts" {
				creates++
			}
		}
		switch {
		case tc.file == "tests/mocked.tftest.hcl" && requests > 0:
			t.Errorf("the mocked test sent %d requests to Qomon, want none", requests)
		case tc.file == "tests/simulator.tftest.hcl" && creates != 2:
			// Two members, created once: the change of job is an update in place.
			t.Errorf("the simulator test created %d contacts, want 2", creates)
		}
	}
	// The test command destroys what its runs created.
	if n := len(sim.Contacts()); n != 0 {
		t.Errorf("%d contacts left in Qomon after the test command", n)
	}
}

// cliSupportsMocks reports the CLI's name and version, and whether its test command knows
// mock_provider.
func cliSupportsMocks(t *testing.T, w *cliWork) (string, bool) {
	res := w.run(nil, "version")
	m := regexp.MustCompile(`(Terraform|OpenTofu) v(\d+)\.(\d+)`).FindStringSubmatch(res.stdout)
	if m == nil {
		t.Fatalf("cannot tell the CLI's version: %s", res)
	}
	major, _ := strconv.Atoi(m[2])
	minor, _ := strconv.Atoi(m[3])
	need := 7
	if m[1] == "OpenTofu" {
		need = 8
	}
	return m[0], major > 1 || minor >= need
}

// copyTree copies the files of a folder, and of its sub-folders, into dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	must(t, os.CopyFS(dst, os.DirFS(src)))
}
