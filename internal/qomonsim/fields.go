package qomonsim

// The simulator's own description of a contact's wire format, from the contact schemas of
// https://developers.qomon.com/api-reference/contacts/create-a-contact (new spelling) and
// https://api.qomon.com/api-reference/contacts/create-a-contact-synchronously (old). It is
// kept apart from internal/qomon on purpose: a key misspelt by the client must not be
// misspelt here too.

type scalarKind int

const (
	kindString scalarKind = iota
	kindBool
	kindInt
	kindMail
	kindGender
	kindBirthdate
	kindAgeCategory
)

// scalarFields are the writable top-level scalars, by canonical (new) name.
var scalarFields = map[string]scalarKind{
	"firstname":       kindString,
	"surname":         kindString,
	"married_name":    kindString,
	"gender":          kindGender,
	"birthdate":       kindBirthdate,
	"age_category":    kindAgeCategory,
	"birth_city":      kindString,
	"birth_dept":      kindString,
	"birth_country":   kindString,
	"nationality":     kindString,
	"mail":            kindMail,
	"phone":           kindString,
	"mobile":          kindString,
	"phone_invalid":   kindBool,
	"mobile_invalid":  kindBool,
	"black_list":      kindBool,
	"user_contact_id": kindInt,
	"nationbuilderid": kindInt,
}

// oldSpelling maps a canonical key to its OLD-doc spelling; requests may use either.
var oldSpelling = map[string]string{
	"birth_city":    "birthcity",
	"birth_dept":    "birthdept",
	"birth_country": "birthcountry",
	"custom_fields": "customfields",
	"action_ids":    "actions_ids",
}

// canonicalKey maps every accepted request spelling to the canonical key.
var canonicalKey = func() map[string]string {
	m := map[string]string{}
	for canon, old := range oldSpelling {
		m[old] = canon
	}
	return m
}()

// readOnlyKeys are assigned by Qomon; a write body carrying them is not an error, they
// are ignored (what a read-modify-write client sends back).
var readOnlyKeys = map[string]bool{
	"id":               true,
	"group_id":         true,
	"user_id":          true,
	"CreatedAt":        true,
	"UpdatedAt":        true,
	"lastchange":       true,
	"lastchangeuserid": true,
	"interactions":     true,
}

// addressInputs are the writable address parts; the geocoding is recomputed when one of
// them changes.
var addressInputs = []string{
	"housenumber", "street", "addition", "infos", "building", "floor", "door",
	"postalcode", "city", "county", "state", "country", "pollingstation",
}

var addressInputSet = func() map[string]bool {
	m := map[string]bool{}
	for _, k := range addressInputs {
		m[k] = true
	}
	return m
}()

// addressNumeric are the parts OLD examples show as integers; requests may send either.
var addressNumeric = map[string]bool{"housenumber": true, "postalcode": true, "floor": true}

// addressReadOnly are computed by geocoding and ignored on write.
var addressReadOnly = map[string]bool{
	"id": true, "citycode": true, "latitude": true, "longitude": true, "location": true,
	"score": true, "invalid": true,
}

// Timestamp layouts of the examples in Qomon's references: microseconds for CreatedAt and
// UpdatedAt, milliseconds for lastchange and notes, seconds for birthdate.
const (
	microLayout     = "2006-01-02T15:04:05.000000Z07:00" // CreatedAt, UpdatedAt, form answer dates
	milliLayout     = "2006-01-02T15:04:05.000Z07:00"    // lastchange, note timestamps
	birthdateLayout = "2006-01-02T15:04:05Z07:00"        // birthdate
)
