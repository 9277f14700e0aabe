package qomonsim

import (
	"slices"
	"strings"
	"time"
)

// Form categories: the {type} of GET /v1/forms/type/{type}
// (https://developers.qomon.com/pages/v1/reference/forms/overview). Qomon does not echo the
// category inside a form; only the route knows it.
const (
	CategoryConsent        = "consent"
	CategoryLevelOfSupport = "level_of_support"
	CategoryPresenceStatus = "presence_status"
	CategoryCustomFields   = "custom_fields"
	CategorySurvey         = "survey"
	CategoryTasks          = "tasks"
)

// Categories lists every form category, in Qomon's documented order.
var Categories = []string{
	CategoryConsent, CategoryLevelOfSupport, CategoryPresenceStatus,
	CategoryCustomFields, CategorySurvey, CategoryTasks,
}

// Form widget types the simulator gives rules to (see parseAnswers): a radio form keeps one answer, a
// checkbox form several, and free-text forms (text, numeric, date) several free values.
const (
	TypeRadio    = "radio"
	TypeCheckbox = "checkbox"
	TypeText     = "text"
	TypeNumeric  = "numeric"
	TypeDate     = "date"
)

// Form is one question of the seeded catalogue.
type Form struct {
	ID        int64
	Category  string // consent, level_of_support, presence_status, custom_fields, survey, tasks
	Type      string // radio, checkbox, text, numeric, date
	Label     string
	Section   string
	Order     int
	Mandatory bool
	Hidden    bool
	RefValues []RefValue
}

// RefValue is one answer option of a form. A free-text form has exactly one, whose id is
// the form_ref_id of every answer.
type RefValue struct {
	ID     int64
	FormID int64 // filled from the form when zero
	Label  string
	Value  string
}

// freeText reports whether answers carry their own text rather than a refvalue's value.
func (f *Form) freeText() bool {
	return f.Type == TypeText || f.Type == TypeNumeric || f.Type == TypeDate
}

func (f *Form) refValue(id int64) (RefValue, bool) {
	for _, rv := range f.RefValues {
		if rv.ID == id {
			return rv, true
		}
	}
	return RefValue{}, false
}

// formsEpoch dates the seeded catalogue, so form timestamps do not move between runs.
var formsEpoch = time.Date(2024, 1, 5, 10, 12, 56, 29114000, time.UTC)

// DefaultForms returns the seeded catalogue: for every category a radio, a checkbox and at
// least one free-text form, with several options carrying distinct labels and values, plus
// one hidden form. Ids are fixed, so tests may name them.
func DefaultForms() []Form {
	nextRef := int64(17870)
	opt := func(pairs ...string) []RefValue {
		out := make([]RefValue, 0, len(pairs)/2)
		for i := 0; i+1 < len(pairs); i += 2 {
			nextRef++
			out = append(out, RefValue{ID: nextRef, Label: pairs[i], Value: pairs[i+1]})
		}
		return out
	}
	free := func() []RefValue {
		nextRef++
		return []RefValue{{ID: nextRef}}
	}
	forms := []Form{
		{ID: 11240, Category: CategoryConsent, Type: TypeCheckbox, Label: "The contact authorises me to collect and use the collected data", RefValues: opt("Consent e-mail", "consent_email", "Consent SMS", "consent_sms", "Consent mobile", "consent_mobile", "Stop SMS", "stopsms", "Yes", "yes")},
		{ID: 11241, Category: CategoryConsent, Type: TypeRadio, Label: "Newsletter", RefValues: opt("Yes", "yes", "No", "no")},
		{ID: 11242, Category: CategoryConsent, Type: TypeDate, Label: "Consent collected on", RefValues: free()},

		{ID: 11300, Category: CategoryLevelOfSupport, Type: TypeRadio, Label: "Level of support", RefValues: opt("Strong support", "strong_support", "Support", "support", "To be convinced", "to_be_convinced", "Opposed", "opposed")},
		{ID: 11301, Category: CategoryLevelOfSupport, Type: TypeCheckbox, Label: "Topics of support", RefValues: opt("Environment", "environment", "Housing", "housing", "Transport", "transport")},
		{ID: 11302, Category: CategoryLevelOfSupport, Type: TypeText, Label: "Support comment", RefValues: free()},

		{ID: 11400, Category: CategoryPresenceStatus, Type: TypeRadio, Label: "Presence", RefValues: opt("Present", "present", "Absent", "absent", "Come back later", "come_back")},
		{ID: 11401, Category: CategoryPresenceStatus, Type: TypeCheckbox, Label: "Presence details", RefValues: opt("Door closed", "door_closed", "No interest", "no_interest", "Moved", "moved")},
		{ID: 11402, Category: CategoryPresenceStatus, Type: TypeDate, Label: "Visit date", RefValues: free()},

		// Job's labels equal its values, as in Qomon's own examples (data = "Architect").
		{ID: 11391, Category: CategoryCustomFields, Type: TypeRadio, Label: "Job", RefValues: opt("Architect", "Architect", "Teacher", "Teacher", "Nurse", "Nurse", "Engineer", "Engineer")},
		{ID: 11392, Category: CategoryCustomFields, Type: TypeCheckbox, Label: "Favorite food", RefValues: opt("Hamburger", "hamburger", "Pizza", "pizza", "Salad", "salad")},
		{ID: 11393, Category: CategoryCustomFields, Type: TypeText, Label: "Nickname", RefValues: free()},
		{ID: 11394, Category: CategoryCustomFields, Type: TypeNumeric, Label: "Membership number", RefValues: free()},
		{ID: 11395, Category: CategoryCustomFields, Type: TypeDate, Label: "Member since", RefValues: free()},

		{ID: 12515, Category: CategorySurvey, Type: TypeRadio, Label: "Would you volunteer?", Section: "My city and me", Order: 1, RefValues: opt("Yes", "yes", "No", "no", "Maybe", "maybe")},
		{ID: 12516, Category: CategorySurvey, Type: TypeCheckbox, Label: "What are the strengths of the town/city in your opinion?", Section: "My city and me", Order: 2, RefValues: opt("Public infrastructure", "public_infrastructure", "Education", "education", "Parks and green areas", "parks_and_green_areas", "Roads", "roads")},
		{ID: 12517, Category: CategorySurvey, Type: TypeText, Label: "Do you have anything to bring up?", Section: "My city and me", Order: 3, RefValues: free()},
		{ID: 12518, Category: CategorySurvey, Type: TypeNumeric, Label: "How many people live in your household?", Section: "My city and me", Order: 4, RefValues: free()},

		{ID: 13000, Category: CategoryTasks, Type: TypeRadio, Label: "Next step", RefValues: opt("Receive our information", "recevoir_nos_informations", "Become a volunteer", "devenir_benevole", "Call back", "rappeler")},
		{ID: 13001, Category: CategoryTasks, Type: TypeCheckbox, Label: "Follow-ups", RefValues: opt("Send a leaflet", "send_leaflet", "Invite to a meeting", "invite_meeting")},
		{ID: 13002, Category: CategoryTasks, Type: TypeDate, Label: "Callback date", RefValues: free()},
		{ID: 13003, Category: CategoryTasks, Type: TypeRadio, Label: "Legacy task", Hidden: true, RefValues: opt("Done", "done", "Not done", "not_done")},
	}
	for i := range forms {
		for j := range forms[i].RefValues {
			forms[i].RefValues[j].FormID = forms[i].ID
		}
	}
	return forms
}

