package conformance

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// formPicks are the forms a run answers on its contacts: a choice form whose option is sent
// by its label, and a custom field. Either may be missing from a space.
type formPicks struct {
	choice       *qomon.Form
	option       qomon.RefValue
	custom       *qomon.Form
	customRef    int64
	customAnswer string
}

const birthdateSent = "1990-05-17"

// fixture is contact which ("a" or "b") as the run creates it: every kind of field the checks
// look at, and the markers that make it the suite's.
func (r *run) fixture(which string) qomon.Contact {
	c := qomon.Contact{
		Firstname: qomon.Some(Firstname), Surname: qomon.Some(Surname), Mail: qomon.Some(mailFor(r.runID, which)),
		Phone: qomon.Some("+33100000000"), Mobile: qomon.Some("+33600000000"),
		Birthdate: qomon.Some(birthdateSent + "T00:00:00Z"),
		BirthCity: qomon.Some("Lyon"), BirthDept: qomon.Some("69"), BirthCountry: qomon.Some("France"),
		Address: qomon.Some(qomon.Address{HouseNumber: qomon.Some("12"), Street: qomon.Some("Rue de la Paix"),
			Floor: qomon.Some("3"), PostalCode: qomon.Some("75002"), City: qomon.Some("Paris")}),
		Tags:  qomon.Some([]qomon.Tag{{Name: Tag}}),
		Notes: qomon.Some([]qomon.Note{{Content: "Made by the terraform-provider-qomon conformance suite, which deletes it when it ends."}}),
	}
	if f := r.forms.choice; f != nil {
		c.Formdatas = qomon.Some([]qomon.FormData{{FormID: f.ID, FormRefID: r.forms.option.ID, Data: qomon.Some(r.forms.option.Label)}})
	}
	if f := r.forms.custom; f != nil {
		c.CustomFields = qomon.Some([]qomon.FormData{{FormID: f.ID, FormRefID: r.forms.customRef, Data: qomon.Some(r.forms.customAnswer)}})
	}
	return c
}

// runChecks runs the checks in an order where each finds what it needs; a check whose step
// failed or did not run is recorded by the step.
func (r *run) runChecks(ctx context.Context) {
	steps := []func(context.Context){r.pickForms, r.contactA, r.searchA, r.contactB, r.noteIDs, r.emptyAddress, r.emptyLists, r.deleteB}
	for _, step := range steps {
		if ctx.Err() != nil {
			return
		}
		step(ctx)
	}
	r.tokenCosts()
	r.rateLimitHeaders()
}

// pickForms finds a choice form with an option whose label is not its value, and a custom
// field, preferring free text.
func (r *run) pickForms(ctx context.Context) {
	r.say("listing forms")
	if forms, err := r.listForms(ctx, "level_of_support"); err == nil {
		for i, f := range forms {
			if f.Hidden || (f.Type != "radio" && f.Type != "checkbox") || len(f.RefValues) == 0 {
				continue
			}
			if r.forms.choice == nil {
				r.forms.choice, r.forms.option = &forms[i], f.RefValues[0]
			}
			for _, o := range f.RefValues {
				if o.Label != "" && o.Label != o.Value {
					r.forms.choice, r.forms.option = &forms[i], o
					break
				}
			}
			if r.forms.option.Label != r.forms.option.Value {
				break
			}
		}
	}
	if forms, err := r.listForms(ctx, "custom_fields"); err == nil {
		for i, f := range forms {
			if f.Hidden || len(f.RefValues) == 0 {
				continue
			}
			switch f.Type {
			case "text":
				r.forms.custom, r.forms.customRef, r.forms.customAnswer = &forms[i], f.RefValues[0].ID, "conformance"
			case "radio", "checkbox":
				if r.forms.custom == nil {
					r.forms.custom, r.forms.customRef, r.forms.customAnswer = &forms[i], f.RefValues[0].ID, f.RefValues[0].Value
				}
			}
			if r.forms.custom != nil && r.forms.custom.Type == "text" {
				break
			}
		}
	}
}

