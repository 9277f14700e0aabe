package e2e

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qomon/terraform-provider-qomon/internal/qomonsim"
)

// The personal data and the token of TestAccLogsLeakNothing: distinctive strings, so that a
// match in a log can only be a leak.
var secrets = map[string]string{
	"token":          "qomon-secret-token-7f3a9c",
	"mail":           "Zebulon.Quillfeather@Example.test",
	"mail lowercase": "zebulon.quillfeather@example.test",
	"mail local":     "zebulon.quillfeather",
	"other mail":     "ottoline.vantablack@example.test",
	"phone":          "0147258369",
	"mobile":         "+33612345987",
	"mobile digits":  "612345987",
	"firstname":      "Zebulon",
	"surname":        "Quillfeather",
	"married name":   "Vantablack",
	"birthdate":      "1911-11-11",
	"birth city":     "Xyloville",
	"street":         "Zanzibar Lane",
	"note":           "zorblax private note",
	"tag":            "quokka-volunteer",
	"form answer":    "Votes for party Wombatist",
	"custom field":   "Countess Xanthippe",
}

const leakConfigTemplate = `
resource "qomon_contact" "x" {
  firstname    = "Zebulon"
  surname      = "Quillfeather"
  married_name = "Vantablack"
  mail         = "Zebulon.Quillfeather@Example.test"
  phone        = "0147258369"
  mobile       = "+33612345987"
  birthdate    = "1911-11-11"
  birth_city   = "Xyloville"
  address = {
    street = "Zanzibar Lane"
    city   = "Quillbury"
  }
  tags  = ["logleak", "quokka-volunteer"]
  notes = [{ content = "zorblax private note" }]

  formdatas     = [{ form_id = %[1]d, form_ref_id = %[2]d, data = "Votes for party Wombatist" }]
  custom_fields = [{ form_id = %[3]d, form_ref_id = %[4]d, data = "Countess Xanthippe" }]
}
`

// TestAccLogsLeakNothing runs the provider as its own plugin process under a real CLI, with
// TF_LOG=trace and again with TF_LOG=debug, through a create, an update, a refresh, an import
// by mail, a failing update and a destroy, and asserts that no log line of the provider process
// (its own, the plugin SDK's, the framework's) holds the API token, a mail address, a phone
// number, a name, a tag, a note, a form answer, a custom field or any other personal value of
// the contact, set elements included. Lines of the CLI itself are checked too, and reported,
// since they land in the same file a user would attach to a bug. At DEBUG the provider writes
// exactly one line per request Qomon received, as the personal-data guide says.
func TestAccLogsLeakNothing(t *testing.T) {
	for _, level := range []string{"trace", "debug"} {
		t.Run(level, func(t *testing.T) {
			t.Parallel()
			logsLeakNothing(t, level)
		})
	}
}

