package conformance

import (
	"encoding/json"
	"slices"
	"strconv"
	"time"

	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// Helpers that read Qomon's answers and compare contacts.

func contactPath(id int64) string { return "/contacts/" + strconv.FormatInt(id, 10) }

func seconds(d time.Duration) string { return strconv.FormatFloat(d.Seconds(), 'f', 1, 64) + " s" }

// rawContact returns the contact object of a get or write answer, enveloped or not.
func rawContact(body []byte) map[string]json.RawMessage {
	var env struct {
		Data json.RawMessage `json:"data"`
	}
	_ = json.Unmarshal(body, &env)
	var data map[string]json.RawMessage
	_ = json.Unmarshal(env.Data, &data)
	var c map[string]json.RawMessage
	if json.Unmarshal(data["contact"], &c) == nil && c != nil {
		return c
	}
	if data != nil {
		return data
	}
	_ = json.Unmarshal(body, &c)
	return c
}

// rawHit returns contact id among the hits of a search answer.
func rawHit(body []byte, id int64) map[string]json.RawMessage {
	var env struct {
		Data struct {
			Contacts []map[string]json.RawMessage `json:"contacts"`
		} `json:"data"`
	}
	_ = json.Unmarshal(body, &env)
	for _, c := range env.Data.Contacts {
		var got int64
		if json.Unmarshal(c["id"], &got) == nil && got == id {
			return c
		}
	}
	return nil
}

// writable is a contact's writable fields as JSON values, empty ones left out: two contacts
// that mean the same compare equal however Qomon spelt them.
func writable(c qomon.Contact) map[string]any {
	b, err := json.Marshal(c.WithoutReadOnly())
	if err != nil {
		return nil
	}
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	for k, v := range m {
		switch t := v.(type) {
		case nil:
			delete(m, k)
		case []any:
			if len(t) == 0 {
				delete(m, k)
			}
		case map[string]any:
			if len(t) == 0 {
				delete(m, k)
			}
		}
	}
	return m
}

// diffContacts names the writable fields whose values differ between a and b.
func diffContacts(a, b qomon.Contact) []string {
	wa, wb := writable(a), writable(b)
	keys := map[string]bool{}
	for k := range wa {
		keys[k] = true
	}
	for k := range wb {
		keys[k] = true
	}
	var out []string
	for k := range keys {
		ja, _ := json.Marshal(wa[k])
		jb, _ := json.Marshal(wb[k])
		if string(ja) != string(jb) {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// withoutEmptyLists leaves out the lists c holds none of: sending them as [] or leaving them
// out means the same in either PATCH mode, and the checks other than empty-lists should not
// depend on [] being accepted.
func withoutEmptyLists(c qomon.Contact) qomon.Contact {
	if len(c.Tags.Value) == 0 {
		c.Tags = qomon.Opt[[]qomon.Tag]{}
	}
	if len(c.Notes.Value) == 0 {
		c.Notes = qomon.Opt[[]qomon.Note]{}
	}
	if len(c.Formdatas.Value) == 0 {
		c.Formdatas = qomon.Opt[[]qomon.FormData]{}
	}
	if len(c.CustomFields.Value) == 0 {
		c.CustomFields = qomon.Opt[[]qomon.FormData]{}
	}
	if len(c.ActionIDs.Value) == 0 {
		c.ActionIDs = qomon.Opt[[]int64]{}
	}
	return c
}

// addressParts names the address parts a person writes that c holds.
func addressParts(c *qomon.Contact) []string {
	a, ok := c.Address.Get()
	if !ok {
		return nil
	}
	m := writable(qomon.Contact{Address: qomon.Some(a)})
	addr, _ := m["address"].(map[string]any)
	var out []string
	for k, v := range addr {
		if s, isString := v.(string); v != nil && (!isString || s != "") {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// isNotFoundStatus reports a 404 (or 410) answer whatever its body: the suite judges the body's
// format in one check only (not-found-body), while qomon.IsNotFound also requires Qomon's format.
func isNotFoundStatus(err error) bool {
	return qomon.IsNotFound(err) || qomon.IsForeignNotFound(err)
}
