package e2e

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/qomon/terraform-provider-qomon/internal/qomonsim"
)

// mergeContacts is n contacts managed in update_mode mode, each with this first name.
func mergeContacts(mode, firstname string, n int) string {
	return fmt.Sprintf(`provider "qomon" {
  update_mode = %q
}

resource "qomon_contact" "c" {
  count     = %d
  firstname = %q
  surname   = "Merge ${count.index}"
  mail      = "merge-${count.index}@example.test"
  tags      = ["volunteer"]
}
`, mode, n, firstname)
}

// TestAccMergeAgainstReplacingQomon: update_mode = "merge" against a Qomon whose PATCH
// replaces the whole contact (Qomon's documented PATCH, the simulator's default), with the
// provider as users run it (its own binary, Terraform's default -parallelism of 10). Twenty
// contacts, each with a mobile a person entered in the app, get a new first name. The first
// PATCH shows that the space replaces: its contact loses what the PATCH did not carry, the
// apply fails naming the cause, no other PATCH is sent, and the state of every contact is
// what Qomon holds. Switching to replace mode then puts the configuration back everywhere
// (the wiped contact's mobile, never in the configuration, is gone).
func TestAccMergeAgainstReplacingQomon(t *testing.T) {
	t.Parallel()
	const n = 20
	const mobile = "+33699887766"
	sim, w := simWork(t, qomonsim.Options{}, mergeContacts("replace", "Ada", n))
	w.apply()
	for _, c := range sim.Contacts() {
		must(t, sim.EditContact(int64(c["id"].(float64)), func(c map[string]any) { c["mobile"] = mobile }))
	}
	write := func(config string) {
		w.write("main.tf", config)
	}

	write(mergeContacts("merge", "Merged", n))
	sim.ResetRequests()
	res := w.run(nil, "apply", "-auto-approve", "-no-color", "-input=false")
	if res.code == 0 {
		t.Fatalf("the merge apply succeeded against a replacing Qomon: %s", res)
	}
	var patched []int64
	for _, r := range sim.Requests() {
		if r.Method == "PATCH" {
			id, err := strconv.ParseInt(strings.TrimPrefix(r.Path, "/contacts/"), 10, 64)
			must(t, err)
			patched = append(patched, id)
		}
	}
	if len(patched) != 1 {
		t.Fatalf("%d PATCH requests (%v), want exactly one: nothing may be patched after the first answer shows a replacing PATCH", len(patched), patched)
	}
	out := res.stdout + res.stderr
	if got := strings.Count(out, "Error: Qomon replaced the whole contact"); got != 1 {
		t.Errorf("%d errors name the cause, want 1:\n%s", got, tail(out, 6000))
	}
	if got := strings.Count(out, "Error: Update not sent"); got != n-1 {
		t.Errorf("%d updates reported as not sent, want %d:\n%s", got, n-1, tail(out, 6000))
	}
	for _, want := range []string{`update_mode = "replace"`, "lost surname, mail, mobile, tags", "terraform.tfstate.backup"} {
		if !strings.Contains(strings.Join(strings.Fields(out), " "), want) {
			t.Errorf("the output does not say %q:\n%s", want, tail(out, 6000))
		}
	}

	// Qomon: the probed contact holds what the PATCH carried, nothing else; the others are untouched.
	for _, c := range sim.Contacts() {
		id := int64(c["id"].(float64))
		if id == patched[0] {
			if str(c, "firstname") != "Merged" || str(c, "surname") != "" || str(c, "mobile") != "" || len(tagNames(c)) != 0 {
				t.Errorf("contact %d, patched by a merge PATCH on a replacing Qomon, holds %v", id, c)
			}
			continue
		}
		if str(c, "firstname") != "Ada" || str(c, "mobile") != mobile {
			t.Errorf("contact %d was changed although no PATCH was sent for it: %v", id, c)
		}
	}
	// State (read without refresh) equals Qomon for every contact.
	resources := w.stateResources()
	if len(resources) != n {
		t.Fatalf("%d resources in state, want %d", len(resources), n)
	}
	for _, r := range resources {
		id := int64(r.Values["id"].(float64))
		c, ok := sim.Contact(id)
		if !ok {
			t.Fatalf("%s: contact %d is not in Qomon", r.Address, id)
		}
		for _, f := range []string{"firstname", "surname", "mail", "mobile", "tags"} {
			if sv, qv := stateValue(r.Values, f), storeValue(c, f); sv != qv {
				t.Errorf("%s: state holds %s = %q, Qomon %q", r.Address, f, sv, qv)
			}
		}
	}

	// The error's advice works: replace mode puts the configuration back on every contact.
	write(mergeContacts("replace", "Merged", n))
	w.apply()
	for _, c := range sim.Contacts() {
		id := int64(c["id"].(float64))
		if str(c, "firstname") != "Merged" || !strings.HasPrefix(str(c, "surname"), "Merge ") || len(tagNames(c)) != 1 {
			t.Errorf("contact %d after the replace apply: %v", id, c)
		}
		if wantMobile := id != patched[0]; (str(c, "mobile") == mobile) != wantMobile {
			t.Errorf("contact %d: mobile %q after the replace apply", id, str(c, "mobile"))
		}
	}
	if empty, res := w.planIsEmpty(); !empty {
		t.Errorf("the plan after the replace apply is not empty: %s", res)
	}
}