func (r *run) listForms(ctx context.Context, kind string) ([]qomon.Form, error) {
	var out []qomon.Form
	err := r.retry(ctx, func() (err error) { out, err = r.client.ListForms(ctx, kind); return err })
	if err != nil {
		r.say("could not list %s forms: %s", kind, oneLine(err.Error()))
	}
	return out, err
}

// Contact A: created with every kind of field, then read back.
type contactState struct {
	created, got *qomon.Contact
	createdAt    time.Time // when the create answer came
	raw          map[string]json.RawMessage
}

func (r *run) contactA(ctx context.Context) {
	needA := []string{"spelling", "mail-case", "birthdate", "choice-answer", "write-answers", "search-lag", "search-hit",
		"note-ids", "updated-at", "empty-address", "empty-lists"}
	r.say("creating contact A")
	sent := r.fixture("a")
	created, err := r.create(ctx, sent)
	if err != nil {
		r.fail(ctx, err, "creating contact A", needA...)
		return
	}
	r.a, _ = created.ID.Get()
	r.stA.created, r.stA.createdAt = created, time.Now()
	got, err := r.get(ctx, r.a)
	if err != nil {
		r.fail(ctx, err, "reading contact A", needA...)
		return
	}
	r.stA.got = got
	ex, _ := r.rec.last(http.MethodGet, contactPath(r.a))
	r.stA.raw = rawContact(ex.body)

	r.checkSpelling(r.stA.raw)
	mail, _ := got.Mail.Get()
	how := mailCase(mailFor(r.runID, "a"), mail)
	v := Pass
	if how != "as sent" && how != "lower-cased" {
		v = Fail
	}
	r.result("mail-case", v, fmt.Sprintf("%s (sent with capitals, answered %q)", how, mail), map[string]string{"stored": how})

	answer, _ := got.Birthdate.Get()
	form, same := birthdateForm(birthdateSent, answer)
	v = Pass
	if !same {
		v = Fail
	}
	r.result("birthdate", v, fmt.Sprintf("sent %sT00:00:00Z, answered %q: %s, same day: %t", birthdateSent, answer, form, same),
		map[string]string{"form": form})

	r.checkChoice(got)
}

func (r *run) checkSpelling(raw map[string]json.RawMessage) {
	sp := spelling(raw)
	var parts, bad []string
	for _, v := range variantKeys {
		if sp[v.name] == "" {
			// Custom fields and action ids are answered empty or left out when none was sent.
			if v.name == "custom fields" && r.forms.custom != nil || strings.HasPrefix(v.name, "birth") {
				bad = append(bad, v.name+" missing")
			}
			continue
		}
		parts = append(parts, v.name+" as "+sp[v.name])
	}
	for _, k := range []string{"note text", "address housenumber", "address postalcode", "address floor", "address citycode", "tags"} {
		if sp[k] == "" {
			continue
		}
		parts = append(parts, k+" "+sp[k])
		switch {
		case k == "note text":
		case k == "tags" && sp[k] != "object" && sp[k] != "string":
			bad = append(bad, "tags as "+sp[k])
		case strings.HasPrefix(k, "address") && sp[k] != "string" && sp[k] != "number":
			bad = append(bad, k+" as "+sp[k])
		}
	}
	if sp["note text"] == "" {
		bad = append(bad, "note text missing")
	}
	v, observed := Pass, strings.Join(parts, ", ")
	if len(bad) > 0 {
		v, observed = Fail, strings.Join(bad, ", ")+" (answered: "+observed+")"
	}
	r.result("spelling", v, observed, sp)
}

