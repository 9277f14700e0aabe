package reconcile

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// FuzzBuildUpdate feeds the update builder arbitrary prior, planned and fresh contacts. Whatever
// they hold, it must not panic, and what it returns must keep the promises the plan relies on:
// merge sends only the changed fields; replace sends every planned change and never a
// read-only key; a conflict names only fields that change.
func FuzzBuildUpdate(f *testing.F) {
	f.Add(`{"firstname":"Ada","surname":"Lovelace"}`, `{"firstname":"Augusta","surname":"Lovelace"}`,
		`{"id":1,"firstname":"Ada","surname":"Lovelace","mobile":"0601"}`)
	f.Add(`{"address":{"street":"rue de Rivoli","city":"Paris"}}`, `{"address":{"city":"Lyon"}}`,
		`{"id":2,"address":{"id":9,"street":"rue de Rivoli","city":"Paris","postalcode":75001,"score":0.9}}`)
	f.Add(`{"tags":[{"name":"a"}],"notes":[{"id":3,"content":"x"}]}`, `{"tags":[],"notes":null}`,
		`{"id":3,"tags":[{"name":"a","color":"#fff"}],"notes":[{"id":3,"data":"x"}],"external_id":"e"}`)
	f.Add(`{"custom_fields":[{"form_id":5,"form_ref_id":50,"data":"blue"}]}`,
		`{"custom_fields":[{"form_id":5,"form_ref_id":50,"data":"green"}],"birthdate":"1815-12-10"}`,
		`{"id":4,"customfields":[{"id":1,"form_id":5,"form_ref_id":50,"data":"red","deleted_at":null}]}`)
	f.Fuzz(func(t *testing.T, priorJS, plannedJS, freshJS string) {
		var prior, planned, fresh qomon.Contact
		if json.Unmarshal([]byte(priorJS), &prior) != nil || json.Unmarshal([]byte(plannedJS), &planned) != nil ||
			json.Unmarshal([]byte(freshJS), &fresh) != nil {
			return
		}
		fresh = Canonical(fresh)

		merge, err := BuildUpdate(prior, planned, nil, Merge)
		if err != nil {
			t.Fatalf("merge mode failed: %v", err)
		}
		sent := topLevelKeys(t, merge.Body)
		for k := range sent {
			if !changedKeyAt(merge.Changed, k) {
				t.Errorf("merge body carries %q, which the plan does not change (changed: %v)", k, merge.Changed)
			}
		}

		replace, err := BuildUpdate(prior, planned, &fresh, Replace)
		var conflict *ConflictError
		if errors.As(err, &conflict) {
			for _, k := range conflict.Fields {
				if !changedKeyAt(merge.Changed, k) {
					t.Errorf("conflict names %q, which the plan does not change", k)
				}
			}
			return
		}
		if err != nil {
			t.Fatalf("replace mode failed: %v", err)
		}
		keys := topLevelKeys(t, replace.Body)
		for _, k := range []string{"id", "group_id", "user_id", "CreatedAt", "UpdatedAt", "lastchange", "lastchangeuserid"} {
			if keys[k] {
				t.Errorf("replace body carries the read-only key %q", k)
			}
		}
		for _, k := range replace.Changed {
			if f, ok := FieldNamed(k); ok && !f.w.equal(&replace.Body, &planned) {
				t.Errorf("replace body does not hold the planned value of %s", k)
			}
		}
	})
}

// topLevelKeys lists the top-level keys of a contact's encoding.
func topLevelKeys(t *testing.T, c qomon.Contact) map[string]bool {
	t.Helper()
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatalf("encoding: %v", err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("decoding own encoding %s: %v", b, err)
	}
	out := map[string]bool{}
	for k := range m {
		out[k] = true
	}
	return out
}

// changedKeyAt reports whether a top-level body key belongs to a changed field ("address"
// covers "address.city").
func changedKeyAt(changed []string, key string) bool {
	for _, c := range changed {
		if c == key || strings.HasPrefix(c, key+".") {
			return true
		}
	}
	return false
}
