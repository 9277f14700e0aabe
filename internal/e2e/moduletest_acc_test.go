package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-version"

	"github.com/qomon/terraform-provider-qomon/internal/qomonsim"
)

// moduleExample is the example the testing guide shows: a module and its .tftest.hcl files.
const moduleExample = "../../examples/testing-a-module"

// TestAccModuleTestExample runs the guide's module test example with the CLI's own test
// command (`tofu test`, `terraform test`), both routes, each in a folder of its own (the
// module and one test file): tests/simulator.tftest.hcl against the simulator, and
// tests/mocked.tftest.hcl with mock_provider and mock_data, which must send Qomon nothing.
// Terraform gained .tftest.hcl files in 1.6 and mock_provider in 1.7, OpenTofu mock_provider
// in 1.8: an older CLI skips, saying so.
func TestAccModuleTestExample(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		file   string
		passed int
	}{
		{"simulator.tftest.hcl", 3},
		{"mocked.tftest.hcl", 2},
	} {
		t.Run(strings.TrimSuffix(tc.file, ".tftest.hcl"), func(t *testing.T) {
			t.Parallel()
			sim, w := simWork(t, qomonsim.Options{}, "")
			ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
			defer cancel()
			v, _, err := w.tf.Version(ctx, false)
			must(t, err)
			need := version.Must(version.NewVersion("1.7.0"))
			if strings.Contains(filepath.Base(w.cli), "tofu") {
				need = version.Must(version.NewVersion("1.8.0"))
			}
			if v.LessThan(need) {
				t.Skipf("%s %s has no mock_provider in its test command (Terraform 1.7, OpenTofu 1.8): the example needs it",
					filepath.Base(w.cli), v)
			}
			// The folder holds the module as it is in the repository, and this one test file.
			must(t, os.Remove(filepath.Join(w.dir, "versions.tf")))
			copyFile(t, filepath.Join(moduleExample, "main.tf"), filepath.Join(w.dir, "main.tf"))
			must(t, os.Mkdir(filepath.Join(w.dir, "tests"), 0o755))
			copyFile(t, filepath.Join(moduleExample, "tests", tc.file), filepath.Join(w.dir, "tests", tc.file))

			var out bytes.Buffer
			err = w.tf.Test(ctx, &out)
			passed, summary := testSummary(out.Bytes())
			if err != nil || passed != tc.passed {
				t.Fatalf("%s: %d runs passed, want %d (%v): %s\n%s", tc.file, passed, tc.passed, err, summary, tail(out.String(), 6000))
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
			case tc.file == "mocked.tftest.hcl" && requests > 0:
				t.Errorf("the mocked test sent %d requests to Qomon, want none", requests)
			case tc.file == "simulator.tftest.hcl" && creates != 2:
				// Two members, created once: the change of job is an update in place.
				t.Errorf("the simulator test created %d contacts, want 2", creates)
			}
			// The test command destroys what its runs created.
			if n := len(sim.Contacts()); n != 0 {
				t.Errorf("%d contacts left in Qomon after the test command", n)
			}
		})
	}
}

// testSummary reads the test command's JSON lines: the number of runs that passed, and the
// summary's message.
func testSummary(out []byte) (int, string) {
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 0, 64*1024), 4*1024*1024)
	for sc.Scan() {
		var line struct {
			Message string `json:"@message"`
			Type    string `json:"type"`
			Summary struct {
				Status string `json:"status"`
				Passed int    `json:"passed"`
			} `json:"test_summary"`
		}
		if json.Unmarshal(sc.Bytes(), &line) == nil && line.Type == "test_summary" {
			return line.Summary.Passed, line.Message
		}
	}
	return 0, "no test summary"
}

func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	b, err := os.ReadFile(src)
	must(t, err)
	must(t, os.WriteFile(dst, b, 0o600))
}