func (r *run) checkChoice(got *qomon.Contact) {
	f := r.forms.choice
	if f == nil {
		r.result("choice-answer", Skip, "the space has no visible level-of-support choice form to answer", nil)
		return
	}
	var data string
	found := false
	for _, a := range got.Formdatas.Value {
		if a.FormID == f.ID && a.FormRefID == r.forms.option.ID {
			data, found = a.Data.Value, true
		}
	}
	o := r.forms.option
	how := "other"
	switch {
	case !found:
		how = "missing"
	case data == o.Value:
		how = "value"
	case data == o.Label:
		how = "label"
	}
	v := Pass
	if how != "value" {
		v = Fail
	}
	r.result("choice-answer", v, fmt.Sprintf("sent the label %q of option %d of form %d, Qomon stored %q (the %s)", o.Label, o.ID, f.ID, data, how),
		map[string]string{"stored": how})
}

// searchA searches contact A by mail, as the provider does after a lost create answer,
// until it shows or maxLag has passed; the hit is then compared with GET.
func (r *run) searchA(ctx context.Context) {
	mail := mailFor(r.runID, "a")
	req := qomon.SearchRequest{
		Query: qomon.Query{Op: qomon.OpAll, Groups: []qomon.Group{{Op: qomon.OpAtLeastOne, Conditions: []qomon.Condition{
			{Attr: "mail", Ope: "eql:strictdata", Value: mail},
			{Attr: "mail", Ope: "eql:strictdata", Value: strings.ToLower(mail)},
		}}}},
		PerPage: 10, Limit: 10,
	}
	r.say("searching for contact A (up to %s)", r.maxLag)
	// Searches at 0, 1/48, 1/24, 1/12, 1/6, 1/3, 2/3 and all of maxLag after the create answer.
	schedule := []float64{0, 1.0 / 48, 1.0 / 24, 1.0 / 12, 1.0 / 6, 1.0 / 3, 2.0 / 3, 1}
	var hit *qomon.Contact
	var hitRaw map[string]json.RawMessage
	prev := time.Duration(0)
	var at time.Duration
	polls := 0
	for _, f := range schedule {
		at = time.Duration(f * float64(r.maxLag))
		if wait := time.Until(r.stA.createdAt.Add(at)); wait > 0 {
			select {
			case <-ctx.Done():
				r.fail(ctx, ctx.Err(), "searching", "search-lag", "search-hit")
				return
			case <-time.After(wait):
			}
		}
		res, err := r.search(ctx, req)
		polls++
		if err != nil {
			r.fail(ctx, err, "searching for contact A", "search-lag", "search-hit")
			return
		}
		at = time.Since(r.stA.createdAt)
		for i, c := range res.Contacts {
			if id, _ := c.ID.Get(); id == r.a {
				hit = &res.Contacts[i]
				ex, _ := r.rec.last(http.MethodPost, "/search")
				hitRaw = rawHit(ex.body, r.a)
			}
		}
		if hit != nil {
			break
		}
		prev = at
	}
	facts := map[string]string{"searches": strconv.Itoa(polls)}
	if hit == nil {
		r.result("search-lag", Fail, fmt.Sprintf("not found by %d searches over %s", polls, seconds(at)), facts)
		r.result("search-hit", Skip, "no search hit to compare", nil)
		return
	}
	facts["visible_after"] = seconds(at)
	observed := fmt.Sprintf("found by the first search, %s after the create answer", seconds(at))
	if polls > 1 {
		observed = fmt.Sprintf("found %s after the create answer (not yet %s after it), by search %d", seconds(at), seconds(prev), polls)
	}
	r.result("search-lag", Pass, observed, facts)
	r.compareHit(hit, hitRaw)
}