func logsLeakNothing(t *testing.T, level string) {
	sim, url := qomonsim.NewTestServer(t, qomonsim.Options{Tokens: []string{secrets["token"]}})
	support, _ := qomonsim.FindForm(sim.Forms(), "Support comment")
	nickname, _ := qomonsim.FindForm(sim.Forms(), "Nickname")
	leakConfig := fmt.Sprintf(leakConfigTemplate, support.ID, support.RefValues[0].ID, nickname.ID, nickname.RefValues[0].ID)
	w := newCLIWork(t, url, secrets["token"], "provider \"qomon\" {}\n"+leakConfig)
	logPath := filepath.Join(t.TempDir(), level+".log")
	env := []string{"TF_LOG=" + level, "TF_LOG_PATH=" + logPath}

	w.apply(env...)
	// An update: replace mode reads the contact fresh and PATCHes it whole (bodies at trace).
	w.write("main.tf", "provider \"qomon\" {}\n"+
		strings.Replace(leakConfig, `"0147258369"`, `"0147258370"`, 1))
	w.apply(env...)
	if empty, res := w.planIsEmpty(env...); !empty {
		t.Fatalf("plan after update not empty: %s", res)
	}
	// An import by mail searches Qomon (a search body holds the mail).
	sim.SeedContact(map[string]any{"surname": "Vantablack", "firstname": "Ottoline", "mail": secrets["other mail"]})
	w.write("other.tf", `resource "qomon_contact" "y" {
  surname = "Vantablack"
}
`)
	if res := w.run(env, "import", "-no-color", "-input=false", "qomon_contact.y", "mail:"+secrets["other mail"]); res.code != 0 {
		t.Fatalf("import by mail failed: %s", res)
	}
	// A failing call: Qomon refuses an update with an error that quotes the mail.
	sim.InjectFault(qomonsim.Fault{Method: "PATCH", Kind: qomonsim.FaultStatus, Status: 500, Times: 10})
	w.write("main.tf", "provider \"qomon\" {}\n"+leakConfig)
	if res := w.run(env, "apply", "-auto-approve", "-no-color", "-input=false"); res.code == 0 {
		t.Fatalf("the apply against a failing Qomon succeeded: %s", res)
	}
	sim.ClearFaults()
	if res := w.run(env, "destroy", "-auto-approve", "-no-color", "-input=false"); res.code != 0 {
		t.Fatalf("destroy failed: %s", res)
	}
	// The token written in the provider block rather than in the environment: it is a
	// sensitive attribute, so neither the CLI nor the provider may log or print it.
	w.write("main.tf", "provider \"qomon\" {\n  api_token = \""+secrets["token"]+"\"\n}\n"+leakConfig)
	hclLog := filepath.Join(t.TempDir(), level+"-hcl-token.log")
	requestsBefore := len(sim.Requests())
	res := w.apply("TF_LOG="+level, "TF_LOG_PATH="+hclLog, "QOMON_API_TOKEN=")
	if strings.Contains(res.stdout+res.stderr, secrets["token"]) {
		t.Errorf("the CLI printed the API token set in the provider block")
	}
	if b, err := os.ReadFile(hclLog); err != nil {
		t.Fatal(err)
	} else if i := strings.Index(string(b), secrets["token"]); i >= 0 {
		t.Errorf("the %s log holds the API token set in the provider block: %s", level, tail(string(b[max(0, i-200):i+len(secrets["token"])]), 300))
	} else if level == "debug" {
		// One line per request: this last apply alone went to its own log file.
		lines := strings.Count(string(b), ": Qomon request: ") + strings.Count(string(b), ": Qomon request failed: ")
		if sent := len(sim.Requests()) - requestsBefore; lines != sent {
			t.Errorf("at DEBUG the provider wrote %d request lines for the %d requests Qomon received", lines, sent)
		} else {
			t.Logf("at DEBUG: %d request lines for %d requests", lines, sent)
		}
	}

	f, err := os.Open(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	var providerLines, bodyLines, masked int
	leaks := map[string]int{}
	coreLeaks := map[string]string{}
	for sc.Scan() {
		line := sc.Text()
		fromProvider := strings.Contains(line, "provider.terraform-provider-qomon")
		if fromProvider {
			providerLines++
			if strings.Contains(line, "Qomon request body") || strings.Contains(line, "Qomon response body") {
				bodyLines++
			}
			if strings.Contains(line, "***") {
				masked++
			}
		}
		lower := strings.ToLower(line)
		for what, s := range secrets {
			if !strings.Contains(lower, strings.ToLower(s)) {
				continue
			}
			if fromProvider {
				if leaks[what] == 0 {
					t.Errorf("a provider log line holds the %s: %s", what, tail(line, 400))
				}
				leaks[what]++
			} else if _, seen := coreLeaks[what]; !seen {
				coreLeaks[what] = tail(line, 300)
			}
		}
	}
	must(t, sc.Err())
	for what, line := range coreLeaks {
		// The CLI's own lines are not the provider's to mask, but a user shares this file: say so.
		t.Logf("note: a line of the CLI itself holds the %s: %s", what, line)
	}
	t.Logf("%d provider log lines (%d with a masked body, %d showing ***), %d leaking", providerLines, bodyLines, masked, len(leaks))
	if level == "trace" && (providerLines < 50 || bodyLines == 0 || masked == 0) {
		t.Errorf("the trace log holds %d provider lines, %d body lines, %d masked values: the provider's logs were not captured, "+
			"so this test proves nothing", providerLines, bodyLines, masked)
	}
	if level == "debug" && (providerLines < 10 || bodyLines != 0) {
		t.Errorf("the debug log holds %d provider lines and %d body lines: want request lines and no body", providerLines, bodyLines)
	}
}
