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