func (r *run) compareHit(hit *qomon.Contact, raw map[string]json.RawMessage) {
	var missing []string
	for k := range r.stA.raw {
		if _, ok := raw[k]; !ok {
			missing = append(missing, k)
		}
	}
	slices.Sort(missing)
	differ := diffContacts(*r.stA.got, *hit)
	differ = slices.DeleteFunc(differ, func(k string) bool { return slices.Contains(missing, k) })
	facts := map[string]string{"missing": strings.Join(missing, ","), "differ": strings.Join(differ, ",")}
	var what []string
	if len(missing) > 0 {
		what = append(what, "the hit lacks "+strings.Join(missing, ", "))
	}
	if len(differ) > 0 {
		what = append(what, "the hit's "+strings.Join(differ, ", ")+" differ from GET")
	}
	if hu, gu := hit.UpdatedAt.Value, r.stA.got.UpdatedAt.Value; hu != gu {
		what = append(what, fmt.Sprintf("its UpdatedAt is %q where GET says %q", hu, gu))
	}
	if len(what) > 0 {
		r.result("search-hit", Fail, strings.Join(what, "; "), facts)
		return
	}
	r.result("search-hit", Pass, fmt.Sprintf("the hit carries the %d keys GET carries, with the same values", len(r.stA.raw)), facts)
}

// contactB checks what a PATCH does with the fields it leaves out, on contact B.
func (r *run) contactB(ctx context.Context) {
	needB := []string{"patch-semantics", "null-clears", "delete", "not-found-body"}
	r.say("creating contact B")
	created, err := r.create(ctx, r.fixture("b"))
	if err != nil {
		r.fail(ctx, err, "creating contact B", needB...)
		return
	}
	r.b, _ = created.ID.Get()
	body := qomon.Contact{Firstname: qomon.Some("Patched"), Surname: qomon.Some(Surname), Mail: qomon.Some(mailFor(r.runID, "b")),
		Mobile: qomon.Null[string]()}
	r.say("updating contact B with a partial body")
	_, after := r.patchAndRead(ctx, r.b, body, "contact B", "patch-semantics", "null-clears")
	if after == nil {
		return
	}
	var kept, cleared []string
	for _, f := range omittedFields {
		if !f.has(created) {
			continue
		}
		if f.has(after) {
			kept = append(kept, f.name)
		} else {
			cleared = append(cleared, f.name)
		}
	}
	facts := map[string]string{"kept": strings.Join(kept, ","), "cleared": strings.Join(cleared, ",")}
	switch {
	case after.Firstname.Value != "Patched":
		r.result("patch-semantics", Fail, fmt.Sprintf("the PATCH did not change firstname (answered %q)", after.Firstname.Value), facts)
	case len(kept) == 0 && len(cleared) > 0:
		r.mode, facts["mode"] = "replace", "replace"
		r.result("patch-semantics", Pass, "replace: "+strings.Join(cleared, ", ")+" were cleared", facts)
	case len(cleared) == 0 && len(kept) > 0:
		r.mode, facts["mode"] = "merge", "merge"
		r.result("patch-semantics", Pass, "merge: "+strings.Join(kept, ", ")+" were kept", facts)
	default:
		facts["mode"] = "mixed"
		r.result("patch-semantics", Fail, "neither: kept "+strings.Join(kept, ", ")+"; cleared "+strings.Join(cleared, ", "), facts)
	}
	switch {
	case !created.Mobile.Present():
		r.result("null-clears", Skip, "Qomon did not store the mobile number sent at creation", nil)
	case after.Mobile.Present():
		r.result("null-clears", Fail, fmt.Sprintf(`"mobile": null left the mobile number as %q`, after.Mobile.Value), nil)
	default:
		r.result("null-clears", Pass, `"mobile": null cleared the mobile number`, nil)
	}
}

// patchAndRead sends body to contact id (name in messages) and reads the contact back. When
// either fails it records the outcome of the checks ids and returns nils: a FAIL when Qomon
// refused the body (a 4xx other than 404 and 429), an ERROR or a SKIP otherwise.
func (r *run) patchAndRead(ctx context.Context, id int64, body qomon.Contact, name string, ids ...string) (answer, after *qomon.Contact) {
	answer, err := r.update(ctx, id, body)
	if err != nil {
		ex, ok := r.rec.last(http.MethodPatch, contactPath(id))
		if ok && ex.status >= 400 && ex.status < 500 && ex.status != http.StatusNotFound && ex.status != http.StatusTooManyRequests && ctx.Err() == nil {
			for _, check := range ids {
				r.result(check, Fail, fmt.Sprintf("the PATCH of %s was refused with %d: %s", name, ex.status, oneLine(err.Error())), nil,
					fmt.Sprintf("PATCH %s: %d %s", ex.path, ex.status, excerpt(ex.body)))
			}
			return nil, nil
		}
		r.fail(ctx, err, "updating "+name, ids...)
		return nil, nil
	}
	after, err = r.get(ctx, id)
	if err != nil {
		r.fail(ctx, err, "reading "+name, ids...)
		return nil, nil
	}
	return answer, after
}