// catalogue is the read-only forms index the handlers consult.
type catalogue struct {
	forms []Form
	byID  map[int64]*Form
}

func newCatalogue(forms []Form) *catalogue {
	c := &catalogue{forms: make([]Form, len(forms)), byID: map[int64]*Form{}}
	for i, f := range forms {
		f.RefValues = slices.Clone(f.RefValues)
		for j := range f.RefValues {
			if f.RefValues[j].FormID == 0 {
				f.RefValues[j].FormID = f.ID
			}
		}
		c.forms[i] = f
		c.byID[f.ID] = &c.forms[i]
	}
	return c
}

func (c *catalogue) form(id int64) (*Form, bool) {
	f, ok := c.byID[id]
	return f, ok
}

func (c *catalogue) byCategory(category string) []*Form {
	var out []*Form
	for i := range c.forms {
		if c.forms[i].Category == category {
			out = append(out, &c.forms[i])
		}
	}
	return out
}

// renderForm is a form as GET /forms/{id} shows it.
func renderForm(f *Form, groupID int64) map[string]any {
	ts := formsEpoch.Add(time.Duration(f.ID) * time.Millisecond).Format(microLayout)
	refs := make([]any, 0, len(f.RefValues))
	for _, rv := range f.RefValues {
		m := map[string]any{
			"id": rv.ID, "form_id": rv.FormID, "CreatedAt": ts, "UpdatedAt": ts,
		}
		if !f.freeText() {
			m["label"] = rv.Label
			m["value"] = rv.Value
		}
		refs = append(refs, m)
	}
	m := map[string]any{
		"id":        f.ID,
		"label":     f.Label,
		"type":      f.Type,
		"order":     f.Order,
		"mandatory": f.Mandatory,
		"hidden":    f.Hidden,
		"group_id":  []int64{groupID},
		"CreatedAt": ts,
		"UpdatedAt": ts,
		"refvalues": refs,
	}
	if f.Section != "" {
		m["section"] = f.Section
	}
	return m
}

// Option finds an answer option by value or, failing that, by label, for tests that need
// its id.
func (f Form) Option(labelOrValue string) (RefValue, bool) {
	for _, rv := range f.RefValues {
		if rv.Value == labelOrValue {
			return rv, true
		}
	}
	for _, rv := range f.RefValues {
		if rv.Label == labelOrValue {
			return rv, true
		}
	}
	return RefValue{}, false
}

// FindForm finds a form of a catalogue by label (case-insensitive).
func FindForm(forms []Form, label string) (Form, bool) {
	for _, f := range forms {
		if strings.EqualFold(f.Label, label) {
			return f, true
		}
	}
	return Form{}, false
}

// Forms returns the server's catalogue.
func (s *Server) Forms() []Form {
	out := make([]Form, len(s.forms.forms))
	for i, f := range s.forms.forms {
		f.RefValues = slices.Clone(f.RefValues)
		out[i] = f
	}
	return out
}
