package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/qomon/terraform-provider-qomon/internal/qomonsim"
)

// updateContact is the configuration of TestAccUpdateFaults' contact.
type updateContact struct {
	firstname, surname, phone string
	tags                      []string
}

func (u updateContact) hcl(mode string) string {
	var b strings.Builder
	// One retry: a failing request is still sent again, and the default four would add seconds
	// of backoff to each failing apply while proving nothing more.
	fmt.Fprintf(&b, "provider \"qomon\" {\n  update_mode = %q\n  max_retries = 1\n}\n\nresource \"qomon_contact\" \"x\" {\n", mode)
	fmt.Fprintf(&b, "  firstname = %q\n  surname   = %q\n  mail      = \"ada.update@example.test\"\n", u.firstname, u.surname)
	if u.phone != "" {
		fmt.Fprintf(&b, "  phone     = %q\n", u.phone)
	}
	fmt.Fprintf(&b, "  tags      = [%s]\n", quoteAll(u.tags))
	b.WriteString("  address   = { city = \"Paris\", street = \"rue de Rivoli\" }\n}\n")
	return b.String()
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

// comparedFields are the attributes whose state value is compared with Qomon's.
var comparedFields = []string{"firstname", "surname", "mail", "phone", "mobile", "tags", "address.city", "address.street"}

// stateValue renders one attribute of a `show -json` resource as checkStore would.
func stateValue(v map[string]any, field string) string {
	if field == "tags" {
		var names []string
		list, _ := v["tags"].([]any)
		for _, t := range list {
			if s, ok := t.(string); ok {
				names = append(names, s)
			}
		}
		return strings.Join(sortedCopy(names), ",")
	}
	return str(v, field)
}

func storeValue(c map[string]any, field string) string {
	if field == "tags" {
		return strings.Join(sortedCopy(tagNames(c)), ",")
	}
	return str(c, field)
}

// TestAccUpdateFaults: updates that meet faults, in both update modes, with the provider as
// users run it (own binary, its retries and their backoff, one retry a request). After every failed apply, the state (read
// without refresh) must claim only values Qomon holds; after every successful one, Qomon must
// hold the configuration, and a field a person set in the Qomon app (mobile) must survive.
func TestAccUpdateFaults(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{"replace", "merge"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			pm := qomonsim.PatchReplace
			if mode == "merge" {
				pm = qomonsim.PatchMerge
			}
			cfg := updateContact{firstname: "Ada", surname: "Lovelace", phone: "0102030405", tags: []string{"a", "b"}}
			sim, w := simWork(t, qomonsim.Options{PatchMode: pm}, cfg.hcl(mode))
			w.apply()
			cs := sim.Contacts()
			if len(cs) != 1 {
				t.Fatalf("%d contacts after create", len(cs))
			}
			id := int64(cs[0]["id"].(float64))
			// A person adds a mobile number in the Qomon app: Terraform does not manage it.
			must(t, sim.EditContact(id, func(c map[string]any) { c["mobile"] = "+33699887766" }))
			w.apply() // refresh picks the mobile up; nothing to change

			write := func(c updateContact) {
				w.write("main.tf", c.hcl(mode))
			}
			// consistent compares the state (no refresh) with what Qomon holds.
			consistent := func(when string) error {
				res := w.stateResources()
				var v map[string]any
				for _, r := range res {
					if r.Address == "qomon_contact.x" {
						v = r.Values
					}
				}
				c, ok := sim.Contact(id)
				if v == nil || !ok {
					return fmt.Errorf("%s: contact in state %v, in Qomon %v", when, v != nil, ok)
				}
				var diffs []string
				for _, f := range comparedFields {
					sv, qv := stateValue(v, f), storeValue(c, f)
					if f == "mail" {
						sv, qv = strings.ToLower(sv), strings.ToLower(qv)
					}
					if sv != qv {
						diffs = append(diffs, fmt.Sprintf("%s: state %q, Qomon %q", f, sv, qv))
					}
				}
				if len(diffs) > 0 {
					return fmt.Errorf("%s: the state claims values Qomon does not hold: %s", when, strings.Join(diffs, "; "))
				}
				return nil
			}
			// holds checks Qomon against the configuration and the person's mobile.
			holds := func(when string, c updateContact) {
				t.Helper()
				q, _ := sim.Contact(id)
				want := map[string]string{
					"firstname": c.firstname, "surname": c.surname, "phone": c.phone,
					"tags": strings.Join(sortedCopy(c.tags), ","), "mobile": "+33699887766",
					"address.city": "Paris", "address.street": "rue de Rivoli",
				}
				for _, f := range sortedCopy(mapsKeys(want)) {
					if got := storeValue(q, f); got != want[f] {
						figures.add(figFieldsLost, 1)
						t.Errorf("%s: Qomon holds %s = %q, want %q", when, f, got, want[f])
					}
				}
			}
			var gaps []string
			failing := func(name string, next updateContact, faults ...qomonsim.Fault) {
				t.Helper()
				before, _ := sim.Contact(id)
				for _, f := range faults {
					sim.InjectFault(f)
				}
				write(next)
				res := w.run(nil, "apply", "-auto-approve", "-no-color", "-input=false")
				sim.ClearFaults()
				if res.code == 0 {
					t.Fatalf("%s: the apply succeeded although every attempt failed: %s", name, res)
				}
				if err := consistent(name); err != nil {
					after, _ := sim.Contact(id)
					if storeValue(after, "firstname") == storeValue(before, "firstname") &&
						storeValue(after, "surname") == storeValue(before, "surname") &&
						storeValue(after, "tags") == storeValue(before, "tags") {
						t.Errorf("%v (Qomon did not change)", err)
					} else {
						// Qomon applied the update but its every answer was lost.
						gaps = append(gaps, err.Error())
					}
				}
			}

			// 1. Every PATCH attempt answered 503 (and, in replace mode, nothing else fails):
			// the update of firstname and the clearing of phone are not applied, and must
			// still be planned afterwards.
			cfg2 := updateContact{firstname: "Grace", surname: "Lovelace", tags: []string{"a", "b"}}
			failing("503 on every PATCH", cfg2, qomonsim.Fault{Method: "PATCH", Kind: qomonsim.FaultStatus, Status: 503})
			holds("after 503 on every PATCH", cfg)
			w.apply()
			holds("re-apply after 503s", cfg2)

			// 2. Connection reset on every PATCH attempt, before Qomon reads it.
			cfg3 := updateContact{firstname: "Grace", surname: "Hopper", tags: []string{"a", "b"}}
			failing("reset on every PATCH", cfg3, qomonsim.Fault{Method: "PATCH", Kind: qomonsim.FaultReset})
			holds("after resets", cfg2)
			w.apply()
			holds("re-apply after resets", cfg3)

			// 3. The read before the PATCH fails (replace mode reads the contact fresh).
			cfg4 := updateContact{firstname: "Grace B.", surname: "Hopper", tags: []string{"a", "b"}}
			if mode == "replace" {
				failing("503 on every GET", cfg4, qomonsim.Fault{Method: "GET", Kind: qomonsim.FaultStatus, Status: 503})
				holds("after failed reads", cfg3)
			}
			write(cfg4)
			w.apply()
			holds("update after failed reads", cfg4)

			// 4. One PATCH processed, its answer lost: the client may send the same PATCH
			// again (it is idempotent); the apply succeeds.
			cfg5 := updateContact{firstname: "Grace B.", surname: "Murray Hopper", tags: []string{"a", "b"}}
			sim.InjectFault(qomonsim.Fault{Method: "PATCH", Kind: qomonsim.FaultDropResponse, Times: 1})
			write(cfg5)
			w.apply()
			sim.ClearFaults()
			holds("after one lost PATCH answer", cfg5)
			if err := consistent("after one lost PATCH answer"); err != nil {
				t.Error(err)
			}

			// 5. Every PATCH processed, every answer lost: Qomon has the update, the apply
			// fails; the state must not claim the old values Qomon no longer holds, and in any
			// case the next plan (after its refresh) must be empty.
			cfg6 := updateContact{firstname: "Grace B.", surname: "Murray Hopper", tags: []string{"c"}}
			failing("every PATCH answer lost", cfg6, qomonsim.Fault{Method: "PATCH", Kind: qomonsim.FaultDropResponse})
			holds("after every PATCH answer was lost", cfg6)
			if empty, res := w.planIsEmpty(); !empty {
				t.Errorf("the plan after an update Qomon applied but never confirmed is not empty: %s", res)
			}

			if empty, res := w.planIsEmpty(); !empty {
				t.Errorf("final plan not empty: %s", res)
			}
			summarize(sim.Requests()).record()
			// Regression: after an update Qomon applied but whose every answer was lost, state
			// kept the prior values until the next refresh.
			if len(gaps) > 0 {
				t.Fatalf("state claims values Qomon does not hold:\n%s", strings.Join(gaps, "\n"))
			}
		})
	}
}

func mapsKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