// omittedFields are the fields contact B's partial PATCH leaves out.
var omittedFields = []struct {
	name string
	has  func(*qomon.Contact) bool
}{
	{"phone", func(c *qomon.Contact) bool { return c.Phone.Value != "" }},
	{"birth_city", func(c *qomon.Contact) bool { return c.BirthCity.Value != "" }},
	{"address", func(c *qomon.Contact) bool { return len(addressParts(c)) > 0 }},
	{"tags", func(c *qomon.Contact) bool { return len(c.Tags.Value) > 0 }},
	{"notes", func(c *qomon.Contact) bool { return len(c.Notes.Value) > 0 }},
	{"formdatas", func(c *qomon.Contact) bool { return len(c.Formdatas.Value) > 0 }},
	{"custom_fields", func(c *qomon.Contact) bool { return len(c.CustomFields.Value) > 0 }},
}

// noteIDs sends contact A back whole with its note (and its id) and a new note.
func (r *run) noteIDs(ctx context.Context) {
	if r.stA.got == nil {
		return
	}
	before := r.stA.got
	if len(before.Notes.Value) == 0 {
		r.result("note-ids", Skip, "Qomon did not store the note sent at creation", nil)
	}
	body := withoutEmptyLists(before.WithoutReadOnly())
	const added = "A second note, sent without an id."
	body.Notes = qomon.Some(append(slices.Clone(body.Notes.Value), qomon.Note{Content: added}))
	r.say("updating contact A with its note and a new one")
	answer, after := r.patchAndRead(ctx, r.a, body, "contact A", "note-ids", "updated-at", "write-answers")
	if after == nil {
		return
	}
	r.stA.got = after

	if len(before.Notes.Value) > 0 {
		r.checkNoteIDs(before.Notes.Value[0], after.Notes.Value, added)
	}

	bu, errB := time.Parse(time.RFC3339Nano, before.UpdatedAt.Value)
	au, errA := time.Parse(time.RFC3339Nano, after.UpdatedAt.Value)
	moved := "did not move"
	if before.LastChange.Value != after.LastChange.Value {
		moved = "moved"
	}
	facts := map[string]string{"lastchange": moved}
	switch {
	case errB != nil || errA != nil:
		r.result("updated-at", Fail, fmt.Sprintf("UpdatedAt is not an RFC 3339 time: %q, then %q", before.UpdatedAt.Value, after.UpdatedAt.Value), facts)
	case !au.After(bu):
		r.result("updated-at", Fail, fmt.Sprintf("UpdatedAt stayed %s", after.UpdatedAt.Value), facts)
	default:
		r.result("updated-at", Pass, fmt.Sprintf("UpdatedAt moved from %s to %s; lastchange %s", before.UpdatedAt.Value, after.UpdatedAt.Value, moved), facts)
	}

	createDiff := diffContacts(*r.stA.created, *before)
	patchDiff := diffContacts(*answer, *after)
	var what []string
	if len(createDiff) > 0 {
		what = append(what, "the create answer's "+strings.Join(createDiff, ", ")+" differ from the GET that followed")
	}
	if len(patchDiff) > 0 {
		what = append(what, "the PATCH answer's "+strings.Join(patchDiff, ", ")+" differ from the GET that followed")
	}
	if len(what) > 0 {
		r.result("write-answers", Fail, strings.Join(what, "; "), nil)
	} else {
		r.result("write-answers", Pass, "the create and PATCH answers equal the GETs that followed them", nil)
	}
}

