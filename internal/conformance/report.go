package conformance

import (
	"fmt"
	"strings"
	"time"
)

// IssuesURL is where a report that found a difference should go.
const IssuesURL = "https://github.com/qomon/terraform-provider-qomon/issues"

// Counts returns how many checks passed, failed (or erred) and were skipped.
func (r *Report) Counts() (passed, failed, skipped int) {
	for _, res := range r.Results {
		switch res.Verdict {
		case Pass:
			passed++
		case Skip:
			skipped++
		default:
			failed++
		}
	}
	return passed, failed, skipped
}

// Advice says which provider settings fit the space, and what no setting can fix.
func (r *Report) Advice() []string {
	var out []string
	fact := func(id, key string) string {
		res, _ := r.Result(id)
		return res.Facts[key]
	}
	verdict := func(id string) Verdict {
		res, _ := r.Result(id)
		return res.Verdict
	}

	switch fact("patch-semantics", "mode") {
	case "replace":
		out = append(out, `update_mode = "replace" (the default): this space's PATCH replaces the whole contact, as Qomon documents.`)
	case "merge":
		out = append(out, `update_mode = "merge": this space's PATCH keeps the fields it leaves out, so in replace mode a field `+
			`removed from a configuration would stay set in Qomon.`)
	case "mixed":
		out = append(out, "Neither update_mode fits: this space's PATCH kept "+fact("patch-semantics", "kept")+" but cleared "+
			fact("patch-semantics", "cleared")+". Do not let the provider update existing contacts in this space until this is resolved.")
	default:
		out = append(out, "update_mode: not known, the PATCH check did not run.")
	}

	switch shape := fact("rate-limit-headers", "shape"); shape {
	case shapeQomon:
		out = append(out, fmt.Sprintf("rate_limit: no setting needed; the provider follows the bucket Qomon advertises (%s tokens, %s per second).",
			fact("rate-limit-headers", "burst"), fact("rate-limit-headers", "per_second")))
	case "":
	default:
		out = append(out, "rate_limit: this space's rate-limit headers are not in the shape the provider reads ("+shape+
			"); it paces at its rate_limit setting (100 tokens, 10 per second unless set) and waits on each 429. Set rate_limit "+
			"to this space's bucket if you know it.")
	}

	if verdict("search-lag") == Fail {
		out = append(out, "max_retries = 0: Qomon's search did not show a new contact within "+DefaultMaxSearchLag.String()+
			", so the provider could send a create whose answer was lost a second time; with max_retries = 0 it reports the "+
			"lost answer instead.")
	}
	if verdict("empty-lists") == Fail {
		out = append(out, "No setting helps: this space refuses an empty list, and the provider sends a contact's empty "+
			"lists back as [] when it updates it in replace mode, so such updates fail.")
	}
	if verdict("note-ids") == Fail {
		out = append(out, "No setting helps: this space recreates notes on each update, so their ids and creation dates change "+
			"whenever a contact is updated.")
	}
	_, failed, _ := r.Counts()
	if failed > 0 {
		out = append(out, "Some checks failed: please open an issue at "+IssuesURL+" with this report.")
	}
	return out
}

// Markdown renders the report for pasting into an issue. It holds only what the suite sent
// and Qomon answered about its own contacts: no token, nobody's personal data.
func (r *Report) Markdown() string {
	var b strings.Builder
	passed, failed, skipped := r.Counts()
	b.WriteString("## Qomon conformance report\n\n")
	b.WriteString("| | |\n|---|---|\n")
	row := func(k, v string) { fmt.Fprintf(&b, "| %s | %s |\n", k, cell(v)) }
	row("Provider", "terraform-provider-qomon "+r.Version)
	row("Endpoint", r.Endpoint)
	row("Run", fmt.Sprintf("%s, %s", r.Started.Format("2006-01-02 15:04:05 UTC"), r.Ended.Sub(r.Started).Round(time.Second)))
	row("Tokens", fmt.Sprintf("%d spent of a budget of %d", r.Spent, r.Budget))
	contacts := fmt.Sprintf("%d created, %d deleted", r.Created, r.Created-len(r.Remaining))
	if len(r.Remaining) > 0 {
		contacts += fmt.Sprintf("; NOT deleted: %v (surname %s; the next run deletes them)", r.Remaining, Surname)
	}
	if r.LeftoversFound > 0 {
		contacts += fmt.Sprintf("; %d left by earlier runs, %d of them deleted", r.LeftoversFound, r.LeftoversDeleted)
	}
	row("Contacts", contacts)
	result := fmt.Sprintf("%d passed, %d failed, %d skipped", passed, failed, skipped)
	if r.Stopped != "" {
		result += "; stopped early: " + r.Stopped
	}
	row("Result", result)

	b.WriteString("\n### Settings for this space\n\n")
	for _, a := range r.Advice() {
		b.WriteString("- " + a + "\n")
	}

	b.WriteString("\n### Checks\n\n| Check | Result | Observed | Assumed |\n|---|---|---|---|\n")
	for _, res := range r.Results {
		fmt.Fprintf(&b, "| `%s` %s | %s | %s | %s |\n", res.ID, cell(res.Title), res.Verdict, cell(res.Observed), cell(res.Assumed))
	}

	var evidence strings.Builder
	for _, res := range r.Results {
		if len(res.Evidence) == 0 {
			continue
		}
		fmt.Fprintf(&evidence, "\n`%s`:\n\n```\n%s\n```\n", res.ID, strings.Join(res.Evidence, "\n"))
	}
	if evidence.Len() > 0 {
		b.WriteString("\n### What Qomon answered\n")
		b.WriteString(evidence.String())
	}
	return b.String()
}

// cell makes text fit a Markdown table cell.
func cell(s string) string {
	return strings.ReplaceAll(strings.Join(strings.Fields(s), " "), "|", `\|`)
}
