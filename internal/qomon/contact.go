package qomon

import "encoding/json"

// Contact is a Qomon contact as it travels on the wire (qomon-api.md §3).
//
// Every field is an Opt so that the client can tell "not sent / not received" from "null" from
// a value. The JSON tags give the spelling the client WRITES; decoding accepts every spelling
// the docs have shown (see UnmarshalJSON). Keys the client does not model are kept in Unknown
// and written back unchanged, so that a read-modify-write PATCH never drops data we do not know.
type Contact struct {
	// Read-only, assigned by Qomon. Never sent by the client on create or update.
	ID               Opt[int64]  `json:"id,omitzero"`
	GroupID          Opt[int64]  `json:"group_id,omitzero"`
	UserID           Opt[int64]  `json:"user_id,omitzero"`
	CreatedAt        Opt[string] `json:"CreatedAt,omitzero"`
	UpdatedAt        Opt[string] `json:"UpdatedAt,omitzero"`
	LastChange       Opt[string] `json:"lastchange,omitzero"`
	LastChangeUserID Opt[int64]  `json:"lastchangeuserid,omitzero"`

	// Writable scalars.
	Firstname       Opt[string] `json:"firstname,omitzero"`
	Surname         Opt[string] `json:"surname,omitzero"`
	MarriedName     Opt[string] `json:"married_name,omitzero"`
	Gender          Opt[string] `json:"gender,omitzero"`    // M, F or O
	Birthdate       Opt[string] `json:"birthdate,omitzero"` // as Qomon sends it, e.g. 1955-07-06T00:00:00Z
	AgeCategory     Opt[int64]  `json:"age_category,omitzero"`
	BirthCity       Opt[string] `json:"birth_city,omitzero"`    // also read as birthcity
	BirthDept       Opt[string] `json:"birth_dept,omitzero"`    // also read as birthdept
	BirthCountry    Opt[string] `json:"birth_country,omitzero"` // also read as birthcountry
	Nationality     Opt[string] `json:"nationality,omitzero"`
	Mail            Opt[string] `json:"mail,omitzero"`
	Phone           Opt[string] `json:"phone,omitzero"`
	Mobile          Opt[string] `json:"mobile,omitzero"`
	PhoneInvalid    Opt[bool]   `json:"phone_invalid,omitzero"`
	MobileInvalid   Opt[bool]   `json:"mobile_invalid,omitzero"`
	BlackList       Opt[bool]   `json:"black_list,omitzero"`
	UserContactID   Opt[int64]  `json:"user_contact_id,omitzero"`
	NationBuilderID Opt[int64]  `json:"nationbuilderid,omitzero"`

	Address      Opt[Address]    `json:"address,omitzero"`
	Tags         Opt[[]Tag]      `json:"tags,omitzero"`
	Notes        Opt[[]Note]     `json:"notes,omitzero"`
	Formdatas    Opt[[]FormData] `json:"formdatas,omitzero"`
	CustomFields Opt[[]FormData] `json:"custom_fields,omitzero"` // also read as customfields
	ActionIDs    Opt[[]int64]    `json:"action_ids,omitzero"`    // also read as actions_ids

	// Unknown holds every key of a received contact that the fields above do not model
	// (external_id, membership_*, interactions, keys Qomon adds tomorrow...). They are written
	// back as they came, so a replace-style PATCH preserves them.
	Unknown map[string]json.RawMessage `json:"-"`
}

// Address is a contact's postal address. Numeric-looking parts (housenumber, postalcode,
// floor, citycode) are strings on the client side whatever type Qomon sends, so that leading
// zeros survive.
type Address struct {
	ID             Opt[int64]  `json:"id,omitzero"` // read-only
	HouseNumber    Opt[string] `json:"housenumber,omitzero"`
	Street         Opt[string] `json:"street,omitzero"`
	Addition       Opt[string] `json:"addition,omitzero"`
	Infos          Opt[string] `json:"infos,omitzero"`
	Building       Opt[string] `json:"building,omitzero"`
	Floor          Opt[string] `json:"floor,omitzero"`
	Door           Opt[string] `json:"door,omitzero"`
	PostalCode     Opt[string] `json:"postalcode,omitzero"`
	City           Opt[string] `json:"city,omitzero"`
	County         Opt[string] `json:"county,omitzero"`
	State          Opt[string] `json:"state,omitzero"`
	Country        Opt[string] `json:"country,omitzero"`
	PollingStation Opt[string] `json:"pollingstation,omitzero"`

	// Computed by Qomon's geocoding; read-only.
	CityCode  Opt[string]  `json:"citycode,omitzero"`
	Latitude  Opt[string]  `json:"latitude,omitzero"`
	Longitude Opt[string]  `json:"longitude,omitzero"`
	Location  Opt[string]  `json:"location,omitzero"`
	Score     Opt[float64] `json:"score,omitzero"`
	Invalid   Opt[bool]    `json:"invalid,omitzero"`

	Unknown map[string]json.RawMessage `json:"-"`
}

// Tag is a contact tag. Only Name is writable; Qomon adds Color and AppearanceCount.
type Tag struct {
	Name            string      `json:"name"`
	Color           Opt[string] `json:"color,omitzero"`
	AppearanceCount Opt[int64]  `json:"appearance_count,omitzero"`
}

// Note is a note on a contact. Its text arrives as `content` or `data`; it is written as `content`.
type Note struct {
	ID      Opt[int64] `json:"id,omitzero"`
	Content string     `json:"content"`
	Pinned  Opt[bool]  `json:"pinned,omitzero"`

	Unknown map[string]json.RawMessage `json:"-"`
}

// FormData is one answer to a form (an advanced field) or a custom field. Qomon gives every
// entry a new ID on each PATCH, so ID is never an identity: entries are identified by
// (FormID, FormRefID, Data).
type FormData struct {
	ID        Opt[int64]  `json:"id,omitzero"` // read-only, unstable
	FormID    int64       `json:"form_id"`
	FormRefID int64       `json:"form_ref_id"`
	Data      Opt[string] `json:"data,omitzero"`
	Date      Opt[string] `json:"date,omitzero"`
	SurveyID  Opt[int64]  `json:"survey_id,omitzero"`

	Unknown map[string]json.RawMessage `json:"-"`
}