func (r *run) checkNoteIDs(old qomon.Note, notes []qomon.Note, added string) {
	oldID, _ := old.ID.Get()
	oldCreated := string(old.Unknown["created_at"])
	var kept, fresh *qomon.Note
	for i, n := range notes {
		switch n.Content {
		case old.Content:
			kept = &notes[i]
		case added:
			fresh = &notes[i]
		}
	}
	facts := map[string]string{}
	switch {
	case kept == nil || fresh == nil:
		r.result("note-ids", Fail, fmt.Sprintf("after the PATCH the contact has %d notes, not the two sent", len(notes)), facts)
		return
	case kept.ID.Value != oldID:
		facts["kept"] = "no"
		r.result("note-ids", Fail, fmt.Sprintf("the note sent with id %d came back as note %d: Qomon recreated it", oldID, kept.ID.Value), facts)
		return
	case oldCreated != "" && string(kept.Unknown["created_at"]) != oldCreated:
		facts["kept"] = "id only"
		r.result("note-ids", Fail, fmt.Sprintf("the note sent with id %d kept it, but its created_at went from %s to %s", oldID, oldCreated, kept.Unknown["created_at"]), facts)
		return
	case !fresh.ID.Present() || fresh.ID.Value == oldID:
		r.result("note-ids", Fail, "the note sent without an id did not get an id of its own", facts)
		return
	}
	facts["kept"] = "yes"
	r.result("note-ids", Pass, fmt.Sprintf("the note sent with id %d kept its id and creation date; the new note got id %d", oldID, fresh.ID.Value), facts)
}

// emptyAddress clears contact A's address the way the provider does in the space's mode.
func (r *run) emptyAddress(ctx context.Context) {
	if r.stA.got == nil {
		return
	}
	before := r.stA.got
	parts := addressParts(before)
	if len(parts) == 0 {
		r.result("empty-address", Skip, "Qomon did not store the address sent at creation", nil)
		return
	}
	body := withoutEmptyLists(before.WithoutReadOnly())
	sent := `"address": {}`
	if r.mode == "merge" {
		nulls := map[string]any{}
		for _, k := range parts {
			nulls[k] = nil
		}
		b, _ := json.Marshal(nulls)
		var a qomon.Address
		_ = json.Unmarshal(b, &a)
		body.Address = qomon.Some(a)
		sent = `"address": ` + string(b)
	} else {
		body.Address = qomon.Some(qomon.Address{})
	}
	r.say("updating contact A with %s", sent)
	_, after := r.patchAndRead(ctx, r.a, body, "contact A", "empty-address")
	if after == nil {
		return
	}
	r.stA.got = after
	facts := map[string]string{"sent": sent}
	if left := addressParts(after); len(left) > 0 {
		r.result("empty-address", Fail, fmt.Sprintf("after %s the address still has %s", sent, strings.Join(left, ", ")), facts)
		return
	}
	r.result("empty-address", Pass, fmt.Sprintf("after %s no address part is left", sent), facts)
}

// emptyLists sends contact A back with every list empty.
func (r *run) emptyLists(ctx context.Context) {
	if r.stA.got == nil {
		return
	}
	body := r.stA.got.WithoutReadOnly()
	body.Tags = qomon.Some([]qomon.Tag{})
	body.Notes = qomon.Some([]qomon.Note{})
	body.Formdatas = qomon.Some([]qomon.FormData{})
	body.CustomFields = qomon.Some([]qomon.FormData{})
	body.ActionIDs = qomon.Some([]int64{})
	r.say("updating contact A with every list empty")
	_, after := r.patchAndRead(ctx, r.a, body, "contact A", "empty-lists")
	if after == nil {
		return
	}
	r.stA.got = after
	ex, _ := r.rec.last(http.MethodGet, contactPath(r.a))
	raw := rawContact(ex.body)
	facts := map[string]string{}
	var left, shapes []string
	for _, k := range []struct{ name, alt string }{{"tags", ""}, {"notes", ""}, {"formdatas", ""}, {"custom_fields", "customfields"}, {"action_ids", "actions_ids"}} {
		v, ok := raw[k.name]
		if !ok && k.alt != "" {
			v, ok = raw[k.alt]
		}
		shape := "absent"
		if ok {
			shape = strings.TrimSpace(string(v))
			if shape != "[]" && shape != "null" {
				left = append(left, k.name)
				shape = jsonKind(v)
			}
		}
		facts[k.name] = shape
		shapes = append(shapes, k.name+" "+shape)
	}
	if len(left) > 0 {
		r.result("empty-lists", Fail, "after [] these lists are not empty: "+strings.Join(left, ", "), facts)
		return
	}
	r.result("empty-lists", Pass, "every [] was accepted; Qomon then answers "+strings.Join(shapes, ", "), facts)
}

// deleteB deletes contact B, then asks for it again three ways.
func (r *run) deleteB(ctx context.Context) {
	if r.b == 0 {
		return
	}
	path := contactPath(r.b)
	r.say("deleting contact B")
	if err := r.delete(ctx, r.b); err != nil {
		r.fail(ctx, err, "deleting contact B", "delete", "not-found-body")
		return
	}
	first, _ := r.rec.last(http.MethodDelete, path)
	_, errGet := r.get(ctx, r.b)
	getEx, _ := r.rec.last(http.MethodGet, path)
	_, errPatch := r.update(ctx, r.b, qomon.Contact{Firstname: qomon.Some(Firstname), Surname: qomon.Some(Surname), Mail: qomon.Some(mailFor(r.runID, "b"))})
	patchEx, _ := r.rec.last(http.MethodPatch, path)
	if errPatch == nil {
		r.deleted[r.b] = false // the PATCH brought it back: the cleanup deletes it
	}
	errDel := r.client.DeleteContact(ctx, r.b)
	delEx, _ := r.rec.last(http.MethodDelete, path)
	if ctx.Err() != nil {
		r.fail(ctx, ctx.Err(), "", "delete", "not-found-body")
		return
	}
	if errDel == nil {
		r.deleted[r.b] = true
	}

	statuses := fmt.Sprintf("DELETE %d; then GET %d, PATCH %d, DELETE %d", first.status, getEx.status, patchEx.status, delEx.status)
	facts := map[string]string{"delete": strconv.Itoa(first.status), "get": strconv.Itoa(getEx.status), "patch": strconv.Itoa(patchEx.status), "delete_again": strconv.Itoa(delEx.status)}
	// Only the statuses are judged here: the format of the 404 bodies is not-found-body's check.
	ok := first.status/100 == 2 && isNotFoundStatus(errGet) && isNotFoundStatus(errPatch) && (errDel == nil || isNotFoundStatus(errDel))
	if ok {
		r.result("delete", Pass, statuses, facts)
	} else {
		r.result("delete", Fail, statuses, facts)
	}

	var formats, methods, evidence []string
	all := true
	for _, ex := range []exchange{getEx, patchEx, delEx} {
		if ex.status != http.StatusNotFound {
			continue
		}
		format := errorBodyFormat(ex.header.Get("Content-Type"), ex.body, ex.status)
		formats = append(formats, ex.method+" "+format)
		methods = append(methods, ex.method)
		evidence = append(evidence, fmt.Sprintf("%s %s: 404 %s %s", ex.method, ex.path, ex.header.Get("Content-Type"), excerpt(ex.body)))
		all = all && format == bodyProblem
	}
	switch {
	case len(formats) == 0:
		r.result("not-found-body", Fail, "no request for the deleted contact was answered 404", nil)
	case all:
		r.result("not-found-body", Pass, "an RFC 7807 problem on "+strings.Join(methods, ", "), map[string]string{"format": bodyProblem}, evidence...)
	default:
		r.result("not-found-body", Fail, strings.Join(formats, ", "), map[string]string{"format": strings.Join(formats, ",")}, evidence...)
	}
}
